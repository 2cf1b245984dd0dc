/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: duplicated from the kernel. The kernel's linux/errno.h includes the
 * UAPI list (asm-generic/errno*.h), which the host's linux-libc-dev carries
 * with the same values; then it adds the kernel-internal codes. The values
 * smccc-interface.md section 5 depends on are asserted below.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#if defined(__has_include_next)
#if __has_include_next(<linux/errno.h>)
#include_next <linux/errno.h>
#endif
#endif

#ifndef EIO
#define EIO 5
#define ENXIO 6
#define EAGAIN 11
#define ENOMEM 12
#define EBUSY 16
#define ENODEV 19
#define EINVAL 22
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#endif

#if EIO != 5 || ENXIO != 6 || EAGAIN != 11 || ENOMEM != 12 || EBUSY != 16 ||   \
	ENODEV != 19 || EINVAL != 22 || EOPNOTSUPP != 95 || ETIMEDOUT != 110
#error "errno values differ from Linux (smccc-interface.md section 5)"
#endif

/* Kernel-internal codes, never seen by user space. */
#define ERESTARTSYS 512
#define ENOTSUPP 524
#define EPROBE_DEFER 517

#endif
