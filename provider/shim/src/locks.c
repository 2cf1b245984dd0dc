// SPDX-License-Identifier: Apache-2.0
/*
 * Mutexes, rw-semaphores and spinlocks over the host's wait queues, with
 * per-lock statistics. Simulated CPUs are cooperative threads: between the
 * check of a lock word and its update nothing else runs, so a waiter simply
 * loops "while (taken) wait" and re-checks after every wake-up.
 */
#include <stdio.h>
#include <stdlib.h>

#include "shim_internal.h"

#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

static struct shim_lock_stats *rows;
static size_t nrows, caprows;

static unsigned int lock_register(const char *name, int is_rwsem)
{
	if (nrows == caprows) {
		size_t cap = caprows ? caprows * 2 : 16;
		struct shim_lock_stats *grown;

		grown = realloc(rows, cap * sizeof(*rows));
		if (!grown)
			abort();
		rows = grown;
		caprows = cap;
	}
	rows[nrows] = (struct shim_lock_stats){
		.name = name ? name : (is_rwsem ? "rwsem" : "mutex"),
		.is_rwsem = is_rwsem,
	};
	return (unsigned int)++nrows;
}

static struct shim_lock_stats *row(unsigned int id)
{
	return &rows[id - 1];
}

size_t shim_lock_count(void)
{
	return nrows;
}

void shim_lock_stats_get(size_t i, struct shim_lock_stats *out)
{
	*out = rows[i];
}

static void account_acquire(unsigned int id, uint64_t t0, bool contended)
{
	struct shim_lock_stats *s = row(id);

	s->acquisitions++;
	if (contended) {
		uint64_t wait = shim_now() - t0;

		s->contended++;
		s->wait_total_ps += wait;
		if (wait > s->wait_max_ps)
			s->wait_max_ps = wait;
	}
}

static void account_hold(unsigned int id, uint64_t since)
{
	struct shim_lock_stats *s = row(id);
	uint64_t hold = shim_now() - since;

	s->hold_total_ps += hold;
	if (hold > s->hold_max_ps)
		s->hold_max_ps = hold;
}

/* ---- who waits for which lock (shim_lock_wait_get) ---------------------- */

enum wait_kind { WAIT_NONE, WAIT_MUTEX, WAIT_RWSEM_READ, WAIT_RWSEM_WRITE, WAIT_SPIN };

static struct {
	enum wait_kind kind;
	const void *lock;
	uint64_t since_ps;
} waiting[SHIM_MAX_CPUS];

static void wait_begin(enum wait_kind kind, const void *lock)
{
	unsigned int cpu = shim_cpu_id();

	if (cpu >= SHIM_MAX_CPUS)
		return;
	waiting[cpu].kind = kind;
	waiting[cpu].lock = lock;
	waiting[cpu].since_ps = shim_now();
}

static void wait_end(void)
{
	unsigned int cpu = shim_cpu_id();

	if (cpu < SHIM_MAX_CPUS)
		waiting[cpu].kind = WAIT_NONE;
}

void shim_lock_wait_get(unsigned cpu, struct shim_lock_wait *out)
{
	*out = (struct shim_lock_wait){.holder_cpu = -1};
	if (cpu >= SHIM_MAX_CPUS || waiting[cpu].kind == WAIT_NONE)
		return;
	out->since_ps = waiting[cpu].since_ps;
	switch (waiting[cpu].kind) {
	case WAIT_MUTEX: {
		const struct mutex *m = waiting[cpu].lock;

		out->kind = "mutex";
		out->name = m->name;
		out->holder_cpu = (int)m->owner - 1;
		break;
	}
	case WAIT_RWSEM_READ:
	case WAIT_RWSEM_WRITE: {
		const struct rw_semaphore *s = waiting[cpu].lock;

		out->kind = waiting[cpu].kind == WAIT_RWSEM_READ ? "rwsem (read)"
								  : "rwsem (write)";
		out->name = s->name;
		out->holder_cpu = (int)s->writer - 1;
		out->readers = s->readers;
		break;
	}
	case WAIT_SPIN: {
		const spinlock_t *l = waiting[cpu].lock;

		out->kind = "spinlock";
		out->name = l->name;
		out->holder_cpu = (int)l->owner - 1;
		break;
	}
	case WAIT_NONE:
		break;
	}
	if (!out->name)
		out->name = "?";
}

/* ---- mutex ------------------------------------------------------------- */

void __mutex_init(struct mutex *lock, const char *name)
{
	*lock = (struct mutex){.name = name};
	lock->stats_id = lock_register(name, 0);
}

static void mutex_ensure(struct mutex *lock)
{
	if (!lock->stats_id)
		lock->stats_id = lock_register(lock->name, 0);
}

