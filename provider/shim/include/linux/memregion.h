/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: duplicated from the kernel: the CPU cache invalidation entry points
 * of include/linux/memregion.h as the generic framework provides them
 * (CONFIG_GENERIC_CPU_CACHE_MAINTENANCE=y). The memregion id allocator is
 * not part of the shim.
 */
#ifndef _MEMREGION_H_
#define _MEMREGION_H_

#include <linux/errno.h>
#include <linux/types.h>

int cpu_cache_invalidate_memregion(phys_addr_t start, size_t len);
bool cpu_cache_has_invalidate_memregion(void);

static inline int cpu_cache_invalidate_all(void)
{
	return cpu_cache_invalidate_memregion(0, -1);
}

#endif
