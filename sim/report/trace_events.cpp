// SPDX-License-Identifier: Apache-2.0
// The run as Chrome/Perfetto trace events (the JSON object format): one thread
// per CPU, one for the firmware, one for the flush engine. Every span is a
// B/E pair rather than an X event: a viewer converts each timestamp on its
// own, and B/E nesting survives any monotonic rounding of picoseconds, where
// an X event's ts + dur can come out one tick past its parent's end.
#include "report/trace_events.h"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report/format.h"

namespace cmosim::sim {

using json = nlohmann::ordered_json;

namespace {

// The trace-event format counts time in microseconds.
double us(uint64_t ps) {
    return static_cast<double>(ps) / 1e6;
}

struct Span {
    size_t track;
    std::string name;
    const char *cat;
    uint64_t start_ps, end_ps;
    // Spans nest only in spans of a smaller depth: a step (0) holds kernel
    // waits and SMCs (1), an SMC holds the EL3 loop (2).
    int depth;
    json args;
};

struct Instant {
    size_t track;
    std::string name;
    const char *cat;
    uint64_t at_ps;
    json args;
};

std::string with_label(const std::string &what, const std::string &label) {
    return label.empty() ? what : what + " [" + label + "]";
}

// The firmware's log entry of an SMC, if the log still holds it.
const fw_call_record *log_entry(const FirmwareResult &fw, unsigned cpu, uint64_t t_ps) {
    for (const fw_call_record &c : fw.log)
        if (c.cpu == cpu && c.t_start_ps == t_ps)
            return &c;
    return nullptr;
}

// Spans of one track that overlap without nesting (two CPUs inside the
// firmware at once) cannot share a thread: B/E pairs on a thread must nest.
// Each goes to the first lane where it nests or follows, and each lane
// becomes a thread of its own. Spans must arrive sorted by start, then depth.
// Emits the B/E events of every lane in order.
class LaneWriter {
public:
    void add(const Span &s) {
        for (size_t i = 0;; ++i) {
            if (i == m_lanes.size())
                m_lanes.emplace_back();
            Lane &l = m_lanes[i];
            // Close what ended by now; a zero-length span at its parent's
            // end follows the parent rather than nesting in it.
            while (!l.open.empty() && l.open.back().end_ps <= s.start_ps)
                close(l);
            if (!l.open.empty() &&
                (l.open.back().depth >= s.depth || l.open.back().end_ps < s.end_ps))
                continue;
            json b = {{"name", s.name}, {"cat", s.cat}, {"ph", "B"}, {"ts", us(s.start_ps)}};
            if (!s.args.empty())
                b["args"] = s.args;
            l.events.push_back(std::move(b));
            l.open.push_back({s.end_ps, s.depth});
            return;
        }
    }

    size_t lanes() const { return m_lanes.size(); }

