/* SPDX-License-Identifier: Apache-2.0 */
/* The buggy provider's modes (plain C: shared by the kernel helper and the C++ test). */
#ifndef CMOSIM_TESTS_HARDENING_BUGGY_PROVIDER_H
#define CMOSIM_TESTS_HARDENING_BUGGY_PROVIDER_H

#ifdef __cplusplus
extern "C" {
#endif

enum buggy_mode {
	BUGGY_NONE,
	BUGGY_MUTEX_NEVER_RELEASED,
	BUGGY_SPINLOCK_NEVER_RELEASED,
	BUGGY_RWSEM_WRITE_NEVER_RELEASED,
	BUGGY_ABBA,
};

/* Chosen by the test before the simulation starts (the initcall reads it). */
extern int buggy_provider_mode;

#ifdef __cplusplus
}
#endif

#endif
