// SPDX-License-Identifier: Apache-2.0
/*
 * The SMCCC conduit: every call traps into the host's firmware on the
 * calling CPU. The version is probed once (at boot, or at the first use if
 * initcalls never ran); with no conduit, or a firmware that does not answer
 * SMCCC_VERSION, it stays 1.0 as the kernel's default.
 */
#include "shim_internal.h"

#include <linux/arm-smccc.h>

static int probed;
static u32 smccc_version = ARM_SMCCC_VERSION_1_0;
static enum arm_smccc_conduit smccc_conduit = SMCCC_CONDUIT_NONE;

static void smc_raw(uint64_t x[8], struct arm_smccc_res *res)
{
	shim_st.smc_calls++;
	shim_host->smc(shim_host->ctx, x);
	shim_wd_check("smc");
	if (res) {
		res->a0 = x[0];
		res->a1 = x[1];
		res->a2 = x[2];
		res->a3 = x[3];
	}
}

void arm_smccc_version_init(u32 version, enum arm_smccc_conduit conduit)
{
	probed = 1;
	smccc_version = version;
	smccc_conduit = conduit;
}

void shim_smccc_probe(void)
{
	uint64_t x[8] = {ARM_SMCCC_VERSION_FUNC_ID};
	s32 ret;

	if (probed)
		return;
	probed = 1;
	if (shim_cfg.smccc_conduit != SMCCC_CONDUIT_SMC &&
	    shim_cfg.smccc_conduit != SMCCC_CONDUIT_HVC)
		return;
	smc_raw(x, NULL);
	ret = (s32)x[0];
	if (ret < 0)
		return;
	arm_smccc_version_init((u32)ret, shim_cfg.smccc_conduit);
}

u32 arm_smccc_get_version(void)
{
	shim_smccc_probe();
	return smccc_version;
}

enum arm_smccc_conduit arm_smccc_1_1_get_conduit(void)
{
	shim_smccc_probe();
	if (smccc_version < ARM_SMCCC_VERSION_1_1)
		return SMCCC_CONDUIT_NONE;
	return smccc_conduit;
}

int __shim_smccc_invoke(u32 fid, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5,
			unsigned long a6, unsigned long a7,
			struct arm_smccc_res *res)
{
	uint64_t x[8] = {fid, a1, a2, a3, a4, a5, a6, a7};
	enum arm_smccc_conduit conduit = arm_smccc_1_1_get_conduit();

	if (conduit == SMCCC_CONDUIT_NONE) {
		if (res)
			res->a0 = SMCCC_RET_NOT_SUPPORTED;
		return SMCCC_CONDUIT_NONE;
	}
	smc_raw(x, res);
	return conduit;
}
