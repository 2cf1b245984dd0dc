// SPDX-License-Identifier: Apache-2.0
/*
 * One initcall per level, declared out of order (and two at one level) so
 * the test can check that shim_run_initcalls() orders by level, then by
 * registration.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "kernel_helpers.h"

static const char *log_entries[32];
static size_t nlog;

static void note(const char *what)
{
	if (nlog < 32)
		log_entries[nlog++] = what;
}

#define TEST_INITCALL(level)                                                   \
	static int __init init_##level(void)                                   \
	{                                                                      \
		note(#level);                                                  \
		return 0;                                                      \
	}

TEST_INITCALL(late)
TEST_INITCALL(device)
TEST_INITCALL(module_init)
TEST_INITCALL(rootfs)
TEST_INITCALL(fs)
TEST_INITCALL(subsys)
TEST_INITCALL(arch)
TEST_INITCALL(arch_second)
TEST_INITCALL(postcore)
TEST_INITCALL(core)
TEST_INITCALL(pure)
TEST_INITCALL(early)
TEST_INITCALL(core_sync)

static int __init init_failing(void)
{
	note("failing");
	return -19;
}

late_initcall(init_late);
device_initcall(init_device);
module_init(init_module_init);
rootfs_initcall(init_rootfs);
fs_initcall(init_fs);
subsys_initcall(init_subsys);
arch_initcall(init_arch);
postcore_initcall(init_postcore);
core_initcall_sync(init_core_sync);
core_initcall(init_core);
pure_initcall(init_pure);
early_initcall(init_early);
arch_initcall(init_arch_second);
subsys_initcall(init_failing);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("initcall order test");

size_t kh_initcall_log_count(void)
{
	return nlog;
}

const char *kh_initcall_log_get(size_t i)
{
	return log_entries[i];
}