static void mutex_take(struct mutex *lock, unsigned int me)
{
	lock->owner = me;
	lock->acquired_ps = shim_now();
}

void mutex_lock(struct mutex *lock)
{
	unsigned int me = shim_cpu_id() + 1;
	uint64_t t0 = shim_now();
	bool contended = false;

	shim_might_sleep("mutex_lock()");
	mutex_ensure(lock);
	if (lock->owner == me)
		shim_report(SHIM_RULE_SELF_DEADLOCK,
			    "cpu%u locks mutex %s it already holds: deadlock",
			    me - 1, lock->name);
	if (lock->owner)
		wait_begin(WAIT_MUTEX, lock);
	while (lock->owner) {
		contended = true;
		lock->waiters++;
		shim_block_on(shim_waitq(&lock->wq, &lock->wq_gen));
		lock->waiters--;
	}
	if (contended)
		wait_end();
	mutex_take(lock, me);
	account_acquire(lock->stats_id, t0, contended);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_lock_killable(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	mutex_ensure(lock);
	if (lock->owner)
		return 0;
	mutex_take(lock, shim_cpu_id() + 1);
	account_acquire(lock->stats_id, 0, false);
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	unsigned int me = shim_cpu_id() + 1;
	uint64_t hold;

	mutex_ensure(lock);
	if (!lock->owner) {
		shim_report(SHIM_RULE_UNLOCK_NOT_HELD,
			    "cpu%u unlocks mutex %s, which is not locked",
			    me - 1, lock->name);
		return;
	}
	/* As CONFIG_DEBUG_MUTEXES: warn, then release it all the same. */
	if (lock->owner != me)
		shim_report(SHIM_RULE_UNLOCK_NOT_HELD,
			    "cpu%u unlocks mutex %s held by cpu%u", me - 1,
			    lock->name, lock->owner - 1);
	hold = shim_now() - lock->acquired_ps;
	account_hold(lock->stats_id, lock->acquired_ps);
	if (shim_cfg.mutex_hold_limit_ps && hold > shim_cfg.mutex_hold_limit_ps)
		shim_report(SHIM_RULE_MUTEX_HELD_TOO_LONG,
			    "mutex %s held %llu ps by cpu%u (limit %llu ps)",
			    lock->name, (unsigned long long)hold,
			    lock->owner - 1,
			    (unsigned long long)shim_cfg.mutex_hold_limit_ps);
	lock->owner = 0;
	if (lock->waiters)
		shim_host->waitq_wake_all(shim_host->ctx,
					  shim_waitq(&lock->wq, &lock->wq_gen));
}

bool mutex_is_locked(struct mutex *lock)
{
	return lock->owner != 0;
}

void mutex_destroy(struct mutex *lock)
{
	if (lock->owner)
		shim_report(SHIM_RULE_DESTROY_LOCKED,
			    "mutex %s destroyed while held by cpu%u",
			    lock->name, lock->owner - 1);
	if (lock->wq && lock->wq_gen == shim_host_gen)
		shim_host->waitq_destroy(shim_host->ctx, lock->wq);
	lock->wq = NULL;
}

/* ---- rw_semaphore ------------------------------------------------------ */

void __init_rwsem(struct rw_semaphore *sem, const char *name)
{
	*sem = (struct rw_semaphore){.name = name};
	sem->stats_id = lock_register(name, 1);
}

static void rwsem_ensure(struct rw_semaphore *sem)
{
	if (!sem->stats_id)
		sem->stats_id = lock_register(sem->name, 1);
}

static void rwsem_occupy(struct rw_semaphore *sem)
{
	if (!sem->readers && !sem->writer)
		sem->busy_since_ps = shim_now();
}

static void rwsem_release(struct rw_semaphore *sem)
{
	if (!sem->readers && !sem->writer) {
		account_hold(sem->stats_id, sem->busy_since_ps);
		if (sem->waiters)
			shim_host->waitq_wake_all(
				shim_host->ctx,
				shim_waitq(&sem->wq, &sem->wq_gen));
	}
}

void down_read(struct rw_semaphore *sem)
{
	uint64_t t0 = shim_now();
	bool contended = false;

	shim_might_sleep("down_read()");
	rwsem_ensure(sem);
	/* A reader queues behind a waiting writer, as upstream. */
	if (sem->writer || sem->writers_waiting)
		wait_begin(WAIT_RWSEM_READ, sem);
	while (sem->writer || sem->writers_waiting) {
		contended = true;
		sem->waiters++;
		shim_block_on(shim_waitq(&sem->wq, &sem->wq_gen));
		sem->waiters--;
	}
	if (contended)
		wait_end();
	rwsem_occupy(sem);
	sem->readers++;
	account_acquire(sem->stats_id, t0, contended);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	rwsem_ensure(sem);
	if (sem->writer || sem->writers_waiting)
		return 0;
	rwsem_occupy(sem);
	sem->readers++;
	account_acquire(sem->stats_id, 0, false);
	return 1;
}

void up_read(struct rw_semaphore *sem)
{
	rwsem_ensure(sem);
	if (sem->readers <= 0) {
		shim_report(SHIM_RULE_UNLOCK_NOT_HELD,
			    "cpu%u: up_read() of rwsem %s with no reader",
			    shim_cpu_id(), sem->name);
		return;
	}
	sem->readers--;
	rwsem_release(sem);
}

void down_write(struct rw_semaphore *sem)
{
	unsigned int me = shim_cpu_id() + 1;
	uint64_t t0 = shim_now();
	bool contended = false;

	shim_might_sleep("down_write()");
	rwsem_ensure(sem);
	if (sem->writer == me)
		shim_report(SHIM_RULE_SELF_DEADLOCK,
			    "cpu%u write-locks rwsem %s it already holds",
			    me - 1, sem->name);
	if (sem->writer || sem->readers)
		wait_begin(WAIT_RWSEM_WRITE, sem);
	while (sem->writer || sem->readers) {
		contended = true;
		sem->waiters++;
		sem->writers_waiting++;
		shim_block_on(shim_waitq(&sem->wq, &sem->wq_gen));
		sem->writers_waiting--;
		sem->waiters--;
	}
	if (contended)
		wait_end();
	rwsem_occupy(sem);
	sem->writer = me;
	account_acquire(sem->stats_id, t0, contended);
}

int down_write_trylock(struct rw_semaphore *sem)
{
	rwsem_ensure(sem);
	if (sem->writer || sem->readers)
		return 0;
	rwsem_occupy(sem);
	sem->writer = shim_cpu_id() + 1;
	account_acquire(sem->stats_id, 0, false);
	return 1;
}

void up_write(struct rw_semaphore *sem)
{
	unsigned int me = shim_cpu_id() + 1;

	rwsem_ensure(sem);
	if (!sem->writer) {
		shim_report(SHIM_RULE_UNLOCK_NOT_HELD,
			    "cpu%u: up_write() of rwsem %s not write-locked",
			    me - 1, sem->name);
		return;
	}
	if (sem->writer != me)
		shim_report(SHIM_RULE_UNLOCK_NOT_HELD,
			    "cpu%u: up_write() of rwsem %s held by cpu%u",
			    me - 1, sem->name, sem->writer - 1);
	sem->writer = 0;
	rwsem_release(sem);
}

void downgrade_write(struct rw_semaphore *sem)
{
	rwsem_ensure(sem);
	if (!sem->writer) {
		shim_report(SHIM_RULE_UNLOCK_NOT_HELD,
			    "downgrade_write() of rwsem %s not write-locked",
			    sem->name);
		return;
	}
	sem->writer = 0;
	sem->readers = 1;
	if (sem->waiters)
		shim_host->waitq_wake_all(shim_host->ctx,
					  shim_waitq(&sem->wq, &sem->wq_gen));
}

int rwsem_is_locked(struct rw_semaphore *sem)
{
	return sem->readers || sem->writer;
}

/* ---- spinlock ---------------------------------------------------------- */

#define SPIN_POLL_PS (10 * PS_PER_NS)

void __spin_lock_init(spinlock_t *lock, const char *name)
{
	*lock = (spinlock_t){.name = name};
}

void spin_lock(spinlock_t *lock)
{
	unsigned int me = shim_cpu_id() + 1;

	preempt_disable();
	if (lock->owner == me)
		shim_bug(__FILE__, __LINE__, "spinlock recursion");
	if (lock->owner) {
		wait_begin(WAIT_SPIN, lock);
		while (lock->owner)
			shim_do_busy(SPIN_POLL_PS);
		wait_end();
	}
	lock->owner = me;
}

int spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (lock->owner) {
		preempt_enable();
		return 0;
	}
	lock->owner = shim_cpu_id() + 1;
	return 1;
}

void spin_unlock(spinlock_t *lock)
{
	unsigned int me = shim_cpu_id() + 1;

	if (lock->owner != me)
		shim_report(SHIM_RULE_UNLOCK_NOT_HELD,
			    "cpu%u unlocks spinlock %s held by %d", me - 1,
			    lock->name ? lock->name : "?",
			    (int)lock->owner - 1);
	lock->owner = 0;
	preempt_enable();
}
