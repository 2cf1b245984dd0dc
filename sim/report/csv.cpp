// SPDX-License-Identifier: Apache-2.0
#include "report/csv.h"

#include <algorithm>
#include <sstream>

namespace cmosim::sim {

namespace {

const char *const kColumns[] = {
    "scenario",      "file",           "record",     "index",       "cpu",
    "step",          "label",          "strategy",   "base",        "size",
    "return",        "start_ps",       "latency_ps", "firmware_ps", "sleep_ps",
    "mutex_wait_ps", "firmware_calls", "sleeps",     "cmo_lines",   "resident_lines",
    "residual_lines"};

// One row: what an invalidate step and an invalidating kernel call share.
struct Row {
    const char *record; // the report array: invalidate or kernel_calls
    size_t index;       // in that array
    unsigned cpu;
    size_t step;
    const std::string *label;
    std::string strategy; // a kernel call's name for kernel_calls rows
    uint64_t base, size;
    int ret;
    uint64_t start_ps, end_ps, firmware_ps, sleep_ps, mutex_wait_ps, firmware_calls, sleeps;
    uint64_t cmo_lines, resident_lines, residual_lines;
};

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
                                const std::vector<InvalidateRecord> &invalidates,
                                const std::vector<KernelCallRecord> &kernel_calls) {
    std::vector<Row> rows;
    for (size_t i = 0; i < invalidates.size(); ++i) {
        const InvalidateRecord &v = invalidates[i];
        rows.push_back({"invalidate", i, v.cpu, v.step, &v.label, strategy_name(v.strategy), v.base,
                        v.size, v.ret, v.start_ps, v.end_ps, v.firmware_ps, v.sleep_ps,
                        v.mutex_wait_ps, v.firmware_calls, v.sleeps, v.cmo_lines, v.resident_lines,
                        v.residual_lines});
    }
    for (size_t i = 0; i < kernel_calls.size(); ++i) {
        const KernelCallRecord &k = kernel_calls[i];
        if (k.call == "has_invalidate_memregion")
            continue;
        rows.push_back({"kernel_calls", i, k.cpu, k.step, &k.label, k.call, k.base, k.size, k.ret,
                        k.start_ps, k.end_ps, k.firmware_ps, k.sleep_ps, k.mutex_wait_ps,
                        k.firmware_calls, k.sleeps, 0, 0, k.residual_lines});
    }
    // Each array is in the order its calls returned; so are the merged rows.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row &a, const Row &b) { return a.end_ps < b.end_ps; });
    std::ostringstream o;
    for (const Row &r : rows)
        o << csv_field(scenario) << ',' << csv_field(file) << ',' << r.record << ',' << r.index
          << ',' << r.cpu << ',' << r.step << ',' << csv_field(*r.label) << ','
          << csv_field(r.strategy) << ",0x" << std::hex << r.base << std::dec << ',' << r.size
          << ',' << r.ret << ',' << r.start_ps << ',' << r.end_ps - r.start_ps << ','
          << r.firmware_ps << ',' << r.sleep_ps << ',' << r.mutex_wait_ps << ',' << r.firmware_calls
          << ',' << r.sleeps << ',' << r.cmo_lines << ',' << r.resident_lines << ','
          << r.residual_lines << '\n';
    return o.str();
}

} // namespace cmosim::sim
