/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMCCC function IDs and status codes as the emulated EL3 firmware sees them
 * (Arm DEN0028 v1.7). The kernel shim has its own copy in
 * provider/shim/include/linux/arm-smccc.h, as the kernel does; a firmware unit
 * test checks that the two agree.
 */
#ifndef CMOSIM_FW_SMCCC_H
#define CMOSIM_FW_SMCCC_H

#include <stdint.h>

/* Function ID fields (DEN0028 §2.5). */
#define FW_FID_FAST_BIT (1u << 31)
#define FW_FID_SMC64_BIT (1u << 30)
#define FW_FID_OWNER_SHIFT 24
#define FW_FID_OWNER_MASK 0x3fu
#define FW_FID_RESERVED_MASK 0x00fe0000u /* bits 23:17, must be zero for fast calls */
#define FW_FID_SVE_HINT_BIT (1u << 16)   /* SMCCC 1.3: ignored when decoding */
#define FW_FID_NUMBER_MASK 0xffffu

#define FW_OWNER_ARCH 0u

#define FW_FID_SMCCC_VERSION 0x80000000u
#define FW_FID_ARCH_FEATURES 0x80000001u
#define FW_FID_ARCH_SOC_ID 0x80000002u
#define FW_FID_CLEAN_INV_MEMREGION 0xC0000005u
#define FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES 0xC0000006u

/* Status codes, signed 32-bit in w0 (DEN0028 §7; -4/-5 new in v1.7). */
#define FW_SUCCESS 0
#define FW_NOT_SUPPORTED (-1)
#define FW_NOT_REQUIRED (-2)
#define FW_INVALID_PARAMETER (-3)
#define FW_RATE_LIMITED (-4)
#define FW_BUSY (-5)

/* CLEAN_INV_MEMREGION x3 flags. */
#define FW_CLEAN_INV_FLAG_DRYRUN (1u << 0)
#define FW_CLEAN_INV_FLAGS_DEFINED FW_CLEAN_INV_FLAG_DRYRUN

/* ATTRIBUTES x1 flags. */
#define FW_ATTR_FLAG_GLOBAL (1u << 0)

#define FW_VERSION(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))

#endif
