/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: stub. Everything is built in: module_init() is device_initcall(),
 * as for built-in code in include/linux/module.h; module_exit() and the
 * MODULE_* tags are dropped.
 */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>

struct module;
#define THIS_MODULE ((struct module *)0)

#define module_init(fn) __initcall(fn)
#define module_exit(fn) __exitcall(fn)

#define __MODULE_STUB(tag) static_assert(1, "")
#define MODULE_LICENSE(x) __MODULE_STUB(license)
#define MODULE_AUTHOR(x) __MODULE_STUB(author)
#define MODULE_DESCRIPTION(x) __MODULE_STUB(description)
#define MODULE_ALIAS(x) __MODULE_STUB(alias)
#define MODULE_VERSION(x) __MODULE_STUB(version)
#define MODULE_SOFTDEP(x) __MODULE_STUB(softdep)
#define MODULE_IMPORT_NS(ns) __MODULE_STUB(import_ns)
#define MODULE_DEVICE_TABLE(type, name) __MODULE_STUB(device_table)
#define module_param(name, type, perm) __MODULE_STUB(param)
#define MODULE_PARM_DESC(name, desc) __MODULE_STUB(parm_desc)

#endif
