/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: duplicated from the kernel: like include/linux/kernel.h, a collection
 * of the small headers most kernel code expects to get from it.
 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/errno.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/stddef.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/wordpart.h>

#define U8_MAX ((u8)~0U)
#define U16_MAX ((u16)~0U)
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define S32_MAX ((s32)(U32_MAX >> 1))
#define S32_MIN ((s32)(-S32_MAX - 1))
#ifndef ULONG_MAX
#define ULONG_MAX (~0UL)
#endif

void might_sleep(void);
#define might_sleep_if(cond)                                                   \
	do {                                                                   \
		if (cond)                                                      \
			might_sleep();                                         \
	} while (0)
void cond_resched(void);

#endif
