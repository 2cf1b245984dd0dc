/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised. HZ is a run-time value (shim_configure(), default 250)
 * instead of CONFIG_HZ, so one build serves every tick rate. jiffies counts
 * ticks of simulated time since 0 (no INITIAL_JIFFIES offset).
 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/math.h>
#include <linux/time64.h>
#include <linux/types.h>

extern unsigned int shim_hz;
#define HZ (shim_hz)
#define TICK_NSEC ((NSEC_PER_SEC + HZ / 2) / HZ)
#define MAX_JIFFY_OFFSET ((long)((~0UL >> 1) - 1))

u64 get_jiffies_64(void);
#define jiffies ((unsigned long)get_jiffies_64())

unsigned long msecs_to_jiffies(const unsigned int m);
unsigned long usecs_to_jiffies(const unsigned int u);
unsigned int jiffies_to_msecs(const unsigned long j);
unsigned int jiffies_to_usecs(const unsigned long j);

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)

#endif
