/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: a WARN() prints like the kernel and records a
 * SHIM_RULE_WARN event; BUG() aborts the simulation with where it happened.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/printk.h>

void shim_warn(const char *file, int line, const char *cond);
__noreturn void shim_bug(const char *file, int line, const char *cond);

#define WARN_ON(condition)                                                     \
	({                                                                     \
		int __ret_warn_on = !!(condition);                             \
		if (unlikely(__ret_warn_on))                                   \
			shim_warn(__FILE__, __LINE__, #condition);             \
		unlikely(__ret_warn_on);                                       \
	})
#define WARN(condition, fmt, ...)                                              \
	({                                                                     \
		int __ret_warn = !!(condition);                                \
		if (unlikely(__ret_warn)) {                                    \
			printk(KERN_WARNING fmt, ##__VA_ARGS__);               \
			shim_warn(__FILE__, __LINE__, #condition);             \
		}                                                              \
		unlikely(__ret_warn);                                          \
	})
#define WARN_ON_ONCE(condition)                                                \
	({                                                                     \
		static bool __warned;                                          \
		int __ret_once = !!(condition);                                \
		if (unlikely(__ret_once && !__warned)) {                       \
			__warned = true;                                       \
			shim_warn(__FILE__, __LINE__, #condition);             \
		}                                                              \
		unlikely(__ret_once);                                          \
	})
#define WARN_ONCE(condition, fmt, ...) WARN(condition, fmt, ##__VA_ARGS__)
#define BUG() shim_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(condition)                                                      \
	do {                                                                   \
		if (unlikely(condition))                                       \
			shim_bug(__FILE__, __LINE__, #condition);              \
	} while (0)

#endif
