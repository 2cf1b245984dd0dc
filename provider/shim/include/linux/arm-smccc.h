/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: duplicated from the kernel for the names and values (function ID
 * layout, the Arm architecture service IDs including the DEN0028 v1.7 cache
 * maintenance calls, the return codes, struct arm_smccc_res); customised for
 * the conduit: arm_smccc_1_1_invoke() traps into the emulated firmware
 * through the host (counted in shim_stats.smc_calls).
 *
 * As in the kernel: the function ID is truncated to 32 bits and every other
 * argument is passed as unsigned long; with no conduit, res->a0 is set to
 * SMCCC_RET_NOT_SUPPORTED and nothing is called; the macro evaluates to the
 * conduit used. arm_smccc_get_version() is the value SMCCC_VERSION returned
 * when the shim probed the firmware at boot (1.0 if it could not).
 * arm_smccc_1_1_get_conduit() is NONE below SMCCC v1.1.
 */
#ifndef __LINUX_ARM_SMCCC_H
#define __LINUX_ARM_SMCCC_H

#include <linux/types.h>

#define ARM_SMCCC_STD_CALL _AC(0, U)
#define ARM_SMCCC_FAST_CALL _AC(1, U)
#define ARM_SMCCC_TYPE_SHIFT 31

#define ARM_SMCCC_SMC_32 0
#define ARM_SMCCC_SMC_64 1
#define ARM_SMCCC_CALL_CONV_SHIFT 30

#define ARM_SMCCC_OWNER_MASK 0x3F
#define ARM_SMCCC_OWNER_SHIFT 24

#define ARM_SMCCC_FUNC_MASK 0xFFFF

#ifndef _AC
#define __AC(X, Y) (X##Y)
#define _AC(X, Y) __AC(X, Y)
#endif

#define ARM_SMCCC_IS_FAST_CALL(smc_val)                                        \
	((smc_val) & (ARM_SMCCC_FAST_CALL << ARM_SMCCC_TYPE_SHIFT))
#define ARM_SMCCC_IS_64(smc_val)                                               \
	((smc_val) & (ARM_SMCCC_SMC_64 << ARM_SMCCC_CALL_CONV_SHIFT))
#define ARM_SMCCC_FUNC_NUM(smc_val) ((smc_val)&ARM_SMCCC_FUNC_MASK)
#define ARM_SMCCC_OWNER_NUM(smc_val)                                           \
	(((smc_val) >> ARM_SMCCC_OWNER_SHIFT) & ARM_SMCCC_OWNER_MASK)

#define ARM_SMCCC_CALL_VAL(type, calling_convention, owner, func_num)          \
	(((type) << ARM_SMCCC_TYPE_SHIFT) |                                    \
	 ((calling_convention) << ARM_SMCCC_CALL_CONV_SHIFT) |                 \
	 (((owner)&ARM_SMCCC_OWNER_MASK) << ARM_SMCCC_OWNER_SHIFT) |           \
	 ((func_num)&ARM_SMCCC_FUNC_MASK))

#define ARM_SMCCC_OWNER_ARCH 0
#define ARM_SMCCC_OWNER_CPU 1
#define ARM_SMCCC_OWNER_SIP 2
#define ARM_SMCCC_OWNER_OEM 3
#define ARM_SMCCC_OWNER_STANDARD 4
#define ARM_SMCCC_OWNER_STANDARD_HYP 5
#define ARM_SMCCC_OWNER_VENDOR_HYP 6
#define ARM_SMCCC_OWNER_TRUSTED_APP 48
#define ARM_SMCCC_OWNER_TRUSTED_APP_END 49
#define ARM_SMCCC_OWNER_TRUSTED_OS 50
#define ARM_SMCCC_OWNER_TRUSTED_OS_END 63

#define ARM_SMCCC_FUNC_QUERY_CALL_UID 0xff01
#define ARM_SMCCC_QUIRK_NONE 0
#define ARM_SMCCC_QUIRK_QCOM_A6 1

#define ARM_SMCCC_VERSION_1_0 0x10000
#define ARM_SMCCC_VERSION_1_1 0x10001
#define ARM_SMCCC_VERSION_1_2 0x10002
#define ARM_SMCCC_VERSION_1_3 0x10003
#define ARM_SMCCC_VERSION_1_7 0x10007

#define ARM_SMCCC_1_3_SVE_HINT 0x10000
#define ARM_SMCCC_CALL_HINTS ARM_SMCCC_1_3_SVE_HINT

