// SPDX-License-Identifier: Apache-2.0
// YAML -> Scenario. Every key is checked against the keys its section allows
// (unknown keys get a did-you-mean), every value against its type, unit and
// range; the first mistake is reported as file:line:column.
#include "config/ready_platforms.h"
#include "config/expectations.h"
#include "config/scenario.h"
#include "config/schema.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <unistd.h>

extern "C" {
#include "config/ynode.h"
}

namespace cmosim::sim {

const char *strategy_name(Strategy s) {
    switch (s) {
    case Strategy::None:
        return "none";
    case Strategy::Smccc:
        return "smccc";
    case Strategy::VaCmo:
        return "va_cmo";
    case Strategy::SetWay:
        return "set_way";
    }
    return "?";
}

namespace {

using Keys = std::vector<const char *>;

std::string relative_to(const ynode *at, const std::string &path);

struct Unit {
    const char *suffix;
    double scale;
};

// Sizes: binary units (KiB = 1024). Times: in ns. Bandwidth: GB/s (1e9 B/s).
const Unit kSizeUnits[] = {
    {"PiB", 1125899906842624.0}, {"TiB", 1099511627776.0}, {"GiB", 1073741824.0},
    {"MiB", 1048576.0},          {"KiB", 1024.0},          {"B", 1.0}};
const Unit kTimeUnits[] = {{"ps", 1e-3}, {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
const Unit kBandwidthUnits[] = {{"GB/s", 1.0}, {"MB/s", 1e-3}, {"TB/s", 1e3}};

class Reader {
public:
    Reader() = default;

    Mark mark(const ynode *n) const { return Mark{n->file ? n->file : "?", n->line, n->column}; }
    [[noreturn]] void fail(const ynode *n, const std::string &msg) const {
        throw ConfigError(mark(n), msg);
    }

    const ynode *map(const ynode *n, const std::string &what) const {
        if (n->kind != YNODE_MAP)
            fail(n, what + ": expected a mapping, found " + ynode_kind_name(n->kind));
        return n;
    }
    const ynode *seq(const ynode *n, const std::string &what) const {
        if (n->kind != YNODE_SEQ)
            fail(n, what + ": expected a sequence, found " + ynode_kind_name(n->kind));
        return n;
    }
    std::string scalar(const ynode *n, const std::string &what) const {
        if (n->kind != YNODE_SCALAR)
            fail(n, what + ": expected a scalar, found " + ynode_kind_name(n->kind));
        return n->text;
    }

    void check_keys(const ynode *m, const std::string &what, const Keys &allowed) const {
        for (size_t i = 0; i < m->count; ++i) {
            std::string k = m->keys[i]->text;
            if (std::find_if(allowed.begin(), allowed.end(),
                             [&](const char *a) { return k == a; }) != allowed.end())
                continue;
            std::string best;
            unsigned bd = 3;
            for (const char *a : allowed) {
                std::string as = a;
                // A prefix either way is as good a guess as one typo.
                bool prefix = k.size() >= 3 && (as.rfind(k, 0) == 0 || k.rfind(as, 0) == 0);
                unsigned d = prefix ? 1 : edit_distance(k, a);
                if (d < bd) {
                    bd = d;
                    best = a;
                }
            }
            std::string msg = what + ": unknown key '" + k + "'";
            if (!best.empty())
                msg += " (did you mean '" + best + "'?)";
            else {
                msg += "; expected one of:";
                for (const char *a : allowed)
                    msg += std::string(" ") + a;
            }
            fail(m->keys[i], msg);
        }
    }

    const ynode *required(const ynode *m, const char *key, const std::string &what) const {
        const ynode *v = ynode_get(m, key);
        if (!v)
            fail(m, what + ": missing required key '" + key + "'");
        return v;
    }

    // The scalar without the '_' that may group digits; whitespace inside a
    // number is refused ("1 2 8 K i B" is not 128 KiB).
    std::string digits_of(const ynode *n, const std::string &what, const char *kind) const {
        std::string s = scalar(n, what), t;
        for (char c : s) {
            if (std::isspace(static_cast<unsigned char>(c)))
                fail(n, what + ": expected " + kind +
                            " without spaces (use _ to group digits), found '" + s + "'");
            if (c != '_')
                t += c;
        }
        return t;
    }

    static bool is_hex(const std::string &t) {
        return t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
    }

    // `t` as an exact 64-bit integer if it is decimal digits or 0x and hex
    // digits (never through a double: 0x4000000000000fc1 stays itself);
    // false when it is not such a literal, *overflow when it is past 2^64-1.
    static bool exact_integer(const std::string &t, uint64_t *v, bool *overflow) {
        const unsigned base = is_hex(t) ? 16 : 10;
        size_t i = base == 16 ? 2 : 0;
        if (i == t.size())
            return false;
        uint64_t acc = 0;
        *overflow = false;
        for (; i < t.size(); ++i) {
            const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(t[i])));
            unsigned d = c >= '0' && c <= '9'   ? unsigned(c - '0')
                         : c >= 'a' && c <= 'f' ? unsigned(c - 'a' + 10)
                                                : 99;
            if (d >= base)
                return false;
            *overflow |= __builtin_mul_overflow(acc, uint64_t(base), &acc) ||
                         __builtin_add_overflow(acc, uint64_t(d), &acc);
        }
        *v = acc;
        return true;
    }

    // A number with an optional unit from `units` (unit required if `need_unit`).
    double quantity(const ynode *n, const std::string &what, const Unit *units, size_t nunits,
                    const char *unit_kind, bool need_unit) const {
        std::string s = scalar(n, what);
        std::string t = digits_of(n, what, unit_kind);
        // A hex literal takes no unit: its digits a-f and a unit's letters
        // would be ambiguous ("0x1B" is 27, not 1 byte).
        if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
            return number(n, t, what, unit_kind);
        for (size_t i = 0; i < nunits; ++i) {
            size_t ul = std::strlen(units[i].suffix);
            if (t.size() > ul && t.compare(t.size() - ul, ul, units[i].suffix) == 0) {
                std::string num = t.substr(0, t.size() - ul);
                if (!std::isdigit(static_cast<unsigned char>(num.back())))
                    break; // "64KB": not a unit we know; say which ones we do
                return number(n, num, what, unit_kind) * units[i].scale;
            }
        }
        if (need_unit || (!t.empty() && !std::isdigit(static_cast<unsigned char>(t.back())))) {
            std::string list;
            for (size_t i = 0; i < nunits; ++i)
                list += std::string(i ? ", " : "") + units[i].suffix;
            fail(n, what + ": expected " + unit_kind + " with a unit (" + list + "), found '" + s +
                        "'");
        }
        return number(n, t, what, unit_kind);
    }

    double number(const ynode *n, const std::string &t, const std::string &what,
                  const char *kind) const {
        if (t.empty())
            fail(n, what + ": expected " + kind + ", found an empty value");
        char *end = nullptr;
        errno = 0;
        double v;
        if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
            v = static_cast<double>(std::strtoull(t.c_str(), &end, 16));
        else
            v = std::strtod(t.c_str(), &end);
        if (*end != '\0' || errno == ERANGE || !std::isfinite(v) || v < 0)
            fail(n, what + ": expected " + kind + " (a non-negative number), found '" + t + "'");
        return v;
    }

    uint64_t size(const ynode *n, const std::string &what, uint64_t lo, uint64_t hi) const {
        auto out_of_range = [&] {
            fail(n, what + ": expected a size in [" + human_size(lo) + ", " + human_size(hi) +
                        "], found '" + n->text + "'");
        };
        // Whole numbers of a unit are exact; "1.5KiB" and "1e3" take the
        // floating-point path below.
        std::string num = digits_of(n, what, "a size");
        uint64_t scale = 1;
        for (const Unit &u : kSizeUnits) {
            size_t ul = std::strlen(u.suffix);
            if (!is_hex(num) && num.size() > ul &&
                num.compare(num.size() - ul, ul, u.suffix) == 0 &&
                std::isdigit(static_cast<unsigned char>(num[num.size() - ul - 1]))) {
                num.resize(num.size() - ul);
                scale = static_cast<uint64_t>(u.scale);
                break;
            }
        }
        uint64_t v = 0, bytes = 0;
        bool overflow = false;
        if (exact_integer(num, &v, &overflow)) {
            if (overflow || __builtin_mul_overflow(v, scale, &bytes) || bytes < lo || bytes > hi)
                out_of_range();
            return bytes;
        }
        double d = quantity(n, what, kSizeUnits, 6, "a size", false);
        if (d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi))
            out_of_range();
        return static_cast<uint64_t>(d);
    }
    uint64_t pow2_size(const ynode *n, const std::string &what, uint64_t lo, uint64_t hi) const {
        uint64_t v = size(n, what, lo, hi);
        if (v & (v - 1))
            fail(n, what + ": expected a power of two, found '" + std::string(n->text) + "'");
        return v;
    }
    double time_ns(const ynode *n, const std::string &what, double lo, double hi) const {
        double v = quantity(n, what, kTimeUnits, 5, "a time", true);
        if (v < lo || v > hi)
            fail(n, what + ": expected a time in [" + human_time(lo) + ", " + human_time(hi) +
                        "], found '" + n->text + "'");
        return v;
    }
    double bandwidth(const ynode *n, const std::string &what) const {
        double v = quantity(n, what, kBandwidthUnits, 3, "a bandwidth", true);
        if (v <= 0 || v > 1e5)
            fail(n, what + ": expected a bandwidth in (0, 100 TB/s], found '" +
                        std::string(n->text) + "'");
        return v;
    }
    double real(const ynode *n, const std::string &what, double lo, double hi) const {
        double v = number(n, digits_of(n, what, "a number"), what, "a number");
        if (v < lo || v > hi)
            fail(n, what + ": expected a number in [" + fmt(lo) + ", " + fmt(hi) + "], found '" +
                        n->text + "'");
        return v;
    }
    uint64_t integer(const ynode *n, const std::string &what, uint64_t lo, uint64_t hi) const {
        auto out_of_range = [&] {
            fail(n, what + ": expected an integer in [" + std::to_string(lo) + ", " +
                        std::to_string(hi) + "], found '" + n->text + "'");
        };
        std::string t = digits_of(n, what, "an integer");
        uint64_t exact = 0;
        bool overflow = false;
        if (exact_integer(t, &exact, &overflow)) {
            if (overflow || exact < lo || exact > hi)
                out_of_range();
            return exact;
        }
        double v = number(n, t, what, "an integer"); // 1e6, and the errors
        if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi))
            out_of_range();
        return static_cast<uint64_t>(v);
    }
    bool boolean(const ynode *n, const std::string &what) const {
        std::string s = scalar(n, what);
        if (s == "true" || s == "yes" || s == "on")
            return true;
        if (s == "false" || s == "no" || s == "off")
            return false;
        fail(n, what + ": expected true or false, found '" + s + "'");
    }
    std::string choice(const ynode *n, const std::string &what, const Keys &choices) const {
        std::string s = scalar(n, what);
        for (const char *c : choices)
            if (s == c)
                return s;
        std::string list;
        for (const char *c : choices)
            list += std::string(list.empty() ? "" : ", ") + c;
        fail(n, what + ": expected one of " + list + ", found '" + s + "'");
    }

    static std::string fmt(double v) {
        std::ostringstream o;
        o << v;
        return o.str();
    }
    // In the largest binary unit that divides it, as an integer: never
    // "1.07374e+09 B".
    static std::string human_size(uint64_t v) {
        for (const Unit &u : kSizeUnits) {
            const uint64_t scale = static_cast<uint64_t>(u.scale);
            if (v >= scale && v % scale == 0)
                return std::to_string(v / scale) + " " + u.suffix;
        }
        return std::to_string(v) + " B";
    }
    // A time in ns, in the largest unit that keeps it a whole number when
    // one does ("10 ms", not "10000000.000000 ns").
    static std::string human_time(double ns) {
        for (const Unit &u : {kTimeUnits[4], kTimeUnits[3], kTimeUnits[2], kTimeUnits[1]})
            if (ns >= u.scale && std::fmod(ns, u.scale) == 0 && ns / u.scale < 1e15)
                return std::to_string(static_cast<uint64_t>(ns / u.scale)) + " " + u.suffix;
        return fmt(ns * 1e3) + " ps";
    }
};

