// SPDX-License-Identifier: Apache-2.0
// cpus: what each CPU does, step by step.
#include "config/loader.h"

#include <cctype>
#include <cstring>
#include <map>

#include <unistd.h>

#include "config/schema.h"

namespace cmosim::sim {

namespace {

// The offset after a region name: terms added or subtracted left to
// right ("+8MiB+16KiB-64"), each a size; the sum lies inside the region.
uint64_t region_offset(const Reader &r, const ynode *n, const std::string &what,
                       const std::string &t, size_t at, const RegionConfig &g) {
    int64_t off = 0;
    while (at != std::string::npos && at < t.size()) {
        const bool minus = t[at] == '-';
        size_t end = at + 1;
        // An exponent's sign ("1e+3") belongs to its term, not a hex digit's ("0x1e+3").
        for (; end < t.size(); ++end) {
            if (t[end] != '+' && t[end] != '-')
                continue;
            const std::string term = t.substr(at + 1, end - at - 1);
            const bool hex =
                term.size() > 1 && term[0] == '0' && (term[1] == 'x' || term[1] == 'X');
            if (!hex && (t[end - 1] == 'e' || t[end - 1] == 'E') && end >= at + 3 &&
                std::isdigit(static_cast<unsigned char>(t[end - 2])))
                continue;
            break;
        }
        std::string term = t.substr(at + 1, end - at - 1);
        ynode tmp = *n;
        tmp.text = term.data();
        const uint64_t v = r.size(&tmp, what + " offset", 0, g.size - 1);
        off += minus ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
        at = end;
    }
    if (off < 0 || static_cast<uint64_t>(off) >= g.size)
        r.fail(n, what + ": expected an offset in [0 B, " + Reader::human_size(g.size - 1) +
                      "] inside region '" + g.name + "', found '" + t + "', " +
                      (off < 0 ? "before its start" : "past its end"));
    return static_cast<uint64_t>(off);
}

} // namespace

// "cxl0", "cxl0+1GiB", "dram0+8MiB+16KiB-64", or an absolute address.
uint64_t Loader::address(const ynode *n, const std::string &what) {
    std::string t = r.scalar(n, what);
    size_t sign = t.find_first_of("+-");
    std::string name = t.substr(0, sign);
    for (const RegionConfig &g : s.platform.regions) {
        if (g.name != name)
            continue;
        return g.base + region_offset(r, n, what, t, sign, g);
    }
    if (!t.empty() && !std::isdigit(static_cast<unsigned char>(t[0]))) {
        std::string names;
        for (const RegionConfig &g : s.platform.regions)
            names += std::string(names.empty() ? "" : ", ") + g.name;
        r.fail(n, what + ": '" + name + "' is not a memory region (regions: " + names + ")");
    }
    return r.size(n, what, 0, UINT64_MAX >> 1);
}

void Loader::range(const ynode *m, const std::string &what, Step &st) {
    range_of(r.required(m, "base", what), r.required(m, "size", what), m, what, st, "base");
}

void Loader::range_of(const ynode *b, const ynode *sz, const ynode *m, const std::string &what,
                      Step &st, const char *key) {
    st.base = address(b, what + "." + key);
    st.size = r.size(sz, what + ".size", 1, UINT64_MAX >> 1);
    for (const RegionConfig &g : s.platform.regions)
        if (st.base >= g.base && st.base - g.base < g.size) {
            if (st.size > g.size - (st.base - g.base))
                r.fail(m, what + ": range of " + Reader::human_size(st.size) + " at " + b->text +
                              " runs past the end of region '" + g.name + "'");
            return;
        }
    r.fail(b, what + "." + key + ": address " + std::string(b->text) + " is outside every region");
}

void Loader::cpus(const ynode *n) {
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
            r.fail(k, "cpus: CPU " + std::to_string(cpu) + " does not exist (the platform has " +
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

std::vector<const char *> Loader::step_kinds() {
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

Step Loader::step(const ynode *n, const std::string &what, unsigned depth) {
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
        st.duration_ps = ps(body, w);
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
    fill(body, ("step." + kind).c_str(), w, st);
    if (kind == "load" || kind == "store") {
        st.kind = kind == "load" ? StepKind::Load : StepKind::Store;
        range(body, w, st);
    } else if (kind == "stream") {
        st.kind = StepKind::Stream;
        range(body, w, st);
        uint64_t line = s.platform.line_bytes;
        st.stride = line;
        if (auto v = ynode_get(body, "stride"))
            st.stride = r.size(v, w + ".stride", 1, st.size);
        st.accesses = (st.size + line - 1) / line;
        if (auto v = ynode_get(body, "accesses"))
            st.accesses = r.integer(v, w + ".accesses", 1, 1ull << 40);
    } else if (kind == "device") {
        st.kind = StepKind::Device;
        range(body, w, st);
    } else if (kind == "invalidate") {
        st.kind = StepKind::Invalidate;
        range(body, w, st);
    } else if (kind == "cmo") {
        st.kind = StepKind::Cmo;
        range(body, w, st);
    } else if (kind == "set_way") {
        st.kind = StepKind::SetWay;
        // The by-set/way half of the one CMO enum, in the row's order.
        const Param *op = param("step.set_way", "op");
        const std::string name =
            r.choice(r.required(body, "op", w), w + ".op", {"dc_cisw", "dc_csw", "dc_isw"});
        for (unsigned i = 0; i < 3; ++i)
            if (choice_name(op->section, op->key, i) == name)
                st.cmo_op = static_cast<mdl::CmoOp>(static_cast<unsigned>(mdl::CmoOp::DcCisw) + i);
    } else if (kind == "kernel") {
        st.kind = StepKind::Kernel;
        if (st.call == KernelCall::InvalidateMemregion)
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
        if (auto u = ynode_get(body, "warmup_until")) {
            if (ynode_get(body, "warmup"))
                r.fail(u, w + ": expected either warmup (a number of records) or warmup_until "
                              "(a marker address), found both");
            st.warmup_until = address(u, w + ".warmup_until");
            st.has_warmup_until = true;
        }
    } else if (kind == "repeat") {
        st.kind = StepKind::Repeat;
        if (depth >= 8)
            r.fail(n, w + ": repeats nested deeper than 8 levels");
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

void Loader::barriers_of(const std::vector<Step> &steps, std::set<std::string> &out) {
    for (const Step &st : steps) {
        if (st.kind == StepKind::Barrier)
            out.insert(st.label);
        barriers_of(st.body, out);
    }
}

} // namespace cmosim::sim
