// SPDX-License-Identifier: Apache-2.0
// Sweep files: parsing and validation, axis expansion, ${...} expressions.
#include "sweep/sweep.h"

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <sstream>
#include <unistd.h>

extern "C" {
#include "config/ynode.h"
}

namespace cmosim::sim::sweep {

namespace {

struct NodeDeleter {
    void operator()(ynode *n) const { ynode_free(n); }
};
using Tree = std::unique_ptr<ynode, NodeDeleter>;

Mark mark_of(const ynode *n) {
    return Mark{n->file ? n->file : "?", n->line, n->column};
}

[[noreturn]] void fail(const ynode *n, const std::string &msg) {
    throw ConfigError(mark_of(n), msg);
}

const ynode *need_map(const ynode *n, const std::string &what) {
    if (n->kind != YNODE_MAP)
        fail(n, what + ": expected a mapping, found " + ynode_kind_name(n->kind));
    return n;
}
const ynode *need_seq(const ynode *n, const std::string &what) {
    if (n->kind != YNODE_SEQ)
        fail(n, what + ": expected a sequence, found " + ynode_kind_name(n->kind));
    return n;
}
std::string need_scalar(const ynode *n, const std::string &what) {
    if (n->kind != YNODE_SCALAR)
        fail(n, what + ": expected a scalar, found " + ynode_kind_name(n->kind));
    return n->text;
}

void check_keys(const ynode *m, const std::string &what, std::initializer_list<const char *> ok) {
    for (size_t i = 0; i < m->count; ++i) {
        std::string k = m->keys[i]->text;
        if (std::none_of(ok.begin(), ok.end(), [&](const char *a) { return k == a; })) {
            std::string list;
            for (const char *a : ok)
                list += std::string(list.empty() ? "" : ", ") + a;
            fail(m->keys[i], what + ": unknown key '" + k + "'; expected one of: " + list);
        }
    }
}

const ynode *required(const ynode *m, const char *key, const std::string &what) {
    const ynode *v = ynode_get(m, key);
    if (!v)
        fail(m, what + ": missing required key '" + key + "'");
    return v;
}

// A node back as flow-style YAML text, for --set: `{size: 64MiB, ways: 16}`.
// A scalar on its own is its text: quotes in the sweep file only get `${...}`
// or `a: b` past the YAML parser there, and --set parses the text again.
std::string to_yaml(const ynode *n, bool top = true) {
    switch (n->kind) {
    case YNODE_SCALAR: {
        std::string t = n->text;
        if (top)
            return t;
        bool plain =
            !n->quoted && !t.empty() && t.find_first_of(",:{}[]#&*!|>'\"%@`") == std::string::npos;
        if (plain)
            return t;
        std::string q = "'";
        for (char c : t)
            q += c == '\'' ? std::string("''") : std::string(1, c);
        return q + "'";
    }
    case YNODE_SEQ: {
        std::string s = "[";
        for (size_t i = 0; i < n->count; ++i)
            s += (i ? ", " : "") + to_yaml(n->items[i], false);
        return s + "]";
    }
    case YNODE_MAP: {
        std::string s = "{";
        for (size_t i = 0; i < n->count; ++i)
            s += (i ? ", " : "") + to_yaml(n->keys[i], false) + ": " + to_yaml(n->items[i], false);
        return s + "}";
    }
    }
    return "";
}

bool valid_name(const std::string &s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

AxisValue make_value(const std::string &text) {
    AxisValue v;
    v.text = text;
    if (auto n = parse_number(text)) {
        v.numeric = true;
        v.num = *n;
    }
    return v;
}

// range: {from, to, factor} | {from, to, step} | {from, to, count[, scale: log|linear]}
std::vector<AxisValue> range_values(const ynode *r, const std::string &what) {
    need_map(r, what);
    check_keys(r, what, {"from", "to", "factor", "step", "count", "scale"});
    const ynode *fn = required(r, "from", what), *tn = required(r, "to", what);
    bool fsize = false, ftime = false, tsize = false, ttime = false;
    auto from = parse_number(need_scalar(fn, what + ".from"), &fsize, &ftime);
    auto to = parse_number(need_scalar(tn, what + ".to"), &tsize, &ttime);
    if (!from)
        fail(fn, what + ".from: expected a number, a size (4KiB) or a time (100ns), found '" +
                     std::string(fn->text) + "'");
    if (!to)
        fail(tn, what + ".to: expected a number, a size (4KiB) or a time (100ns), found '" +
                     std::string(tn->text) + "'");
    if (fsize != tsize || ftime != ttime)
        fail(tn, what + ".to: expected the same kind of quantity as 'from' (" +
                     std::string(fsize   ? "a size"
                                 : ftime ? "a time"
                                         : "a plain number") +
                     ")");
    if (*to < *from)
        fail(tn, what + ".to: expected a value at least 'from'");
    const ynode *factor = ynode_get(r, "factor"), *step = ynode_get(r, "step"),
                *count = ynode_get(r, "count");
    if ((factor != nullptr) + (step != nullptr) + (count != nullptr) != 1)
        fail(r, what + ": expected exactly one of factor (geometric), step (linear) or count");
    std::vector<double> xs;
    const size_t kMax = 100000;
    // A relative tolerance so that 4KiB * 2^28 lands on 1TiB exactly.
    double eps = 1e-9 * std::max(std::fabs(*to), 1e-300);
    if (factor) {
        auto f = parse_number(need_scalar(factor, what + ".factor"));
        if (!f || *f <= 1)
            fail(factor, what + ".factor: expected a number greater than 1");
        if (*from <= 0)
            fail(fn, what + ".from: a geometric range needs a positive start");
        for (double x = *from; x <= *to + eps && xs.size() <= kMax; x *= *f)
            xs.push_back(x);
    } else if (step) {
        bool ss = false, st = false;
        auto d = parse_number(need_scalar(step, what + ".step"), &ss, &st);
        if (!d || *d <= 0 || ss != fsize || st != ftime)
            fail(step, what + ".step: expected a positive step of the same kind as 'from'");
        for (size_t i = 0; xs.size() <= kMax; ++i) {
            double x = *from + static_cast<double>(i) * *d;
            if (x > *to + eps)
                break;
            xs.push_back(x);
        }
    } else {
        auto c = parse_number(need_scalar(count, what + ".count"));
        if (!c || *c < 1 || *c != std::floor(*c) || *c > kMax)
            fail(count, what + ".count: expected an integer in [1, 100000]");
        bool log = false;
        if (auto sc = ynode_get(r, "scale")) {
            std::string s = need_scalar(sc, what + ".scale");
            if (s != "log" && s != "linear")
                fail(sc, what + ".scale: expected log or linear, found '" + s + "'");
            log = s == "log";
        }
        if (log && *from <= 0)
            fail(fn, what + ".from: a log scale needs a positive start");
        size_t n = static_cast<size_t>(*c);
        for (size_t i = 0; i < n; ++i) {
            double t = n == 1 ? 0 : static_cast<double>(i) / static_cast<double>(n - 1);
            xs.push_back(log ? *from * std::pow(*to / *from, t) : *from + (*to - *from) * t);
        }
    }
    if (auto sc = ynode_get(r, "scale"); sc && !count)
        fail(sc, what + ".scale: only a count range takes a scale");
    if (xs.size() > kMax)
        fail(r, what + ": more than 100000 values");
    std::vector<AxisValue> out;
    for (double x : xs) {
        AxisValue v;
        v.numeric = true;
        if (fsize) {
            v.num = std::round(x); // a size is a whole number of bytes
            v.text = format_number(v.num);
        } else if (ftime) {
            v.num = x;
            v.text = format_number(x) + "ns";
        } else {
            v.num = x;
            v.text = format_number(x);
        }
        if (out.empty() || out.back().text != v.text) // rounding can repeat a size
            out.push_back(v);
    }
    return out;
}

Axis parse_axis(const ynode *n, const std::string &what) {
    need_map(n, what);
    check_keys(n, what, {"name", "path", "paths", "values", "range"});
    Axis a;
    a.mark = mark_of(n);
    const ynode *nm = required(n, "name", what);
    a.name = need_scalar(nm, what + ".name");
    if (!valid_name(a.name))
        fail(nm, what +
                     ".name: expected a name of letters, digits and '_' (a CSV column and a "
                     "${...} variable), found '" +
                     a.name + "'");
    if (a.name == "point" || a.name == "status" || a.name.rfind("inv_", 0) == 0)
        fail(nm, what + ".name: '" + a.name + "' is taken by the CSV files (point, status, inv_*)");
    if (auto p = ynode_get(n, "path"))
        a.paths.push_back(need_scalar(p, what + ".path"));
    if (auto p = ynode_get(n, "paths")) {
        if (ynode_get(n, "path"))
            fail(p, what + ": give either path or paths, not both");
        need_seq(p, what + ".paths");
        for (size_t i = 0; i < p->count; ++i)
            a.paths.push_back(need_scalar(p->items[i], what + ".paths[" + std::to_string(i) + "]"));
    }
    const ynode *vals = ynode_get(n, "values"), *rng = ynode_get(n, "range");
    if ((vals != nullptr) == (rng != nullptr))
        fail(n, what + ": expected exactly one of values (a list) or range");
    if (vals) {
        need_seq(vals, what + ".values");
        for (size_t i = 0; i < vals->count; ++i)
            a.values.push_back(make_value(to_yaml(vals->items[i])));
    } else {
        a.values = range_values(rng, what + ".range");
    }
    if (a.values.empty())
        fail(vals ? vals : rng, what + ": expected at least one value");
    std::set<std::string> seen;
    for (const AxisValue &v : a.values)
        if (!seen.insert(v.text).second)
            fail(vals ? vals : rng, what + ": value '" + v.text + "' appears twice");
    return a;
}

Column parse_column(const ynode *key, const ynode *val) {
    Column c;
    c.name = key->text;
    c.mark = mark_of(val);
    std::string what = "collect." + c.name;
    if (!valid_name(c.name))
        fail(key,
             "collect: expected a column name of letters, digits and '_', found '" + c.name + "'");
    if (c.name == "point" || c.name == "status" || c.name == "advertised_breakeven_bytes")
        fail(key, "collect." + c.name + ": the column name is taken by points.csv");
    std::string t = need_scalar(val, what);
    size_t open = t.find('(');
    if (open != std::string::npos) {
        if (t.back() != ')')
            fail(val, what + ": expected AGG(PATH) with AGG one of sum, mean, min, max, count");
        c.agg = t.substr(0, open);
        c.path = t.substr(open + 1, t.size() - open - 2);
        if (c.agg != "sum" && c.agg != "mean" && c.agg != "min" && c.agg != "max" &&
            c.agg != "count")
            fail(val, what + ": unknown aggregate '" + c.agg +
                          "'; expected sum, mean, min, max or count");
        if (c.path.find("[*]") == std::string::npos)
            fail(val,
                 what + ": an aggregate needs a path with [*], e.g. sum(invalidate[*].latency_ps)");
    } else {
        c.path = t;
        if (c.path.find("[*]") != std::string::npos)
            fail(val, what + ": a path with [*] needs an aggregate, e.g. max(" + c.path + ")");
    }
    if (c.path.empty())
        fail(val, what + ": empty report path");
    return c;
}

Figure parse_figure(const Spec &s, const ynode *n, const std::string &what) {
    need_map(n, what);
    check_keys(n, what, {"kind", "name", "title", "x", "by", "series", "where", "log_x"});
    Figure f;
    f.mark = mark_of(n);
    const ynode *k = required(n, "kind", what);
    f.kind = need_scalar(k, what + ".kind");
    if (f.kind != "cost" && f.kind != "breakdown" && f.kind != "stale" && f.kind != "cdf" &&
        f.kind != "breakeven")
        fail(k, what + ".kind: expected one of cost, breakdown, stale, cdf, breakeven, found '" +
                    f.kind + "'");
    f.name = need_scalar(required(n, "name", what), what + ".name");
    for (char c : f.name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            fail(ynode_get(n, "name"), what +
                                           ".name: expected a file stem of letters, digits, "
                                           "'-', '_' and '.', found '" +
                                           f.name + "'");
    if (auto v = ynode_get(n, "title"))
        f.title = need_scalar(v, what + ".title");
    auto axis_ref = [&](const char *key, bool needed) {
        const ynode *v = ynode_get(n, key);
        if (!v) {
            if (needed)
                fail(n, what + ": a " + f.kind + " figure needs '" + key + "' (an axis name)");
            return std::string();
        }
        std::string name = need_scalar(v, what + "." + key);
        if (!s.axis(name))
            fail(v, what + "." + key + ": no axis named '" + name + "'");
        return name;
    };
    f.x = axis_ref("x", f.kind == "breakdown" || f.kind == "breakeven");
    f.by = axis_ref("by", f.kind == "cdf");
    if (f.kind == "stale") {
        f.x = f.x.empty() ? s.crossover.strategy_axis : f.x;
        if (!s.axis(f.x))
            fail(n, what + ": a stale figure needs 'x' (the strategy axis)");
    }
    if (auto v = ynode_get(n, "series")) {
        need_seq(v, what + ".series");
        for (size_t i = 0; i < v->count; ++i) {
            std::string c = need_scalar(v->items[i], what + ".series");
            if (std::none_of(s.collect.begin(), s.collect.end(),
                             [&](const Column &col) { return col.name == c; }))
                fail(v->items[i], what + ".series: no collected column named '" + c + "'");
            f.series.push_back(c);
        }
    } else if (f.kind == "stale") {
        fail(n, what + ": a stale figure needs 'series' (collected columns, e.g. stale_reads)");
    }
    if (auto v = ynode_get(n, "where")) {
        need_map(v, what + ".where");
        for (size_t i = 0; i < v->count; ++i) {
            std::string ax = v->keys[i]->text;
            if (!s.axis(ax))
                fail(v->keys[i], what + ".where: no axis named '" + ax + "'");
            f.where.emplace_back(ax, to_yaml(v->items[i]));
        }
    }
    if (auto v = ynode_get(n, "log_x")) {
        std::string b = need_scalar(v, what + ".log_x");
        if (b != "true" && b != "false")
            fail(v, what + ".log_x: expected true or false");
        f.log_x = b == "true";
    }
    if (f.kind == "cost" || f.kind == "breakeven") {
        if (!s.crossover.enabled)
            fail(k, what + ": a " + f.kind + " figure needs a crossover section");
    }
    return f;
}

Spec parse_tree(const std::string &file, const ynode *root) {
    Spec s;
    s.file = file;
    need_map(root, "sweep");
    check_keys(
        root, "sweep",
        {"name", "description", "base", "mode", "axes", "set", "collect", "crossover", "figures"});
    if (auto v = ynode_get(root, "name"))
        s.name = need_scalar(v, "name");
    if (auto v = ynode_get(root, "description"))
        s.description = need_scalar(v, "description");
    const ynode *b = required(root, "base", "sweep");
    s.base = need_scalar(b, "base");
    s.base_mark = mark_of(b);
    if (!s.base.empty() && s.base[0] != '/') {
        size_t slash = file.rfind('/');
        if (slash != std::string::npos)
            s.base = file.substr(0, slash + 1) + s.base;
    }
    if (auto v = ynode_get(root, "mode")) {
        std::string m = need_scalar(v, "mode");
        if (m != "cartesian" && m != "zip")
            fail(v, "mode: expected cartesian or zip, found '" + m + "'");
        s.zip = m == "zip";
    }
    const ynode *axes = need_seq(required(root, "axes", "sweep"), "axes");
    if (axes->count == 0)
        fail(axes, "axes: expected at least one axis");
    std::set<std::string> names;
    for (size_t i = 0; i < axes->count; ++i) {
        Axis a = parse_axis(axes->items[i], "axes[" + std::to_string(i) + "]");
        if (!names.insert(a.name).second)
            fail(axes->items[i],
                 "axes[" + std::to_string(i) + "].name: axis '" + a.name + "' is defined twice");
        s.axes.push_back(a);
    }
    if (s.zip)
        for (const Axis &a : s.axes)
            if (a.values.size() != s.axes[0].values.size())
                throw ConfigError(a.mark, "axes: in zip mode every axis needs the same number of "
                                          "values; '" +
                                              s.axes[0].name + "' has " +
                                              std::to_string(s.axes[0].values.size()) + ", '" +
                                              a.name + "' has " + std::to_string(a.values.size()));
    if (auto st = ynode_get(root, "set")) {
        need_map(st, "set");
        for (size_t i = 0; i < st->count; ++i) {
            s.sets.emplace_back(st->keys[i]->text, to_yaml(st->items[i]));
            s.set_marks.push_back(mark_of(st->items[i]));
        }
    }
    if (auto c = ynode_get(root, "collect")) {
        need_map(c, "collect");
        std::set<std::string> cols(names);
        for (size_t i = 0; i < c->count; ++i) {
            Column col = parse_column(c->keys[i], c->items[i]);
            if (!cols.insert(col.name).second)
                fail(c->keys[i], "collect." + col.name +
                                     ": the column name is already an axis "
                                     "or a column");
            s.collect.push_back(col);
        }
    }
    if (auto x = ynode_get(root, "crossover")) {
        need_map(x, "crossover");
        check_keys(x, "crossover", {"size", "strategy", "cost", "low", "high"});
        CrossoverSpec &cs = s.crossover;
        cs.enabled = true;
        auto str = [&](const char *key, std::string &dst) {
            if (auto v = ynode_get(x, key))
                dst = need_scalar(v, std::string("crossover.") + key);
        };
        str("size", cs.size_axis);
        str("strategy", cs.strategy_axis);
        str("cost", cs.cost);
        str("low", cs.low);
        str("high", cs.high);
        const ynode *at = ynode_get(x, "size") ? ynode_get(x, "size") : x;
        const Axis *sa = s.axis(cs.size_axis);
        if (!sa)
            fail(at, "crossover.size: no axis named '" + cs.size_axis + "'");
        if (!sa->numeric())
            fail(at, "crossover.size: axis '" + cs.size_axis + "' has a value that is not a size");
        at = ynode_get(x, "strategy") ? ynode_get(x, "strategy") : x;
        const Axis *ga = s.axis(cs.strategy_axis);
        if (!ga)
            fail(at, "crossover.strategy: no axis named '" + cs.strategy_axis + "'");
        for (const std::string *want : {&cs.low, &cs.high})
            if (std::none_of(ga->values.begin(), ga->values.end(),
                             [&](const AxisValue &v) { return v.text == *want; }))
                fail(at, "crossover: strategy axis '" + cs.strategy_axis + "' has no value '" +
                             *want + "'");
        at = ynode_get(x, "cost") ? ynode_get(x, "cost") : x;
        if (std::none_of(s.collect.begin(), s.collect.end(),
                         [&](const Column &c) { return c.name == cs.cost; }))
            fail(at, "crossover.cost: no collected column named '" + cs.cost + "'");
    }
    if (auto f = ynode_get(root, "figures")) {
        need_seq(f, "figures");
        std::set<std::string> stems;
        for (size_t i = 0; i < f->count; ++i) {
            Figure fig = parse_figure(s, f->items[i], "figures[" + std::to_string(i) + "]");
            if (!stems.insert(fig.name).second)
                fail(f->items[i],
                     "figures[" + std::to_string(i) + "].name: '" + fig.name + "' is used twice");
            s.figures.push_back(fig);
        }
    }
    return s;
}

// --------------------------------------------------------------- expressions

class Expr {
public:
    Expr(const std::string &t, const std::map<std::string, AxisValue> &vars, const Mark &at)
        : m_t(t), m_vars(vars), m_at(at) {}

    double parse() {
        double v = sum();
        skip();
        if (m_p != m_t.size())
            error("unexpected '" + m_t.substr(m_p) + "'");
        return v;
    }

private:
    // Parentheses and function calls nest at most this deep: the parser
    // recurses once per level, and a hostile template must not exhaust the
    // stack (docs/reliability.md).
    static constexpr unsigned kMaxDepth = 64;

    [[noreturn]] void error(const std::string &msg) const {
        // A long expression is quoted by its start: the message stays a line.
        std::string shown = m_t.size() > 60 ? m_t.substr(0, 48) + "... (" +
                                                  std::to_string(m_t.size()) + " characters)"
                                            : m_t;
        throw ConfigError(m_at, "${" + shown + "}: " + msg);
    }
    // One more level of nesting, undone when the guard goes.
    struct Nest {
        explicit Nest(Expr &e) : m_e(e) {
            if (++m_e.m_depth > kMaxDepth)
                m_e.error("parentheses and function calls nested deeper than " +
                          std::to_string(kMaxDepth) + " levels");
        }
        ~Nest() { --m_e.m_depth; }
        Nest(const Nest &) = delete;
        Nest &operator=(const Nest &) = delete;
        Expr &m_e;
    };
    void skip() {
        while (m_p < m_t.size() && std::isspace(static_cast<unsigned char>(m_t[m_p])))
            ++m_p;
    }
    bool eat(char c) {
        skip();
        if (m_p < m_t.size() && m_t[m_p] == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    double sum() {
        double v = product();
        for (;;) {
            if (eat('+'))
                v += product();
            else if (eat('-'))
                v -= product();
            else
                return v;
        }
    }
    double product() {
        double v = unary();
        for (;;) {
            if (eat('*')) {
                v *= unary();
            } else if (eat('/')) {
                double d = unary();
                if (d == 0)
                    error("division by zero");
                v /= d;
            } else {
                return v;
            }
        }
    }
    double unary() {
        // A chain of signs is counted, not recursed into: "- - - 1".
        bool negative = false;
        while (eat('-'))
            negative = !negative;
        double v = primary();
        return negative ? -v : v;
    }
    double primary() {
        skip();
        if (eat('(')) {
            Nest nest(*this);
            double v = sum();
            if (!eat(')'))
                error("expected ')'");
            return v;
        }
        size_t start = m_p;
        if (m_p < m_t.size() &&
            (std::isdigit(static_cast<unsigned char>(m_t[m_p])) || m_t[m_p] == '.')) {
            // A number and its unit: digits, '.', exponent, then letters and '/'.
            while (
                m_p < m_t.size() &&
                (std::isdigit(static_cast<unsigned char>(m_t[m_p])) || m_t[m_p] == '.' ||
                 ((m_t[m_p] == 'e' || m_t[m_p] == 'E') && m_p + 1 < m_t.size() &&
                  (std::isdigit(static_cast<unsigned char>(m_t[m_p + 1])) || m_t[m_p + 1] == '-'))))
                m_p += (m_t[m_p] == 'e' || m_t[m_p] == 'E') ? 2 : 1;
            while (m_p < m_t.size() && std::isalpha(static_cast<unsigned char>(m_t[m_p])))
                ++m_p;
            std::string tok = m_t.substr(start, m_p - start);
            auto v = parse_number(tok);
            if (!v)
                error("'" + tok + "' is not a number, a size or a time");
            return *v;
        }
        while (m_p < m_t.size() &&
               (std::isalnum(static_cast<unsigned char>(m_t[m_p])) || m_t[m_p] == '_'))
            ++m_p;
        std::string id = m_t.substr(start, m_p - start);
        if (id.empty())
            error(m_p < m_t.size() ? "unexpected '" + std::string(1, m_t[m_p]) + "'"
                                   : "unexpected end");
        if (eat('(')) {
            Nest nest(*this);
            std::vector<double> args;
            if (!eat(')')) {
                do
                    args.push_back(sum());
                while (eat(','));
                if (!eat(')'))
                    error("expected ')' after the arguments of " + id + "()");
            }
            return call(id, args);
        }
        auto it = m_vars.find(id);
        if (it == m_vars.end())
            error("no axis named '" + id + "'");
        if (!it->second.numeric)
            error("axis '" + id + "' has the value '" + it->second.text + "', not a number");
        return it->second.num;
    }
    double call(const std::string &f, const std::vector<double> &a) {
        auto arity = [&](size_t n) {
            if (a.size() != n)
                error(f + "() takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s"));
        };
        if (f == "min" || f == "max") {
            if (a.empty())
                error(f + "() needs at least one argument");
            return f == "min" ? *std::min_element(a.begin(), a.end())
                              : *std::max_element(a.begin(), a.end());
        }
        if (f == "floor" || f == "ceil" || f == "round" || f == "log2") {
            arity(1);
            if (f == "log2") {
                if (a[0] <= 0)
                    error("log2() of a number that is not positive");
                return std::log2(a[0]);
            }
            return f == "floor"  ? std::floor(a[0])
                   : f == "ceil" ? std::ceil(a[0])
                                 : std::round(a[0]);
        }
        if (f == "pow") {
            arity(2);
            return std::pow(a[0], a[1]);
        }
        error("unknown function " + f + "(); expected min, max, floor, ceil, round, log2, pow");
    }

    const std::string &m_t;
    const std::map<std::string, AxisValue> &m_vars;
    const Mark &m_at;
    size_t m_p = 0;
    unsigned m_depth = 0;
};

} // namespace

bool Axis::numeric() const {
    return std::all_of(values.begin(), values.end(), [](const AxisValue &v) { return v.numeric; });
}

const Axis *Spec::axis(const std::string &name) const {
    for (const Axis &a : axes)
        if (a.name == name)
            return &a;
    return nullptr;
}

std::string Point::id() const {
    char b[32];
    std::snprintf(b, sizeof b, "p%04zu", index);
    return b;
}

std::optional<double> parse_number(const std::string &text, bool *is_size, bool *is_time) {
    static const std::pair<const char *, double> kSize[] = {
        {"PiB", 1125899906842624.0}, {"TiB", 1099511627776.0}, {"GiB", 1073741824.0},
        {"MiB", 1048576.0},          {"KiB", 1024.0},          {"B", 1.0}};
    static const std::pair<const char *, double> kTime[] = {
        {"ps", 1e-3}, {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
    if (is_size)
        *is_size = false;
    if (is_time)
        *is_time = false;
    // '_' may group digits; whitespace inside a number makes it no number
    // ("1 2 8 KiB" is not 128 KiB), as in scenarios.
    std::string t;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)))
            return std::nullopt;
        if (c != '_')
            t += c;
    }
    if (t.empty())
        return std::nullopt;
    double scale = 1;
    auto strip = [&](const std::pair<const char *, double> *units, size_t n, bool *flag) {
        for (size_t i = 0; i < n; ++i) {
            size_t ul = std::strlen(units[i].first);
            if (t.size() > ul && t.compare(t.size() - ul, ul, units[i].first) == 0 &&
                std::isdigit(static_cast<unsigned char>(t[t.size() - ul - 1]))) {
                t.resize(t.size() - ul);
                scale = units[i].second;
                if (flag)
                    *flag = true;
                return true;
            }
        }
        return false;
    };
    if (!strip(kSize, 6, is_size))
        strip(kTime, 5, is_time);
    char *end = nullptr;
    double v;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
        v = static_cast<double>(std::strtoull(t.c_str() + 2, &end, 16));
    else
        v = std::strtod(t.c_str(), &end);
    if (end == t.c_str() || *end != '\0' || !std::isfinite(v))
        return std::nullopt;
    return v * scale;
}

std::string format_number(double v) {
    char b[64];
    if (v == std::floor(v) && std::fabs(v) < 9.007199254740992e15)
        std::snprintf(b, sizeof b, "%.0f", v);
    else
        std::snprintf(b, sizeof b, "%.9g", v);
    return b;
}

std::string human_bytes(double bytes) {
    static const char *kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (u < 5 && std::fabs(bytes) >= 1024) {
        bytes /= 1024;
        ++u;
    }
    char b[64];
    if (bytes == std::floor(bytes))
        std::snprintf(b, sizeof b, "%.0f %s", bytes, kUnits[u]);
    else
        std::snprintf(b, sizeof b, "%.3g %s", bytes, kUnits[u]);
    return b;
}

double evaluate_expr(const std::string &expr, const std::map<std::string, AxisValue> &vars,
                     const Mark &where) {
    return Expr(expr, vars, where).parse();
}

std::string substitute(const std::string &tmpl, const std::map<std::string, AxisValue> &vars,
                       const Mark &where) {
    std::string out;
    size_t p = 0;
    for (;;) {
        size_t open = tmpl.find("${", p);
        if (open == std::string::npos)
            return out + tmpl.substr(p);
        size_t close = tmpl.find('}', open);
        if (close == std::string::npos)
            throw ConfigError(where, "'" + tmpl + "': '${' without a closing '}'");
        out += tmpl.substr(p, open - p);
        std::string e = tmpl.substr(open + 2, close - open - 2);
        auto it = vars.find(e);
        if (it != vars.end() && !it->second.numeric)
            out += it->second.text; // ${strategy}: the text itself
        else
            out += format_number(evaluate_expr(e, vars, where));
        p = close + 1;
    }
}

std::vector<Point> expand(const Spec &spec) {
    std::vector<Point> pts;
    size_t n = spec.zip ? spec.axes[0].values.size() : 1;
    if (!spec.zip)
        for (const Axis &a : spec.axes) {
            if (n > 1000000 / a.values.size())
                throw ConfigError(a.mark, "axes: the sweep has more than 1000000 points");
            n *= a.values.size();
        }
    for (size_t i = 0; i < n; ++i) {
        Point p;
        p.index = i;
        p.pick.resize(spec.axes.size());
        size_t rest = i;
        for (size_t k = spec.axes.size(); k-- > 0;) {
            if (spec.zip) {
                p.pick[k] = i;
            } else {
                p.pick[k] = rest % spec.axes[k].values.size();
                rest /= spec.axes[k].values.size();
            }
        }
        std::map<std::string, AxisValue> vars;
        for (size_t k = 0; k < spec.axes.size(); ++k) {
            const Axis &a = spec.axes[k];
            vars[a.name] = a.values[p.pick[k]];
            for (const std::string &path : a.paths)
                p.sets.push_back(path + "=" + a.values[p.pick[k]].text);
        }
        for (size_t k = 0; k < spec.sets.size(); ++k)
            p.sets.push_back(spec.sets[k].first + "=" +
                             substitute(spec.sets[k].second, vars, spec.set_marks[k]));
        pts.push_back(std::move(p));
    }
    return pts;
}

Spec parse_spec_file(const std::string &path) {
    yerror err{};
    Tree root(ynode_parse(path.c_str(), nullptr, &err));
    if (!root)
        throw ConfigError(Mark{err.file, err.line, err.column}, err.message);
    return parse_tree(path, root.get());
}

Spec parse_spec_text(const std::string &file, const std::string &text) {
    yerror err{};
    Tree root(ynode_parse(file.c_str(), text.c_str(), &err));
    if (!root)
        throw ConfigError(Mark{err.file, err.line, err.column}, err.message);
    return parse_tree(file, root.get());
}

} // namespace cmosim::sim::sweep