struct NodeDeleter {
    void operator()(ynode *n) const { ynode_free(n); }
};

class Loader {
public:
    Loader(std::string file) : r(), s() { s.file = std::move(file); }

    Scenario load(const ynode *root) {
        r.map(root, "scenario");
        r.check_keys(root, "scenario", keys_of("scenario"));
        if (auto n = ynode_get(root, "name"))
            s.name = r.scalar(n, "name");
        if (auto n = ynode_get(root, "description"))
            s.description = r.scalar(n, "description");
        fw_config_default(&s.firmware);
        platform(r.required(root, "platform", "scenario"));
        if (auto n = ynode_get(root, "firmware"))
            firmware(n);
        if (auto n = ynode_get(root, "kernel"))
            kernel(n);
        if (auto n = ynode_get(root, "limits"))
            limits(n);
        cpus(r.required(root, "cpus", "scenario"));
        if (auto n = ynode_get(root, "expect"))
            expectations(n);
        return std::move(s);
    }

private:
    // How far one run may go (run_control.h): simulated time, host time, events.
    void limits(const ynode *n) {
        r.map(n, "limits");
        r.check_keys(n, "limits", keys_of("limits"));
        if (auto t = ynode_get(n, "sim_time"))
            s.time_limit_ps = static_cast<uint64_t>(r.time_ns(t, "limits.sim_time", 1, 1e13) * 1e3);
        if (auto t = ynode_get(n, "wall_time"))
            s.wall_limit_s = r.time_ns(t, "limits.wall_time", 1e6, 1e9 * 86400 * 7) / 1e9;
        if (auto e = ynode_get(n, "events"))
            s.event_limit = r.integer(e, "limits.events", 0, 1ull << 53);
    }

