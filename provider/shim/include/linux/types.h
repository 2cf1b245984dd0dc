/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: duplicated from the kernel (names and widths of include/linux/types.h).
 * u64 is unsigned long long, as on every Linux architecture, so phys_addr_t
 * matches the `unsigned long long` of cmosim/shim_host.h.
 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#if defined(__has_include_next)
#if __has_include_next(<linux/types.h>)
#include_next <linux/types.h> /* the UAPI __u32 & co., as the kernel does */
#endif
#endif

#include <stdbool.h>
#include <stddef.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef u64 resource_size_t;
typedef unsigned int gfp_t;
typedef long ssize_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long long counter;
} atomic64_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif
