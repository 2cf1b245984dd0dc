// SPDX-License-Identifier: GPL-2.0
/*
 * Generic CPU cache maintenance for memory whose contents change behind the
 * CPU caches (CXL region reset, device-side erase, hotplug).
 *
 * Providers allocate an instance, register it, and are called for every
 * invalidation request: first wbinv on each instance (most recently
 * registered first), then done on each instance that has one. The list is
 * only read-locked while a request runs, so several CPUs can be inside one
 * provider at once; a provider that needs exclusion must bring its own.
 *
 * With no provider registered, an invalidation succeeds without doing
 * anything; callers that care must ask cpu_cache_has_invalidate_memregion().
 */
#include <linux/cache_coherency.h>
#include <linux/cleanup.h>
#include <linux/container_of.h>
#include <linux/export.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/memregion.h>
#include <linux/module.h>
#include <linux/rwsem.h>
#include <linux/slab.h>

static LIST_HEAD(cc_instances);
static DECLARE_RWSEM(cc_instances_rwsem);

static void cc_instance_release(struct kref *kref)
{
	kfree(container_of(kref, struct cache_coherency_ops_inst, kref));
}

void cache_coherency_ops_instance_put(struct cache_coherency_ops_inst *cci)
{
	kref_put(&cci->kref, cc_instance_release);
}
EXPORT_SYMBOL_GPL(cache_coherency_ops_instance_put);

struct cache_coherency_ops_inst *
_cache_coherency_ops_instance_alloc(const struct cache_coherency_ops *ops,
				    size_t size)
{
	struct cache_coherency_ops_inst *cci;

	if (!ops || !ops->wbinv)
		return NULL;

	cci = kzalloc(size, GFP_KERNEL);
	if (!cci)
		return NULL;

	cci->ops = ops;
	INIT_LIST_HEAD(&cci->node);
	kref_init(&cci->kref);
	return cci;
}
EXPORT_SYMBOL_NS_GPL(_cache_coherency_ops_instance_alloc, "CACHE_COHERENCY");

int cache_coherency_ops_instance_register(struct cache_coherency_ops_inst *cci)
{
	guard(rwsem_write)(&cc_instances_rwsem);
	/* At the head: the newest provider is asked first. */
	list_add(&cci->node, &cc_instances);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(cache_coherency_ops_instance_register, "CACHE_COHERENCY");

void cache_coherency_ops_instance_unregister(
	struct cache_coherency_ops_inst *cci)
{
	guard(rwsem_write)(&cc_instances_rwsem);
	list_del(&cci->node);
}
EXPORT_SYMBOL_NS_GPL(cache_coherency_ops_instance_unregister,
		     "CACHE_COHERENCY");

int cpu_cache_invalidate_memregion(phys_addr_t start, size_t len)
{
	struct cc_inval_params params = {.addr = start, .size = len};
	struct cache_coherency_ops_inst *cci;
	int ret;

	guard(rwsem_read)(&cc_instances_rwsem);

	list_for_each_entry (cci, &cc_instances, node) {
		ret = cci->ops->wbinv(cci, &params);
		if (ret)
			return ret;
	}

	list_for_each_entry (cci, &cc_instances, node) {
		if (!cci->ops->done)
			continue;
		ret = cci->ops->done(cci);
		if (ret)
			return ret;
	}

	return 0;
}
EXPORT_SYMBOL_NS_GPL(cpu_cache_invalidate_memregion, "DEVMEM");

/* Racy against unregistration by design: a hint, not a guarantee. */
bool cpu_cache_has_invalidate_memregion(void)
{
	guard(rwsem_read)(&cc_instances_rwsem);
	return !list_empty(&cc_instances);
}
EXPORT_SYMBOL_NS_GPL(cpu_cache_has_invalidate_memregion, "DEVMEM");
