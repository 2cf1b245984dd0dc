/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: a per-simulated-CPU preempt count. Spinlocks, disabled
 * preemption and disabled interrupts make the CPU atomic; sleeping while
 * atomic is recorded as SHIM_RULE_SLEEP_IN_ATOMIC.
 */
#ifndef _LINUX_PREEMPT_H
#define _LINUX_PREEMPT_H

#include <linux/cleanup.h>
#include <linux/types.h>

void preempt_disable(void);
void preempt_enable(void);
int preempt_count(void);
#define preempt_enable_no_resched() preempt_enable()
#define in_atomic() (preempt_count() != 0)
#define in_task() 1
#define in_interrupt() 0
#define in_irq() 0
#define in_nmi() 0

void local_irq_disable(void);
void local_irq_enable(void);
#define local_irq_save(flags)                                                  \
	do {                                                                   \
		(flags) = 0;                                                   \
		local_irq_disable();                                           \
	} while (0)
#define local_irq_restore(flags)                                               \
	do {                                                                   \
		(void)(flags);                                                 \
		local_irq_enable();                                            \
	} while (0)

DEFINE_LOCK_GUARD_0(preempt, preempt_disable(), preempt_enable())
DEFINE_LOCK_GUARD_0(irq, local_irq_disable(), local_irq_enable())

#endif
