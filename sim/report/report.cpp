// SPDX-License-Identifier: Apache-2.0
// The JSON report (docs/report-format.md) and the one-screen summary.
#include "report/report.h"

#include <iomanip>
#include <sstream>

#include "config/schema.h"
#include "report/format.h"
#include "report/summary_text.h"

namespace cmosim::sim {

using json = nlohmann::ordered_json;

namespace {

json cache_json(const CacheResult &c) {
    json cmos = json::object();
    for (const auto &[name, count] : c.cmos)
        cmos[name] = count;
    return json{{"name", c.name},
                {"size", c.size},
                {"ways", c.ways},
                {"sets", c.sets},
                {"replacement", c.replacement},
                {"hit_latency_ps", c.hit_latency_ps},
                {"inclusion", c.inclusion},
                {"outstanding", c.outstanding},
                {"read_hits", c.read_hits},
                {"read_misses", c.read_misses},
                {"write_hits", c.write_hits},
                {"write_misses", c.write_misses},
                {"evictions", c.evictions},
                {"writebacks", c.writebacks},
                {"lines_invalidated", c.lines_invalidated},
                {"back_invalidations", c.back_invalidations},
                {"cmos", cmos},
                {"valid_lines_at_end", c.valid_lines_at_end}};
}

// The fields every kernel call has, for invalidate[] and kernel_calls[].
json kernel_call_json(const KernelCallCost &v) {
    return {{"cpu", v.cpu},
            {"step", v.step},
            {"label", v.label},
            {"base", hex(v.base)},
            {"size", v.size},
            {"return", v.ret},
            {"start_ps", v.start_ps},
            {"latency_ps", v.end_ps - v.start_ps},
            {"firmware_calls", v.firmware_calls},
            {"firmware_ps", v.firmware_ps},
            {"sleeps", v.sleeps},
            {"sleep_ps", v.sleep_ps},
            {"mutex_wait_ps", v.mutex_wait_ps},
            {"residual_lines", v.residual_lines}};
}

} // namespace

nlohmann::ordered_json cg_counts_json(const CgCounts &c) {
    return json{{"Ir", c.ir}, {"I1mr", c.i1mr}, {"ILmr", c.ilmr},
                {"Dr", c.dr}, {"D1mr", c.d1mr}, {"DLmr", c.dlmr},
                {"Dw", c.dw}, {"D1mw", c.d1mw}, {"DLmw", c.dlmw}};
}

namespace {

json verdicts_json(const std::vector<Verdict> &verdicts) {
    json out = json::array();
    for (const Verdict &v : verdicts)
        out.push_back({{"field", v.expect.path},
                       {"op", compare_symbol(v.expect.op)},
                       {"expected", v.expect.value},
                       {"actual", v.found ? json(v.actual) : json(nullptr)},
                       {"pass", v.pass},
                       {"source", v.expect.mark.str()},
                       {"message", v.message}});
    return out;
}

// Everything that differs between two runs of the same scenario lives here.
json host_json(const RunResult &run) {
    const double wall = run.host.wall_seconds;
    return {{"wall_seconds", wall},
            {"sim_seconds_per_wall_second",
             wall > 0 ? static_cast<double>(run.sim_time_ps) / 1e12 / wall : 0.0},
            {"max_rss_kib", run.host.max_rss_kib}};
}

// The "stop" section: why the run ended; for an unfinished run, each CPU.
json stop_json(const StopResult &st, bool complete) {
    json j;
    j["reason"] = st.reason;
    j["message"] = st.message;
    j["events"] = st.events;
    j["limits"] = {{"sim_time_ps", st.limit_sim_time_ps},
                   {"wall_seconds", st.limit_wall_seconds},
                   {"events", st.limit_events}};
    if (complete)
        return j;
    json cpus = json::array();
    for (const StoppedCpu &c : st.cpus) {
        json e{{"cpu", c.cpu},   {"state", c.state},         {"since_ps", c.since_ps},
               {"step", c.step}, {"step_kind", c.step_kind}, {"label", c.label}};
        switch (c.waits) {
        case StoppedCpu::Waits::Lock:
            e["waits_on"] = {{"kind", c.waits_kind},
                             {"name", c.waits_name},
                             {"holder_cpu", c.holder_cpu},
                             {"readers", c.readers}};
            break;
        case StoppedCpu::Waits::Smc:
            e["waits_on"] = {{"kind", "smc"}, {"call", c.call}};
            break;
        case StoppedCpu::Waits::Boot:
            e["waits_on"] = {{"kind", "boot"}, {"cpu", 0}};
            break;
        case StoppedCpu::Waits::Barrier:
            e["waits_on"] = {{"kind", "barrier"}, {"name", c.waits_name}};
            break;
        case StoppedCpu::Waits::Nothing:
            break;
        }
        e["description"] = c.description;
        cpus.push_back(e);
    }
    j["cpus"] = cpus;
    return j;
}

} // namespace

std::string Report::text() const {
    return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Report make_report(const RunResult &sim) {
    const ScenarioHeader &s = sim.scenario;
    json r;
    r["format"] = "cmosim-report";
    r["format_version"] = 2;
    r["scenario"] = {{"name", s.name}, {"file", s.file}, {"description", s.description}};
    r["complete"] = sim.complete;
    r["sim_time_ps"] = sim.sim_time_ps;

    json regions = json::array();
    for (const RegionResult &g : sim.regions)
        regions.push_back({{"name", g.name},
                           {"kind", g.kind},
                           {"base", hex(g.base)},
                           {"size", g.size},
                           {"reads", g.reads},
                           {"writes", g.writes},
                           {"device_ops", g.device_ops},
                           {"offline_reads", g.offline_reads},
                           {"queueing_ps", g.queueing_ps}});
    json caches = json::array();
    for (const CacheResult &c : sim.caches)
        caches.push_back(cache_json(c));
    r["platform"] = {{"cpus", s.platform.cpus},
                     {"clock_ghz", s.platform.clock_ghz},
                     {"line_size", s.platform.line_bytes},
                     {"caches", caches},
                     {"memory", regions},
                     {"store_pages_touched", sim.store_pages_touched},
                     {"store_intervals", sim.store_intervals}};

    json cpus = json::array();
    for (const CpuResult &c : sim.cpus)
        cpus.push_back({{"cpu", c.cpu},
                        {"loads", c.loads},
                        {"stores", c.stores},
                        {"fetches", c.fetches},
                        {"stale_reads", c.stale_reads},
                        {"cmo_lines", c.cmo_lines},
                        {"setway_ops", c.setway_ops}});
    r["cpus"] = cpus;

    json acc = json::array();
    for (const AccessRecord &a : sim.accesses)
        acc.push_back({{"cpu", a.cpu},
                       {"step", a.step},
                       {"label", a.label},
                       {"kind", a.kind},
                       {"base", hex(a.base)},
                       {"size", a.size},
                       {"lines", a.lines},
                       {"loads", a.loads},
                       {"stores", a.stores},
                       {"start_ps", a.start_ps},
                       {"end_ps", a.end_ps},
                       {"stale_reads", a.stale_reads},
                       {"count", a.count}});
    r["accesses"] = acc;
    json rep = json::array();
    for (const ReplayRecord &p : sim.replays) {
        rep.push_back({{"cpu", p.cpu},
                       {"step", p.step},
                       {"label", p.label},
                       {"trace", p.trace},
                       {"records", p.records},
                       {"start_ps", p.start_ps},
                       {"end_ps", p.end_ps},
                       {"events", cg_counts_json(p.counts)}});
        if (p.warmup_records > 0 || p.has_warmup_until)
            rep.back()["warmup"] = {{"records", p.warmup_records},
                                    {"events", cg_counts_json(p.warmup_counts)}};
        if (p.has_warmup_until) {
            rep.back()["warmup"]["until"] = hex(p.warmup_until);
            rep.back()["warmup"]["marker_found"] = p.marker_found;
        }
    }
    r["replays"] = rep;
    json dev = json::array();
    for (const DeviceRecord &d : sim.devices)
        dev.push_back({{"cpu", d.cpu},
                       {"step", d.step},
                       {"op", d.op},
                       {"base", hex(d.base)},
                       {"size", d.size},
                       {"at_ps", d.at_ps}});
    r["device_ops"] = dev;
    json inv = json::array();
    for (const InvalidateRecord &v : sim.invalidates) {
        json e = kernel_call_json(v);
        e["strategy"] = strategy_name(v.strategy);
        e["cmo_lines"] = v.cmo_lines;
        e["resident_lines"] = v.resident_lines;
        inv.push_back(std::move(e));
    }
    r["invalidate"] = inv;

    json mnt = json::array();
    for (const MaintenanceRecord &v : sim.maintenance)
        mnt.push_back({{"cpu", v.cpu},
                       {"step", v.step},
                       {"label", v.label},
                       {"op", v.op},
                       {"base", hex(v.base)},
                       {"size", v.size},
                       {"lines", v.lines},
                       {"resident_lines", v.resident},
                       {"start_ps", v.start_ps},
                       {"latency_ps", v.end_ps - v.start_ps}});
    r["maintenance"] = mnt;
    json kc = json::array();
    for (const KernelCallRecord &v : sim.kernel_calls) {
        json e = kernel_call_json(v);
        e["call"] = v.call;
        kc.push_back(std::move(e));
    }
    r["kernel_calls"] = kc;
    json smcs = json::array();
    for (const SmcRecord &v : sim.smcs) {
        json in = json::array();
        for (uint64_t a : v.in)
            in.push_back(hex(a));
        json out = json::array();
        for (uint64_t x : v.out)
            out.push_back(hex(x));
        json e = {{"cpu", v.cpu},
                  {"step", v.step},
                  {"label", v.label},
                  {"fid", hex(v.fid)},
                  {"name", fw_fid_name(v.fid)},
                  {"args", in}};
        // x0..x3 as signed 64-bit numbers, so that `smc[0].x0: -1` is an expectation.
        for (int i = 0; i < 4; ++i)
            e["x" + std::to_string(i)] = static_cast<int64_t>(v.out[i]);
        e["status_name"] = fw_status_name(static_cast<int32_t>(v.out[0]));
        e["out"] = out;
        e["start_ps"] = v.start_ps;
        e["latency_ps"] = v.end_ps - v.start_ps;
        smcs.push_back(std::move(e));
    }
    r["smc"] = smcs;
    if (sim.step_records_dropped != 0) // only a step called more often than records are kept
        r["step_records_dropped"] = sim.step_records_dropped;

    const FirmwareResult &fs = sim.firmware;
    json calls = json::array();
    for (const fw_call_record &rec : fs.log) {
        const fw_call_record *c = &rec;
        calls.push_back({{"t_ps", c->t_start_ps},
                         {"duration_ps", c->duration_ps},
                         {"cpu", c->cpu},
                         {"fid", hex(c->fid)},
                         {"name", fw_fid_name(c->fid)},
                         {"x1", hex(c->in[1])},
                         {"x2", hex(c->in[2])},
                         {"x3", hex(c->in[3])},
                         {"status", static_cast<int32_t>(c->out[0])},
                         {"status_name", fw_status_name(static_cast<int32_t>(c->out[0]))},
                         {"attempt", c->attempt},
                         {"cpu_attempt", c->cpu_attempt},
                         {"fault_rule", c->fault_rule},
                         {"lines_invalidated", c->flush.lines_invalidated},
                         {"lines_written_back", c->flush.lines_written_back}});
    }
    r["firmware"] = {{"smccc_version", hex(s.firmware.smccc_version)},
                     {"method", fw_method_name(s.firmware.method)},
                     {"model_breakeven_bytes", fs.model_breakeven_bytes},
                     {"calls", fs.calls},
                     {"clean_inv_calls", fs.clean_inv_calls},
                     {"clean_inv_success", fs.clean_inv_success},
                     {"busy", fs.busy},
                     {"rate_limited", fs.rate_limited},
                     {"log_total", fs.log_total},
                     {"log", calls}};

    json printk = json::array();
    for (const PrintkLine &l : sim.kernel.printk)
        printk.push_back({{"t_ps", l.t_ps}, {"cpu", l.cpu}, {"level", l.level}, {"text", l.text}});
    json rules = json::array();
    for (const RuleEvent &e : sim.kernel.rule_events)
        rules.push_back({{"t_ps", e.t_ps}, {"cpu", e.cpu}, {"rule", e.rule}, {"detail", e.detail}});
    json locks = json::array();
    for (const LockResult &ls : sim.kernel.locks) {
        locks.push_back({{"name", ls.name},
                         {"rwsem", ls.rwsem},
                         {"acquisitions", ls.acquisitions},
                         {"contended", ls.contended},
                         {"wait_total_ps", ls.wait_total_ps},
                         {"wait_max_ps", ls.wait_max_ps},
                         {"hold_total_ps", ls.hold_total_ps},
                         {"hold_max_ps", ls.hold_max_ps}});
    }
    const std::string provider =
        choice_name("kernel", "provider", static_cast<unsigned>(s.kernel.provider));
    r["kernel"] = {{"provider", provider},
                   {"provider_src", s.kernel.provider_src},
                   {"framework_src", s.kernel.framework_src},
                   {"initcalls", sim.kernel.initcalls},
                   {"has_invalidate_memregion", sim.kernel.has_invalidate_memregion},
                   {"printk", printk},
                   {"rule_events", rules},
                   {"locks", locks}};

    json events = json::array();
    for (const FindingEvent &e : sim.checker.events)
        events.push_back({{"kind", e.kind},
                          {"t_ps", e.t_ps},
                          {"cpu", e.cpu},
                          {"level", e.level},
                          {"addr", hex(e.addr)},
                          {"cause", e.cause}});
    const CheckerResult &ck = sim.checker;
    r["checker"] = {{"stale_reads", ck.stale_reads},
                    {"lost_device_writes", ck.lost_device_writes},
                    {"residual_lines", ck.residual_lines},
                    {"lost_cpu_writes", ck.lost_cpu_writes},
                    {"offline_reads", ck.offline_reads},
                    {"events_kept", ck.events_kept},
                    {"events", events}};
    r["stop"] = stop_json(sim.stop, sim.complete);
    // Expectations see every field above, on this object; not their own
    // verdicts, not `host`. Then one failed verdict per checker finding kind
    // nobody stated.
    std::vector<Verdict> verdicts =
        s.expect.empty() ? std::vector<Verdict>{} : evaluate(s.expect, r);
    Mark where = s.expect_mark.file.empty() ? Mark{s.file, 0, 0} : s.expect_mark;
    for (Verdict &v : findings_verdicts(s.expect, s.findings_any, where, r))
        verdicts.push_back(std::move(v));
    r["verdicts"] = verdicts_json(verdicts);
    r["host"] = host_json(sim);
    return Report{std::move(r), std::move(verdicts)};
}

std::string report_json(const RunResult &run) {
    return make_report(run).text();
}

std::string summary_text(const RunResult &sim) {
    std::ostringstream o;
    const ScenarioHeader &s = sim.scenario;
    auto us = [](uint64_t ps) {
        std::ostringstream t;
        t << std::fixed << std::setprecision(3) << static_cast<double>(ps) / 1e6 << " us";
        return t.str();
    };
    o << "cmosim: " << (s.name.empty() ? s.file : s.name) << "  (" << s.platform.cpus
      << " CPU, SLC " << (s.platform.slc.size >> 20) << " MiB, provider "
      << choice_name("kernel", "provider", static_cast<unsigned>(s.kernel.provider)) << ")\n";
    o << "simulated time " << us(sim.sim_time_ps) << (sim.complete ? "" : "  [INCOMPLETE]")
      << "\n\n";
    o << "accesses:\n";
    for (const AccessRecord &a : sim.accesses)
        o << "  cpu" << a.cpu << " step " << a.step << "  " << std::left << std::setw(6) << a.kind
          << std::right << " " << hex(a.base) << " +" << a.size << " B  " << a.lines << " lines"
          << (a.count == 1 ? "" : "  x" + std::to_string(a.count))
          << (a.loads == 0 ? "" : "  stale reads: " + std::to_string(a.stale_reads))
          << (a.label.empty() ? "" : "  [" + a.label + "]") << "\n";
    if (!sim.replays.empty())
        o << "\nreplays:\n";
    for (const ReplayRecord &p : sim.replays)
        o << "  cpu" << p.cpu << " step " << p.step << "  " << p.trace << "  " << p.records
          << " records in " << us(p.end_ps - p.start_ps)
          << (p.label.empty() ? "" : "  [" + p.label + "]") << "\n"
          << cachegrind_lines(p.counts, "    ")
          << (p.warmup_records == 0 && !p.has_warmup_until
                  ? ""
                  : "    functional warm-up before them, no time: " +
                        std::to_string(p.warmup_records) + " records" +
                        (!p.has_warmup_until ? std::string()
                         : p.marker_found    ? " (until the fetch at " + hex(p.warmup_until) + ")"
                                             : " (the fetch at " + hex(p.warmup_until) +
                                                " never came: every record ran in the warm-up)") +
                        ":\n" + cachegrind_lines(p.warmup_counts, "      "));
    o << "\ninvalidates:\n";
    for (const InvalidateRecord &v : sim.invalidates) {
        o << "  cpu" << v.cpu << " step " << v.step << "  " << std::left << std::setw(8)
          << strategy_name(v.strategy) << std::right << " " << hex(v.base) << " +" << v.size
          << " B  return " << v.ret << "  latency " << us(v.end_ps - v.start_ps)
          << latency_breakdown(v, v.strategy == Strategy::Smccc);
        o << "  residual lines " << v.residual_lines
          << (v.label.empty() ? "" : "  [" + v.label + "]") << "\n";
    }
    const CheckerResult &ck = sim.checker;
    o << "\nchecker: stale reads " << ck.stale_reads << ", lost device writes "
      << ck.lost_device_writes << ", residual lines " << ck.residual_lines << ", lost CPU writes "
      << ck.lost_cpu_writes;
    if (ck.offline_reads)
        o << ", offline reads " << ck.offline_reads;
    o << "\n";
    size_t shown = 0;
    for (const FindingEvent &e : ck.events) {
        if (shown++ == 5)
            break;
        o << "  " << e.kind << " at " << us(e.t_ps) << " cpu" << e.cpu << " " << e.level << " "
          << hex(e.addr) << ": " << e.cause << "\n";
    }
    if (ck.events.size() > 5)
        o << "  ... (" << ck.events.size() - 5 << " more kept in the report)\n";
    return o.str();
}

} // namespace cmosim::sim
