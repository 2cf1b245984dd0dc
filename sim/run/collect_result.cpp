// SPDX-License-Identifier: Apache-2.0
// The RunResult of a finished (or stopped) run: the models' counters, the
// firmware's and the kernel's, the run's records, copied once into plain
// values for the report room.
#include "run/simulation_impl.h"

#include <utility>
#include <sys/resource.h>

namespace cmosim::sim {

namespace {

CacheResult cache_result(const mdl::Cache &c) {
    const mdl::CacheStats &st = c.stats();
    const mdl::TagStore &t = c.tags();
    CacheResult r;
    r.name = c.name();
    r.size = t.sets() * t.ways() * t.line_bytes();
    r.ways = t.ways();
    r.sets = t.sets();
    r.replacement = mdl::replacement_name(c.params().geometry.replacement);
    r.hit_latency_ps = c.params().hit_latency.value();
    r.inclusion = mdl::inclusion_name(c.params().inclusion);
    r.outstanding = c.params().outstanding;
    r.read_hits = st.read_hits;
    r.read_misses = st.read_misses;
    r.write_hits = st.write_hits;
    r.write_misses = st.write_misses;
    r.evictions = st.evictions;
    r.writebacks = st.writebacks;
    r.lines_invalidated = st.lines_invalidated;
    r.back_invalidations = st.back_invalidations;
    for (unsigned k = 0; k < mdl::kCmoOps; ++k)
        r.cmos.emplace_back(mdl::cmo_op_name(static_cast<mdl::CmoOp>(k)), st.cmo[k]);
    r.valid_lines_at_end = t.valid_lines();
    return r;
}

KernelSpan::Kind span_kind(HostSpanKind k) {
    switch (k) {
    case HostSpanKind::Sleep:
        return KernelSpan::Kind::Sleep;
    case HostSpanKind::Busy:
        return KernelSpan::Kind::Busy;
    case HostSpanKind::LockWait:
        return KernelSpan::Kind::LockWait;
    case HostSpanKind::Smc:
        break;
    }
    return KernelSpan::Kind::Smc;
}

} // namespace

RunResult SimulationImpl::collect() {
    RunResult r;
    r.scenario = s; // without its steps
    r.complete = complete;
    r.sim_time_ps = now_ps();

    const mdl::Memory *memory = platform.memory.get();
    const mdl::Checker &checker = platform.checker;
    for (const mdl::Cache *c : platform.caches())
        r.caches.push_back(cache_result(*c));
    for (size_t i = 0; i < memory->regions().size(); ++i) {
        const auto &g = memory->regions()[i];
        const auto &st = memory->stats(i);
        r.regions.push_back({g.name, g.kind == mdl::MemoryKind::CxlHdm ? "cxl" : "dram", g.base,
                             g.size, st.reads, st.writes, st.device_ops, st.offline_reads,
                             static_cast<uint64_t>(st.queueing.value())});
    }
    r.store_pages_touched = memory->store().pages_touched();
    r.store_intervals = memory->store().intervals();
    for (const auto &c : platform.cores) {
        const mdl::CpuStats &st = c->stats();
        r.cpus.push_back({c->id(), st.loads, st.stores, st.fetches, st.stale_reads, st.cmo_lines,
                          st.setway_ops});
    }

    static_cast<StepRecordLists &>(r) = std::move(steps.records);

    const fw_stats *fs = fw_agent_stats(fw);
    FirmwareResult &f = r.firmware;
    f.model_breakeven_bytes = firmware.breakeven_bytes();
    f.calls = fs->calls;
    f.clean_inv_calls = fs->clean_inv_calls;
    f.clean_inv_success = fs->clean_inv_success;
    f.busy = fs->busy;
    f.rate_limited = fs->rate_limited;
    f.log_total = fw_agent_log_total(fw);
    for (size_t i = 0; i < fw_agent_log_count(fw); ++i)
        f.log.push_back(*fw_agent_log_entry(fw, i));

    KernelResult &k = r.kernel;
    k.initcalls = steps.boot_initcalls;
    k.has_invalidate_memregion = has_invalidate_at_end;
    for (const PrintkRecord &l : kernel.printk_log())
        k.printk.push_back({l.time_ps, l.cpu, l.level, l.text});
    for (const RuleRecord &e : kernel.rules())
        k.rule_events.push_back({e.time_ps, e.cpu, KernelHost::rule_name(e.rule), e.detail});
    for (const shim_lock_stats &ls : kernel.lock_stats())
        k.locks.push_back({ls.name ? ls.name : "?", ls.is_rwsem != 0, ls.acquisitions, ls.contended,
                           ls.wait_total_ps, ls.wait_max_ps, ls.hold_total_ps, ls.hold_max_ps});

    CheckerResult &c = r.checker;
    c.stale_reads = checker.count(mdl::EventKind::StaleRead);
    c.lost_device_writes = checker.count(mdl::EventKind::LostDeviceWrite);
    c.residual_lines = checker.count(mdl::EventKind::ResidualLine);
    c.lost_cpu_writes = checker.count(mdl::EventKind::LostCpuWrite);
    c.offline_reads = checker.count(mdl::EventKind::OfflineRead);
    c.events_kept = checker.keep_first();
    for (const mdl::CheckerEvent &e : checker.events())
        c.events.push_back(
            {mdl::event_kind_name(e.kind), e.time_ps, e.cpu, e.level, e.addr, e.cause});

    r.stop = run.stop_result();

    r.timeline_recorded = firmware.timeline_recorded();
    for (const HostSpan &h : kernel.spans())
        r.kernel_spans.push_back(
            {span_kind(h.kind), h.cpu, h.start_ps, h.duration_ps, h.fid, h.result});
    r.flush_spans = firmware.flush_spans();
    r.spans_dropped = kernel.spans_dropped() + firmware.spans_dropped();

    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    r.host.wall_seconds = host_seconds;
    r.host.max_rss_kib = static_cast<long long>(ru.ru_maxrss);
    return r;
}

} // namespace cmosim::sim
