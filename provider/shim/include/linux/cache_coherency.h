/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: duplicated from the kernel: the interface of the generic cache
 * coherency framework (include/linux/cache_coherency.h), exactly the
 * signatures of smccc-interface.md section 3.
 */
#ifndef _LINUX_CACHE_COHERENCY_H_
#define _LINUX_CACHE_COHERENCY_H_

#include <linux/build_bug.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct cc_inval_params {
	phys_addr_t addr;
	size_t size;
};

struct cache_coherency_ops_inst;

struct cache_coherency_ops {
	int (*wbinv)(struct cache_coherency_ops_inst *cci,
		     struct cc_inval_params *invp);
	int (*done)(struct cache_coherency_ops_inst *cci);
};

struct cache_coherency_ops_inst {
	struct kref kref;
	struct list_head node;
	const struct cache_coherency_ops *ops;
};

int cache_coherency_ops_instance_register(struct cache_coherency_ops_inst *cci);
void cache_coherency_ops_instance_unregister(
	struct cache_coherency_ops_inst *cci);

struct cache_coherency_ops_inst *
_cache_coherency_ops_instance_alloc(const struct cache_coherency_ops *ops,
				    size_t size);

/*
 * Allocate a zeroed drv_struct whose member (at offset 0) is the instance;
 * returns a drv_struct pointer, or NULL.
 */
#define cache_coherency_ops_instance_alloc(ops, drv_struct, member)            \
	({                                                                     \
		static_assert(__same_type(struct cache_coherency_ops_inst,     \
					  ((drv_struct *)NULL)->member));      \
		static_assert(offsetof(drv_struct, member) == 0);              \
		(drv_struct *)_cache_coherency_ops_instance_alloc(             \
			ops, sizeof(drv_struct));                              \
	})

void cache_coherency_ops_instance_put(struct cache_coherency_ops_inst *cci);

#endif
