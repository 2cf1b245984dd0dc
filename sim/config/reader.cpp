// SPDX-License-Identifier: Apache-2.0
#include "config/reader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "config/expectations.h"

namespace cmosim::sim {

// Sizes: binary units (KiB = 1024). Times: in ns. Bandwidth: GB/s (1e9 B/s).
const Unit kSizeUnits[6] = {
    {"PiB", 1125899906842624.0}, {"TiB", 1099511627776.0}, {"GiB", 1073741824.0},
    {"MiB", 1048576.0},          {"KiB", 1024.0},          {"B", 1.0}};
const Unit kTimeUnits[5] = {{"ps", 1e-3}, {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
const Unit kBandwidthUnits[3] = {{"GB/s", 1.0}, {"MB/s", 1e-3}, {"TB/s", 1e3}};

void Reader::fail(const ynode *n, const std::string &msg) const {
    throw ConfigError(mark(n), msg);
}

const ynode *Reader::map(const ynode *n, const std::string &what) const {
    if (n->kind != YNODE_MAP)
        fail(n, what + ": expected a mapping, found " + ynode_kind_name(n->kind));
    return n;
}

const ynode *Reader::seq(const ynode *n, const std::string &what) const {
    if (n->kind != YNODE_SEQ)
        fail(n, what + ": expected a sequence, found " + ynode_kind_name(n->kind));
    return n;
}

std::string Reader::scalar(const ynode *n, const std::string &what) const {
    if (n->kind != YNODE_SCALAR)
        fail(n, what + ": expected a scalar, found " + ynode_kind_name(n->kind));
    return n->text;
}

void Reader::check_keys(const ynode *m, const std::string &what, const Keys &allowed) const {
    for (size_t i = 0; i < m->count; ++i) {
        std::string k = m->keys[i]->text;
        if (std::find_if(allowed.begin(), allowed.end(), [&](const char *a) { return k == a; }) !=
            allowed.end())
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

const ynode *Reader::required(const ynode *m, const char *key, const std::string &what) const {
    const ynode *v = ynode_get(m, key);
    if (!v)
        fail(m, what + ": missing required key '" + key + "'");
    return v;
}

std::string Reader::digits_of(const ynode *n, const std::string &what, const char *kind) const {
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

bool Reader::is_hex(const std::string &t) {
    return t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
}

bool Reader::exact_integer(const std::string &t, uint64_t *v, bool *overflow) {
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

double Reader::quantity(const ynode *n, const std::string &what, const Unit *units, size_t nunits,
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
        fail(n,
             what + ": expected " + unit_kind + " with a unit (" + list + "), found '" + s + "'");
    }
    return number(n, t, what, unit_kind);
}

double Reader::number(const ynode *n, const std::string &t, const std::string &what,
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

uint64_t Reader::size(const ynode *n, const std::string &what, uint64_t lo, uint64_t hi) const {
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
        if (!is_hex(num) && num.size() > ul && num.compare(num.size() - ul, ul, u.suffix) == 0 &&
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

uint64_t Reader::pow2_size(const ynode *n, const std::string &what, uint64_t lo,
                           uint64_t hi) const {
    uint64_t v = size(n, what, lo, hi);
    if (v & (v - 1))
        fail(n, what + ": expected a power of two, found '" + std::string(n->text) + "'");
    return v;
}

double Reader::time_ns(const ynode *n, const std::string &what, double lo, double hi) const {
    double v = quantity(n, what, kTimeUnits, 5, "a time", true);
    if (v < lo || v > hi)
        fail(n, what + ": expected a time in [" + human_time(lo) + ", " + human_time(hi) +
                    "], found '" + n->text + "'");
    return v;
}

double Reader::bandwidth(const ynode *n, const std::string &what) const {
    double v = quantity(n, what, kBandwidthUnits, 3, "a bandwidth", true);
    if (v <= 0 || v > 1e5)
        fail(n, what + ": expected a bandwidth in (0, 100 TB/s], found '" + std::string(n->text) +
                    "'");
    return v;
}

double Reader::real(const ynode *n, const std::string &what, double lo, double hi) const {
    double v = number(n, digits_of(n, what, "a number"), what, "a number");
    if (v < lo || v > hi)
        fail(n, what + ": expected a number in [" + fmt(lo) + ", " + fmt(hi) + "], found '" +
                    n->text + "'");
    return v;
}

uint64_t Reader::integer(const ynode *n, const std::string &what, uint64_t lo, uint64_t hi) const {
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

bool Reader::boolean(const ynode *n, const std::string &what) const {
    std::string s = scalar(n, what);
    if (s == "true" || s == "yes" || s == "on")
        return true;
    if (s == "false" || s == "no" || s == "off")
        return false;
    fail(n, what + ": expected true or false, found '" + s + "'");
}

std::string Reader::choice(const ynode *n, const std::string &what, const Keys &choices) const {
    std::string s = scalar(n, what);
    for (const char *c : choices)
        if (s == c)
            return s;
    std::string list;
    for (const char *c : choices)
        list += std::string(list.empty() ? "" : ", ") + c;
    fail(n, what + ": expected one of " + list + ", found '" + s + "'");
}

std::string Reader::fmt(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

std::string Reader::human_size(uint64_t v) {
    for (const Unit &u : kSizeUnits) {
        const uint64_t scale = static_cast<uint64_t>(u.scale);
        if (v >= scale && v % scale == 0)
            return std::to_string(v / scale) + " " + u.suffix;
    }
    return std::to_string(v) + " B";
}

std::string Reader::human_time(double ns) {
    for (const Unit &u : {kTimeUnits[4], kTimeUnits[3], kTimeUnits[2], kTimeUnits[1]})
        if (ns >= u.scale && std::fmod(ns, u.scale) == 0 && ns / u.scale < 1e15)
            return std::to_string(static_cast<uint64_t>(ns / u.scale)) + " " + u.suffix;
    return fmt(ns * 1e3) + " ps";
}

} // namespace cmosim::sim
