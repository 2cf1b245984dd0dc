/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared state of the shim runtime (not a kernel header: kernel code never
 * includes it). Every function here runs on the simulated CPU thread that
 * called into the kernel; the simulated CPUs are cooperative threads of one
 * host thread, so no host locking is needed.
 */
#ifndef CMOSIM_SHIM_INTERNAL_H
#define CMOSIM_SHIM_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmosim/shim_host.h"

#define SHIM_MAX_CPUS 256
#define PS_PER_NS 1000ULL
#define PS_PER_US 1000000ULL
#define PS_PER_MS 1000000000ULL

struct shim_cpu {
	int preempt;	       /* preempt_disable() and spinlock depth */
	int irq_off;	       /* local_irq_disable() depth */
	unsigned kernel_depth; /* shim_kernel_enter() nesting */
	uint64_t wd_since_ps;  /* last scheduling point or watchdog touch */
};

extern const struct shim_host_ops *shim_host;
extern unsigned long shim_host_gen; /* bumped by every shim_set_host() */
extern struct shim_config shim_cfg;
extern struct shim_stats shim_st;

uint64_t shim_now(void);
unsigned shim_cpu_id(void);
struct shim_cpu *shim_this_cpu(void);

__attribute__((format(printf, 2, 3))) void shim_report(enum shim_rule rule,
						       const char *fmt, ...);
void shim_log(int level, const char *line);

/* Time: a sleep releases the CPU and is a scheduling point; busy does not. */
void shim_might_sleep(const char *what);
void shim_do_sleep(uint64_t ps);
void shim_do_busy(uint64_t ps);
void shim_block_on(void *wq); /* one waitq_wait(), as a scheduling point */
void *shim_waitq(void **wq, unsigned long *gen);

/* Watchdog. */
void shim_wd_check(const char *where);
void shim_wd_reset(void);

#endif
