/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kind: duplicated from the kernel: the scope-based cleanup helpers of
 * include/linux/cleanup.h (DEFINE_FREE/__free, DEFINE_CLASS/CLASS,
 * DEFINE_GUARD/guard/scoped_guard, DEFINE_LOCK_GUARD_0/1), built on
 * __attribute__((cleanup)) exactly as upstream. The destructor runs on every
 * way out of the scope: return, break, goto out of it, falling off the end.
 */
#ifndef _LINUX_CLEANUP_H
#define _LINUX_CLEANUP_H

#include <linux/compiler.h>

/* Free helpers: `void *p __free(kfree) = kzalloc(...)`. */
#define DEFINE_FREE(_name, _type, _free)                                       \
	static inline void __free_##_name(void *p)                             \
	{                                                                      \
		_type _T = *(_type *)p;                                        \
		_free;                                                         \
	}
#define __free(_name) __cleanup(__free_##_name)

#define __get_and_null(p, nullvalue)                                           \
	({                                                                     \
		__auto_type __ptr = &(p);                                      \
		__auto_type __val = *__ptr;                                    \
		*__ptr = nullvalue;                                            \
		__val;                                                         \
	})
#define no_free_ptr(p) ((typeof(p))__get_and_null(p, NULL))
#define return_ptr(p) return no_free_ptr(p)
#define retain_and_null_ptr(p) ((void)__get_and_null(p, NULL))

/* Classes: a constructor, a destructor and a type. */
#define DEFINE_CLASS(_name, _type, _exit, _init, _init_args...)                \
	typedef _type class_##_name##_t;                                       \
	static inline void class_##_name##_destructor(_type *p)                \
	{                                                                      \
		_type _T = *p;                                                 \
		_exit;                                                         \
	}                                                                      \
	static inline _type class_##_name##_constructor(_init_args)            \
	{                                                                      \
		_type t = _init;                                               \
		return t;                                                      \
	}

#define CLASS(_name, var)                                                      \
	class_##_name##_t var __cleanup(class_##_name##_destructor) =          \
		class_##_name##_constructor

/* Guards: a class whose constructor takes the lock and destructor drops it. */
#define DEFINE_GUARD(_name, _type, _lock, _unlock)                             \
	DEFINE_CLASS(                                                          \
		_name, _type, if (_T) { _unlock; }, ({                         \
			_lock;                                                 \
			_T;                                                    \
		}),                                                            \
		_type _T);                                                     \
	static inline void *class_##_name##_lock_ptr(class_##_name##_t *_T)    \
	{                                                                      \
		return (void *)(unsigned long)*_T;                             \
	}

#define guard(_name) CLASS(_name, __UNIQUE_ID(guard))

#define __scoped_guard(_name, _label, args...)                                 \
	for (CLASS(_name, scope)(args), *_label = NULL; !_label;               \
	     _label = (void *)1)
#define scoped_guard(_name, args...)                                           \
	__scoped_guard(_name, __UNIQUE_ID(label), args)

/* Lock guards over a pointer to the lock (spinlocks, irqsave variants). */
#define DEFINE_LOCK_GUARD_1(_name, _type, _lock, _unlock, ...)                 \
	typedef struct {                                                       \
		_type *lock;                                                   \
		__VA_ARGS__;                                                   \
	} class_##_name##_t;                                                   \
	static inline void class_##_name##_destructor(class_##_name##_t *_T)   \
	{                                                                      \
		if (_T->lock) {                                                \
			_unlock;                                               \
		}                                                              \
	}                                                                      \
	static inline class_##_name##_t class_##_name##_constructor(_type *l)  \
	{                                                                      \
		class_##_name##_t _t = {.lock = l}, *_T = &_t;                 \
		_lock;                                                         \
		return _t;                                                     \
	}

#define DEFINE_LOCK_GUARD_0(_name, _lock, _unlock, ...)                        \
	typedef struct {                                                       \
		void *lock;                                                    \
		__VA_ARGS__;                                                   \
	} class_##_name##_t;                                                   \
	static inline void class_##_name##_destructor(class_##_name##_t *_T)   \
	{                                                                      \
		if (_T->lock) {                                                \
			_unlock;                                               \
		}                                                              \
	}                                                                      \
	static inline class_##_name##_t class_##_name##_constructor(void)      \
	{                                                                      \
		class_##_name##_t _t = {.lock = (void *)1},                    \
				  *_T __maybe_unused = &_t;                    \
		_lock;                                                         \
		return _t;                                                     \
	}

#endif
