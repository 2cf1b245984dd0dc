// SPDX-License-Identifier: Apache-2.0
// The ${...} expressions of sweep templates: numbers with units, the axes'
// values as variables, + - * / and a few functions; nesting is bounded.
#include "sweep/sweep.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace cmosim::sim::sweep {

namespace {

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

} // namespace cmosim::sim::sweep