    void cache(const ynode *n, const std::string &what, CacheConfig &c, bool in_cycles) {
        r.map(n, what);
        r.check_keys(n, what, keys_of(in_cycles ? "platform.private_cache" : "platform.slc"));
        c.present = true;
        // Defaults of timing-model.md: L1D 4 cycles, L2 13 cycles, SLC 40 ns.
        c.hit_ns = in_cycles ? (what == "platform.l2" ? 13.0 : 4.0) / s.platform.clock_ghz : 40.0;
        const ynode *size_node = r.required(n, "size", what);
        const ynode *ways_node = r.required(n, "ways", what);
        c.size = r.size(size_node, what + ".size", 1024, 1ull << 34);
        c.ways = static_cast<unsigned>(r.integer(ways_node, what + ".ways", 1, 64));
        const uint64_t set_bytes = uint64_t(c.ways) * s.platform.line_bytes;
        if (c.size < set_bytes)
            r.fail(size_node, what + ".size: smaller than one set (ways x line size)");
        // The set index is address bits, so the number of sets is a power of
        // two; size and ways need not be (cachegrind's --LL=12582912,12,64:
        // 16384 sets of 12 ways).
        const uint64_t sets = c.size / set_bytes;
        if (c.size % set_bytes != 0 || (sets & (sets - 1)) != 0) {
            const std::string why =
                " (" + std::string(size_node->text) + " / (" + std::to_string(c.ways) + " ways x " +
                std::to_string(s.platform.line_bytes) + " B) is not a power-of-two number of sets)";
            if ((c.ways & (c.ways - 1)) == 0)
                r.fail(size_node, what +
                                      ".size: expected a power of two, or ways x line size x a "
                                      "power of two, found '" +
                                      size_node->text + "'" + why);
            r.fail(ways_node, what +
                                  ".ways: expected a power of two in [1, 64], or ways that "
                                  "divide the size into a power-of-two number of sets, found " +
                                  std::to_string(c.ways) + why);
        }
        if (in_cycles) {
            if (auto h = ynode_get(n, "hit_cycles"))
                c.hit_ns = static_cast<double>(r.integer(h, what + ".hit_cycles", 1, 1000)) /
                           s.platform.clock_ghz;
        } else if (auto h = ynode_get(n, "hit_latency")) {
            c.hit_ns = r.time_ns(h, what + ".hit_latency", 0.001, 1e6);
        }
        if (auto v = ynode_get(n, "replacement")) {
            c.replacement = r.choice(v, what + ".replacement", {"lru", "tree_plru", "random"});
            if (c.replacement == "tree_plru" && (c.ways & (c.ways - 1)) != 0)
                r.fail(v, what +
                              ".replacement: tree_plru needs a power-of-two number of ways, "
                              "found " +
                              std::to_string(c.ways) + " ways");
        }
        if (auto v = ynode_get(n, "seed"))
            c.seed = r.integer(v, what + ".seed", 0, UINT64_MAX >> 11);
        if (auto v = ynode_get(n, "inclusion")) {
            if (what == "platform.l1d" || what == "platform.l1i")
                r.fail(v, what + ".inclusion: an L1 has no level above it to include (set it "
                                 "on l2 or slc)");
            c.inclusion = r.choice(v, what + ".inclusion", {"non_inclusive", "inclusive"});
        }
        if (auto v = ynode_get(n, "outstanding"))
            c.outstanding = static_cast<unsigned>(r.integer(v, what + ".outstanding", 1, 1024));
        if (auto v = ynode_get(n, "write_back_fill"))
            c.write_back_fill = r.boolean(v, what + ".write_back_fill");
    }

    void platform(const ynode *n) {
        PlatformConfig &p = s.platform;
        r.map(n, "platform");
        r.check_keys(n, "platform", keys_of("platform"));
        if (auto v = ynode_get(n, "cpus"))
            p.cpus = static_cast<unsigned>(r.integer(v, "platform.cpus", 1, 64));
        if (auto v = ynode_get(n, "clock_ghz"))
            p.clock_ghz = r.real(v, "platform.clock_ghz", 0.01, 20);
        if (auto v = ynode_get(n, "line_size"))
            p.line_bytes = static_cast<unsigned>(r.pow2_size(v, "platform.line_size", 16, 512));
        if (auto v = ynode_get(n, "cmo_outstanding"))
            p.cmo_outstanding =
                static_cast<unsigned>(r.integer(v, "platform.cmo_outstanding", 1, 256));
        if (auto v = ynode_get(n, "setway_cycles"))
            p.setway_cycles =
                static_cast<unsigned>(r.integer(v, "platform.setway_cycles", 1, 1000));
        if (auto v = ynode_get(n, "quantum"))
            p.quantum_ns = r.time_ns(v, "platform.quantum", 1, 1e9);
        if (auto v = ynode_get(n, "l1i"))
            cache(v, "platform.l1i", p.l1i, true);
        cache(r.required(n, "l1d", "platform"), "platform.l1d", p.l1d, true);
        if (auto v = ynode_get(n, "l2"))
            cache(v, "platform.l2", p.l2, true);
        cache(r.required(n, "slc", "platform"), "platform.slc", p.slc, false);
        if (auto v = ynode_get(n, "snoop_latency"))
            p.snoop_ns = r.time_ns(v, "platform.snoop_latency", 0, 1e6);
        const ynode *mem = r.seq(r.required(n, "memory", "platform"), "platform.memory");
        if (mem->count == 0)
            r.fail(mem, "platform.memory: expected at least one region");
        for (size_t i = 0; i < mem->count; ++i)
            region(mem->items[i], "platform.memory[" + std::to_string(i) + "]");
        if (auto fe = ynode_get(n, "flush_engine")) {
            r.map(fe, "platform.flush_engine");
            r.check_keys(fe, "platform.flush_engine", keys_of("platform.flush_engine"));
            if (auto v = ynode_get(fe, "clock_ghz"))
                p.engine_clock_ghz = r.real(v, "platform.flush_engine.clock_ghz", 0.01, 20);
            if (auto v = ynode_get(fe, "tags_per_cycle"))
                p.engine_tags_per_cycle = static_cast<unsigned>(
                    r.integer(v, "platform.flush_engine.tags_per_cycle", 1, 1024));
            if (auto v = ynode_get(fe, "per_line"))
                p.engine_per_line_ns = r.time_ns(v, "platform.flush_engine.per_line", 0, 1e6);
            if (auto v = ynode_get(fe, "setup"))
                p.engine_setup_ns = r.time_ns(v, "platform.flush_engine.setup", 0, 1e9);
        }
    }

    void region(const ynode *n, const std::string &what) {
        r.map(n, what);
        if (const ynode *w = ynode_get(n, "write_latency"))
            r.fail(w, what + ".write_latency: not a parameter any more: write-backs are posted "
                             "and complete when memory's write queue accepts them, so no result "
                             "depends on a write latency (docs/timing-model.md); remove the key");
        r.check_keys(n, what, keys_of("platform.memory[]"));
        RegionConfig g;
        g.mark = r.mark(n);
        const ynode *name_node = r.required(n, "name", what);
        g.name = r.scalar(name_node, what + ".name");
        // Steps name a place as "REGION", "REGION+OFFSET" or an address: a
        // name must not read as a number nor hold a '+'.
        if (g.name.empty() || std::isdigit(static_cast<unsigned char>(g.name[0])) ||
            g.name.find('+') != std::string::npos)
            r.fail(name_node, what +
                                  ".name: expected a region name that does not start with a "
                                  "digit nor contain '+' (steps read those as addresses), "
                                  "found '" +
                                  g.name + "'");
        g.kind = r.choice(r.required(n, "kind", what), what + ".kind", {"dram", "cxl"});
        g.base = r.size(r.required(n, "base", what), what + ".base", 0, UINT64_MAX >> 1);
        g.size = r.size(r.required(n, "size", what), what + ".size", 4096, 1ull << 52);
        if (g.base % 4096 || g.size % 4096)
            r.fail(n, what + ": base and size must be multiples of 4 KiB");
        g.read_ns = r.time_ns(r.required(n, "read_latency", what), what + ".read_latency", 1, 1e6);
        g.bandwidth_gbps = r.bandwidth(r.required(n, "bandwidth", what), what + ".bandwidth");
        for (const RegionConfig &o : s.platform.regions) {
            if (o.name == g.name)
                r.fail(ynode_get(n, "name"), what + ".name: region '" + g.name +
                                                 "' is already defined at " + o.mark.str());
            if (g.base < o.base + o.size && o.base < g.base + g.size)
                r.fail(n, what + ": region '" + g.name + "' overlaps region '" + o.name +
                              "' defined at " + o.mark.str());
        }
        s.platform.regions.push_back(g);
    }

    uint64_t ps(const ynode *n, const std::string &what, double hi_ns = 1e13) {
        return static_cast<uint64_t>(std::llround(r.time_ns(n, what, 0, hi_ns) * 1e3));
    }

