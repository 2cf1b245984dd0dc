// SPDX-License-Identifier: Apache-2.0
/* Kernel code exercising the shim primitives for the C++ tests. */
#include <linux/arm-smccc.h>
#include <linux/bug.h>
#include <linux/cleanup.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/nmi.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "kernel_helpers.h"

void kh_fsleep(unsigned long us)
{
	fsleep(us);
}

void kh_msleep(unsigned int ms)
{
	msleep(ms);
}

void kh_udelay(unsigned long us)
{
	udelay(us);
}

void kh_usleep_range(unsigned long min, unsigned long max)
{
	usleep_range(min, max);
}

uint64_t kh_jiffies(void)
{
	return jiffies;
}

unsigned long kh_usleep_range_upper_bound(void)
{
	return USLEEP_RANGE_UPPER_BOUND;
}

static DEFINE_MUTEX(test_mutex);
static DEFINE_MUTEX(guard_a);
static DEFINE_MUTEX(guard_b);
static DECLARE_RWSEM(test_rwsem);

void kh_mutex_hold_us(unsigned long us)
{
	mutex_lock(&test_mutex);
	usleep_range(us, us);
	mutex_unlock(&test_mutex);
}

void kh_mutex_lock(void)
{
	mutex_lock(&test_mutex);
}

void kh_mutex_unlock(void)
{
	mutex_unlock(&test_mutex);
}

bool kh_mutex_locked(void)
{
	return mutex_is_locked(&test_mutex);
}

void kh_read_hold_us(unsigned long us)
{
	guard(rwsem_read)(&test_rwsem);
	usleep_range(us, us);
}

void kh_write_hold_us(unsigned long us)
{
	guard(rwsem_write)(&test_rwsem);
	usleep_range(us, us);
}

/*
 * One function, many ways out of guarded scopes; each must leave both
 * mutexes unlocked.
 */
int kh_guard_paths(int path)
{
	int i;

	guard(mutex)(&guard_a);

	if (path == 0)
		return 10; /* early return under one guard */

	for (i = 0; i < 4; i++) {
		guard(mutex)(&guard_b);
		if (path == 1 && i == 2)
			return 11; /* return from a loop body, two guards */
		if (path == 2 && i == 1)
			break; /* break out of a guarded loop body */
	}
	if (path == 2)
		return 12;

	scoped_guard(mutex, &guard_b)
	{
		if (path == 3)
			break; /* leaves the scoped_guard */
		if (path == 4)
			goto out; /* jumps out of it */
		if (path == 5)
			return 15;
	}
	if (path == 3)
		return 13;
	return 16; /* falls off the end of every scope */
out:
	return 14;
}

bool kh_guard_mutexes_free(void)
{
	return !mutex_is_locked(&guard_a) && !mutex_is_locked(&guard_b);
}

void *kh_free_ptr_path(int keep)
{
	void *p __free(kfree) = kzalloc(32, GFP_KERNEL);

	if (keep)
		return_ptr(p);
	return NULL;
}

static int kref_released;

static void kref_release(struct kref *kref)
{
	kref_released++;
}

void kh_kref_sequence(struct kh_kref_result *out)
{
	struct kref k;

	kref_released = 0;
	kref_init(&k);
	out->reads[0] = kref_read(&k);
	kref_get(&k);
	out->reads[1] = kref_read(&k);
	out->put_ret[0] = kref_put(&k, kref_release);
	out->reads[2] = kref_read(&k);
	out->put_ret[1] = kref_put(&k, kref_release);
	out->reads[3] = kref_read(&k);
	out->put_ret[2] = 0;
	out->released = kref_released;
}

void kh_kref_underflow(void)
{
	struct kref k;

	kref_init(&k);
	kref_put(&k, kref_release);
	kref_put(&k, kref_release);
}

static DEFINE_SPINLOCK(test_spinlock);

void kh_sleep_in_spinlock(void)
{
	spin_lock(&test_spinlock);
	fsleep(100);
	spin_unlock(&test_spinlock);
}

void kh_udelay_in_spinlock(void)
{
	guard(spinlock)(&test_spinlock);
	udelay(5);
}

void kh_kmalloc_in_atomic(void)
{
	void *p;

	spin_lock(&test_spinlock);
	p = kmalloc(16, GFP_KERNEL);
	spin_unlock(&test_spinlock);
	kfree(p);
}

void kh_unlock_free_mutex(void)
{
	mutex_unlock(&test_mutex);
}

void kh_destroy_locked_mutex(void)
{
	struct mutex m;

	mutex_init(&m);
	mutex_lock(&m);
	mutex_destroy(&m);
}

void kh_relock_mutex(void)
{
	mutex_lock(&test_mutex);
	mutex_lock(&test_mutex);
}

void kh_touch_nmi_watchdog(void)
{
	touch_nmi_watchdog();
}

void kh_warn_on(int cond)
{
	WARN_ON(cond);
}

void kh_log_lines(void)
{
	pr_err("error %d\n", 1);
	pr_warn("warning\n");
	pr_info("two\nlines\n");
	printk("default level\n");
	pr_debug("not without DEBUG\n");
}

int kh_smccc_invoke(unsigned nargs, uint64_t fid, const uint64_t *a,
		    uint64_t res_out[4])
{
	struct arm_smccc_res res = {0};
	int conduit;

	switch (nargs) {
	case 0:
		conduit = arm_smccc_1_1_invoke(fid, &res);
		break;
	case 1:
		conduit = arm_smccc_1_1_invoke(fid, a[0], &res);
		break;
	case 2:
		conduit = arm_smccc_1_1_invoke(fid, a[0], a[1], &res);
		break;
	case 3:
		conduit = arm_smccc_1_1_invoke(fid, a[0], a[1], a[2], &res);
		break;
	case 4:
		conduit =
			arm_smccc_1_1_invoke(fid, a[0], a[1], a[2], a[3], &res);
		break;
	case 5:
		conduit = arm_smccc_1_1_invoke(fid, a[0], a[1], a[2], a[3],
					       a[4], &res);
		break;
	case 6:
		conduit = arm_smccc_1_1_invoke(fid, a[0], a[1], a[2], a[3],
					       a[4], a[5], &res);
		break;
	default:
		conduit = arm_smccc_1_1_invoke(fid, a[0], a[1], a[2], a[3],
					       a[4], a[5], a[6], &res);
		break;
	}
	res_out[0] = res.a0;
	res_out[1] = res.a1;
	res_out[2] = res.a2;
	res_out[3] = res.a3;
	return conduit;
}

uint32_t kh_smccc_version(void)
{
	return arm_smccc_get_version();
}

int kh_smccc_conduit(void)
{
	return arm_smccc_1_1_get_conduit();
}

void *kh_kzalloc(size_t size)
{
	return kzalloc(size, GFP_KERNEL);
}

void kh_kfree(void *p)
{
	kfree(p);
}
