// SPDX-License-Identifier: Apache-2.0
// Sweep files: parsing and validation, axis expansion (the ${...} expressions
// are in expr.cpp).
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

#include "config/reader.h"

namespace cmosim::sim::sweep {

namespace {

// Every value is read as scenarios are (config/reader.h).
const Reader yaml;

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
    yaml.map(r, what);
    yaml.check_keys(r, what, {"from", "to", "factor", "step", "count", "scale"});
    const ynode *fn = yaml.required(r, "from", what), *tn = yaml.required(r, "to", what);
    bool fsize = false, ftime = false, tsize = false, ttime = false;
    auto from = parse_number(yaml.scalar(fn, what + ".from"), &fsize, &ftime);
    auto to = parse_number(yaml.scalar(tn, what + ".to"), &tsize, &ttime);
    if (!from)
        yaml.fail(fn, what + ".from: expected a number, a size (4KiB) or a time (100ns), found '" +
                          std::string(fn->text) + "'");
    if (!to)
        yaml.fail(tn, what + ".to: expected a number, a size (4KiB) or a time (100ns), found '" +
                          std::string(tn->text) + "'");
    if (fsize != tsize || ftime != ttime)
        yaml.fail(tn, what + ".to: expected the same kind of quantity as 'from' (" +
                          std::string(fsize   ? "a size"
                                      : ftime ? "a time"
                                              : "a plain number") +
                          ")");
    if (*to < *from)
        yaml.fail(tn, what + ".to: expected a value at least 'from'");
    const ynode *factor = ynode_get(r, "factor"), *step = ynode_get(r, "step"),
                *count = ynode_get(r, "count");
    if ((factor != nullptr) + (step != nullptr) + (count != nullptr) != 1)
        yaml.fail(r, what + ": expected exactly one of factor (geometric), step (linear) or count");
    std::vector<double> xs;
    const size_t kMax = 100000;
    // A relative tolerance so that 4KiB * 2^28 lands on 1TiB exactly.
    double eps = 1e-9 * std::max(std::fabs(*to), 1e-300);
    if (factor) {
        auto f = parse_number(yaml.scalar(factor, what + ".factor"));
        if (!f || *f <= 1)
            yaml.fail(factor, what + ".factor: expected a number greater than 1");
        if (*from <= 0)
            yaml.fail(fn, what + ".from: a geometric range needs a positive start");
        for (double x = *from; x <= *to + eps && xs.size() <= kMax; x *= *f)
            xs.push_back(x);
    } else if (step) {
        bool ss = false, st = false;
        auto d = parse_number(yaml.scalar(step, what + ".step"), &ss, &st);
        if (!d || *d <= 0 || ss != fsize || st != ftime)
            yaml.fail(step, what + ".step: expected a positive step of the same kind as 'from'");
        for (size_t i = 0; xs.size() <= kMax; ++i) {
            double x = *from + static_cast<double>(i) * *d;
            if (x > *to + eps)
                break;
            xs.push_back(x);
        }
    } else {
        auto c = parse_number(yaml.scalar(count, what + ".count"));
        if (!c || *c < 1 || *c != std::floor(*c) || *c > kMax)
            yaml.fail(count, what + ".count: expected an integer in [1, 100000]");
        bool log = false;
        if (auto sc = ynode_get(r, "scale")) {
            std::string s = yaml.scalar(sc, what + ".scale");
            if (s != "log" && s != "linear")
                yaml.fail(sc, what + ".scale: expected log or linear, found '" + s + "'");
            log = s == "log";
        }
        if (log && *from <= 0)
            yaml.fail(fn, what + ".from: a log scale needs a positive start");
        size_t n = static_cast<size_t>(*c);
        for (size_t i = 0; i < n; ++i) {
            double t = n == 1 ? 0 : static_cast<double>(i) / static_cast<double>(n - 1);
            xs.push_back(log ? *from * std::pow(*to / *from, t) : *from + (*to - *from) * t);
        }
    }
    if (auto sc = ynode_get(r, "scale"); sc && !count)
        yaml.fail(sc, what + ".scale: only a count range takes a scale");
    if (xs.size() > kMax)
        yaml.fail(r, what + ": more than 100000 values");
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
    yaml.map(n, what);
    yaml.check_keys(n, what, {"name", "path", "paths", "values", "range"});
    Axis a;
    a.mark = yaml.mark(n);
    const ynode *nm = yaml.required(n, "name", what);
    a.name = yaml.scalar(nm, what + ".name");
    if (!valid_name(a.name))
        yaml.fail(nm, what +
                          ".name: expected a name of letters, digits and '_' (a CSV column and a "
                          "${...} variable), found '" +
                          a.name + "'");
    if (a.name == "point" || a.name == "status" || a.name.rfind("inv_", 0) == 0)
        yaml.fail(nm, what + ".name: '" + a.name +
                          "' is taken by the CSV files (point, status, inv_*)");
    if (auto p = ynode_get(n, "path"))
        a.paths.push_back(yaml.scalar(p, what + ".path"));
    if (auto p = ynode_get(n, "paths")) {
        if (ynode_get(n, "path"))
            yaml.fail(p, what + ": give either path or paths, not both");
        yaml.seq(p, what + ".paths");
        for (size_t i = 0; i < p->count; ++i)
            a.paths.push_back(yaml.scalar(p->items[i], what + ".paths[" + std::to_string(i) + "]"));
    }
    const ynode *vals = ynode_get(n, "values"), *rng = ynode_get(n, "range");
    if ((vals != nullptr) == (rng != nullptr))
        yaml.fail(n, what + ": expected exactly one of values (a list) or range");
    if (vals) {
        yaml.seq(vals, what + ".values");
        for (size_t i = 0; i < vals->count; ++i)
            a.values.push_back(make_value(to_yaml(vals->items[i])));
    } else {
        a.values = range_values(rng, what + ".range");
    }
    if (a.values.empty())
        yaml.fail(vals ? vals : rng, what + ": expected at least one value");
    std::set<std::string> seen;
    for (const AxisValue &v : a.values)
        if (!seen.insert(v.text).second)
            yaml.fail(vals ? vals : rng, what + ": value '" + v.text + "' appears twice");
    return a;
}

Column parse_column(const ynode *key, const ynode *val) {
    Column c;
    c.name = key->text;
    c.mark = yaml.mark(val);
    std::string what = "collect." + c.name;
    if (!valid_name(c.name))
        yaml.fail(key, "collect: expected a column name of letters, digits and '_', found '" +
                           c.name + "'");
    if (c.name == "point" || c.name == "status" || c.name == "advertised_breakeven_bytes")
        yaml.fail(key, "collect." + c.name + ": the column name is taken by points.csv");
    std::string t = yaml.scalar(val, what);
    size_t open = t.find('(');
    if (open != std::string::npos) {
        if (t.back() != ')')
            yaml.fail(val,
                      what + ": expected AGG(PATH) with AGG one of sum, mean, min, max, count");
        c.agg = t.substr(0, open);
        c.path = t.substr(open + 1, t.size() - open - 2);
        if (c.agg != "sum" && c.agg != "mean" && c.agg != "min" && c.agg != "max" &&
            c.agg != "count")
            yaml.fail(val, what + ": unknown aggregate '" + c.agg +
                               "'; expected sum, mean, min, max or count");
        if (c.path.find("[*]") == std::string::npos)
            yaml.fail(
                val,
                what + ": an aggregate needs a path with [*], e.g. sum(invalidate[*].latency_ps)");
    } else {
        c.path = t;
        if (c.path.find("[*]") != std::string::npos)
            yaml.fail(val, what + ": a path with [*] needs an aggregate, e.g. max(" + c.path + ")");
    }
    if (c.path.empty())
        yaml.fail(val, what + ": empty report path");
    return c;
}

Figure parse_figure(const Spec &s, const ynode *n, const std::string &what) {
    yaml.map(n, what);
    yaml.check_keys(n, what, {"kind", "name", "title", "x", "by", "series", "where", "log_x"});
    Figure f;
    f.mark = yaml.mark(n);
    const ynode *k = yaml.required(n, "kind", what);
    f.kind = yaml.scalar(k, what + ".kind");
    if (f.kind != "cost" && f.kind != "breakdown" && f.kind != "stale" && f.kind != "cdf" &&
        f.kind != "breakeven")
        yaml.fail(k, what +
                         ".kind: expected one of cost, breakdown, stale, cdf, breakeven, found '" +
                         f.kind + "'");
    f.name = yaml.scalar(yaml.required(n, "name", what), what + ".name");
    for (char c : f.name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            yaml.fail(ynode_get(n, "name"), what +
                                                ".name: expected a file stem of letters, digits, "
                                                "'-', '_' and '.', found '" +
                                                f.name + "'");
    if (auto v = ynode_get(n, "title"))
        f.title = yaml.scalar(v, what + ".title");
    auto axis_ref = [&](const char *key, bool needed) {
        const ynode *v = ynode_get(n, key);
        if (!v) {
            if (needed)
                yaml.fail(n, what + ": a " + f.kind + " figure needs '" + key + "' (an axis name)");
            return std::string();
        }
        std::string name = yaml.scalar(v, what + "." + key);
        if (!s.axis(name))
            yaml.fail(v, what + "." + key + ": no axis named '" + name + "'");
        return name;
    };
    f.x = axis_ref("x", f.kind == "breakdown" || f.kind == "breakeven");
    f.by = axis_ref("by", f.kind == "cdf");
    if (f.kind == "stale") {
        f.x = f.x.empty() ? s.crossover.strategy_axis : f.x;
        if (!s.axis(f.x))
            yaml.fail(n, what + ": a stale figure needs 'x' (the strategy axis)");
    }
    if (auto v = ynode_get(n, "series")) {
        yaml.seq(v, what + ".series");
        for (size_t i = 0; i < v->count; ++i) {
            std::string c = yaml.scalar(v->items[i], what + ".series");
            if (std::none_of(s.collect.begin(), s.collect.end(),
                             [&](const Column &col) { return col.name == c; }))
                yaml.fail(v->items[i], what + ".series: no collected column named '" + c + "'");
            f.series.push_back(c);
        }
    } else if (f.kind == "stale") {
        yaml.fail(n,
                  what + ": a stale figure needs 'series' (collected columns, e.g. stale_reads)");
    }
    if (auto v = ynode_get(n, "where")) {
        yaml.map(v, what + ".where");
        for (size_t i = 0; i < v->count; ++i) {
            std::string ax = v->keys[i]->text;
            if (!s.axis(ax))
                yaml.fail(v->keys[i], what + ".where: no axis named '" + ax + "'");
            f.where.emplace_back(ax, to_yaml(v->items[i]));
        }
    }
    if (auto v = ynode_get(n, "log_x")) {
        std::string b = yaml.scalar(v, what + ".log_x");
        if (b != "true" && b != "false")
            yaml.fail(v, what + ".log_x: expected true or false");
        f.log_x = b == "true";
    }
    if (f.kind == "cost" || f.kind == "breakeven") {
        if (!s.crossover.enabled)
            yaml.fail(k, what + ": a " + f.kind + " figure needs a crossover section");
    }
    return f;
}

Spec parse_tree(const std::string &file, const ynode *root) {
    Spec s;
    s.file = file;
    yaml.map(root, "sweep");
    yaml.check_keys(
        root, "sweep",
        {"name", "description", "base", "mode", "axes", "set", "collect", "crossover", "figures"});
    if (auto v = ynode_get(root, "name"))
        s.name = yaml.scalar(v, "name");
    if (auto v = ynode_get(root, "description"))
        s.description = yaml.scalar(v, "description");
    const ynode *b = yaml.required(root, "base", "sweep");
    s.base = yaml.scalar(b, "base");
    s.base_mark = yaml.mark(b);
    if (!s.base.empty() && s.base[0] != '/') {
        size_t slash = file.rfind('/');
        if (slash != std::string::npos)
            s.base = file.substr(0, slash + 1) + s.base;
    }
    if (auto v = ynode_get(root, "mode")) {
        std::string m = yaml.scalar(v, "mode");
        if (m != "cartesian" && m != "zip")
            yaml.fail(v, "mode: expected cartesian or zip, found '" + m + "'");
        s.zip = m == "zip";
    }
    const ynode *axes = yaml.seq(yaml.required(root, "axes", "sweep"), "axes");
    if (axes->count == 0)
        yaml.fail(axes, "axes: expected at least one axis");
    std::set<std::string> names;
    for (size_t i = 0; i < axes->count; ++i) {
        Axis a = parse_axis(axes->items[i], "axes[" + std::to_string(i) + "]");
        if (!names.insert(a.name).second)
            yaml.fail(axes->items[i], "axes[" + std::to_string(i) + "].name: axis '" + a.name +
                                          "' is defined twice");
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
        yaml.map(st, "set");
        for (size_t i = 0; i < st->count; ++i) {
            s.sets.emplace_back(st->keys[i]->text, to_yaml(st->items[i]));
            s.set_marks.push_back(yaml.mark(st->items[i]));
        }
    }
    if (auto c = ynode_get(root, "collect")) {
        yaml.map(c, "collect");
        std::set<std::string> cols(names);
        for (size_t i = 0; i < c->count; ++i) {
            Column col = parse_column(c->keys[i], c->items[i]);
            if (!cols.insert(col.name).second)
                yaml.fail(c->keys[i], "collect." + col.name +
                                          ": the column name is already an axis "
                                          "or a column");
            s.collect.push_back(col);
        }
    }
    if (auto x = ynode_get(root, "crossover")) {
        yaml.map(x, "crossover");
        yaml.check_keys(x, "crossover", {"size", "strategy", "cost", "low", "high"});
        CrossoverSpec &cs = s.crossover;
        cs.enabled = true;
        auto str = [&](const char *key, std::string &dst) {
            if (auto v = ynode_get(x, key))
                dst = yaml.scalar(v, std::string("crossover.") + key);
        };
        str("size", cs.size_axis);
        str("strategy", cs.strategy_axis);
        str("cost", cs.cost);
        str("low", cs.low);
        str("high", cs.high);
        const ynode *at = ynode_get(x, "size") ? ynode_get(x, "size") : x;
        const Axis *sa = s.axis(cs.size_axis);
        if (!sa)
            yaml.fail(at, "crossover.size: no axis named '" + cs.size_axis + "'");
        if (!sa->numeric())
            yaml.fail(at,
                      "crossover.size: axis '" + cs.size_axis + "' has a value that is not a size");
        at = ynode_get(x, "strategy") ? ynode_get(x, "strategy") : x;
        const Axis *ga = s.axis(cs.strategy_axis);
        if (!ga)
            yaml.fail(at, "crossover.strategy: no axis named '" + cs.strategy_axis + "'");
        for (const std::string *want : {&cs.low, &cs.high})
            if (std::none_of(ga->values.begin(), ga->values.end(),
                             [&](const AxisValue &v) { return v.text == *want; }))
                yaml.fail(at, "crossover: strategy axis '" + cs.strategy_axis + "' has no value '" +
                                  *want + "'");
        at = ynode_get(x, "cost") ? ynode_get(x, "cost") : x;
        if (std::none_of(s.collect.begin(), s.collect.end(),
                         [&](const Column &c) { return c.name == cs.cost; }))
            yaml.fail(at, "crossover.cost: no collected column named '" + cs.cost + "'");
    }
    if (auto f = ynode_get(root, "figures")) {
        yaml.seq(f, "figures");
        std::set<std::string> stems;
        for (size_t i = 0; i < f->count; ++i) {
            Figure fig = parse_figure(s, f->items[i], "figures[" + std::to_string(i) + "]");
            if (!stems.insert(fig.name).second)
                yaml.fail(f->items[i], "figures[" + std::to_string(i) + "].name: '" + fig.name +
                                           "' is used twice");
            s.figures.push_back(fig);
        }
    }
    return s;
}

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
