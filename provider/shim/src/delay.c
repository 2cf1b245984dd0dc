// SPDX-License-Identifier: Apache-2.0
/*
 * Delays and sleeps on simulated time; see linux/delay.h for the model
 * (where usleep_range() wakes, how msleep() rounds to ticks). Each request is
 * logged as a shim_sleep_event.
 */
#include <stdlib.h>

#include "shim_internal.h"

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched.h>

static struct shim_sleep_event *events;
static size_t nevents, capevents;

static size_t event_begin(enum shim_sleep_kind kind, uint64_t min_us,
			  uint64_t max_us, uint64_t fsleep_us)
{
	if (nevents == capevents) {
		size_t cap = capevents ? capevents * 2 : 64;
		struct shim_sleep_event *grown;

		grown = realloc(events, cap * sizeof(*events));
		if (!grown)
			abort();
		events = grown;
		capevents = cap;
	}
	events[nevents] = (struct shim_sleep_event){
		.start_ps = shim_now(),
		.cpu = shim_cpu_id(),
		.kind = kind,
		.min_us = min_us,
		.max_us = max_us,
		.fsleep_us = fsleep_us,
	};
	return nevents++;
}

static void event_end(size_t i)
{
	events[i].slept_ps = shim_now() - events[i].start_ps;
}

size_t shim_sleep_event_count(void)
{
	return nevents;
}

void shim_sleep_event_get(size_t i, struct shim_sleep_event *out)
{
	*out = events[i];
}

/* ---- jiffies ----------------------------------------------------------- */

static uint64_t tick_ps(void)
{
	return (uint64_t)TICK_NSEC * PS_PER_NS;
}

u64 get_jiffies_64(void)
{
	return shim_now() / tick_ps();
}

unsigned long msecs_to_jiffies(const unsigned int m)
{
	return ((u64)m * HZ + MSEC_PER_SEC - 1) / MSEC_PER_SEC;
}

unsigned long usecs_to_jiffies(const unsigned int u)
{
	return ((u64)u * HZ + USEC_PER_SEC - 1) / USEC_PER_SEC;
}

unsigned int jiffies_to_msecs(const unsigned long j)
{
	return ((u64)j * MSEC_PER_SEC + HZ - 1) / HZ;
}

unsigned int jiffies_to_usecs(const unsigned long j)
{
	return ((u64)j * USEC_PER_SEC + HZ - 1) / HZ;
}

ktime_t ktime_get(void)
{
	return (ktime_t)(shim_now() / PS_PER_NS);
}

/* Sleep until the tick edge jiffies_now + timeout + 1 (the wheel's round-up).
 */
static void sleep_ticks(unsigned long timeout, uint64_t req_us,
			uint64_t fsleep_us)
{
	uint64_t now, wake;
	size_t ev;

	shim_might_sleep("msleep()");
	if (!timeout)
		return;
	ev = event_begin(SHIM_SLEEP_MSLEEP, req_us, req_us, fsleep_us);
	now = shim_now();
	wake = (now / tick_ps() + timeout + 1) * tick_ps();
	shim_do_sleep(wake - now);
	event_end(ev);
}

long schedule_timeout_uninterruptible(long timeout)
{
	if (timeout <= 0 || timeout == MAX_SCHEDULE_TIMEOUT)
		return 0;
	sleep_ticks((unsigned long)timeout, jiffies_to_usecs(timeout), 0);
	return 0;
}

long schedule_timeout_interruptible(long timeout)
{
	return schedule_timeout_uninterruptible(timeout);
}

/* ---- busy-waits -------------------------------------------------------- */

static void busy(uint64_t ps, uint64_t req_us, uint64_t fsleep_us)
{
	size_t ev = event_begin(SHIM_SLEEP_UDELAY, req_us, req_us, fsleep_us);

	shim_do_busy(ps);
	event_end(ev);
}

void ndelay(unsigned long nsecs)
{
	busy((uint64_t)nsecs * PS_PER_NS, nsecs / 1000, 0);
}

void udelay(unsigned long usecs)
{
	busy((uint64_t)usecs * PS_PER_US, usecs, 0);
}

void mdelay(unsigned long msecs)
{
	busy((uint64_t)msecs * PS_PER_MS, (uint64_t)msecs * 1000, 0);
}

/* ---- sleeps ------------------------------------------------------------ */

static void do_usleep_range(unsigned long min, unsigned long max,
			    uint64_t fsleep_us)
{
	uint64_t min_ps, max_ps;
	size_t ev;

	shim_might_sleep("usleep_range()");
	if (max < min)
		max = min;
	min_ps = (uint64_t)min * PS_PER_US;
	max_ps = (uint64_t)max * PS_PER_US;
	ev = event_begin(SHIM_SLEEP_USLEEP_RANGE, min, max, fsleep_us);
	shim_do_sleep(min_ps +
		      (max_ps - min_ps) * shim_cfg.usleep_range_pct / 100);
	event_end(ev);
}

void usleep_range(unsigned long min, unsigned long max)
{
	do_usleep_range(min, max, 0);
}

void usleep_range_idle(unsigned long min, unsigned long max)
{
	do_usleep_range(min, max, 0);
}

static void do_msleep(unsigned int msecs, uint64_t fsleep_us)
{
	sleep_ticks(msecs_to_jiffies(msecs), (uint64_t)msecs * 1000, fsleep_us);
}

void msleep(unsigned int msecs)
{
	do_msleep(msecs, 0);
}

unsigned long msleep_interruptible(unsigned int msecs)
{
	do_msleep(msecs, 0);
	return 0;
}

void ssleep(unsigned int seconds)
{
	do_msleep(seconds * 1000, 0);
}

void fsleep(unsigned long usecs)
{
	if (usecs <= 10)
		busy((uint64_t)usecs * PS_PER_US, usecs, usecs);
	else if (usecs < USLEEP_RANGE_UPPER_BOUND)
		do_usleep_range(usecs, usecs + (usecs >> 2), usecs);
	else
		do_msleep(DIV_ROUND_UP(usecs, USEC_PER_MSEC), usecs);
}
