// SPDX-License-Identifier: Apache-2.0
#include "report/expect.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cmosim::sim {

namespace {

using json = nlohmann::ordered_json;

// "a.b[2].c" -> the node, or nullptr.
const json *lookup(const json &root, const std::string &path) {
    const json *cur = &root;
    std::string tok;
    std::istringstream in(path);
    while (std::getline(in, tok, '.')) {
        std::string key = tok;
        std::vector<size_t> idx;
        size_t b = tok.find('[');
        if (b != std::string::npos) {
            key = tok.substr(0, b);
            std::string rest = tok.substr(b);
            while (!rest.empty() && rest[0] == '[') {
                size_t e = rest.find(']');
                if (e == std::string::npos)
                    return nullptr;
                try {
                    idx.push_back(std::stoul(rest.substr(1, e - 1)));
                } catch (...) {
                    return nullptr;
                }
                rest = rest.substr(e + 1);
            }
            if (!rest.empty())
                return nullptr;
        }
        if (!key.empty()) {
            if (!cur->is_object() || !cur->contains(key))
                return nullptr;
            cur = &(*cur)[key];
        }
        for (size_t i : idx) {
            if (!cur->is_array() || i >= cur->size())
                return nullptr;
            cur = &(*cur)[i];
        }
    }
    return cur;
}

// Integers as integers (1e+10 reads badly next to the 10000000000 in the file).
std::string num(double v) {
    std::ostringstream o;
    if (v == static_cast<double>(static_cast<long long>(v)) && v < 9.2e18 && v > -9.2e18)
        o << static_cast<long long>(v);
    else
        o << v;
    return o.str();
}

bool compare(double a, Compare op, double b) {
    switch (op) {
    case Compare::Eq:
        return a == b;
    case Compare::Ne:
        return a != b;
    case Compare::Lt:
        return a < b;
    case Compare::Le:
        return a <= b;
    case Compare::Gt:
        return a > b;
    case Compare::Ge:
        return a >= b;
    }
    return false;
}

} // namespace

std::vector<Verdict> evaluate(const std::vector<Expectation> &expect, const json &root) {
    std::vector<Verdict> out;
    for (const Expectation &e : expect) {
        Verdict v;
        v.expect = e;
        const json *n = lookup(root, e.path);
        std::ostringstream msg;
        msg << e.mark.str() << ": expectation " << e.path << " " << compare_symbol(e.op) << " "
            << num(e.value);
        if (!n || !(n->is_number() || n->is_boolean())) {
            msg << ": no numeric field '" << e.path << "' in the report";
        } else {
            v.found = true;
            v.actual = n->is_boolean() ? (n->get<bool>() ? 1.0 : 0.0) : n->get<double>();
            v.pass = compare(v.actual, e.op, e.value);
            msg << (v.pass ? ": passed, actual " : ": FAILED, actual ") << num(v.actual);
        }
        v.message = msg.str();
        out.push_back(v);
    }
    return out;
}

std::vector<Verdict> findings_verdicts(const std::vector<Expectation> &expect, bool any,
                                       const Mark &where, const json &root) {
    std::vector<Verdict> out;
    if (any)
        return out;
    const json *checker = lookup(root, "checker");
    if (!checker || !checker->is_object())
        return out;
    for (const std::string &kind : finding_kinds()) {
        const json *n = lookup(*checker, kind);
        if (!n || !n->is_number() || n->get<double>() == 0)
            continue;
        // checker.KIND states it; otherwise the compared records of one
        // array (accesses[1], accesses[3]) must add up to the checker's count.
        bool stated = false;
        std::map<std::string, std::pair<std::set<std::string>, double>> arrays;
        for (const Expectation &e : expect) {
            if (!states_finding(e, kind))
                continue;
            if (e.path == "checker." + kind) {
                stated = true;
                break;
            }
            auto &[paths, sum] = arrays[e.path.substr(0, e.path.find('['))];
            const json *field = lookup(root, e.path);
            if (paths.insert(e.path).second && field && field->is_number())
                sum += field->get<double>();
        }
        for (const auto &a : arrays)
            stated = stated || a.second.second == n->get<double>();
        if (stated)
            continue;
        Verdict v;
        v.expect.mark = where;
        v.expect.path = "checker." + kind;
        v.expect.op = Compare::Eq;
        v.expect.value = 0;
        v.found = true;
        v.actual = n->get<double>();
        std::string words = kind;
        for (char &c : words)
            c = c == '_' ? ' ' : c;
        v.message = where.str() + ": unexpected finding: " + num(v.actual) + " " + words +
                    " (checker." + kind +
                    "); state the count in expect, or opt out with `findings: any`";
        out.push_back(v);
    }
    return out;
}

} // namespace cmosim::sim
