/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CMOSIM_TESTS_FIRMWARE_SHIM_AGREEMENT_H
#define CMOSIM_TESTS_FIRMWARE_SHIM_AGREEMENT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One value as the kernel shim spells it and as the firmware does. */
struct fw_shim_pair {
    const char *name;
    int64_t shim;
    int64_t firmware;
};

extern const struct fw_shim_pair fw_shim_pairs[];
extern const unsigned fw_shim_n_pairs;

#ifdef __cplusplus
}
#endif

#endif
