// SPDX-License-Identifier: Apache-2.0
// expect and limits: what the report must show, and how far a run may go.
#include "config/loader.h"

#include <cerrno>
#include <cmath>
#include <cstring>

#include "config/expectations.h"
#include "config/schema.h"

namespace cmosim::sim {

void Loader::limits(const ynode *n) {
    if (n) {
        r.map(n, "limits");
        r.check_keys(n, "limits", keys_of("limits"));
    }
    fill(n, "limits", "limits", static_cast<ScenarioHeader &>(s));
    s.event_limit_given = n && ynode_get(n, "events");
    if (const ynode *m = n ? ynode_get(n, "max_memory") : nullptr)
        s.memory_limit_mark = r.mark(m);
}

void Loader::expectations(const ynode *n) {
    r.map(n, "expect");
    s.expect_mark = r.mark(n);
    for (size_t i = 0; i < n->count; ++i) {
        Expectation e;
        e.mark = r.mark(n->items[i]);
        e.path = n->keys[i]->text;
        if (e.path == "findings") {
            // Not a report field: checker findings the expectations do
            // not state fail the run unless this says `any`.
            std::string v = r.scalar(n->items[i], "expect.findings");
            if (v != "any")
                r.fail(n->items[i], "expect.findings: expected 'any' (checker findings "
                                    "the expectations do not state do not fail the run), "
                                    "found '" +
                                        v + "'");
            s.findings_any = true;
            continue;
        }
        // The path must name a numeric field of the report: a typo is
        // bad input here, not a failed expectation after the run.
        std::string hint;
        std::string why = check_expectation_path(e.path, &hint);
        if (!why.empty())
            r.fail(n->keys[i], "expect." + e.path + ": " + why +
                                   (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
        std::string v = r.scalar(n->items[i], "expect." + e.path);
        size_t p = 0;
        while (p < v.size() && std::strchr("<>=!", v[p]))
            ++p;
        const std::string op = p ? v.substr(0, p) : "==";
        if (!compare_from_symbol(op, &e.op))
            r.fail(n->items[i], "expect." + e.path +
                                    ": expected a comparison (==, !=, <, <=, >, >=), found '" + op +
                                    "'");
        std::string num = v.substr(p);
        while (!num.empty() && num[0] == ' ')
            num.erase(0, 1);
        char *end = nullptr;
        errno = 0;
        e.value = std::strtod(num.c_str(), &end);
        // NaN compares unequal to everything: "!= nan" would always pass.
        if (num.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(e.value) ||
            std::isspace(static_cast<unsigned char>(num[0])))
            r.fail(n->items[i], "expect." + e.path + ": expected a number, found '" + num + "'");
        s.expect.push_back(e);
    }
}

} // namespace cmosim::sim
