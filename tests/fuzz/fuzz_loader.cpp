// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the YAML loader (sim/config/ynode.c through
// sim/config/loader.h). Any input must either load or be refused with
// a ConfigError that says `file:line:column: error: ...` (or `file: error:`
// for whole-file problems). Anything else -- another exception, a sanitizer
// report, a hang, unbounded memory -- is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "config/scenario.h"

namespace {

[[noreturn]] void finding(const char *what, const std::string &detail) {
    std::fprintf(stderr, "fuzz_loader: %s: %s\n", what, detail.c_str());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // The loader reads C strings (libyaml stops at the first NUL, as it does
    // for files): give it the bytes as a file would.
    const std::string text(reinterpret_cast<const char *>(data), size);
    const std::string name = "fuzz.yaml";
    try {
        cmosim::sim::Scenario s = cmosim::sim::load_scenario_text(name, text);
        // A scenario that loads is one elaboration could be handed: its
        // platform must have what elaboration relies on.
        if (s.platform.cpus == 0 || s.platform.regions.empty() || s.platform.line_bytes == 0)
            finding("loaded an incomplete platform", text.substr(0, 200));
        for (const auto &[cpu, steps] : s.cpus)
            if (cpu >= s.platform.cpus)
                finding("loaded steps for a CPU that does not exist", std::to_string(cpu));
    } catch (const cmosim::sim::ConfigError &e) {
        const std::string msg = e.what();
        if (msg.rfind(name, 0) != 0 || msg.find(": error: ") == std::string::npos)
            finding("malformed error message", msg);
        if (e.message.empty())
            finding("empty error message", msg);
    } catch (const std::exception &e) {
        finding("not a ConfigError", e.what());
    }
    return 0;
}
