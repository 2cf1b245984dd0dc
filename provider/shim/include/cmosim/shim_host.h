/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shim's C ABI towards the simulator (customised, not from the kernel).
 *
 * Kernel code (the framework, the provider) runs on the simulated CPU thread
 * that called it. Everything it needs from "hardware" and from the scheduler
 * comes through this table, which sim/ implements on SystemC and unit tests
 * may implement on anything. Plain C: no C++ header may ever be included here.
 */
#ifndef CMOSIM_SHIM_HOST_H
#define CMOSIM_SHIM_HOST_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

enum shim_log_level { SHIM_LOG_ERR = 3, SHIM_LOG_WARN = 4, SHIM_LOG_NOTICE = 5,
                      SHIM_LOG_INFO = 6, SHIM_LOG_DEBUG = 7 };

/* Kernel-rule violations the shim detects; each becomes a report event. */
enum shim_rule {
	SHIM_RULE_SLEEP_IN_ATOMIC,
	SHIM_RULE_UNLOCK_NOT_HELD,
	SHIM_RULE_MUTEX_HELD_TOO_LONG,
	SHIM_RULE_NMI_WATCHDOG,
	SHIM_RULE_DESTROY_LOCKED,
	SHIM_RULE_SELF_DEADLOCK,   /* mutex_lock() of a mutex the CPU holds */
	SHIM_RULE_WARN,            /* a WARN_ON()/WARN() fired */
	SHIM_RULE_NR
};
/* "sleep_in_atomic", "unlock_not_held", ...: stable names for reports. */
const char *shim_rule_name(enum shim_rule rule);

struct shim_host_ops {
	void *ctx;
	uint64_t (*now_ps)(void *ctx);
	unsigned (*current_cpu)(void *ctx);
	/* Suspend the calling CPU: other CPUs run meanwhile. */
	void (*sleep_ps)(void *ctx, uint64_t ps);
	/* Spin on the calling CPU: time passes, the CPU is not released. */
	void (*busy_ps)(void *ctx, uint64_t ps);
	/* Trap into the firmware: x[0] = FID, x[1..7] args; results in x[0..4]. */
	void (*smc)(void *ctx, uint64_t x[8]);
	/* Wait queues for mutexes and rw-semaphores. */
	void *(*waitq_create)(void *ctx);
	void (*waitq_destroy)(void *ctx, void *wq);
	void (*waitq_wait)(void *ctx, void *wq);     /* block until woken */
	void (*waitq_wake_all)(void *ctx, void *wq);
	/* One printk line (without the trailing newline). */
	void (*printk)(void *ctx, int level, const char *line);
	/* A kernel-rule violation. */
	void (*rule)(void *ctx, enum shim_rule rule, const char *detail);
};

/* Install the host before the first kernel call; NULL uninstalls. */
void shim_set_host(const struct shim_host_ops *ops);

struct shim_config {
	unsigned hz;                  /* CONFIG_HZ, default 250 */
	int smccc_conduit;            /* enum arm_smccc_conduit, default SMC */
	uint64_t mutex_hold_limit_ps; /* 0: no check */
	uint64_t nmi_watchdog_ps;     /* 0: no check */
	unsigned kzalloc_fail_nth;    /* 0: never; N: the Nth call returns NULL */
	/* Where usleep_range(min, max) wakes: min + (max - min) * pct / 100. */
	unsigned usleep_range_pct;    /* default 100: at max (see linux/delay.h) */
};
void shim_config_default(struct shim_config *cfg);
void shim_configure(const struct shim_config *cfg);

/*
 * Run every registered initcall in level order; returns how many ran. Call it
 * once, from the boot CPU's thread: it first probes SMCCC_VERSION through the
 * configured conduit (as PSCI does at boot), then walks the levels. Later
 * calls run nothing and return 0.
 */
int shim_run_initcalls(void);

struct shim_initcall_info {
	const char *name;   /* the function's name */
	const char *level;  /* "early", "pure", "core", ..., "late_sync" */
	int ran;
	int ret;            /* its return value, once ran */
};
size_t shim_initcall_count(void);   /* registered, in run order */
void shim_initcall_get(size_t i, struct shim_initcall_info *out);

/*
 * Kernel-code brackets. The NMI watchdog only watches a CPU between enter and
 * exit (nestable); shim_run_initcalls() brackets itself, and the simulator
 * brackets every call into the kernel API (KernelHost::invalidate_memregion).
 */
void shim_kernel_enter(void);
void shim_kernel_exit(void);

/* Every sleep or busy-wait kernel code asked for, in order. */
enum shim_sleep_kind {
	SHIM_SLEEP_UDELAY,        /* busy-wait: udelay/ndelay/mdelay */
	SHIM_SLEEP_USLEEP_RANGE,  /* hrtimer sleep */
	SHIM_SLEEP_MSLEEP,        /* jiffies sleep */
};
struct shim_sleep_event {
	uint64_t start_ps;
	uint64_t slept_ps;      /* simulated time the CPU spent */
	unsigned cpu;
	enum shim_sleep_kind kind;
	uint64_t min_us;        /* udelay: the delay; usleep_range: min; msleep: ms*1000 */
	uint64_t max_us;        /* usleep_range: max; else = min_us */
	uint64_t fsleep_us;     /* the fsleep() argument when it came from fsleep(), else 0 */
};
size_t shim_sleep_event_count(void);
void shim_sleep_event_get(size_t i, struct shim_sleep_event *out);

/* Lock statistics, one row per mutex or rwsem that was initialised. */
struct shim_lock_stats {
	const char *name;
	int is_rwsem;
	uint64_t acquisitions;
	uint64_t contended;
	uint64_t wait_total_ps;
	uint64_t wait_max_ps;
	uint64_t hold_total_ps;
	uint64_t hold_max_ps;
};
size_t shim_lock_count(void);
void shim_lock_stats_get(size_t i, struct shim_lock_stats *out);

/*
 * The lock a CPU is waiting for right now (blocked on a mutex or rwsem, or
 * spinning on a spinlock), for the simulator's deadlock and hang reports.
 * kind is NULL when the CPU waits for no lock.
 */
struct shim_lock_wait {
	const char *kind;  /* "mutex", "rwsem (read)", "rwsem (write)", "spinlock" */
	const char *name;
	int holder_cpu;    /* the CPU holding it (mutex, spinlock, rwsem writer); -1: none */
	int readers;       /* rwsem: readers holding it */
	uint64_t since_ps; /* when the CPU started waiting */
};
void shim_lock_wait_get(unsigned cpu, struct shim_lock_wait *out);

/* Counters of what kernel code asked for, for the report. */
struct shim_stats {
	uint64_t smc_calls;
	uint64_t sleeps;
	uint64_t sleep_total_ps;   /* requested (with slack) sleep time */
	uint64_t busy_waits;
	uint64_t busy_total_ps;
	uint64_t kzalloc_calls;
	uint64_t kzalloc_failed;
	uint64_t initcalls_run;
	uint64_t kfree_calls;      /* kfree() of a non-NULL pointer */
	uint64_t rule_events;
	uint64_t nmi_touches;
};
void shim_stats_get(struct shim_stats *out);

/*
 * The kernel API as simulated CPUs call it (declared again here so that C++
 * callers need no kernel header; must match include/linux/memregion.h).
 */
int cpu_cache_invalidate_memregion(unsigned long long start, size_t len);
bool cpu_cache_has_invalidate_memregion(void);

#ifdef __cplusplus
}
#endif

#endif
