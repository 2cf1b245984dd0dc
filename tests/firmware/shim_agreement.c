/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compiled against the kernel shim's <linux/arm-smccc.h>, which the provider
 * uses, so that the firmware's IDs and status codes can be compared with the
 * kernel's names for them (smccc.h promises that a firmware test does this).
 * The comparison itself is in test_dispatch.cpp.
 */
#include <linux/arm-smccc.h>

#include "cmosim/fw/smccc.h"
#include "shim_agreement.h"

const struct fw_shim_pair fw_shim_pairs[] = {
    {"SMCCC_VERSION", ARM_SMCCC_VERSION_FUNC_ID, FW_FID_SMCCC_VERSION},
    {"ARCH_FEATURES", ARM_SMCCC_ARCH_FEATURES_FUNC_ID, FW_FID_ARCH_FEATURES},
    {"ARCH_SOC_ID", ARM_SMCCC_ARCH_SOC_ID, FW_FID_ARCH_SOC_ID},
    {"CLEAN_INV_MEMREGION", ARM_SMCCC_ARCH_CLEAN_INV_MEMREGION, FW_FID_CLEAN_INV_MEMREGION},
    {"CLEAN_INV_MEMREGION_ATTRIBUTES", ARM_SMCCC_ARCH_CLEAN_INV_MEMREGION_ATTRIBUTES,
     FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES},
    {"VERSION_1_1", ARM_SMCCC_VERSION_1_1, FW_VERSION(1, 1)},
    {"RET_SUCCESS", (int64_t)SMCCC_RET_SUCCESS, (int64_t)FW_SUCCESS},
    {"RET_NOT_SUPPORTED", (int64_t)SMCCC_RET_NOT_SUPPORTED, (int64_t)FW_NOT_SUPPORTED},
    {"RET_NOT_REQUIRED", (int64_t)SMCCC_RET_NOT_REQUIRED, (int64_t)FW_NOT_REQUIRED},
    {"RET_INVALID_PARAMETER", (int64_t)SMCCC_RET_INVALID_PARAMETER, (int64_t)FW_INVALID_PARAMETER},
    {"RET_RATE_LIMITED", (int64_t)SMCCC_RET_RATE_LIMITED, (int64_t)FW_RATE_LIMITED},
    {"RET_BUSY", (int64_t)SMCCC_RET_BUSY, (int64_t)FW_BUSY},
};

const unsigned fw_shim_n_pairs = sizeof(fw_shim_pairs) / sizeof(fw_shim_pairs[0]);