    int32_t status(const ynode *n, const std::string &what) {
        static const std::pair<const char *, int32_t> kNames[] = {
            {"SUCCESS", FW_SUCCESS},           {"NOT_SUPPORTED", FW_NOT_SUPPORTED},
            {"NOT_REQUIRED", FW_NOT_REQUIRED}, {"INVALID_PARAMETER", FW_INVALID_PARAMETER},
            {"RATE_LIMITED", FW_RATE_LIMITED}, {"BUSY", FW_BUSY}};
        std::string t = r.scalar(n, what);
        for (auto &[name, v] : kNames)
            if (t == name)
                return v;
        char *end = nullptr;
        long v = std::strtol(t.c_str(), &end, 0);
        if (t.empty() || *end != '\0' || v < INT32_MIN || v > INT32_MAX)
            r.fail(n, what +
                          ": expected a status name (SUCCESS, NOT_SUPPORTED, NOT_REQUIRED, "
                          "INVALID_PARAMETER, RATE_LIMITED, BUSY) or a 32-bit integer, found '" +
                          t + "'");
        return static_cast<int32_t>(v);
    }

    // A function ID by name or in hex; `any` (every function) only for a fault rule.
    uint32_t fid(const ynode *n, const std::string &what, bool any_ok = true) {
        static const std::pair<const char *, uint32_t> kNames[] = {
            {"any", FW_FAULT_ANY_FID},
            {"version", FW_FID_SMCCC_VERSION},
            {"features", FW_FID_ARCH_FEATURES},
            {"soc_id", FW_FID_ARCH_SOC_ID},
            {"clean_inv", FW_FID_CLEAN_INV_MEMREGION},
            {"attributes", FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES}};
        std::string t = r.scalar(n, what);
        for (auto &[name, v] : kNames)
            if (t == name && (any_ok || v != FW_FAULT_ANY_FID))
                return v;
        if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
            return static_cast<uint32_t>(r.integer(n, what, 0, UINT32_MAX));
        r.fail(n, what + ": expected " + (any_ok ? "any, " : "") +
                      "version, features, soc_id, clean_inv, attributes or a hex function ID, "
                      "found '" +
                      t + "'");
    }

    // `cpu: N` or `cpu: [N, ...]`: a firmware CPU mask; each CPU must exist.
    uint64_t cpu_mask(const ynode *n, const std::string &what) {
        auto one = [&](const ynode *v, const std::string &w) {
            uint64_t cpu = r.integer(v, w, 0, 63);
            if (cpu >= s.platform.cpus)
                r.fail(v, w + ": CPU " + std::to_string(cpu) +
                              " does not exist (the platform has " +
                              std::to_string(s.platform.cpus) + ")");
            return FW_CPU_BIT(cpu);
        };
        if (n->kind != YNODE_SEQ)
            return one(n, what);
        if (n->count == 0)
            r.fail(n,
                   what + ": expected a CPU number or a list of CPU numbers, found an empty list");
        uint64_t mask = 0;
        for (size_t i = 0; i < n->count; ++i) {
            std::string w = what + "[" + std::to_string(i) + "]";
            uint64_t bit = one(n->items[i], w);
            if (mask & bit)
                r.fail(n->items[i],
                       w + ": CPU " + std::string(n->items[i]->text) + " is listed twice");
            mask |= bit;
        }
        return mask;
    }

    void fault(const ynode *n, const std::string &what) {
        fw_config &f = s.firmware;
        r.map(n, what);
        r.check_keys(n, what, keys_of("firmware.faults[]"));
        if (f.n_faults >= FW_MAX_FAULT_RULES)
            r.fail(n, what + ": at most " + std::to_string(FW_MAX_FAULT_RULES) + " fault rules");
        fw_fault_rule &rule = f.faults[f.n_faults];
        rule = fw_fault_rule{};
        rule.fid = FW_FID_CLEAN_INV_MEMREGION;
        rule.probability_ppm = 1000000;
        rule.status = FW_BUSY;
        if (auto v = ynode_get(n, "call"))
            rule.fid = fid(v, what + ".call");
        if (auto v = ynode_get(n, "cpu"))
            rule.cpu_mask = cpu_mask(v, what + ".cpu");
        if (auto v = ynode_get(n, "attempts")) {
            if (v->kind == YNODE_SEQ) {
                if (v->count != 2)
                    r.fail(v, what + ".attempts: expected [first, last], found " +
                                  std::to_string(v->count) + " items");
                rule.attempt_first = static_cast<uint32_t>(
                    r.integer(v->items[0], what + ".attempts[0]", 1, UINT32_MAX));
                rule.attempt_last = static_cast<uint32_t>(
                    r.integer(v->items[1], what + ".attempts[1]", rule.attempt_first, UINT32_MAX));
            } else {
                rule.attempt_first = rule.attempt_last =
                    static_cast<uint32_t>(r.integer(v, what + ".attempts", 1, UINT32_MAX));
            }
        }
        if (auto v = ynode_get(n, "window")) {
            r.seq(v, what + ".window");
            if (v->count != 2)
                r.fail(v, what + ".window: expected [from, to], found " + std::to_string(v->count) +
                              " items");
            rule.t_from_ps = ps(v->items[0], what + ".window[0]");
            rule.t_to_ps = ps(v->items[1], what + ".window[1]");
            if (rule.t_to_ps <= rule.t_from_ps)
                r.fail(v->items[1], what + ".window[1]: expected a time after window[0]");
        }
        if (auto v = ynode_get(n, "probability"))
            rule.probability_ppm =
                static_cast<uint32_t>(std::llround(r.real(v, what + ".probability", 0, 1) * 1e6));
        std::string action =
            r.choice(r.required(n, "action", what), what + ".action",
                     {"return", "add_latency", "hang", "skip_level", "skip_writeback", "partial"});
        rule.action = action == "return"           ? FW_FAULT_RETURN
                      : action == "add_latency"    ? FW_FAULT_ADD_LATENCY
                      : action == "hang"           ? FW_FAULT_HANG
                      : action == "skip_level"     ? FW_FAULT_SKIP_LEVEL
                      : action == "skip_writeback" ? FW_FAULT_SKIP_WRITEBACK
                                                   : FW_FAULT_PARTIAL;
        auto need = [&](const char *key) {
            return r.required(n, key, what + " (action " + action + ")");
        };
        // A hang that never returns has no status to return.
        const ynode *lat = ynode_get(n, "latency");
        bool forever = rule.action == FW_FAULT_HANG && lat && lat->kind == YNODE_SCALAR &&
                       std::string(lat->text) == "forever";
        if (rule.action == FW_FAULT_HANG) {
            // latency: forever -- the hang deadlock detection reports.
            const ynode *l = need("latency");
            if (!forever && l->kind == YNODE_SCALAR && l->text[0] &&
                !std::isdigit(static_cast<unsigned char>(l->text[0])))
                r.fail(l, what +
                              ".latency: expected a time with a unit (ps, ns, us, ms, s) or "
                              "forever, found '" +
                              std::string(l->text) + "'");
            rule.latency_ps = forever ? kForeverPs : ps(l, what + ".latency");
        } else if (rule.action == FW_FAULT_ADD_LATENCY) {
            rule.latency_ps = ps(need("latency"), what + ".latency");
        }
        if (rule.action == FW_FAULT_RETURN || (rule.action == FW_FAULT_HANG && !forever))
            rule.status = status(need("status"), what + ".status");
        else if (forever && ynode_get(n, "status"))
            rule.status = status(ynode_get(n, "status"), what + ".status");
        else if (auto v = ynode_get(n, "status"))
            r.fail(v, what + ".status: only the return and hang actions take a status");
        if (rule.action == FW_FAULT_SKIP_LEVEL) {
            const ynode *lv = r.seq(need("levels"), what + ".levels");
            for (size_t i = 0; i < lv->count; ++i) {
                std::string l = r.choice(lv->items[i], what + ".levels[" + std::to_string(i) + "]",
                                         {"l1", "l2", "slc"});
                rule.levels |= l == "l1" ? FW_LEVEL_L1 : l == "l2" ? FW_LEVEL_L2 : FW_LEVEL_SLC;
            }
        }
        if (rule.action == FW_FAULT_PARTIAL)
            rule.fraction_ppm = static_cast<uint32_t>(
                std::llround(r.real(need("fraction"), what + ".fraction", 0, 1) * 1e6));
        f.n_faults++;
    }

