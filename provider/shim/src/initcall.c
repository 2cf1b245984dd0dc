// SPDX-License-Identifier: Apache-2.0
/*
 * Initcalls: registered by constructors (see linux/init.h) and run once, in
 * level order, by shim_run_initcalls() on the calling (boot) CPU. Before the
 * first level the firmware's SMCCC version is probed, as PSCI does from
 * setup_arch() before any initcall.
 */
#include <stdio.h>
#include <stdlib.h>

#include "shim_internal.h"

#include <linux/init.h>
#include <linux/printk.h>

void shim_smccc_probe(void);

struct initcall_entry {
	initcall_t fn;
	enum shim_initcall_level level;
	const char *name;
	int ran;
	int ret;
};

static struct initcall_entry *calls;
static size_t ncalls;
static size_t *order; /* run order: by level, then registration */
static int initcalls_done;

static const char *const level_names[SHIM_INITCALL_NR_LEVELS] = {
	[SHIM_INITCALL_EARLY] = "early",
	[SHIM_INITCALL_PURE] = "pure",
	[SHIM_INITCALL_CORE] = "core",
	[SHIM_INITCALL_CORE_SYNC] = "core_sync",
	[SHIM_INITCALL_POSTCORE] = "postcore",
	[SHIM_INITCALL_POSTCORE_SYNC] = "postcore_sync",
	[SHIM_INITCALL_ARCH] = "arch",
	[SHIM_INITCALL_ARCH_SYNC] = "arch_sync",
	[SHIM_INITCALL_SUBSYS] = "subsys",
	[SHIM_INITCALL_SUBSYS_SYNC] = "subsys_sync",
	[SHIM_INITCALL_FS] = "fs",
	[SHIM_INITCALL_FS_SYNC] = "fs_sync",
	[SHIM_INITCALL_ROOTFS] = "rootfs",
	[SHIM_INITCALL_DEVICE] = "device",
	[SHIM_INITCALL_DEVICE_SYNC] = "device_sync",
	[SHIM_INITCALL_LATE] = "late",
	[SHIM_INITCALL_LATE_SYNC] = "late_sync",
};

void shim_register_initcall(initcall_t fn, enum shim_initcall_level level,
			    const char *name)
{
	struct initcall_entry *grown;

	grown = realloc(calls, (ncalls + 1) * sizeof(*calls));
	if (!grown)
		abort();
	calls = grown;
	calls[ncalls++] = (struct initcall_entry){
		.fn = fn,
		.level = level,
		.name = name,
	};
	free(order);
	order = NULL;
}

static void build_order(void)
{
	size_t n = 0;

	if (order || !ncalls)
		return;
	order = malloc(ncalls * sizeof(*order));
	if (!order)
		abort();
	for (int lvl = 0; lvl < SHIM_INITCALL_NR_LEVELS; lvl++)
		for (size_t i = 0; i < ncalls; i++)
			if ((int)calls[i].level == lvl)
				order[n++] = i;
}

int shim_run_initcalls(void)
{
	int ran = 0;

	if (initcalls_done)
		return 0;
	initcalls_done = 1;
	shim_kernel_enter();
	shim_smccc_probe();
	build_order();
	for (size_t k = 0; k < ncalls; k++) {
		struct initcall_entry *e = &calls[order[k]];
		uint64_t t0 = shim_now();

		e->ret = e->fn();
		e->ran = 1;
		ran++;
		shim_st.initcalls_run++;
		/* What initcall_debug would print. */
		printk(KERN_DEBUG "initcall %s returned %d after %llu usecs\n",
		       e->name, e->ret,
		       (unsigned long long)((shim_now() - t0) / PS_PER_US));
	}
	shim_kernel_exit();
	return ran;
}

size_t shim_initcall_count(void)
{
	return ncalls;
}

void shim_initcall_get(size_t i, struct shim_initcall_info *out)
{
	const struct initcall_entry *e;

	build_order();
	e = &calls[order[i]];
	out->name = e->name;
	out->level = level_names[e->level];
	out->ran = e->ran;
	out->ret = e->ret;
}
