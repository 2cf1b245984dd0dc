// SPDX-License-Identifier: Apache-2.0
// platform: cores, caches, memory regions, the flush engine.
#include "config/loader.h"

#include <cctype>

#include "config/schema.h"

namespace cmosim::sim {

void Loader::cache(const ynode *n, const std::string &what, CacheConfig &c, bool in_cycles) {
    const char *section = in_cycles ? "platform.private_cache" : "platform.slc";
    r.map(n, what);
    r.check_keys(n, what, keys_of(section));
    if (auto v = ynode_get(n, "inclusion"))
        if (what == "platform.l1d" || what == "platform.l1i")
            r.fail(v, what + ".inclusion: an L1 has no level above it to include (set it "
                             "on l2 or slc)");
    c.present = true;
    fill(n, section, what, c, what.substr(what.find('.') + 1));
    const ynode *size_node = ynode_get(n, "size");
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
        r.fail(ynode_get(n, "ways"),
               what +
                   ".ways: expected a power of two in [1, 65536], or ways that "
                   "divide the size into a power-of-two number of sets, "
                   "found " +
                   std::to_string(c.ways) + why);
    }
    if (in_cycles)
        c.hit_ps = ns_to_ps(static_cast<double>(c.hit_cycles) / s.platform.clock_ghz);
    // A tree-PLRU set's bits are one 64-bit word.
    if (c.replacement == mdl::Replacement::TreePlru &&
        ((c.ways & (c.ways - 1)) != 0 || c.ways > 64))
        r.fail(ynode_get(n, "replacement"), what +
                                                ".replacement: tree_plru needs a power-of-two "
                                                "number of ways of at most 64, found " +
                                                std::to_string(c.ways) + " ways");
}

void Loader::platform(const ynode *n) {
    PlatformConfig &p = s.platform;
    r.map(n, "platform");
    r.check_keys(n, "platform", keys_of("platform"));
    fill(n, "platform", "platform", p);
    if (auto v = ynode_get(n, "l1i"))
        cache(v, "platform.l1i", p.l1i, true);
    cache(r.required(n, "l1d", "platform"), "platform.l1d", p.l1d, true);
    if (auto v = ynode_get(n, "l2"))
        cache(v, "platform.l2", p.l2, true);
    cache(r.required(n, "slc", "platform"), "platform.slc", p.slc, false);
    const ynode *mem = r.seq(r.required(n, "memory", "platform"), "platform.memory");
    if (mem->count == 0)
        r.fail(mem, "platform.memory: expected at least one region");
    for (size_t i = 0; i < mem->count; ++i)
        region(mem->items[i], "platform.memory[" + std::to_string(i) + "]");
    const ynode *fe = ynode_get(n, "flush_engine");
    if (fe) {
        r.map(fe, "platform.flush_engine");
        r.check_keys(fe, "platform.flush_engine", keys_of("platform.flush_engine"));
    }
    fill(fe, "platform.flush_engine", "platform.flush_engine", p);
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
    // Steps name a place as "REGION", "REGION+OFFSET-OFFSET" or an
    // address: a name must not read as a number nor hold a '+' or '-'.
    if (g.name.empty() || std::isdigit(static_cast<unsigned char>(g.name[0])) ||
        g.name.find_first_of("+-") != std::string::npos)
        r.fail(name_node, what +
                              ".name: expected a region name that does not start with a "
                              "digit nor contain '+' or '-' (steps read those as addresses), "
                              "found '" +
                              g.name + "'");
    fill(n, "platform.memory[]", what, g);
    if (g.base % 4096 || g.size % 4096)
        r.fail(n, what + ": base and size must be multiples of 4 KiB");
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
