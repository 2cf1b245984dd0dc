// SPDX-License-Identifier: Apache-2.0
// Where a value came from, and the error that names it: shared by everything
// that reads user input (scenarios, sweeps, traces).
#include <sstream>

#include "config/scenario.h"

namespace cmosim::sim {

std::string Mark::str() const {
    std::ostringstream o;
    o << file;
    if (line)
        o << ":" << line << ":" << column;
    return o.str();
}

ConfigError::ConfigError(const Mark &m, const std::string &msg)
    : std::runtime_error(m.str() + ": error: " + msg), mark(m), message(msg) {}

} // namespace cmosim::sim
