// SPDX-License-Identifier: Apache-2.0
// The rows of the schema that carry a slot fill their field themselves: one
// reading of a key per type, bounded by the row, defaulted by the row.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "config/loader.h"
#include "config/schema.h"

namespace cmosim::sim {

uint64_t ns_to_ps(double ns) {
    // SystemC's own rounding of a time in ns at a 1 ps resolution.
    return static_cast<uint64_t>(ns * 1000 + 0.5);
}

namespace {

ynode scalar_node(const char *text) {
    ynode n{};
    n.kind = YNODE_SCALAR;
    n.file = "<schema>";
    n.text = const_cast<char *>(text);
    return n;
}

std::vector<std::string> choices_of(const char *type) {
    std::vector<std::string> out;
    const char *p = type + std::strlen("one of ");
    while (*p) {
        const char *bar = std::strchr(p, '|');
        out.emplace_back(p, bar ? bar - p : std::strlen(p));
        p = bar ? bar + 1 : p + std::strlen(p);
    }
    return out;
}

bool is_choice(const char *type) {
    return std::strncmp(type, "one of ", 7) == 0;
}

// The default the row gives `instance`: its `def`, or the VALUE after
// `instance` in "NAME VALUE, NAME VALUE"; empty when it has none.
std::string default_of(const Param &p, const std::string &instance) {
    std::string def = p.def;
    if (def.find(", ") == std::string::npos)
        return def;
    size_t at = 0;
    while (at < def.size()) {
        size_t end = def.find(", ", at);
        std::string item = def.substr(at, end == std::string::npos ? end : end - at);
        size_t sp = item.find(' ');
        if (sp != std::string::npos && item.substr(0, sp) == instance)
            return item.substr(sp + 1);
        if (end == std::string::npos)
            break;
        at = end + 2;
    }
    return "";
}

// A default that is not a value: the field's zero stands for it ("none": no
// limit; "all": every record; "half of the host's memory": decided at run
// time).
bool default_is_zero(const char *def) {
    return std::strcmp(def, "none") == 0 || std::strcmp(def, "all") == 0 ||
           std::strcmp(def, "half of the host's memory") == 0;
}

} // namespace

void Loader::fill_rows(const ynode *n, const char *section, const std::string &what, void *target,
                       const void *owner, const std::string &instance) {
    for (const Param &p : schema()) {
        if (!p.slot.store || std::strcmp(p.section, section) != 0)
            continue;
        if (p.slot.owner != owner)
            throw std::logic_error(std::string("schema row ") + section + "." + p.key +
                                   " stores into another struct");
        const ynode *v = n ? ynode_get(n, p.key) : nullptr;
        const std::string w = what + "." + p.key;
        std::string def;
        ynode tmp{};
        if (!v) {
            if (std::strcmp(p.def, "required") == 0) {
                if (n)
                    r.required(n, p.key, what);
                continue;
            }
            if (default_is_zero(p.def))
                continue;
            def = default_of(p, instance);
            if (def.empty())
                continue;
            tmp = scalar_node(def.c_str());
            v = &tmp;
        }
        store(p, v, w, target);
    }
}

void Loader::store(const Param &p, const ynode *v, const std::string &w, void *target) const {
    uint64_t u = 0;
    double d = 0;
    read(p, v, w, &u, &d);
    p.slot.store(target, u, d);
}

void Loader::read(const Param &p, const ynode *v, const std::string &w, uint64_t *u,
                  double *d) const {
    const std::string type = p.type;
    auto bound_u = [&](const char *text, uint64_t none, bool size) {
        if (!*text)
            return none;
        ynode b = scalar_node(text);
        return size ? r.size(&b, "schema bound", 0, UINT64_MAX)
                    : r.integer(&b, "schema bound", 0, UINT64_MAX);
    };
    auto bound_ns = [&](const char *text, double none) {
        if (!*text)
            return none;
        ynode b = scalar_node(text);
        return r.time_ns(&b, "schema bound", 0, 1e30);
    };
    auto bound_d = [&](const char *text, double none) {
        return *text ? std::strtod(text, nullptr) : none;
    };
    const Slot &sl = p.slot;
    if (type == "integer")
        *u = r.integer(v, w, bound_u(sl.lo, 0, false), bound_u(sl.hi, UINT64_MAX, false));
    else if (type == "size")
        *u = r.size(v, w, bound_u(sl.lo, 0, true), bound_u(sl.hi, UINT64_MAX, true));
    else if (type == "power-of-two size")
        *u = r.pow2_size(v, w, bound_u(sl.lo, 0, true), bound_u(sl.hi, UINT64_MAX, true));
    else if (type == "time")
        *u = ns_to_ps(r.time_ns(v, w, bound_ns(sl.lo, 0), bound_ns(sl.hi, 1e13)));
    else if (type == "real")
        *d = r.real(v, w, bound_d(sl.lo, -HUGE_VAL), bound_d(sl.hi, HUGE_VAL));
    else if (type == "bool")
        *u = r.boolean(v, w);
    else if (type == "bandwidth")
        *d = r.bandwidth(v, w);
    else if (is_choice(p.type)) {
        const std::vector<std::string> names = choices_of(p.type);
        Keys keys;
        for (const std::string &c : names)
            keys.push_back(c.c_str());
        const std::string got = r.choice(v, w, keys);
        for (size_t i = 0; i < names.size(); ++i)
            if (names[i] == got)
                *u = i;
    } else
        throw std::logic_error("schema row " + w + ": type '" + type + "' has no reading");
}

const ynode *Loader::value_or_default(const ynode *n, const char *section, const char *key,
                                      ynode *tmp) const {
    if (const ynode *v = n ? ynode_get(n, key) : nullptr)
        return v;
    const Param *p = param(section, key);
    if (!p)
        throw std::logic_error(std::string("no schema row ") + section + "." + key);
    // A default written quoted ("\"1.7\"") is the string inside the quotes.
    static thread_local std::string unquoted;
    unquoted = p->def;
    if (unquoted.size() >= 2 && unquoted.front() == '"' && unquoted.back() == '"')
        unquoted = unquoted.substr(1, unquoted.size() - 2);
    *tmp = scalar_node(unquoted.c_str());
    return tmp;
}

std::vector<std::string> schema_problems() {
    std::vector<std::string> out;
    Loader l("<schema>");
    for (const Param &p : schema()) {
        if (!p.slot.store)
            continue;
        const std::string w = std::string(p.section) + "." + p.key;
        std::vector<std::string> defaults;
        if (std::strcmp(p.def, "required") == 0 || default_is_zero(p.def))
            defaults.clear();
        else if (std::strchr(p.def, ',') == nullptr)
            defaults.push_back(p.def);
        else
            for (const char *inst : {"l1i", "l1d", "l2"}) {
                defaults.push_back(default_of(p, inst));
                if (defaults.back().empty())
                    out.push_back(w + ": no default for " + inst + " in '" + p.def + "'");
            }
        try {
            // Bounds that do not read, and defaults outside them, throw.
            for (const std::string &def : defaults) {
                ynode n = scalar_node(def.c_str());
                uint64_t u = 0;
                double d = 0;
                l.read(p, &n, w, &u, &d);
            }
            if (*p.slot.lo || *p.slot.hi) {
                ynode lo = scalar_node(*p.slot.lo ? p.slot.lo : p.slot.hi);
                ynode hi = scalar_node(*p.slot.hi ? p.slot.hi : p.slot.lo);
                uint64_t u = 0;
                double d = 0;
                l.read(p, &lo, w + " (lo)", &u, &d);
                l.read(p, &hi, w + " (hi)", &u, &d);
            }
        } catch (const std::exception &e) {
            out.push_back(w + ": " + e.what());
        }
    }
    return out;
}

} // namespace cmosim::sim
