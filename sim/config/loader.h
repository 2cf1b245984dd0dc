// SPDX-License-Identifier: Apache-2.0
// The scenario loader, one section per file: load_platform.cpp,
// load_firmware.cpp, load_kernel.cpp, load_steps.cpp, load_expect.cpp (expect
// and limits). It reads the one YAML tree the document layer (document.cpp:
// includes, platform files, --set) made, checks every key against the schema
// (schema.cpp) and every value against its type, unit and range, and fills a
// Scenario; the first mistake is a ConfigError at its file:line:column.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "config/reader.h"
#include "config/scenario.h"
#include "config/schema.h"

namespace cmosim::sim {

// `path` as written in the file `at` came from: relative to that file's folder.
std::string relative_to(const ynode *at, const std::string &path);

class Loader {
public:
    explicit Loader(std::string file) { s.file = std::move(file); }

    // The whole tree; each section's reader below fills its part of `s`.
    Scenario load(const ynode *root);

private:
    // fill.cpp: the section's rows that carry a slot read their keys of `n`
    // into `target` (a T), each absent key gets its row's default (`instance`
    // picks one of "NAME VALUE, ..." defaults: "l1d"), a required key absent
    // from a present mapping is an error; `n` null: the defaults only.
    template <class T>
    void fill(const ynode *n, const char *section, const std::string &what, T &target,
              const std::string &instance = "") {
        fill_rows(n, section, what, &target, type_tag<T>(), instance);
    }
    void fill_rows(const ynode *n, const char *section, const std::string &what, void *target,
                   const void *owner, const std::string &instance);
    void store(const Param &p, const ynode *v, const std::string &w, void *target) const;
    // The value of `v` as row `p` reads it: integers, sizes, times (ps) and
    // choices (their index) in *u, reals in *d.
    void read(const Param &p, const ynode *v, const std::string &w, uint64_t *u, double *d) const;
    friend std::vector<std::string> schema_problems();
    // The key's node, or its row's default as a node (a key read by hand).
    const ynode *value_or_default(const ynode *n, const char *section, const char *key,
                                  ynode *tmp) const;

    // A time in whole ps, in [0, hi_ns].
    uint64_t ps(const ynode *n, const std::string &what, double hi_ns = 1e13);

    // load_platform.cpp
    void platform(const ynode *n);
    void cache(const ynode *n, const std::string &what, CacheConfig &c, bool in_cycles);
    void region(const ynode *n, const std::string &what);

    // load_firmware.cpp
    void firmware(const ynode *n);
    void fault(const ynode *n, const std::string &what);
    int32_t status(const ynode *n, const std::string &what);
    // A function ID by name or in hex; `any` (every function) only for a fault rule.
    uint32_t fid(const ynode *n, const std::string &what, bool any_ok = true);
    // `cpu: N` or `cpu: [N, ...]`: a firmware CPU mask; each CPU must exist.
    uint64_t cpu_mask(const ynode *n, const std::string &what);

    // load_kernel.cpp
    void kernel(const ynode *n);

    // load_steps.cpp
    void cpus(const ynode *n);
    Step step(const ynode *n, const std::string &what, unsigned depth);
    // The step kinds are the sections named step.<kind> in the schema.
    static std::vector<const char *> step_kinds();
    // Barrier participants: the CPUs whose steps name each barrier.
    static void barriers_of(const std::vector<Step> &steps, std::set<std::string> &out);
    // "cxl0+1GiB", "cxl0", or an absolute address.
    uint64_t address(const ynode *n, const std::string &what);
    void range(const ynode *m, const std::string &what, Step &st);
    // [b, b + size) must lie inside one region; `key` names b in messages.
    void range_of(const ynode *b, const ynode *sz, const ynode *m, const std::string &what,
                  Step &st, const char *key);

    // load_expect.cpp
    void expectations(const ynode *n);
    // How far one run may go (run_control.h): simulated time, host time, events.
    void limits(const ynode *n);

    static constexpr size_t kMaxSteps = 1000000;
    Reader r;
    Scenario s;
    size_t m_step_nodes = 0;
};

} // namespace cmosim::sim
