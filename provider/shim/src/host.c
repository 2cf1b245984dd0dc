// SPDX-License-Identifier: Apache-2.0
/*
 * The shim's link to the simulator: the installed host (or a fallback that
 * needs no simulator), the configuration, counters, rule events, the
 * per-CPU state, printk, WARN/BUG and the NMI watchdog.
 *
 * NMI watchdog model: a CPU is watched while it is inside kernel code
 * (between shim_kernel_enter() and shim_kernel_exit()). Its window restarts
 * at entry, at every touch_nmi_watchdog() and after every scheduling point
 * (a sleep, or blocking on a mutex or rwsem), since both the soft- and the
 * hard-lockup detector are satisfied by those. Time spent busy-waiting or
 * inside the firmware (an SMC) does not restart it. The window is checked at
 * touch_nmi_watchdog(), before each sleep or block, after each SMC and
 * busy-wait, and at kernel exit; longer than shim_config.nmi_watchdog_ps
 * raises SHIM_RULE_NMI_WATCHDOG once per window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim_internal.h"

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/nmi.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>

/* ---- fallback host: no simulator, one CPU, a private clock ------------ */

static uint64_t fb_clock_ps;

static uint64_t fb_now_ps(void *ctx)
{
	(void)ctx;
	return fb_clock_ps;
}

static unsigned fb_current_cpu(void *ctx)
{
	(void)ctx;
	return 0;
}

static void fb_advance(void *ctx, uint64_t ps)
{
	(void)ctx;
	fb_clock_ps += ps;
}

static void fb_smc(void *ctx, uint64_t x[8])
{
	(void)ctx;
	x[0] = (uint64_t)(int64_t)-1; /* no firmware: NOT_SUPPORTED */
}

static void *fb_waitq_create(void *ctx)
{
	(void)ctx;
	return &fb_clock_ps;
}

static void fb_waitq_destroy(void *ctx, void *wq)
{
	(void)ctx;
	(void)wq;
}

static void fb_waitq_wait(void *ctx, void *wq)
{
	(void)ctx;
	(void)wq;
	fprintf(stderr, "cmosim shim: a lock would block forever: no host "
			"installed (shim_set_host)\n");
	abort();
}

static void fb_waitq_wake_all(void *ctx, void *wq)
{
	(void)ctx;
	(void)wq;
}

static void fb_printk(void *ctx, int level, const char *line)
{
	(void)ctx;
	fprintf(stderr, "<%d>%s\n", level, line);
}

static void fb_rule(void *ctx, enum shim_rule rule, const char *detail)
{
	(void)ctx;
	fprintf(stderr, "cmosim shim: rule %s: %s\n", shim_rule_name(rule),
		detail);
}

static const struct shim_host_ops fallback_host = {
	.ctx = NULL,
	.now_ps = fb_now_ps,
	.current_cpu = fb_current_cpu,
	.sleep_ps = fb_advance,
	.busy_ps = fb_advance,
	.smc = fb_smc,
	.waitq_create = fb_waitq_create,
	.waitq_destroy = fb_waitq_destroy,
	.waitq_wait = fb_waitq_wait,
	.waitq_wake_all = fb_waitq_wake_all,
	.printk = fb_printk,
	.rule = fb_rule,
};

const struct shim_host_ops *shim_host = &fallback_host;
unsigned long shim_host_gen = 1;

void shim_set_host(const struct shim_host_ops *ops)
{
	shim_host = ops ? ops : &fallback_host;
	/* Wait queues belong to the host that made them: locks remake theirs.
	 */
	shim_host_gen++;
}

/* ---- configuration and counters --------------------------------------- */

unsigned int shim_hz = 250;
struct shim_config shim_cfg = {
	.hz = 250,
	.smccc_conduit = 1, /* SMCCC_CONDUIT_SMC */
	.usleep_range_pct = 100,
};
struct shim_stats shim_st;

void shim_config_default(struct shim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hz = 250;
	cfg->smccc_conduit = 1;
	cfg->usleep_range_pct = 100;
}

