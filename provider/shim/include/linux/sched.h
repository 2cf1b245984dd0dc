/* SPDX-License-Identifier: GPL-2.0 */
/* Kind: stub: the scheduler entry points kernel code may call. */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/preempt.h>

#define TASK_RUNNING 0
#define TASK_INTERRUPTIBLE 1
#define TASK_UNINTERRUPTIBLE 2
#define MAX_SCHEDULE_TIMEOUT ((long)(~0UL >> 1))

long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_interruptible(long timeout);
unsigned int raw_smp_processor_id(void);
#define smp_processor_id() raw_smp_processor_id()

#endif
