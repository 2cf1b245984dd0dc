/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: each *_initcall() registers its function, through a
 * constructor, in the level table that shim_run_initcalls() walks in the
 * kernel's order: early, pure, core, postcore, arch, subsys, fs, rootfs,
 * device, late (each level followed by its _sync level, as in
 * include/asm-generic/vmlinux.lds.h). Within a level, calls run in
 * registration (link) order. __init and __initdata are not discarded.
 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>

#define __init __cold
#define __initdata
#define __initconst
#define __exit __cold
#define __exitdata
#define __ref
#define __refdata
#define __meminit
#define __devinit

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

enum shim_initcall_level {
	SHIM_INITCALL_EARLY,
	SHIM_INITCALL_PURE,
	SHIM_INITCALL_CORE,
	SHIM_INITCALL_CORE_SYNC,
	SHIM_INITCALL_POSTCORE,
	SHIM_INITCALL_POSTCORE_SYNC,
	SHIM_INITCALL_ARCH,
	SHIM_INITCALL_ARCH_SYNC,
	SHIM_INITCALL_SUBSYS,
	SHIM_INITCALL_SUBSYS_SYNC,
	SHIM_INITCALL_FS,
	SHIM_INITCALL_FS_SYNC,
	SHIM_INITCALL_ROOTFS,
	SHIM_INITCALL_DEVICE,
	SHIM_INITCALL_DEVICE_SYNC,
	SHIM_INITCALL_LATE,
	SHIM_INITCALL_LATE_SYNC,
	SHIM_INITCALL_NR_LEVELS,
};

void shim_register_initcall(initcall_t fn, enum shim_initcall_level level,
			    const char *name);

#define __define_initcall(fn, level)                                           \
	static void __attribute__((constructor, used))                         \
	__PASTE(__shim_initcall_, __PASTE(fn, __COUNTER__))(void)              \
	{                                                                      \
		shim_register_initcall(fn, level, #fn);                        \
	}

#define early_initcall(fn) __define_initcall(fn, SHIM_INITCALL_EARLY)
#define pure_initcall(fn) __define_initcall(fn, SHIM_INITCALL_PURE)
#define core_initcall(fn) __define_initcall(fn, SHIM_INITCALL_CORE)
#define core_initcall_sync(fn) __define_initcall(fn, SHIM_INITCALL_CORE_SYNC)
#define postcore_initcall(fn) __define_initcall(fn, SHIM_INITCALL_POSTCORE)
#define postcore_initcall_sync(fn)                                             \
	__define_initcall(fn, SHIM_INITCALL_POSTCORE_SYNC)
#define arch_initcall(fn) __define_initcall(fn, SHIM_INITCALL_ARCH)
#define arch_initcall_sync(fn) __define_initcall(fn, SHIM_INITCALL_ARCH_SYNC)
#define subsys_initcall(fn) __define_initcall(fn, SHIM_INITCALL_SUBSYS)
#define subsys_initcall_sync(fn)                                               \
	__define_initcall(fn, SHIM_INITCALL_SUBSYS_SYNC)
#define fs_initcall(fn) __define_initcall(fn, SHIM_INITCALL_FS)
#define fs_initcall_sync(fn) __define_initcall(fn, SHIM_INITCALL_FS_SYNC)
#define rootfs_initcall(fn) __define_initcall(fn, SHIM_INITCALL_ROOTFS)
#define device_initcall(fn) __define_initcall(fn, SHIM_INITCALL_DEVICE)
#define device_initcall_sync(fn)                                               \
	__define_initcall(fn, SHIM_INITCALL_DEVICE_SYNC)
#define late_initcall(fn) __define_initcall(fn, SHIM_INITCALL_LATE)
#define late_initcall_sync(fn) __define_initcall(fn, SHIM_INITCALL_LATE_SYNC)

#define __initcall(fn) device_initcall(fn)
/* Built-in code never exits: the exit call is type-checked and dropped. */
#define __exitcall(fn)                                                         \
	static exitcall_t __maybe_unused __PASTE(__exitcall_, fn) = fn

#endif