void shim_configure(const struct shim_config *cfg)
{
	shim_cfg = *cfg;
	if (!shim_cfg.hz)
		shim_cfg.hz = 250;
	if (shim_cfg.usleep_range_pct > 100)
		shim_cfg.usleep_range_pct = 100;
	shim_hz = shim_cfg.hz;
}

void shim_stats_get(struct shim_stats *out)
{
	*out = shim_st;
}

/* ---- per-CPU state ----------------------------------------------------- */

static struct shim_cpu cpus[SHIM_MAX_CPUS];

uint64_t shim_now(void)
{
	return shim_host->now_ps(shim_host->ctx);
}

unsigned shim_cpu_id(void)
{
	unsigned cpu = shim_host->current_cpu(shim_host->ctx);

	if (cpu >= SHIM_MAX_CPUS) {
		fprintf(stderr, "cmosim shim: CPU id %u >= %u\n", cpu,
			SHIM_MAX_CPUS);
		abort();
	}
	return cpu;
}

struct shim_cpu *shim_this_cpu(void)
{
	return &cpus[shim_cpu_id()];
}

unsigned int raw_smp_processor_id(void)
{
	return shim_cpu_id();
}

/* ---- rules and logging ------------------------------------------------- */

static const char *const rule_names[SHIM_RULE_NR] = {
	[SHIM_RULE_SLEEP_IN_ATOMIC] = "sleep_in_atomic",
	[SHIM_RULE_UNLOCK_NOT_HELD] = "unlock_not_held",
	[SHIM_RULE_MUTEX_HELD_TOO_LONG] = "mutex_held_too_long",
	[SHIM_RULE_NMI_WATCHDOG] = "nmi_watchdog",
	[SHIM_RULE_DESTROY_LOCKED] = "destroy_locked",
	[SHIM_RULE_SELF_DEADLOCK] = "self_deadlock",
	[SHIM_RULE_WARN] = "warn",
};

const char *shim_rule_name(enum shim_rule rule)
{
	if ((unsigned)rule >= SHIM_RULE_NR || !rule_names[rule])
		return "unknown";
	return rule_names[rule];
}

void shim_report(enum shim_rule rule, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	shim_st.rule_events++;
	shim_host->rule(shim_host->ctx, rule, detail);
}

void shim_log(int level, const char *line)
{
	(shim_host->printk)(shim_host->ctx, level, line);
}

/*
 * The kernel's printk with its KERN_<level> prefix ("\001" digit). Each line
 * goes to the host on its own; a line without a trailing newline is passed on
 * at once instead of waiting for a continuation, and KERN_CONT text becomes a
 * line of its own at the default level.
 */
int vprintk(const char *fmt, va_list args)
{
	char buf[1024];
	const char *text = buf;
	int level = 4; /* MESSAGE_LOGLEVEL_DEFAULT */
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, args);
	if (n < 0)
		return n;
	while (text[0] == '\001' && text[1]) {
		if (text[1] >= '0' && text[1] <= '7')
			level = text[1] - '0';
		text += 2;
	}
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[1024];

		memcpy(line, text, len);
		line[len] = '\0';
		shim_log(level, line);
		text += len + (nl ? 1 : 0);
	}
	return n;
}

int _printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void shim_warn(const char *file, int line, const char *cond)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "WARNING: CPU: %u at %s:%d: %s",
		 shim_cpu_id(), file, line, cond);
	shim_log(4, msg);
	shim_report(SHIM_RULE_WARN, "%s:%d: %s", file, line, cond);
}

void shim_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "kernel BUG at %s:%d! (%s) cpu %u, %llu ps\n", file,
		line, cond, shim_cpu_id(), (unsigned long long)shim_now());
	abort();
}

/* ---- atomic context ---------------------------------------------------- */

void preempt_disable(void)
{
	shim_this_cpu()->preempt++;
}

void preempt_enable(void)
{
	struct shim_cpu *c = shim_this_cpu();

	if (c->preempt <= 0) {
		shim_report(SHIM_RULE_WARN,
			    "preempt_enable() underflow on cpu%u",
			    shim_cpu_id());
		return;
	}
	c->preempt--;
}

