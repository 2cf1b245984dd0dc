/* SPDX-License-Identifier: GPL-2.0 */
/* Kind: customised: ktime_get() reads the simulated clock of the host. */
#ifndef _LINUX_KTIME_H
#define _LINUX_KTIME_H

#include <linux/jiffies.h>
#include <linux/types.h>

typedef s64 ktime_t;

ktime_t ktime_get(void);
#define ktime_get_ns() ((u64)ktime_get())
#define ktime_sub(a, b) ((a) - (b))
#define ktime_to_ns(kt) (kt)
#define ktime_to_us(kt) ((kt) / NSEC_PER_USEC)
#define ktime_us_delta(later, earlier) ktime_to_us(ktime_sub(later, earlier))

#endif
