/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: the slab API on the host heap, counting calls, with a
 * deterministic failure (shim_config.kzalloc_fail_nth: the Nth allocation
 * of the run returns NULL). A blocking allocation (GFP_KERNEL) in atomic
 * context is recorded as SHIM_RULE_SLEEP_IN_ATOMIC, as might_sleep() does.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/cleanup.h>
#include <linux/gfp.h>
#include <linux/types.h>

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
void kfree(const void *objp);
#define kvmalloc kmalloc
#define kvzalloc kzalloc
#define kvfree kfree

DEFINE_FREE(kfree, void *, if (_T) kfree(_T))

#endif
