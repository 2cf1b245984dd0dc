// SPDX-License-Identifier: Apache-2.0
// Every scenario key, declared once: the loader accepts exactly these keys
// (Reader::check_keys reads this table), `cmosim explain` prints them, and
// docs/scenario-reference.md is generated from them (a test keeps it in step).
#pragma once

#include <string>
#include <vector>

namespace cmosim::sim {

struct Param {
    const char *section; // "platform.cache", "step.load", ...
    const char *key;
    const char *type;  // size, time, integer, real, bool, string, address, bandwidth,
                       // one of a|b|c, mapping, sequence
    const char *unit;  // "" when the type says it all
    const char *def;   // default, "required", or "-" (none)
    const char *range; // accepted values
    const char *help;
};

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
