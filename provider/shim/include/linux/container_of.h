/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: duplicated from the kernel (include/linux/container_of.h): the member
 * pointer is type-checked at compile time, as upstream does.
 */
#ifndef _LINUX_CONTAINER_OF_H
#define _LINUX_CONTAINER_OF_H

#include <linux/build_bug.h>
#include <linux/stddef.h>

#define container_of(ptr, type, member)                                        \
	({                                                                     \
		void *__mptr = (void *)(ptr);                                  \
		static_assert(__same_type(*(ptr), ((type *)0)->member) ||      \
				      __same_type(*(ptr), void),               \
			      "pointer type mismatch in container_of()");      \
		((type *)((char *)__mptr - offsetof(type, member)));           \
	})

#define container_of_const(ptr, type, member) container_of(ptr, type, member)

#endif
