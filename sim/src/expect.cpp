// SPDX-License-Identifier: Apache-2.0
#include "cmosim/sim/expect.h"

#include <sstream>

#include <nlohmann/json.hpp>

namespace cmosim::sim {

namespace {

using json = nlohmann::json;

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

bool compare(double a, const std::string &op, double b) {
    if (op == "==")
        return a == b;
    if (op == "!=")
        return a != b;
    if (op == "<")
        return a < b;
    if (op == "<=")
        return a <= b;
    if (op == ">")
        return a > b;
    return a >= b;
}

} // namespace

std::vector<Verdict> evaluate(const std::vector<Expectation> &expect, const std::string &report) {
    json root = json::parse(report);
    std::vector<Verdict> out;
    for (const Expectation &e : expect) {
        Verdict v;
        v.expect = e;
        const json *n = lookup(root, e.path);
        std::ostringstream msg;
        msg << e.mark.str() << ": expectation " << e.path << " " << e.op << " " << num(e.value);
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

} // namespace cmosim::sim