int preempt_count(void)
{
	struct shim_cpu *c = shim_this_cpu();

	return c->preempt + c->irq_off;
}

void local_irq_disable(void)
{
	shim_this_cpu()->irq_off++;
}

void local_irq_enable(void)
{
	struct shim_cpu *c = shim_this_cpu();

	if (c->irq_off > 0)
		c->irq_off--;
}

void shim_might_sleep(const char *what)
{
	struct shim_cpu *c = shim_this_cpu();

	if (c->preempt || c->irq_off)
		shim_report(SHIM_RULE_SLEEP_IN_ATOMIC,
			    "BUG: sleeping function called from invalid "
			    "context: %s on cpu%u with preempt_count %d, "
			    "irqs_disabled %d",
			    what, shim_cpu_id(), c->preempt, c->irq_off > 0);
}

void might_sleep(void)
{
	shim_might_sleep("might_sleep()");
}

void cond_resched(void)
{
	shim_might_sleep("cond_resched()");
	shim_wd_reset();
}

/* ---- time on the CPU ---------------------------------------------------- */

void shim_do_sleep(uint64_t ps)
{
	shim_wd_check("sleep");
	shim_st.sleeps++;
	shim_st.sleep_total_ps += ps;
	shim_host->sleep_ps(shim_host->ctx, ps);
	shim_wd_reset();
}

void shim_do_busy(uint64_t ps)
{
	shim_st.busy_waits++;
	shim_st.busy_total_ps += ps;
	shim_host->busy_ps(shim_host->ctx, ps);
	shim_wd_check("busy-wait");
}

void shim_block_on(void *wq)
{
	shim_wd_check("lock wait");
	shim_host->waitq_wait(shim_host->ctx, wq);
	shim_wd_reset();
}

void *shim_waitq(void **wq, unsigned long *gen)
{
	if (!*wq || *gen != shim_host_gen) {
		*wq = shim_host->waitq_create(shim_host->ctx);
		*gen = shim_host_gen;
	}
	return *wq;
}

/* ---- kernel brackets and the NMI watchdog ------------------------------ */

void shim_kernel_enter(void)
{
	struct shim_cpu *c = shim_this_cpu();

	if (c->kernel_depth++ == 0)
		c->wd_since_ps = shim_now();
}

void shim_kernel_exit(void)
{
	struct shim_cpu *c = shim_this_cpu();

	if (!c->kernel_depth) {
		shim_report(SHIM_RULE_WARN,
			    "shim_kernel_exit() without enter "
			    "on cpu%u",
			    shim_cpu_id());
		return;
	}
	if (c->kernel_depth == 1)
		shim_wd_check("kernel exit");
	c->kernel_depth--;
}

void shim_wd_check(const char *where)
{
	struct shim_cpu *c;
	uint64_t now;

	if (!shim_cfg.nmi_watchdog_ps)
		return;
	c = shim_this_cpu();
	if (!c->kernel_depth)
		return;
	now = shim_now();
	if (now - c->wd_since_ps > shim_cfg.nmi_watchdog_ps) {
		shim_report(SHIM_RULE_NMI_WATCHDOG,
			    "watchdog: CPU%u stuck in kernel code for %llu ps "
			    "without a schedule or touch_nmi_watchdog() "
			    "(limit %llu ps), seen at %s",
			    shim_cpu_id(),
			    (unsigned long long)(now - c->wd_since_ps),
			    (unsigned long long)shim_cfg.nmi_watchdog_ps,
			    where);
		c->wd_since_ps = now;
	}
}

void shim_wd_reset(void)
{
	struct shim_cpu *c = shim_this_cpu();

	if (c->kernel_depth)
		c->wd_since_ps = shim_now();
}

void touch_nmi_watchdog(void)
{
	shim_st.nmi_touches++;
	shim_wd_check("touch_nmi_watchdog()");
	shim_wd_reset();
}

void touch_softlockup_watchdog(void)
{
	touch_nmi_watchdog();
}
