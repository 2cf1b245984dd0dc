/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: holding a spinlock makes the simulated CPU atomic (its
 * preempt count rises), so a sleep inside is recorded as
 * SHIM_RULE_SLEEP_IN_ATOMIC. A contended spinlock spins in simulated time
 * (busy-waits of 10 ns) until the holder releases it.
 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <linux/cleanup.h>
#include <linux/preempt.h>
#include <linux/types.h>

typedef struct spinlock {
	unsigned int owner; /* owning CPU + 1; 0 when free */
	const char *name;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname)                                         \
	{                                                                      \
		.name = #lockname                                              \
	}
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define DEFINE_RAW_SPINLOCK(x) DEFINE_SPINLOCK(x)

void __spin_lock_init(spinlock_t *lock, const char *name);
#define spin_lock_init(lock) __spin_lock_init((lock), #lock)
#define raw_spin_lock_init(lock) spin_lock_init(lock)
void spin_lock(spinlock_t *lock);
int spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
#define spin_lock_irq(lock)                                                    \
	do {                                                                   \
		local_irq_disable();                                           \
		spin_lock(lock);                                               \
	} while (0)
#define spin_unlock_irq(lock)                                                  \
	do {                                                                   \
		spin_unlock(lock);                                             \
		local_irq_enable();                                            \
	} while (0)
#define spin_lock_irqsave(lock, flags)                                         \
	do {                                                                   \
		local_irq_save(flags);                                         \
		spin_lock(lock);                                               \
	} while (0)
#define spin_unlock_irqrestore(lock, flags)                                    \
	do {                                                                   \
		spin_unlock(lock);                                             \
		local_irq_restore(flags);                                      \
	} while (0)
#define raw_spin_lock spin_lock
#define raw_spin_unlock spin_unlock

DEFINE_LOCK_GUARD_1(spinlock, spinlock_t, spin_lock(_T->lock),
		    spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irqsave, spinlock_t,
		    spin_lock_irqsave(_T->lock, _T->flags),
		    spin_unlock_irqrestore(_T->lock, _T->flags),
		    unsigned long flags)

#endif