    // Close every span of a lane and hand over its events.
    std::vector<json> finish(size_t lane) {
        Lane &l = m_lanes[lane];
        while (!l.open.empty())
            close(l);
        return std::move(l.events);
    }

private:
    struct Open {
        uint64_t end_ps;
        int depth;
    };
    struct Lane {
        std::vector<Open> open; // innermost last
        std::vector<json> events;
    };
    static void close(Lane &l) {
        l.events.push_back({{"ph", "E"}, {"ts", us(l.open.back().end_ps)}});
        l.open.pop_back();
    }
    std::vector<Lane> m_lanes;
};

} // namespace

std::string trace_events_json(const RunResult &sim, int pid) {
    const ScenarioHeader &s = sim.scenario;
    const size_t ncpu = sim.cpus.size();
    const size_t kFirmware = ncpu, kEngine = ncpu + 1, kTracks = ncpu + 2;
    std::vector<Span> spans;
    std::vector<Instant> instants;

    for (const AccessRecord &a : sim.accesses)
        spans.push_back({a.cpu, with_label(a.kind, a.label), "access", a.start_ps, a.end_ps, 0,
                         json{{"step", a.step},
                              {"base", hex(a.base)},
                              {"size", a.size},
                              {"loads", a.loads},
                              {"stores", a.stores},
                              {"stale_reads", a.stale_reads}}});
    for (const MaintenanceRecord &m : sim.maintenance)
        spans.push_back({m.cpu, with_label(m.op, m.label), "maintenance", m.start_ps, m.end_ps, 0,
                         json{{"step", m.step},
                              {"base", hex(m.base)},
                              {"size", m.size},
                              {"lines", m.lines},
                              {"resident_lines", m.resident}}});
    for (const KernelCallRecord &k : sim.kernel_calls)
        spans.push_back({k.cpu, with_label(k.call, k.label), "kernel_call", k.start_ps, k.end_ps, 0,
                         json{{"step", k.step},
                              {"base", hex(k.base)},
                              {"size", k.size},
                              {"return", k.ret},
                              {"firmware_calls", k.firmware_calls},
                              {"firmware_ps", k.firmware_ps},
                              {"sleeps", k.sleeps},
                              {"sleep_ps", k.sleep_ps},
                              {"mutex_wait_ps", k.mutex_wait_ps},
                              {"residual_lines", k.residual_lines}}});
    for (const InvalidateRecord &v : sim.invalidates)
        spans.push_back(
            {v.cpu, with_label(std::string("invalidate ") + strategy_name(v.strategy), v.label),
             "invalidate", v.start_ps, v.end_ps, 0,
             json{{"step", v.step},
                  {"strategy", strategy_name(v.strategy)},
                  {"base", hex(v.base)},
                  {"size", v.size},
                  {"return", v.ret},
                  {"firmware_calls", v.firmware_calls},
                  {"firmware_ps", v.firmware_ps},
                  {"sleeps", v.sleeps},
                  {"sleep_ps", v.sleep_ps},
                  {"mutex_wait_ps", v.mutex_wait_ps},
                  {"residual_lines", v.residual_lines}}});
    for (const DeviceRecord &d : sim.devices)
        instants.push_back({d.cpu, "device " + d.op, "device", d.at_ps,
                            json{{"step", d.step}, {"base", hex(d.base)}, {"size", d.size}}});

    for (const KernelSpan &k : sim.kernel_spans) {
        const uint64_t end = k.start_ps + k.duration_ps;
        switch (k.kind) {
        case KernelSpan::Kind::Smc: {
            const uint32_t fid = static_cast<uint32_t>(k.fid);
            // x0 returns a status, or a value such as SMCCC_VERSION's.
            const int32_t status = static_cast<int32_t>(k.result);
            json args = {{"fid", hex(fid)}, {"x0", hex(static_cast<uint32_t>(k.result))}};
            if (status <= 0)
                args["status"] = fw_status_name(status);
            spans.push_back(
                {k.cpu, std::string("SMC ") + fw_fid_name(fid), "smc", k.start_ps, end, 1, args});
            args["cpu"] = k.cpu;
            if (const fw_call_record *c = log_entry(sim.firmware, k.cpu, k.start_ps)) {
                args["x1"] = hex(c->in[1]);
                args["x2"] = hex(c->in[2]);
                args["x3"] = hex(c->in[3]);
                args["attempt"] = c->attempt;
                args["cpu_attempt"] = c->cpu_attempt;
                args["lines_invalidated"] = c->flush.lines_invalidated;
                args["lines_written_back"] = c->flush.lines_written_back;
            }
            spans.push_back({kFirmware,
                             std::string(fw_fid_name(fid)) + " (cpu" + std::to_string(k.cpu) + ")",
                             "firmware", k.start_ps, end, 0, std::move(args)});
            break;
        }
        case KernelSpan::Kind::Sleep:
            spans.push_back({k.cpu, "sleep", "sleep", k.start_ps, end, 1, json::object()});
            break;
        case KernelSpan::Kind::Busy:
            spans.push_back({k.cpu, "busy wait", "busy", k.start_ps, end, 1, json::object()});
            break;
        case KernelSpan::Kind::LockWait:
            spans.push_back({k.cpu, "lock wait", "lock_wait", k.start_ps, end, 1, json::object()});
            break;
        }
    }
    for (const FlushSpan &f : sim.flush_spans) {
        json args = {{"cpu", f.cpu},
                     {"base", hex(f.base)},
                     {"size", f.len},
                     {"lines_invalidated", f.lines_invalidated},
                     {"lines_written_back", f.lines_written_back}};
        const uint64_t end = f.start_ps + f.duration_ps;
        switch (f.kind) {
        case FlushSpan::Kind::Range:
            spans.push_back({kEngine, "flush range", "flush", f.start_ps, end, 0, args});
            break;
        case FlushSpan::Kind::All:
            args.erase("base");
            args.erase("size");
            spans.push_back({kEngine, "flush all", "flush", f.start_ps, end, 0, args});
            break;
        case FlushSpan::Kind::El3Lines:
            spans.push_back({f.cpu, "EL3 DC CIVAC loop", "flush", f.start_ps, end, 2, args});
            break;
        }
    }

    // At equal start an outer span comes first; at equal depth too, the one
    // that ends first (a zero-length step before the next one).
    std::stable_sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) {
        if (a.track != b.track)
            return a.track < b.track;
        if (a.start_ps != b.start_ps)
            return a.start_ps < b.start_ps;
        if (a.depth != b.depth)
            return a.depth < b.depth;
        return a.end_ps < b.end_ps;
    });
    std::vector<LaneWriter> writers(kTracks);
    for (const Span &sp : spans)
        writers[sp.track].add(sp);

    auto track_name = [&](size_t t) {
        return t == kFirmware ? std::string("firmware")
               : t == kEngine ? std::string("flush engine")
                              : "cpu" + std::to_string(t);
    };
    // Lane 0 of track t is thread t + 1 (cpu0 is tid 1); further lanes of a
    // track take the thread ids after the last track's.
    json events = json::array();
    const std::string process = "cmosim: " + (s.name.empty() ? s.file : s.name);
    events.push_back({{"name", "process_name"},
                      {"ph", "M"},
                      {"pid", pid},
                      {"tid", 0},
                      {"args", {{"name", process}}}});
    events.push_back({{"name", "process_sort_index"},
                      {"ph", "M"},
                      {"pid", pid},
                      {"tid", 0},
                      {"args", {{"sort_index", pid}}}});
    size_t next_extra_tid = kTracks + 1;
    std::vector<std::vector<size_t>> tids(kTracks);
    for (size_t t = 0; t < kTracks; ++t) {
        size_t lanes = std::max<size_t>(writers[t].lanes(), 1);
        for (size_t l = 0; l < lanes; ++l) {
            size_t tid = l == 0 ? t + 1 : next_extra_tid++;
            tids[t].push_back(tid);
            std::string name = track_name(t);
            if (l > 0)
                name += " (overlap " + std::to_string(l) + ")";
            events.push_back({{"name", "thread_name"},
                              {"ph", "M"},
                              {"pid", pid},
                              {"tid", tid},
                              {"args", {{"name", name}}}});
            events.push_back({{"name", "thread_sort_index"},
                              {"ph", "M"},
                              {"pid", pid},
                              {"tid", tid},
                              {"args", {{"sort_index", t * 1000 + l}}}});
        }
    }
    for (size_t t = 0; t < kTracks; ++t)
        for (size_t l = 0; l < writers[t].lanes(); ++l)
            for (json &e : writers[t].finish(l)) {
                e["pid"] = pid;
                e["tid"] = tids[t][l];
                events.push_back(std::move(e));
            }
    for (const Instant &i : instants)
        events.push_back({{"name", i.name},
                          {"cat", i.cat},
                          {"ph", "i"},
                          {"s", "t"},
                          {"ts", us(i.at_ps)},
                          {"pid", pid},
                          {"tid", tids[i.track][0]},
                          {"args", i.args}});

    json r;
    r["traceEvents"] = std::move(events);
    r["displayTimeUnit"] = "ns";
    r["otherData"] = {{"format", "cmosim-trace"},
                      {"format_version", 1},
                      {"scenario", s.name},
                      {"file", s.file},
                      {"complete", sim.complete},
                      {"sim_time_ps", sim.sim_time_ps},
                      {"timeline_recorded", sim.timeline_recorded},
                      {"spans_dropped", sim.spans_dropped}};
    return r.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string merge_traces(const std::vector<std::string> &traces) {
    json events = json::array();
    json runs = json::array();
    for (size_t i = 0; i < traces.size(); ++i) {
        json t = json::parse(traces[i]);
        const int pid = static_cast<int>(i) + 1;
        for (json &e : t["traceEvents"]) {
            e["pid"] = pid;
            if (e.value("ph", "") == "M" && e.value("name", "") == "process_sort_index")
                e["args"]["sort_index"] = pid;
            events.push_back(std::move(e));
        }
        json other = t.value("otherData", json::object());
        other["pid"] = pid;
        runs.push_back(std::move(other));
    }
    json r;
    r["traceEvents"] = std::move(events);
    r["displayTimeUnit"] = "ns";
    r["otherData"] = {{"format", "cmosim-trace"}, {"format_version", 1}, {"runs", runs}};
    return r.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace cmosim::sim
