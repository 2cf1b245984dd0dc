/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: stub. One link unit holds all kernel code, so an export only needs
 * to be valid at file scope: it redeclares the symbol (which also checks that
 * it exists). Namespaces (a string or a bare name) are accepted and dropped.
 */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

#define __SHIM_EXPORT(sym) extern typeof(sym) sym
#define EXPORT_SYMBOL(sym) __SHIM_EXPORT(sym)
#define EXPORT_SYMBOL_GPL(sym) __SHIM_EXPORT(sym)
#define EXPORT_SYMBOL_NS(sym, ns) __SHIM_EXPORT(sym)
#define EXPORT_SYMBOL_NS_GPL(sym, ns) __SHIM_EXPORT(sym)
#define EXPORT_SYMBOL_FOR_MODULES(sym, mods) __SHIM_EXPORT(sym)

#endif
