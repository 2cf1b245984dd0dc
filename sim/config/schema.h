// SPDX-License-Identifier: Apache-2.0
// Every scenario key, declared once: the loader accepts exactly these keys
// (Reader::check_keys reads this table), `cmosim explain` prints them, and
// docs/scenario-reference.md is generated from them (a test keeps it in step).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace cmosim::sim {

// Where the loader stores a key's value (Loader::fill) and the bounds the
// value must lie in, written as a scenario writes them ("1ns", "16GiB", "64";
// "": the type's own). A row with a slot is the whole truth about its key:
// its type reads the value, `lo`/`hi` bound it, its `def` (read like a value
// from a scenario) fills the field when the key is absent, and the reference
// shows all three; no other code writes the default.
struct Slot {
    void (*store)(void *target, uint64_t u, double d) = nullptr;
    const void *owner = nullptr; // the struct type `store` writes into (type_tag)
    const char *lo = "", *hi = "";
};

template <class T> const void *type_tag() {
    static const char tag = 0;
    return &tag;
}

namespace detail {
template <class> struct MemberOf;
template <class T, class V> struct MemberOf<V T::*> {
    using Owner = T;
    using Value = V;
};
// Integers, sizes, times (in ps) and choices (their index in the row's
// "one of" list, the order of the enum) arrive in `u`, reals in `d`.
template <auto M> void store_member(void *target, uint64_t u, double d) {
    using Tr = MemberOf<decltype(M)>;
    using V = typename Tr::Value;
    V &field = static_cast<typename Tr::Owner *>(target)->*M;
    if constexpr (std::is_floating_point_v<V>)
        field = static_cast<V>(d);
    else if constexpr (std::is_same_v<V, bool>)
        field = u != 0;
    else
        field = static_cast<V>(u);
}
} // namespace detail

// The slot of member M (`at<&PlatformConfig::cpus>("1", "64")`).
template <auto M> Slot at(const char *lo = "", const char *hi = "") {
    return Slot{&detail::store_member<M>, type_tag<typename detail::MemberOf<decltype(M)>::Owner>(),
                lo, hi};
}

struct Param {
    const char *section; // "platform.cache", "step.load", ...
    const char *key;
    const char *type;  // size, power-of-two size, time, integer, real, bool, string, address,
                       // bandwidth, one of a|b|c, mapping, sequence
    const char *unit;  // "" when the type says it all
    const char *def;   // default, "required", or "-" (none); with a slot, a value or
                       // "NAME VALUE, NAME VALUE" (the default of each instance of the section)
    const char *range; // accepted values (with a slot: what `lo`..`hi` does not say)
    const char *help;
    Slot slot{};
};

// The row of section.key, or null.
const Param *param(const std::string &section, const std::string &key);
// The name of choice `index` of a "one of a|b|c" row (an enum's name as
// scenarios write it: the enums of scenario.h follow the rows' order).
std::string choice_name(const std::string &section, const std::string &key, unsigned index);
// What is wrong with the rows that carry a slot: a bound or a default that
// does not read as the row's type, a default outside the bounds (a test keeps
// this empty; loader.cpp's fill reads them on every load).
std::vector<std::string> schema_problems();
// The "accepted" column: `lo`..`hi` of the slot and the row's own words.
std::string accepted_text(const Param &p);

const std::vector<Param> &schema();
std::vector<const char *> keys_of(const std::string &section);
// The section's one-line description, in the order the reference lists them.
struct Section {
    const char *name;
    const char *where; // how it appears in a scenario
    const char *help;
};
const std::vector<Section> &schema_sections();

// The reference as Markdown (docs/scenario-reference.md).
std::string schema_markdown();
// One parameter ("platform.slc.size", "step.load.base", "firmware.method")
// or a whole section, as text; empty if nothing matches.
std::string schema_explain(const std::string &what);

} // namespace cmosim::sim