    void firmware(const ynode *n) {
        fw_config &f = s.firmware;
        r.map(n, "firmware");
        r.check_keys(n, "firmware", keys_of("firmware"));
        if (auto v = ynode_get(n, "smccc_version")) {
            std::string t = r.scalar(v, "firmware.smccc_version");
            unsigned maj = 0, min = 0;
            char extra;
            if (std::sscanf(t.c_str(), "%u.%u%c", &maj, &min, &extra) != 2 || maj > 0x7fff ||
                min > 0xffff)
                r.fail(v, "firmware.smccc_version: expected MAJOR.MINOR such as \"1.7\", found '" +
                              t + "'");
            f.smccc_version = FW_VERSION(maj, min);
        }
        if (auto m = ynode_get(n, "functions")) {
            r.map(m, "firmware.functions");
            r.check_keys(m, "firmware.functions", keys_of("firmware.functions"));
            if (auto v = ynode_get(m, "clean_inv"))
                f.has_clean_inv = r.boolean(v, "firmware.functions.clean_inv");
            if (auto v = ynode_get(m, "attributes"))
                f.has_attributes = r.boolean(v, "firmware.functions.attributes");
            if (auto v = ynode_get(m, "soc_id"))
                f.has_soc_id = r.boolean(v, "firmware.functions.soc_id");
        }
        if (auto m = ynode_get(n, "features")) {
            r.map(m, "firmware.features");
            r.check_keys(m, "firmware.features", keys_of("firmware.features"));
            if (auto v = ynode_get(m, "clean_inv"))
                f.features_clean_inv =
                    static_cast<int32_t>(r.integer(v, "firmware.features.clean_inv", 0, INT32_MAX));
            if (auto v = ynode_get(m, "attributes"))
                f.features_attributes = static_cast<int32_t>(
                    r.integer(v, "firmware.features.attributes", 0, INT32_MAX));
        }
        if (auto a = ynode_get(n, "attributes")) {
            r.map(a, "firmware.attributes");
            r.check_keys(a, "firmware.attributes", keys_of("firmware.attributes"));
            if (auto v = ynode_get(a, "status"))
                f.attributes_status = status(v, "firmware.attributes.status");
            if (auto v = ynode_get(a, "global"))
                f.attr_global = r.boolean(v, "firmware.attributes.global");
            if (auto v = ynode_get(a, "latency_us"))
                f.attr_latency_us = static_cast<uint32_t>(
                    r.integer(v, "firmware.attributes.latency_us", 0, UINT32_MAX));
            if (auto v = ynode_get(a, "rate_limit_per_s"))
                f.attr_rate_limit = static_cast<uint32_t>(
                    r.integer(v, "firmware.attributes.rate_limit_per_s", 0, UINT32_MAX));
            if (auto v = ynode_get(a, "breakeven")) {
                if (v->kind == YNODE_SCALAR && std::string(v->text) == "model") {
                    f.attr_breakeven_from_model = true;
                } else {
                    f.attr_breakeven_from_model = false;
                    f.attr_breakeven =
                        r.size(v, "firmware.attributes.breakeven", 0, UINT64_MAX >> 1);
                }
            }
        }
        if (auto v = ynode_get(n, "method")) {
            std::string m = r.choice(v, "firmware.method", {"auto", "range", "global", "lines"});
            f.method = m == "auto"     ? FW_METHOD_AUTO
                       : m == "range"  ? FW_METHOD_RANGE
                       : m == "global" ? FW_METHOD_GLOBAL
                                       : FW_METHOD_LINES;
        }
        if (auto m = ynode_get(n, "validation")) {
            r.map(m, "firmware.validation");
            r.check_keys(m, "firmware.validation", keys_of("firmware.validation"));
            fw_validation &val = f.validation;
            std::pair<const char *, bool *> knobs[] = {
                {"strict_alignment", &val.strict_alignment},
                {"zero_length_ok", &val.zero_length_ok},
                {"all_ones_is_global", &val.all_ones_is_global},
                {"wrap_ok", &val.wrap_ok},
                {"reserved_flags_ok", &val.reserved_flags_ok}};
            for (auto &[key, dst] : knobs)
                if (auto v = ynode_get(m, key))
                    *dst = r.boolean(v, std::string("firmware.validation.") + key);
        }
        if (auto m = ynode_get(n, "rate_limit")) {
            r.map(m, "firmware.rate_limit");
            r.check_keys(m, "firmware.rate_limit", keys_of("firmware.rate_limit"));
            f.rate_per_s =
                static_cast<uint32_t>(r.integer(r.required(m, "per_s", "firmware.rate_limit"),
                                                "firmware.rate_limit.per_s", 0, 1000000000));
            if (auto v = ynode_get(m, "burst"))
                f.burst =
                    static_cast<uint32_t>(r.integer(v, "firmware.rate_limit.burst", 1, 1000000));
        }
        if (auto v = ynode_get(n, "entry_cost"))
            f.entry_ps = ps(v, "firmware.entry_cost", 1e9);
        if (auto v = ynode_get(n, "bookkeeping"))
            f.bookkeeping_ps = ps(v, "firmware.bookkeeping", 1e9);
        if (auto b = ynode_get(n, "busy_agents")) {
            r.seq(b, "firmware.busy_agents");
            if (b->count > FW_MAX_BUSY_AGENTS)
                r.fail(b, "firmware.busy_agents: at most " + std::to_string(FW_MAX_BUSY_AGENTS) +
                              " agents");
            for (size_t i = 0; i < b->count; ++i) {
                std::string w = "firmware.busy_agents[" + std::to_string(i) + "]";
                const ynode *a = r.map(b->items[i], w);
                r.check_keys(a, w, keys_of("firmware.busy_agents[]"));
                fw_busy_agent &ag = f.busy_agents[f.n_busy_agents++];
                ag.period_ps = ps(r.required(a, "period", w), w + ".period");
                ag.duration_ps = ps(r.required(a, "duration", w), w + ".duration");
                ag.phase_ps = 0;
                if (auto v = ynode_get(a, "phase"))
                    ag.phase_ps = ps(v, w + ".phase");
                ag.cpu_mask = FW_ANY_CPU;
                if (auto v = ynode_get(a, "cpu"))
                    ag.cpu_mask = cpu_mask(v, w + ".cpu");
                if (ag.period_ps == 0 || ag.duration_ps > ag.period_ps)
                    r.fail(a, w + ": expected 0 < duration <= period");
            }
        }
        if (auto fl = ynode_get(n, "faults")) {
            r.seq(fl, "firmware.faults");
            for (size_t i = 0; i < fl->count; ++i)
                fault(fl->items[i], "firmware.faults[" + std::to_string(i) + "]");
        }
        if (auto v = ynode_get(n, "seed"))
            f.seed = r.integer(v, "firmware.seed", 0, UINT64_MAX >> 11);
        if (auto v = ynode_get(n, "log_capacity"))
            f.log_capacity = static_cast<size_t>(r.integer(v, "firmware.log_capacity", 0, 1000000));
    }

