// SPDX-License-Identifier: Apache-2.0
// KernelImage: the entry points of one kernel (shim runtime + framework +
// provider), through which KernelHost reaches kernel code.
//
// The built-in image is the kernel linked into cmosim (provider/). A loaded
// image is a shared object built at run time from the user's sources
// (provider_build.h) and opened with dlopen(): it carries a whole kernel of its
// own (its shim, its framework, its provider, its initcalls), so the built-in
// one simply steps aside: nothing of it is called while another is selected.
// One kernel per process, as for the built-in one: select before the first
// KernelHost is made.
#ifndef CMOSIM_SIM_KERNEL_IMAGE_H
#define CMOSIM_SIM_KERNEL_IMAGE_H

#include <string>

#include "cmosim/shim_host.h"

namespace cmosim::sim {

struct KernelImage {
    std::string origin; // "built-in", or the shared object's path
    void (*set_host)(const struct shim_host_ops *ops) = nullptr;
    void (*config_default)(struct shim_config *cfg) = nullptr;
    void (*configure)(const struct shim_config *cfg) = nullptr;
    int (*run_initcalls)(void) = nullptr;
    void (*kernel_enter)(void) = nullptr;
    void (*kernel_exit)(void) = nullptr;
    const char *(*rule_name)(enum shim_rule rule) = nullptr;
    size_t (*lock_count)(void) = nullptr;
    void (*lock_stats_get)(size_t i, struct shim_lock_stats *out) = nullptr;
    void (*lock_wait_get)(unsigned cpu, struct shim_lock_wait *out) = nullptr;
    int (*invalidate_memregion)(unsigned long long start, size_t len) = nullptr;
    bool (*has_invalidate_memregion)(void) = nullptr;

    // The kernel linked into this executable.
    static const KernelImage &builtin();
    // dlopen() `path` and resolve every entry point; false with `err` set
    // (the loader's message) when it cannot. The image stays loaded for the
    // life of the process.
    static bool load(const std::string &path, KernelImage *out, std::string *err);
    // The image KernelHosts made from now on use (the built-in one unless
    // select() was called).
    static void select(const KernelImage &image);
    static const KernelImage &selected();
};

} // namespace cmosim::sim

#endif
