// SPDX-License-Identifier: GPL-2.0
/*
 * REJECTED DESIGN, kept as a regression subject: the RFC's coalescing
 * variant of the SMCCC cache provider.
 *
 * When ATTRIBUTES reports that the firmware flushes every cache globally
 * (x1 bit 0), a caller that had to wait for the provider mutex while another
 * caller's flush completed returns 0 without calling the firmware, on the
 * theory that the global flush it waited behind covered its range too. It
 * reads a generation counter before taking the mutex and skips the call if a
 * flush completed (the generation moved) while it waited.
 *
 * Reviewers rejected it because it can under-flush: the flush it piggybacks
 * on may have started before this caller's data became stale (e.g. a device
 * wrote the range after the other CPU's SMC began), so nothing flushed the
 * lines that matter. Otherwise identical to drivers/cache/arm_smccc_cache.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/cache_coherency.h>
#include <linux/cleanup.h>
#include <linux/compiler.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/nmi.h>

#define CLEAN_INV_ATTEMPTS 5
#define CLEAN_INV_FALLBACK_DELAY_US 1000UL
#define CLEAN_INV_MAX_DELAY_US 20000UL
#define CLEAN_INV_ATTR_GLOBAL BIT(0)

struct arm_smccc_cache {
	struct cache_coherency_ops_inst inst; /* first: see alloc */
	struct mutex call_lock;
	u32 latency_us;
	u32 max_calls_per_sec;
	bool global_flush;
	unsigned long flush_gen; /* completed global flushes */
};

static int clean_inv_errno(s32 status)
{
	switch (status) {
	case SMCCC_RET_SUCCESS:
		return 0;
	case SMCCC_RET_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case SMCCC_RET_INVALID_PARAMETER:
		return -EINVAL;
	case SMCCC_RET_RATE_LIMITED:
		return -EAGAIN;
	case SMCCC_RET_BUSY:
		return -EBUSY;
	default:
		return -EIO;
	}
}

static unsigned long clean_inv_retry_delay_us(const struct arm_smccc_cache *c)
{
	unsigned long delay_us = 0;

	if (c->max_calls_per_sec)
		delay_us = DIV_ROUND_UP_ULL(USEC_PER_SEC, c->max_calls_per_sec);
	if (c->latency_us)
		delay_us = max(delay_us, (unsigned long)c->latency_us);
	if (!delay_us)
		delay_us = CLEAN_INV_FALLBACK_DELAY_US;
	return min(delay_us, CLEAN_INV_MAX_DELAY_US);
}

static int arm_smccc_cache_wbinv(struct cache_coherency_ops_inst *inst,
				 struct cc_inval_params *invp)
{
	struct arm_smccc_cache *c =
		container_of(inst, struct arm_smccc_cache, inst);
	struct arm_smccc_res res;
	unsigned long delay_us, gen = 0;
	int attempt, ret;

	if (!invp->size)
		return -EINVAL;

	delay_us = clean_inv_retry_delay_us(c);

	if (c->global_flush)
		gen = READ_ONCE(c->flush_gen);

	guard(mutex)(&c->call_lock);

	/* The flaw: that flush may have begun before our data went stale. */
	if (c->global_flush && gen != READ_ONCE(c->flush_gen))
		return 0;

	for (attempt = 1; attempt <= CLEAN_INV_ATTEMPTS; attempt++) {
		touch_nmi_watchdog();

		arm_smccc_1_1_invoke(ARM_SMCCC_ARCH_CLEAN_INV_MEMREGION,
				     invp->addr, invp->size, 0UL, &res);
		ret = clean_inv_errno((s32)res.a0);
		if (!ret && c->global_flush)
			WRITE_ONCE(c->flush_gen, c->flush_gen + 1);
		if (ret != -EBUSY && ret != -EAGAIN)
			return ret;

		if (attempt < CLEAN_INV_ATTEMPTS)
			fsleep(delay_us);
	}

	return -EBUSY;
}

static const struct cache_coherency_ops arm_smccc_cache_ops = {
	.wbinv = arm_smccc_cache_wbinv,
};

static bool __init arm_smccc_has_function(u32 fid)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(ARM_SMCCC_ARCH_FEATURES_FUNC_ID, fid, &res);
	return (s32)res.a0 >= 0;
}

static int __init arm_smccc_cache_init(void)
{
	struct arm_smccc_cache *c;
	struct arm_smccc_res res;
	int ret;

	if (arm_smccc_get_version() < ARM_SMCCC_VERSION_1_1)
		return -ENODEV;
	if (arm_smccc_1_1_get_conduit() == SMCCC_CONDUIT_NONE)
		return -ENODEV;
	if (!arm_smccc_has_function(ARM_SMCCC_ARCH_CLEAN_INV_MEMREGION))
		return -ENODEV;
	if (!arm_smccc_has_function(
		    ARM_SMCCC_ARCH_CLEAN_INV_MEMREGION_ATTRIBUTES))
		return -ENODEV;

	arm_smccc_1_1_invoke(ARM_SMCCC_ARCH_CLEAN_INV_MEMREGION_ATTRIBUTES,
			     &res);
	if ((s32)res.a0 != SMCCC_RET_SUCCESS)
		return -ENODEV;

	c = cache_coherency_ops_instance_alloc(&arm_smccc_cache_ops,
					       struct arm_smccc_cache, inst);
	if (!c)
		return -ENOMEM;

	c->global_flush = res.a1 & CLEAN_INV_ATTR_GLOBAL;
	c->latency_us = lower_32_bits(res.a2);
	c->max_calls_per_sec = lower_32_bits(res.a3);
	mutex_init(&c->call_lock);

	ret = cache_coherency_ops_instance_register(&c->inst);
	if (ret) {
		mutex_destroy(&c->call_lock);
		cache_coherency_ops_instance_put(&c->inst);
		return ret;
	}

	pr_info("coalescing variant registered (global flush: %s)\n",
		c->global_flush ? "yes" : "no");
	return 0;
}
arch_initcall(arm_smccc_cache_init);