#define ARM_SMCCC_VERSION_FUNC_ID                                              \
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32, 0, 0)
#define ARM_SMCCC_ARCH_FEATURES_FUNC_ID                                        \
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32, 0, 1)
#define ARM_SMCCC_ARCH_SOC_ID                                                  \
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32, 0, 2)
#define ARM_SMCCC_ARCH_WORKAROUND_1                                            \
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32, 0, 0x8000)
#define ARM_SMCCC_ARCH_WORKAROUND_2                                            \
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32, 0, 0x7fff)
#define ARM_SMCCC_ARCH_WORKAROUND_3                                            \
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32, 0, 0x3fff)

/* DEN0028 v1.7: SMC64, as they carry 64-bit physical ranges. */
#define ARM_SMCCC_ARCH_CLEAN_INV_MEMREGION                                     \
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,              \
			   ARM_SMCCC_OWNER_ARCH, 0x5)
#define ARM_SMCCC_ARCH_CLEAN_INV_MEMREGION_ATTRIBUTES                          \
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,              \
			   ARM_SMCCC_OWNER_ARCH, 0x6)

/* Return codes (DEN0028, signed 32-bit in w0). */
#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED -1
#define SMCCC_RET_NOT_REQUIRED -2
#define SMCCC_RET_INVALID_PARAMETER -3
#define SMCCC_RET_RATE_LIMITED -4
#define SMCCC_RET_BUSY -5

#define SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED 1

enum arm_smccc_conduit {
	SMCCC_CONDUIT_NONE,
	SMCCC_CONDUIT_SMC,
	SMCCC_CONDUIT_HVC,
};

struct arm_smccc_res {
	unsigned long a0;
	unsigned long a1;
	unsigned long a2;
	unsigned long a3;
};

struct arm_smccc_quirk {
	int id;
	union {
		unsigned long a6;
	} state;
};

enum arm_smccc_conduit arm_smccc_1_1_get_conduit(void);
u32 arm_smccc_get_version(void);
void arm_smccc_version_init(u32 version, enum arm_smccc_conduit conduit);

/* The conduit, with every argument widened and the FID truncated. */
int __shim_smccc_invoke(u32 fid, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5,
			unsigned long a6, unsigned long a7,
			struct arm_smccc_res *res);

#define __smccc_do(res, f, a1, a2, a3, a4, a5, a6, a7)                         \
	__shim_smccc_invoke((u32)(f), (unsigned long)(a1),                     \
			    (unsigned long)(a2), (unsigned long)(a3),          \
			    (unsigned long)(a4), (unsigned long)(a5),          \
			    (unsigned long)(a6), (unsigned long)(a7), res)
#define __smccc_args2(f, r) __smccc_do(r, f, 0, 0, 0, 0, 0, 0, 0)
#define __smccc_args3(f, a1, r) __smccc_do(r, f, a1, 0, 0, 0, 0, 0, 0)
#define __smccc_args4(f, a1, a2, r) __smccc_do(r, f, a1, a2, 0, 0, 0, 0, 0)
#define __smccc_args5(f, a1, a2, a3, r) __smccc_do(r, f, a1, a2, a3, 0, 0, 0, 0)
#define __smccc_args6(f, a1, a2, a3, a4, r)                                    \
	__smccc_do(r, f, a1, a2, a3, a4, 0, 0, 0)
#define __smccc_args7(f, a1, a2, a3, a4, a5, r)                                \
	__smccc_do(r, f, a1, a2, a3, a4, a5, 0, 0)
#define __smccc_args8(f, a1, a2, a3, a4, a5, a6, r)                            \
	__smccc_do(r, f, a1, a2, a3, a4, a5, a6, 0)
#define __smccc_args9(f, a1, a2, a3, a4, a5, a6, a7, r)                        \
	__smccc_do(r, f, a1, a2, a3, a4, a5, a6, a7)
#define ___smccc_count(_1, _2, _3, _4, _5, _6, _7, _8, _9, n, ...) n
#define __smccc_count(...)                                                     \
	___smccc_count(__VA_ARGS__, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define ___smccc_sel(n) __smccc_args##n
#define __smccc_sel(n) ___smccc_sel(n)

/* arm_smccc_1_1_invoke(fid, [up to 7 arguments,] &res) */
#define arm_smccc_1_1_invoke(...)                                              \
	__smccc_sel(__smccc_count(__VA_ARGS__))(__VA_ARGS__)
#define arm_smccc_1_1_smc(...) arm_smccc_1_1_invoke(__VA_ARGS__)
#define arm_smccc_1_1_hvc(...) arm_smccc_1_1_invoke(__VA_ARGS__)

#endif
