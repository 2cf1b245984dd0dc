/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: the delay API of include/linux/delay.h on simulated
 * time, each sleep recorded (shim_sleep_event). udelay()/ndelay()/mdelay()
 * busy-wait: time passes, the CPU is not released. The sleeps release it.
 *
 * fsleep(us), as the kernel's: us <= 10 -> udelay(us); us below four ticks
 * (USLEEP_RANGE_UPPER_BOUND, 16000 us at HZ=250, 4000 us at HZ=1000) ->
 * usleep_range(us, us + us / 4); otherwise msleep(DIV_ROUND_UP(us, 1000)).
 *
 * usleep_range(min, max) is an hrtimer with a slack window: the kernel arms
 * it for max and only another interrupt in [min, max] ends it earlier. The
 * simulated CPU has no such interrupt, so it wakes at max by default
 * (shim_config.usleep_range_pct = 100: the point of [min, max] woken at).
 *
 * msleep(ms) is a jiffies timeout: it wakes on the tick edge
 * jiffies_now + msecs_to_jiffies(ms) + 1, so it sleeps between
 * msecs_to_jiffies(ms) and msecs_to_jiffies(ms) + 1 ticks (never less than
 * asked). The +1 is the timer wheel's round-up (older kernels added it in
 * msleep() itself); the coarser wheel levels used for timeouts of 64 ticks
 * or more are not modelled.
 */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

#include <linux/jiffies.h>
#include <linux/math.h>
#include <linux/sched.h>
#include <linux/time64.h>

#define USLEEP_RANGE_UPPER_BOUND ((TICK_NSEC << 2) / NSEC_PER_USEC)

void ndelay(unsigned long nsecs);
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);
void usleep_range(unsigned long min, unsigned long max);
void usleep_range_idle(unsigned long min, unsigned long max);
void msleep(unsigned int msecs);
unsigned long msleep_interruptible(unsigned int msecs);
void ssleep(unsigned int seconds);
void fsleep(unsigned long usecs);

#endif
