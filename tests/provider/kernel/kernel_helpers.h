/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-side kernel code, callable from the C++ tests: plain C prototypes
 * only (no kernel header), implemented in *_helpers.c against the shim.
 */
#ifndef CMOSIM_TEST_KERNEL_HELPERS_H
#define CMOSIM_TEST_KERNEL_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* shim_helpers.c: delays */
void kh_fsleep(unsigned long us);
void kh_msleep(unsigned int ms);
void kh_udelay(unsigned long us);
void kh_usleep_range(unsigned long min, unsigned long max);
uint64_t kh_jiffies(void);
unsigned long kh_usleep_range_upper_bound(void);

/* shim_helpers.c: locks */
void kh_mutex_hold_us(unsigned long us); /* lock, sleep us (exact), unlock */
void kh_mutex_lock(void);
void kh_mutex_unlock(void);
bool kh_mutex_locked(void);
void kh_read_hold_us(unsigned long us);
void kh_write_hold_us(unsigned long us);
int kh_guard_paths(int path); /* returns a path-specific value */
bool kh_guard_mutexes_free(void);
void *kh_free_ptr_path(int keep); /* __free(kfree): freed unless kept */

/* shim_helpers.c: kref */
struct kh_kref_result {
	unsigned reads[4];
	int released;
	int put_ret[3];
};
void kh_kref_sequence(struct kh_kref_result *out);
void kh_kref_underflow(void);

/* shim_helpers.c: rule triggers */
void kh_sleep_in_spinlock(void);
void kh_udelay_in_spinlock(void);
void kh_kmalloc_in_atomic(void);
void kh_unlock_free_mutex(void);
void kh_destroy_locked_mutex(void);
void kh_relock_mutex(void);
void kh_touch_nmi_watchdog(void);
void kh_warn_on(int cond);
void kh_log_lines(void);

/* shim_helpers.c: SMCCC conduit */
int kh_smccc_invoke(unsigned nargs, uint64_t fid, const uint64_t *args,
		    uint64_t res[4]);
uint32_t kh_smccc_version(void);
int kh_smccc_conduit(void);
void *kh_kzalloc(size_t size);
void kh_kfree(void *p);

/* framework_helpers.c: fake providers */
int kh_fake_new(
	int id, int wbinv_ret, bool has_done, int done_ret,
	unsigned long wbinv_sleep_us); /* handle, or -1 if alloc failed */
int kh_fake_register(int h);
void kh_fake_unregister(int h);
void kh_fake_get(int h);
void kh_fake_put(int h);
unsigned kh_fake_refcount(int h);
bool kh_alloc_rejects_null_ops(void);
bool kh_alloc_rejects_null_wbinv(void);
bool kh_alloc_macro_zeroes_and_inits(void);
size_t kh_calls_count(void);
int kh_calls_get(size_t i); /* id * 10 + 1 for wbinv, id * 10 + 2 for done */
uint64_t kh_last_addr(void);
uint64_t kh_last_size(void);
int kh_invalidate(uint64_t start, size_t len);
int kh_invalidate_all(void);
bool kh_has_invalidate(void);

/* initcall_helpers.c */
size_t kh_initcall_log_count(void);
const char *kh_initcall_log_get(size_t i);

#ifdef __cplusplus
}
#endif

#endif
