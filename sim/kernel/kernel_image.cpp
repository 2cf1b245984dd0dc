// SPDX-License-Identifier: Apache-2.0
#include "kernel/kernel_image.h"

#include <dlfcn.h>

namespace cmosim::sim {

namespace {

KernelImage make_builtin() {
    KernelImage k;
    k.origin = "built-in";
    k.set_host = &shim_set_host;
    k.config_default = &shim_config_default;
    k.configure = &shim_configure;
    k.run_initcalls = &shim_run_initcalls;
    k.kernel_enter = &shim_kernel_enter;
    k.kernel_exit = &shim_kernel_exit;
    k.rule_name = &shim_rule_name;
    k.lock_count = &shim_lock_count;
    k.lock_stats_get = &shim_lock_stats_get;
    k.lock_wait_get = &shim_lock_wait_get;
    k.invalidate_memregion = &cpu_cache_invalidate_memregion;
    k.has_invalidate_memregion = &cpu_cache_has_invalidate_memregion;
    return k;
}

KernelImage &current() {
    static KernelImage image = KernelImage::builtin();
    return image;
}

template <typename Fn> bool resolve(void *handle, const char *name, Fn *out, std::string *err) {
    void *p = dlsym(handle, name);
    if (!p) {
        *err = std::string("no symbol ") + name + " in the kernel image";
        return false;
    }
    *out = reinterpret_cast<Fn>(p);
    return true;
}

} // namespace

const KernelImage &KernelImage::builtin() {
    static const KernelImage image = make_builtin();
    return image;
}

bool KernelImage::load(const std::string &path, KernelImage *out, std::string *err) {
    // RTLD_LOCAL: the image's names (mutex_lock, shim_set_host, ...) stay out
    // of the global scope, where they would meet the built-in kernel's; the
    // image is linked -Bsymbolic so that its own calls bind to its own code.
    void *h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        *err = why ? why : "dlopen failed";
        return false;
    }
    KernelImage k;
    k.origin = path;
    if (!resolve(h, "shim_set_host", &k.set_host, err) ||
        !resolve(h, "shim_config_default", &k.config_default, err) ||
        !resolve(h, "shim_configure", &k.configure, err) ||
        !resolve(h, "shim_run_initcalls", &k.run_initcalls, err) ||
        !resolve(h, "shim_kernel_enter", &k.kernel_enter, err) ||
        !resolve(h, "shim_kernel_exit", &k.kernel_exit, err) ||
        !resolve(h, "shim_rule_name", &k.rule_name, err) ||
        !resolve(h, "shim_lock_count", &k.lock_count, err) ||
        !resolve(h, "shim_lock_stats_get", &k.lock_stats_get, err) ||
        !resolve(h, "shim_lock_wait_get", &k.lock_wait_get, err) ||
        !resolve(h, "cpu_cache_invalidate_memregion", &k.invalidate_memregion, err) ||
        !resolve(h, "cpu_cache_has_invalidate_memregion", &k.has_invalidate_memregion, err)) {
        dlclose(h);
        return false;
    }
    *out = std::move(k);
    return true;
}

void KernelImage::select(const KernelImage &image) {
    current() = image;
}

const KernelImage &KernelImage::selected() {
    return current();
}

} // namespace cmosim::sim
