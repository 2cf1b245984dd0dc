// SPDX-License-Identifier: Apache-2.0
// What an expectation may name: the report's numeric fields and the checker's
// finding kinds, checked when a scenario loads.
#include "config/expectations.h"

#include <algorithm>
#include <unordered_set>

namespace cmosim::sim {

namespace {

// The report's numeric and boolean fields (report.cpp, docs/report-format.md),
// arrays as "[]": what an expectation may compare. report_fields_test keeps
// this list and real reports in step.
std::vector<std::string> build_report_fields() {
    std::vector<std::string> f = {"format_version", "complete", "sim_time_ps"};
    auto add = [&f](const std::string &prefix, std::initializer_list<const char *> names) {
        for (const char *n : names)
            f.push_back(prefix + n);
    };
    add("platform.", {"cpus", "clock_ghz", "line_size", "store_pages_touched", "store_intervals"});
    add("platform.caches[].",
        {"size", "ways", "sets", "hit_latency_ps", "outstanding", "read_hits", "read_misses",
         "write_hits", "write_misses", "evictions", "writebacks", "lines_invalidated",
         "back_invalidations", "valid_lines_at_end"});
    add("platform.caches[].cmos.",
        {"dc_civac", "dc_cvac", "dc_ivac", "dc_cisw", "dc_csw", "dc_isw"});
    add("platform.memory[].",
        {"size", "reads", "writes", "device_ops", "offline_reads", "queueing_ps"});
    add("cpus[].", {"cpu", "loads", "stores", "fetches", "stale_reads", "cmo_lines", "setway_ops"});
    add("accesses[].", {"cpu", "step", "size", "lines", "loads", "stores", "start_ps", "end_ps",
                        "stale_reads", "count"});
    add("replays[].", {"cpu", "step", "records", "start_ps", "end_ps"});
    add("replays[].events.", {"Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"});
    add("replays[].warmup.", {"records", "marker_found"});
    add("replays[].warmup.events.",
        {"Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"});
    add("device_ops[].", {"cpu", "step", "size", "at_ps"});
    for (const char *call : {"invalidate[].", "kernel_calls[]."})
        add(call, {"cpu", "step", "size", "return", "start_ps", "latency_ps", "firmware_calls",
                   "firmware_ps", "sleeps", "sleep_ps", "mutex_wait_ps", "residual_lines"});
    add("invalidate[].", {"cmo_lines", "resident_lines"});
    add("maintenance[].",
        {"cpu", "step", "size", "lines", "resident_lines", "start_ps", "latency_ps"});
    add("firmware.", {"model_breakeven_bytes", "calls", "clean_inv_calls", "clean_inv_success",
                      "busy", "rate_limited", "log_total"});
    add("smc[].", {"cpu", "step", "x0", "x1", "x2", "x3", "start_ps", "latency_ps"});
    add("firmware.log[].", {"t_ps", "duration_ps", "cpu", "status", "attempt", "cpu_attempt",
                            "fault_rule", "lines_invalidated", "lines_written_back"});
    add("kernel.", {"initcalls", "has_invalidate_memregion"});
    add("kernel.printk[].", {"t_ps", "cpu", "level"});
    add("kernel.rule_events[].", {"t_ps", "cpu"});
    add("kernel.locks[].", {"rwsem", "acquisitions", "contended", "wait_total_ps", "wait_max_ps",
                            "hold_total_ps", "hold_max_ps"});
    add("checker.", {"stale_reads", "lost_device_writes", "residual_lines", "lost_cpu_writes",
                     "offline_reads", "events_kept"});
    add("checker.events[].", {"t_ps", "cpu"});
    add("stop.", {"events"});
    add("stop.limits.", {"sim_time_ps", "wall_seconds", "events"});
    return f;
}

} // namespace

const std::vector<std::string> &finding_kinds() {
    static const std::vector<std::string> k = {
        "stale_reads", "lost_device_writes", "residual_lines", "lost_cpu_writes", "offline_reads"};
    return k;
}

bool states_finding(const Expectation &e, const std::string &kind) {
    const std::string &p = e.path;
    return p.size() >= kind.size() && p.compare(p.size() - kind.size(), kind.size(), kind) == 0 &&
           (p.size() == kind.size() || p[p.size() - kind.size() - 1] == '.');
}

unsigned edit_distance(const std::string &a, const std::string &b) {
    std::vector<unsigned> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = static_cast<unsigned>(j);
    for (size_t i = 1; i <= a.size(); ++i) {
        unsigned prev = row[0];
        row[0] = static_cast<unsigned>(i);
        for (size_t j = 1; j <= b.size(); ++j) {
            unsigned cur = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] != b[j - 1])});
            prev = cur;
        }
    }
    return row[b.size()];
}

const std::vector<std::string> &report_fields() {
    static const std::vector<std::string> f = build_report_fields();
    return f;
}

std::string check_expectation_path(const std::string &path, std::string *did_you_mean) {
    // "invalidate[12].return" -> "invalidate[].return", the indices kept aside.
    std::string shape;
    std::vector<std::string> indices;
    for (size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '[') {
            if (path[i] == ']')
                return "a ']' without its '['";
            shape += path[i];
            continue;
        }
        size_t e = path.find(']', i);
        if (e == std::string::npos)
            return "a '[' without its ']'";
        std::string idx = path.substr(i + 1, e - i - 1);
        if (idx.empty() || idx.size() > 9 ||
            idx.find_first_not_of("0123456789") != std::string::npos)
            return "an index of digits in [], found '[" + idx + "]'";
        indices.push_back(idx);
        shape += "[]";
        i = e;
    }
    static const std::unordered_set<std::string> known(report_fields().begin(),
                                                       report_fields().end());
    if (known.count(shape))
        return "";
    const std::vector<std::string> &fields = report_fields();
    // The nearest field, with the path's own indices put back.
    unsigned best_d = ~0u;
    std::string best;
    for (const std::string &f : fields) {
        unsigned d = edit_distance(shape, f);
        if (d < best_d) {
            best_d = d;
            best = f;
        }
    }
    if (did_you_mean && best_d <= std::max<size_t>(2, shape.size() / 4)) {
        std::string out;
        size_t k = 0;
        for (size_t i = 0; i < best.size(); ++i) {
            if (best.compare(i, 2, "[]") == 0) {
                out += "[" + (k < indices.size() ? indices[k++] : std::string("0")) + "]";
                ++i;
            } else {
                out += best[i];
            }
        }
        *did_you_mean = out;
    }
    return "no numeric field '" + shape + "' in the report";
}

} // namespace cmosim::sim
