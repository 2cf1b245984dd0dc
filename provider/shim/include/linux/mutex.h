/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: records lock statistics and rule events. A contended
 * mutex_lock() really blocks the calling simulated CPU on a host wait queue
 * until the holder unlocks (the waiter re-checks after every wake-up, as the
 * simulated CPUs are cooperative threads). Ownership is per simulated CPU.
 * Recorded: acquisitions, contention, wait and hold times per lock
 * (shim_lock_stats); SHIM_RULE_UNLOCK_NOT_HELD, SHIM_RULE_MUTEX_HELD_TOO_LONG
 * (checked at unlock), SHIM_RULE_DESTROY_LOCKED, SHIM_RULE_SLEEP_IN_ATOMIC
 * and SHIM_RULE_SELF_DEADLOCK.
 */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/cleanup.h>
#include <linux/types.h>

struct mutex {
	unsigned int owner; /* owning CPU + 1; 0 when free */
	unsigned int waiters;
	void *wq;
	unsigned long wq_gen;
	unsigned int stats_id; /* row + 1 in the lock statistics; 0: none yet */
	const char *name;
	u64 acquired_ps;
};

#define __MUTEX_INITIALIZER(lockname)                                          \
	{                                                                      \
		.name = #lockname                                              \
	}
#define DEFINE_MUTEX(mutexname)                                                \
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

void __mutex_init(struct mutex *lock, const char *name);
#define mutex_init(mutex) __mutex_init((mutex), #mutex)
void mutex_destroy(struct mutex *lock);
void mutex_lock(struct mutex *lock);
int mutex_lock_interruptible(struct mutex *lock);
int mutex_lock_killable(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
#define mutex_lock_nested(lock, subclass) mutex_lock(lock)
#define lockdep_assert_held(lock) ((void)(lock))

DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T))

#endif
