// SPDX-License-Identifier: Apache-2.0
/*
 * Buggy cache-coherency providers, for the deadlock detector's tests. Each
 * mode is a locking bug a real driver could ship; the provider registers with
 * the framework at late_initcall time only when a mode is chosen, so the
 * framework asks it before the SMCCC provider on every invalidate.
 */
#include <linux/cache_coherency.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "buggy_provider.h"

int buggy_provider_mode;

static DEFINE_MUTEX(buggy_lock);
static DEFINE_MUTEX(buggy_lock_b);
static DEFINE_SPINLOCK(buggy_spin);
static DECLARE_RWSEM(buggy_rwsem);

struct buggy_provider {
	struct cache_coherency_ops_inst inst;
};

static int buggy_wbinv(struct cache_coherency_ops_inst *inst,
		       struct cc_inval_params *invp)
{
	switch (buggy_provider_mode) {
	case BUGGY_MUTEX_NEVER_RELEASED:
		/* The error path that forgets mutex_unlock(). */
		mutex_lock(&buggy_lock);
		return 0;
	case BUGGY_SPINLOCK_NEVER_RELEASED:
		spin_lock(&buggy_spin);
		return 0;
	case BUGGY_RWSEM_WRITE_NEVER_RELEASED:
		if (smp_processor_id() == 0) {
			down_write(&buggy_rwsem);
			return 0;
		}
		down_read(&buggy_rwsem);
		up_read(&buggy_rwsem);
		return 0;
	case BUGGY_ABBA:
		/* cpu0 takes a then b, everyone else b then a. */
		if (smp_processor_id() == 0) {
			mutex_lock(&buggy_lock);
			msleep(1);
			mutex_lock(&buggy_lock_b);
		} else {
			mutex_lock(&buggy_lock_b);
			msleep(1);
			mutex_lock(&buggy_lock);
		}
		mutex_unlock(&buggy_lock_b);
		mutex_unlock(&buggy_lock);
		return 0;
	default:
		return 0;
	}
}

static const struct cache_coherency_ops buggy_ops = {
	.wbinv = buggy_wbinv,
};

static int __init buggy_provider_init(void)
{
	struct buggy_provider *p;

	if (buggy_provider_mode == BUGGY_NONE)
		return 0;
	p = cache_coherency_ops_instance_alloc(&buggy_ops, struct buggy_provider,
					       inst);
	if (!p)
		return -ENOMEM;
	return cache_coherency_ops_instance_register(&p->inst);
}
late_initcall(buggy_provider_init);
