// SPDX-License-Identifier: Apache-2.0
#include "cmosim/sim/csv.h"

#include <sstream>

namespace cmosim::sim {

namespace {

const char *const kColumns[] = {"scenario",      "file",          "cpu",
                                "step",          "label",         "strategy",
                                "base",          "size",          "return",
                                "start_ps",      "latency_ps",    "firmware_ps",
                                "sleep_ps",      "mutex_wait_ps", "firmware_calls",
                                "sleeps",        "cmo_lines",     "resident_lines",
                                "residual_lines"};

} // namespace

std::string csv_field(const std::string &text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string invalidate_csv_header() {
    std::string out;
    for (const char *c : kColumns)
        out += std::string(out.empty() ? "" : ",") + c;
    return out + "\n";
}

std::string invalidate_csv_rows(const std::string &scenario, const std::string &file,
                                const std::vector<InvalidateRecord> &records) {
    std::ostringstream o;
    for (const InvalidateRecord &v : records) {
        o << csv_field(scenario) << ',' << csv_field(file) << ',' << v.cpu << ',' << v.step << ','
          << csv_field(v.label) << ',' << strategy_name(v.strategy) << ",0x" << std::hex << v.base
          << std::dec << ',' << v.size << ',' << v.ret << ',' << v.start_ps << ','
          << v.end_ps - v.start_ps << ',' << v.firmware_ps << ',' << v.sleep_ps << ','
          << v.mutex_wait_ps << ',' << v.firmware_calls << ',' << v.sleeps << ',' << v.cmo_lines
          << ',' << v.resident_lines << ',' << v.residual_lines << '\n';
    }
    return o.str();
}

} // namespace cmosim::sim
