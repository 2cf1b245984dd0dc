// SPDX-License-Identifier: Apache-2.0
// The reader every configuration file goes through (scenarios, platforms,
// sweeps): YAML nodes (ynode.h) to checked values, each mistake a ConfigError
// at the node's file:line:column saying what was expected and what was found.
// Sizes are binary (KiB = 1024), times in ns, bandwidths in GB/s (1e9 B/s).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/scenario.h"
#include "config/ynode.h"

namespace cmosim::sim {

using Keys = std::vector<const char *>;

struct Unit {
    const char *suffix;
    double scale;
};
extern const Unit kSizeUnits[6];
extern const Unit kTimeUnits[5];
extern const Unit kBandwidthUnits[3];

// Checked reads of one node each; `what` is the value's path in the document
// (platform.slc.size), the start of every message.
class Reader {
public:
    Mark mark(const ynode *n) const { return Mark{n->file ? n->file : "?", n->line, n->column}; }
    [[noreturn]] void fail(const ynode *n, const std::string &msg) const;

    const ynode *map(const ynode *n, const std::string &what) const;
    const ynode *seq(const ynode *n, const std::string &what) const;
    std::string scalar(const ynode *n, const std::string &what) const;

    void check_keys(const ynode *m, const std::string &what, const Keys &allowed) const;

    const ynode *required(const ynode *m, const char *key, const std::string &what) const;

    // The scalar without the '_' that may group digits; whitespace inside a
    // number is refused ("1 2 8 K i B" is not 128 KiB).
    std::string digits_of(const ynode *n, const std::string &what, const char *kind) const;

    static bool is_hex(const std::string &t);

    // `t` as an exact 64-bit integer if it is decimal digits or 0x and hex
    // digits (never through a double: 0x4000000000000fc1 stays itself);
    // false when it is not such a literal, *overflow when it is past 2^64-1.
    static bool exact_integer(const std::string &t, uint64_t *v, bool *overflow);

    // A number with an optional unit from `units` (unit required if `need_unit`).
    double quantity(const ynode *n, const std::string &what, const Unit *units, size_t nunits,
                    const char *unit_kind, bool need_unit) const;

    double number(const ynode *n, const std::string &t, const std::string &what,
                  const char *kind) const;

    uint64_t size(const ynode *n, const std::string &what, uint64_t lo, uint64_t hi) const;
    uint64_t pow2_size(const ynode *n, const std::string &what, uint64_t lo, uint64_t hi) const;
    double time_ns(const ynode *n, const std::string &what, double lo, double hi) const;
    double bandwidth(const ynode *n, const std::string &what) const;
    double real(const ynode *n, const std::string &what, double lo, double hi) const;
    uint64_t integer(const ynode *n, const std::string &what, uint64_t lo, uint64_t hi) const;
    bool boolean(const ynode *n, const std::string &what) const;
    std::string choice(const ynode *n, const std::string &what, const Keys &choices) const;

    static std::string fmt(double v);
    // In the largest binary unit that divides it, as an integer: never
    // "1.07374e+09 B".
    static std::string human_size(uint64_t v);
    // A time in ns, in the largest unit that keeps it a whole number when
    // one does ("10 ms", not "10000000.000000 ns").
    static std::string human_time(double ns);
};

struct NodeDeleter {
    void operator()(ynode *n) const { ynode_free(n); }
};
using Tree = std::unique_ptr<ynode, NodeDeleter>;

} // namespace cmosim::sim
