/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: customised: records touches of the lockup detector. With
 * nmi_watchdog_ps set, a CPU that stays in kernel code (between
 * shim_kernel_enter() and shim_kernel_exit()) longer than that without a
 * scheduling point (sleep, blocking on a lock) or a touch_nmi_watchdog()
 * raises SHIM_RULE_NMI_WATCHDOG. See provider/shim/src/watchdog.c.
 */
#ifndef _LINUX_NMI_H
#define _LINUX_NMI_H

void touch_nmi_watchdog(void);
void touch_softlockup_watchdog(void);

#endif
