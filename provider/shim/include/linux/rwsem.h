/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: a blocking reader/writer semaphore on host wait queues
 * with lock statistics. Readers share it; a writer excludes everyone. As in
 * the kernel, a reader arriving while a writer waits queues behind it (so a
 * recursive down_read() can deadlock, like upstream). The hold time of an
 * rwsem is its occupancy: from free to taken in any mode back to free.
 */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H

#include <linux/cleanup.h>
#include <linux/types.h>

struct rw_semaphore {
	int readers;
	unsigned int writer; /* owning CPU + 1; 0 when no writer */
	unsigned int waiters;
	unsigned int writers_waiting;
	void *wq;
	unsigned long wq_gen;
	unsigned int stats_id;
	const char *name;
	u64 busy_since_ps;
};

#define __RWSEM_INITIALIZER(lockname)                                          \
	{                                                                      \
		.name = #lockname                                              \
	}
#define DECLARE_RWSEM(name) struct rw_semaphore name = __RWSEM_INITIALIZER(name)

void __init_rwsem(struct rw_semaphore *sem, const char *name);
#define init_rwsem(sem) __init_rwsem((sem), #sem)
void down_read(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void downgrade_write(struct rw_semaphore *sem);
int rwsem_is_locked(struct rw_semaphore *sem);
#define lockdep_assert_held_read(sem) ((void)(sem))
#define lockdep_assert_held_write(sem) ((void)(sem))

DEFINE_GUARD(rwsem_read, struct rw_semaphore *, down_read(_T), up_read(_T))
DEFINE_GUARD(rwsem_write, struct rw_semaphore *, down_write(_T), up_write(_T))

#endif
