// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the sweep file and its `${...}` template language
// (sim/sweep/spec.cpp). The first byte chooses what the rest is:
//   even: a sweep file, parsed, then expanded into its points (when the
//         sweep has at most 10000 of them: expansion is linear in them);
//   odd:  a `set:` template, substituted with three axis variables (two
//         numeric, one text) as a sweep point would be.
// Any input must succeed or be refused with a ConfigError that says
// `file:line:column: error: ...`; another exception, a sanitizer report (a
// stack overflow from deep nesting included), a hang or unbounded memory is
// a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "sweep/sweep.h"

namespace {

[[noreturn]] void finding(const char *what, const std::string &detail) {
    std::fprintf(stderr, "fuzz_sweep: %s: %s\n", what, detail.c_str());
    std::abort();
}

void check_error(const cmosim::sim::ConfigError &e, const std::string &name) {
    const std::string msg = e.what();
    if (msg.rfind(name, 0) != 0 || msg.find(": error: ") == std::string::npos)
        finding("malformed error message", msg);
    if (e.message.empty())
        finding("empty error message", msg);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace cmosim::sim;
    if (size == 0)
        return 0;
    const bool template_only = data[0] & 1;
    // The loader reads C strings, as it reads files: libyaml stops at a NUL.
    const std::string text(reinterpret_cast<const char *>(data + 1), size - 1);
    const std::string name = "fuzz-sweep.yaml";
    try {
        if (template_only) {
            std::map<std::string, sweep::AxisValue> vars;
            vars["size"] = sweep::AxisValue{"64KiB", true, 65536};
            vars["n"] = sweep::AxisValue{"3", true, 3};
            vars["strategy"] = sweep::AxisValue{"smccc", false, 0};
            (void)sweep::substitute(text, vars, Mark{name, 7, 9});
            return 0;
        }
        sweep::Spec s = sweep::parse_spec_text(name, text.c_str());
        if (s.axes.empty())
            finding("parsed a sweep without axes", text.substr(0, 200));
        size_t points = 1;
        for (const sweep::Axis &a : s.axes) {
            if (a.values.empty())
                finding("parsed an axis without values", a.name);
            points = s.zip ? a.values.size() : points * a.values.size();
            if (points > 10000)
                return 0;
        }
        std::vector<sweep::Point> pts = sweep::expand(s);
        if (pts.size() != points)
            finding("expanded to a different number of points", std::to_string(pts.size()));
        for (const sweep::Point &p : pts)
            if (p.sets.size() < s.sets.size())
                finding("a point lost a set: template", p.id());
    } catch (const ConfigError &e) {
        check_error(e, name);
    } catch (const std::exception &e) {
        finding("not a ConfigError", e.what());
    }
    return 0;
}
