// SPDX-License-Identifier: Apache-2.0
// platform: cores, caches, memory regions, the flush engine.
#include "config/loader.h"

#include <cctype>

#include "config/schema.h"

namespace cmosim::sim {

void Loader::cache(const ynode *n, const std::string &what, CacheConfig &c, bool in_cycles) {
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

void Loader::platform(const ynode *n) {
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
        p.cmo_outstanding = static_cast<unsigned>(r.integer(v, "platform.cmo_outstanding", 1, 256));
    if (auto v = ynode_get(n, "setway_cycles"))
        p.setway_cycles = static_cast<unsigned>(r.integer(v, "platform.setway_cycles", 1, 1000));
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

void Loader::region(const ynode *n, const std::string &what) {
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
            r.fail(ynode_get(n, "name"),
                   what + ".name: region '" + g.name + "' is already defined at " + o.mark.str());
        if (g.base < o.base + o.size && o.base < g.base + g.size)
            r.fail(n, what + ": region '" + g.name + "' overlaps region '" + o.name +
                          "' defined at " + o.mark.str());
    }
    s.platform.regions.push_back(g);
}

} // namespace cmosim::sim