    void kernel(const ynode *n) {
        r.map(n, "kernel");
        r.check_keys(n, "kernel", keys_of("kernel"));
        if (auto v = ynode_get(n, "mutex_hold_limit"))
            s.kernel.mutex_hold_limit_ps = ps(v, "kernel.mutex_hold_limit");
        if (auto v = ynode_get(n, "nmi_watchdog"))
            s.kernel.nmi_watchdog_ps = ps(v, "kernel.nmi_watchdog");
        if (auto v = ynode_get(n, "kzalloc_fail_nth"))
            s.kernel.kzalloc_fail_nth =
                static_cast<unsigned>(r.integer(v, "kernel.kzalloc_fail_nth", 0, 1000000));
        if (auto v = ynode_get(n, "provider"))
            s.kernel.provider = r.choice(v, "kernel.provider", {"smccc", "none"});
        if (auto v = ynode_get(n, "hz")) {
            s.kernel.hz = static_cast<unsigned>(r.integer(v, "kernel.hz", 100, 1000));
            if (s.kernel.hz != 100 && s.kernel.hz != 250 && s.kernel.hz != 300 &&
                s.kernel.hz != 1000)
                r.fail(v, "kernel.hz: expected one of 100, 250, 300, 1000, found " +
                              std::string(v->text));
        }
        if (auto v = ynode_get(n, "conduit"))
            s.kernel.conduit_smc = r.choice(v, "kernel.conduit", {"smc", "none"}) == "smc";
        source(n, "provider_src", &s.kernel.provider_src);
        source(n, "framework_src", &s.kernel.framework_src);
    }

    // kernel.provider_src / framework_src: a readable C file.
    void source(const ynode *n, const char *key, std::string *out) {
        const ynode *v = ynode_get(n, key);
        if (!v)
            return;
        const std::string w = std::string("kernel.") + key;
        *out = relative_to(v, r.scalar(v, w));
        if (r.scalar(v, w).empty())
            r.fail(v, w + ": expected a C file name, found an empty value");
        char why[256];
        int fd = ynode_open_input(out->c_str(), why, sizeof why);
        if (fd < 0)
            r.fail(v, w + ": '" + *out + "': " + why);
        ::close(fd);
        s.inputs.push_back(*out);
    }

    // "cxl0+1GiB", "cxl0", or an absolute address.
    uint64_t address(const ynode *n, const std::string &what) {
        std::string t = r.scalar(n, what);
        size_t plus = t.find('+');
        std::string name = t.substr(0, plus);
        for (const RegionConfig &g : s.platform.regions) {
            if (g.name != name)
                continue;
            uint64_t off = 0;
            if (plus != std::string::npos) {
                ynode tmp = *n;
                std::string rest = t.substr(plus + 1);
                tmp.text = rest.data();
                off = r.size(&tmp, what + " offset", 0, g.size - 1);
            }
            return g.base + off;
        }
        if (!t.empty() && !std::isdigit(static_cast<unsigned char>(t[0]))) {
            std::string names;
            for (const RegionConfig &g : s.platform.regions)
                names += std::string(names.empty() ? "" : ", ") + g.name;
            r.fail(n, what + ": '" + name + "' is not a memory region (regions: " + names + ")");
        }
        return r.size(n, what, 0, UINT64_MAX >> 1);
    }

    void range(const ynode *m, const std::string &what, Step &st) {
        range_of(r.required(m, "base", what), r.required(m, "size", what), m, what, st, "base");
    }

    // [b, b + size) must lie inside one region; `key` names b in messages.
    void range_of(const ynode *b, const ynode *sz, const ynode *m, const std::string &what,
                  Step &st, const char *key) {
        st.base = address(b, what + "." + key);
        st.size = r.size(sz, what + ".size", 1, UINT64_MAX >> 1);
        for (const RegionConfig &g : s.platform.regions)
            if (st.base >= g.base && st.base - g.base < g.size) {
                if (st.size > g.size - (st.base - g.base))
                    r.fail(m, what + ": range of " + Reader::human_size(st.size) + " at " +
                                  b->text + " runs past the end of region '" + g.name + "'");
                return;
            }
        r.fail(b,
               what + "." + key + ": address " + std::string(b->text) + " is outside every region");
    }

    void cpus(const ynode *n) {
        r.map(n, "cpus");
        std::map<unsigned, const ynode *> seen; // "0", "00" and "0x0" are one CPU
        for (size_t i = 0; i < n->count; ++i) {
            const ynode *k = n->keys[i];
            unsigned cpu = static_cast<unsigned>(r.integer(k, "cpus key", 0, 63));
            if (auto [it, fresh] = seen.emplace(cpu, k); !fresh)
                r.fail(k, "cpus: duplicate key '" + std::string(k->text) + "': CPU " +
                              std::to_string(cpu) + " is already given as '" + it->second->text +
                              "' at line " + std::to_string(it->second->line));
            if (cpu >= s.platform.cpus)
                r.fail(k, "cpus: CPU " + std::to_string(cpu) +
                              " does not exist (the platform has " +
                              std::to_string(s.platform.cpus) + ")");
            std::string what = "cpus." + std::to_string(cpu);
            const ynode *steps = r.seq(n->items[i], what);
            auto &out = s.cpus[cpu];
            for (size_t j = 0; j < steps->count; ++j)
                out.push_back(step(steps->items[j], what + "[" + std::to_string(j) + "]", 0));
        }
        for (auto &[cpu, steps] : s.cpus) {
            std::set<std::string> names;
            barriers_of(steps, names);
            for (const std::string &b : names)
                s.barriers[b].push_back(cpu);
        }
    }

    Strategy strategy(const ynode *n, const std::string &what) {
        std::string sg = r.choice(n, what, {"none", "smccc", "va_cmo", "set_way"});
        return sg == "none"     ? Strategy::None
               : sg == "smccc"  ? Strategy::Smccc
               : sg == "va_cmo" ? Strategy::VaCmo
                                : Strategy::SetWay;
    }

    // The step kinds are the sections named step.<kind> in the schema.
    static std::vector<const char *> step_kinds() {
        static std::vector<std::string> names;
        static std::vector<const char *> kinds;
        if (kinds.empty()) {
            for (const Section &sec : schema_sections())
                if (std::strncmp(sec.name, "step.", 5) == 0)
                    names.push_back(sec.name + 5);
            for (const std::string &n : names)
                kinds.push_back(n.c_str());
        }
        return kinds;
    }

