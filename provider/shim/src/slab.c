// SPDX-License-Identifier: Apache-2.0
/* The slab allocator on the host heap, with fail-on-Nth. */
#include <stdlib.h>
#include <string.h>

#include "shim_internal.h"

#include <linux/slab.h>

static void *shim_alloc(size_t size, gfp_t flags)
{
	if (gfpflags_allow_blocking(flags))
		shim_might_sleep("kmalloc(GFP_KERNEL)");
	shim_st.kzalloc_calls++;
	if (shim_cfg.kzalloc_fail_nth &&
	    shim_st.kzalloc_calls == shim_cfg.kzalloc_fail_nth) {
		shim_st.kzalloc_failed++;
		return NULL;
	}
	return malloc(size ? size : 1);
}

void *kmalloc(size_t size, gfp_t flags)
{
	void *p = shim_alloc(size, flags);

	if (p && (flags & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, flags);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

void kfree(const void *objp)
{
	if (!objp)
		return;
	shim_st.kfree_calls++;
	free((void *)objp);
}
