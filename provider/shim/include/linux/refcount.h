/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: the refcount_t API of include/linux/refcount.h. As in
 * the kernel, an increment from zero or a decrement below zero WARNs
 * (recorded as SHIM_RULE_WARN) and saturates instead of wrapping.
 */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <linux/bug.h>
#include <linux/types.h>

typedef struct refcount_struct {
	int refs;
} refcount_t;

#define REFCOUNT_INIT(n)                                                       \
	{                                                                      \
		.refs = (n)                                                    \
	}
#define REFCOUNT_SATURATED (-(1 << 30))

static inline void refcount_set(refcount_t *r, int n)
{
	r->refs = n;
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)r->refs;
}

static inline void refcount_inc(refcount_t *r)
{
	if (WARN(r->refs <= 0, "refcount_t: addition on 0; use-after-free.\n"))
		r->refs = REFCOUNT_SATURATED;
	else
		r->refs++;
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	if (WARN(r->refs <= 0, "refcount_t: underflow; use-after-free.\n")) {
		r->refs = REFCOUNT_SATURATED;
		return false;
	}
	return --r->refs == 0;
}

#endif