    Step step(const ynode *n, const std::string &what, unsigned depth) {
        r.map(n, what);
        if (n->count != 1) {
            std::string list;
            for (const char *k : step_kinds())
                list += std::string(list.empty() ? "" : ", ") + k;
            r.fail(n, what + ": expected a step with exactly one kind (" + list + "), found " +
                          std::to_string(n->count) + " keys");
        }
        r.check_keys(n, what, step_kinds());
        std::string kind = n->keys[0]->text;
        const ynode *body = n->items[0];
        Step st{};
        st.mark = r.mark(n);
        std::string w = what + "." + kind;
        if (kind == "sleep") {
            st.kind = StepKind::Sleep;
            st.duration_ns = r.time_ns(body, w, 0, 1e13);
            return st;
        }
        if (kind == "barrier") {
            st.kind = StepKind::Barrier;
            st.label = r.scalar(body, w);
            if (st.label.empty())
                r.fail(body, w + ": expected a barrier name, found an empty value");
            return st;
        }
        r.map(body, w);
        r.check_keys(body, w, keys_of("step." + kind));
        if (auto l = ynode_get(body, "label"))
            st.label = r.scalar(l, w + ".label");
        if (kind == "load" || kind == "store") {
            st.kind = kind == "load" ? StepKind::Load : StepKind::Store;
            range(body, w, st);
        } else if (kind == "stream") {
            st.kind = StepKind::Stream;
            range(body, w, st);
            uint64_t line = s.platform.line_bytes;
            st.pattern = "sequential";
            if (auto v = ynode_get(body, "pattern"))
                st.pattern = r.choice(v, w + ".pattern", {"sequential", "strided", "random"});
            st.stride = line;
            if (auto v = ynode_get(body, "stride"))
                st.stride = r.size(v, w + ".stride", 1, st.size);
            st.accesses = (st.size + line - 1) / line;
            if (auto v = ynode_get(body, "accesses"))
                st.accesses = r.integer(v, w + ".accesses", 1, 1ull << 40);
            if (auto v = ynode_get(body, "write_fraction"))
                st.write_fraction = r.real(v, w + ".write_fraction", 0, 1);
            if (auto v = ynode_get(body, "seed"))
                st.seed = r.integer(v, w + ".seed", 0, UINT64_MAX >> 11);
        } else if (kind == "device") {
            st.kind = StepKind::Device;
            st.op = r.choice(r.required(body, "op", w), w + ".op",
                             {"secure_erase", "reset", "dcd_release", "dcd_add", "offline"});
            range(body, w, st);
        } else if (kind == "invalidate") {
            st.kind = StepKind::Invalidate;
            range(body, w, st);
            st.strategy = strategy(r.required(body, "strategy", w), w + ".strategy");
        } else if (kind == "cmo") {
            st.kind = StepKind::Cmo;
            st.op =
                r.choice(r.required(body, "op", w), w + ".op", {"dc_civac", "dc_cvac", "dc_ivac"});
            range(body, w, st);
        } else if (kind == "set_way") {
            st.kind = StepKind::SetWay;
            st.op = r.choice(r.required(body, "op", w), w + ".op", {"dc_cisw", "dc_csw", "dc_isw"});
        } else if (kind == "kernel") {
            st.kind = StepKind::Kernel;
            st.op =
                r.choice(r.required(body, "call", w), w + ".call",
                         {"invalidate_memregion", "invalidate_all", "has_invalidate_memregion"});
            if (st.op == "invalidate_memregion")
                range(body, w, st);
            else if (auto v = ynode_get(body, "base"))
                r.fail(v, w + ".base: only invalidate_memregion takes a range");
            else if (auto v2 = ynode_get(body, "size"))
                r.fail(v2, w + ".size: only invalidate_memregion takes a range");
        } else if (kind == "smc") {
            st.kind = StepKind::Smc;
            st.fid = fid(r.required(body, "fid", w), w + ".fid", false);
            if (auto a = ynode_get(body, "args")) {
                r.seq(a, w + ".args");
                // SMCCC v1.2 and later: arguments in x1..x17.
                if (a->count > 17)
                    r.fail(a, w + ".args: expected at most 17 registers (x1..x17), found " +
                                  std::to_string(a->count));
                for (size_t j = 0; j < a->count; ++j)
                    st.regs.push_back(r.integer(a->items[j],
                                                w + ".args[" + std::to_string(j) + "] (x" +
                                                    std::to_string(j + 1) + ")",
                                                0, UINT64_MAX));
            }
        } else if (kind == "replay") {
            st.kind = StepKind::Replay;
            const ynode *t = r.required(body, "trace", w);
            st.trace = relative_to(t, r.scalar(t, w + ".trace"));
            if (st.trace.empty())
                r.fail(t, w + ".trace: expected a file name, found an empty value");
            // What run would meet, said at check time: a directory, a FIFO
            // or a device is refused here, before it could block a run.
            char why[256];
            int fd = ynode_open_input(st.trace.c_str(), why, sizeof why);
            if (fd < 0)
                r.fail(t, w + ".trace: '" + st.trace + "': " + why);
            ::close(fd);
            s.inputs.push_back(st.trace);
            if (auto v = ynode_get(body, "limit"))
                st.limit = r.integer(v, w + ".limit", 1, 1ull << 53);
            if (auto v = ynode_get(body, "gap"))
                st.gap = r.integer(v, w + ".gap", 0, 1000000);
            if (auto m = ynode_get(body, "map")) {
                std::string wm = w + ".map";
                r.map(m, wm);
                r.check_keys(m, wm, keys_of("replay.map"));
                st.map_from = r.size(r.required(m, "from", wm), wm + ".from", 0, UINT64_MAX >> 1);
                Step target{};
                const ynode *to = r.required(m, "to", wm);
                const ynode *sz = r.required(m, "size", wm);
                range_of(to, sz, m, wm, target, "to");
                st.map_to = target.base;
                st.map_size = target.size;
            }
        } else if (kind == "repeat") {
            st.kind = StepKind::Repeat;
            if (depth >= 8)
                r.fail(n, w + ": repeats nested deeper than 8 levels");
            st.count = r.integer(r.required(body, "count", w), w + ".count", 1, 1000000000);
            const ynode *steps = r.seq(r.required(body, "steps", w), w + ".steps");
            for (size_t j = 0; j < steps->count; ++j)
                st.body.push_back(
                    step(steps->items[j], w + ".steps[" + std::to_string(j) + "]", depth + 1));
        }
        if (++m_step_nodes > kMaxSteps)
            r.fail(n, what + ": more than " + std::to_string(kMaxSteps) +
                          " steps in one scenario (use repeat)");
        return st;
    }

    // Barrier participants: the CPUs whose steps name each barrier.
    static void barriers_of(const std::vector<Step> &steps, std::set<std::string> &out) {
        for (const Step &st : steps) {
            if (st.kind == StepKind::Barrier)
                out.insert(st.label);
            barriers_of(st.body, out);
        }
    }

