// SPDX-License-Identifier: Apache-2.0
// A broken invariant is a simulator bug: abort with where and when (gem5's panic).
// A user's mistake never reaches a model; the config layer rejects it first.
#pragma once

namespace cmosim::models {
[[noreturn]] void bug(const char *file, int line, const char *cond);
}

#define CMOSIM_BUG_ON(cond)                                                                        \
    do {                                                                                           \
        if (__builtin_expect(!!(cond), 0))                                                         \
            ::cmosim::models::bug(__FILE__, __LINE__, #cond);                                      \
    } while (0)