    void expectations(const ynode *n) {
        r.map(n, "expect");
        s.expect_mark = r.mark(n);
        for (size_t i = 0; i < n->count; ++i) {
            Expectation e;
            e.mark = r.mark(n->items[i]);
            e.path = n->keys[i]->text;
            if (e.path == "findings") {
                // Not a report field: checker findings the expectations do
                // not state fail the run unless this says `any`.
                std::string v = r.scalar(n->items[i], "expect.findings");
                if (v != "any")
                    r.fail(n->items[i], "expect.findings: expected 'any' (checker findings "
                                        "the expectations do not state do not fail the run), "
                                        "found '" +
                                            v + "'");
                s.findings_any = true;
                continue;
            }
            // The path must name a numeric field of the report: a typo is
            // bad input here, not a failed expectation after the run.
            std::string hint;
            std::string why = check_expectation_path(e.path, &hint);
            if (!why.empty())
                r.fail(n->keys[i], "expect." + e.path + ": " + why +
                                       (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
            std::string v = r.scalar(n->items[i], "expect." + e.path);
            size_t p = 0;
            while (p < v.size() && std::strchr("<>=!", v[p]))
                ++p;
            e.op = p ? v.substr(0, p) : "==";
            if (e.op != "==" && e.op != "!=" && e.op != "<" && e.op != "<=" && e.op != ">" &&
                e.op != ">=")
                r.fail(n->items[i], "expect." + e.path +
                                        ": expected a comparison (==, !=, <, <=, >, >=), found '" +
                                        e.op + "'");
            std::string num = v.substr(p);
            while (!num.empty() && num[0] == ' ')
                num.erase(0, 1);
            char *end = nullptr;
            errno = 0;
            e.value = std::strtod(num.c_str(), &end);
            // NaN compares unequal to everything: "!= nan" would always pass.
            if (num.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(e.value) ||
                std::isspace(static_cast<unsigned char>(num[0])))
                r.fail(n->items[i],
                       "expect." + e.path + ": expected a number, found '" + num + "'");
            s.expect.push_back(e);
        }
    }

    static constexpr size_t kMaxSteps = 1000000;
    Reader r;
    Scenario s;
    size_t m_step_nodes = 0;
};

using Tree = std::unique_ptr<ynode, NodeDeleter>;

[[noreturn]] void fail_at(const ynode *n, const std::string &msg) {
    throw ConfigError(Mark{n->file ? n->file : "?", n->line, n->column}, msg);
}

std::string dir_of(const std::string &file) {
    size_t slash = file.rfind('/');
    return slash == std::string::npos ? "" : file.substr(0, slash + 1);
}

std::string relative_to(const ynode *at, const std::string &path) {
    if (path.empty() || path[0] == '/' || !at->file)
        return path;
    return dir_of(at->file) + path;
}

// One load's share of the YAML bounds (ynode.c): the node cap counts every
// file it reads, and it reads at most kMaxFiles of them, so that includes
// fanning out (a includes b twice, b includes c twice, ...) stay bounded.
constexpr unsigned kMaxFiles = 256;
struct LoadBudget {
    size_t nodes_left = YNODE_MAX_NODES;
    unsigned files = 0;
    std::vector<std::string> read; // the files read, for Scenario::inputs
};
thread_local LoadBudget t_budget;

Tree parse(const std::string &file, const char *text) {
    yerror err{};
    Tree root(ynode_parse_budget(file.c_str(), text, &err, &t_budget.nodes_left));
    if (!root)
        throw ConfigError(Mark{err.file, err.line, err.column}, err.message);
    return root;
}

// Files being read, outermost first: an include of one of them is a cycle.
using Stack = std::vector<std::string>;

Tree read_file(const ynode *from, const std::string &path, Stack &stack, const char *what);

// `include: FILE | [FILES]` at the top of a document: the included documents
// are merged in order, then the including document over them.
Tree resolve_includes(Tree root, Stack &stack) {
    if (root->kind != YNODE_MAP)
        return root;
    Tree inc(ynode_take(root.get(), "include"));
    if (!inc)
        return root;
    std::vector<const ynode *> files;
    if (inc->kind == YNODE_SCALAR)
        files.push_back(inc.get());
    else if (inc->kind == YNODE_SEQ)
        for (size_t i = 0; i < inc->count; ++i)
            files.push_back(inc->items[i]);
    else
        fail_at(inc.get(), "include: expected a file name or a sequence of them, found a mapping");
    Tree merged;
    for (const ynode *f : files) {
        if (f->kind != YNODE_SCALAR)
            fail_at(f, "include: expected a file name, found " +
                           std::string(ynode_kind_name(f->kind)));
        Tree t = read_file(f, relative_to(f, f->text), stack, "include");
        if (t->kind != YNODE_MAP)
            fail_at(t.get(), "include: expected the included document to be a mapping, found " +
                                 std::string(ynode_kind_name(t->kind)));
        merged.reset(ynode_merge(merged.release(), t.release()));
    }
    return Tree(ynode_merge(merged.release(), root.release()));
}

Tree read_file(const ynode *from, const std::string &path, Stack &stack, const char *what) {
    for (const std::string &f : stack)
        if (f == path) {
            std::string chain;
            for (const std::string &g : stack)
                chain += g + " -> ";
            fail_at(from, std::string(what) + ": include cycle: " + chain + path);
        }
    if (stack.size() >= 16)
        fail_at(from, std::string(what) + ": includes nested deeper than 16 files");
    if (++t_budget.files > kMaxFiles)
        fail_at(from, std::string(what) + ": more than " + std::to_string(kMaxFiles) +
                          " files read for one scenario");
    yerror err{};
    Tree t(ynode_parse_budget(path.c_str(), nullptr, &err, &t_budget.nodes_left));
    if (!t) {
        if (err.line == 0) // the file itself could not be read: say who asked for it
            fail_at(from, std::string(what) + ": " + path + ": " + err.message);
        throw ConfigError(Mark{err.file, err.line, err.column}, err.message);
    }
    t_budget.read.push_back(path);
    stack.push_back(path);
    t = resolve_includes(std::move(t), stack);
    stack.pop_back();
    return t;
}

// `platform: FILE | NAME` or `platform: {from: FILE | NAME, <overrides>}`,
// NAME one of the ready platforms built into the binary (ready_platforms.h).
void resolve_platform(ynode *root, Stack &stack) {
    if (root->kind != YNODE_MAP)
        return;
    for (size_t i = 0; i < root->count; ++i) {
        if (std::strcmp(root->keys[i]->text, "platform") != 0)
            continue;
        ynode *p = root->items[i];
        const ynode *from = nullptr;
        if (p->kind == YNODE_SCALAR)
            from = p;
        else if (p->kind == YNODE_MAP)
            from = ynode_get(p, "from");
        if (!from)
            return;
        if (from->kind != YNODE_SCALAR)
            fail_at(from, "platform.from: expected a file name or a ready platform's name, found " +
                              std::string(ynode_kind_name(from->kind)));
        // A ready platform's name (no file of that name is looked for: write
        // ./default for one).
        const ReadyPlatform *ready = find_ready_platform(from->text);
        const std::string path = relative_to(from, from->text);
        if (!ready && std::strpbrk(from->text, "/.") == nullptr &&
            access(path.c_str(), F_OK) != 0) {
            std::string names;
            for (const ReadyPlatform &rp : ready_platforms())
                names += std::string(names.empty() ? "" : ", ") + rp.name;
            fail_at(from, std::string("platform: expected a ready platform (") + names +
                              ") or a file, found '" + from->text + "', which is neither");
        }
        Tree base = ready ? parse(std::string("<platform ") + ready->name + ">", ready->text)
                          : read_file(from, path, stack, "platform");
        if (base->kind != YNODE_MAP)
            fail_at(base.get(), "platform file: expected a mapping of platform keys, found " +
                                    std::string(ynode_kind_name(base->kind)));
        if (p->kind == YNODE_SCALAR) {
            ynode_free(p);
            root->items[i] = base.release();
        } else {
            ynode_free(ynode_take(p, "from"));
            root->items[i] = ynode_merge(base.release(), p);
        }
        return;
    }
}

// --set PATH=VALUE: VALUE is YAML text, its marks name the option.
void apply_override(ynode *root, const std::string &set) {
    size_t eq = set.find('=');
    std::string origin = "--set " + set;
    if (eq == std::string::npos || eq == 0)
        throw ConfigError(Mark{origin, 0, 0}, "expected PATH=VALUE, e.g. platform.slc.size=64MiB");
    std::string path = set.substr(0, eq), value = set.substr(eq + 1);
    Tree v = parse(origin, value.empty() ? "''" : value.c_str());
    yerror err{};
    if (ynode_set(root, path.c_str(), v.release(), &err) != 0)
        throw ConfigError(Mark{origin, 0, 0}, err.message);
}

Scenario load(const std::string &file, const char *text, const std::vector<std::string> &sets) {
    t_budget = LoadBudget{};
    Stack stack;
    Tree root = parse(file, text);
    if (!text)
        stack.push_back(file);
    root = resolve_includes(std::move(root), stack);
    resolve_platform(root.get(), stack);
    for (const std::string &set : sets)
        apply_override(root.get(), set);
    Scenario s = Loader(file).load(root.get());
    if (!text)
        s.inputs.insert(s.inputs.begin(), file);
    s.inputs.insert(s.inputs.end(), t_budget.read.begin(), t_budget.read.end());
    return s;
}

} // namespace

Scenario load_scenario_file(const std::string &path, const std::vector<std::string> &sets) {
    return load(path, nullptr, sets);
}

Scenario load_scenario_text(const std::string &name, const std::string &text,
                            const std::vector<std::string> &sets) {
    return load(name, text.c_str(), sets);
}

double parse_time_ns(const std::string &text, const std::string &what) {
    ynode n{};
    n.kind = YNODE_SCALAR;
    n.file = "cmosim";
    std::string copy = text;
    n.text = copy.data();
    return Reader().time_ns(&n, what, 0, 1e9 * 86400 * 365);
}

} // namespace cmosim::sim
