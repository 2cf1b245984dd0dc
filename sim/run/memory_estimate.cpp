// SPDX-License-Identifier: Apache-2.0
#include "run/memory_estimate.h"

#include "run/run_control.h"
#include "run/run_result.h"

#include <fstream>
#include <sstream>

#include <unistd.h>

#include "cmosim/models/tag_store.h"

namespace cmosim::sim {

namespace {

// Figures measured on the release build (docs/reliability.md, "Host
// memory"): the simulator itself (a run of one sleep peaks at 10 MiB, a
// replay with its prefetch threads at about 40 MiB), and what one step record
// costs at the peak, its part of the report's JSON included (100000
// invalidate records: 5.2 KiB each, the largest kind).
constexpr uint64_t kBaseBytes = uint64_t(64) << 20;
constexpr uint64_t kBytesPerRecord = 6 << 10;

uint64_t sat_add(uint64_t a, uint64_t b) {
    return a + b < a ? UINT64_MAX : a + b;
}
uint64_t sat_mul(uint64_t a, uint64_t b) {
    if (a == 0 || b == 0)
        return 0;
    return a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

// Records a list of steps makes when it runs `times` times: a load, store or
// stream step one however often it runs (its runs share a record), a sleep
// or a barrier none, any other step one per run up to kMaxCallRecordsPerStep,
// a repeat's body `count` times more.
uint64_t records_of(const std::vector<Step> &steps, uint64_t times) {
    uint64_t n = 0;
    for (const Step &st : steps) {
        if (st.kind == StepKind::Load || st.kind == StepKind::Store || st.kind == StepKind::Stream)
            n = sat_add(n, 1);
        else if (st.kind != StepKind::Repeat && st.kind != StepKind::Sleep &&
                 st.kind != StepKind::Barrier) // sleeps and barriers make no record
            n = sat_add(n, times < kMaxCallRecordsPerStep ? times : kMaxCallRecordsPerStep);
        if (!st.body.empty())
            n = sat_add(n, records_of(st.body, sat_mul(times, st.count)));
    }
    return n;
}

// The events a list of steps declares when it runs `times` times, as the
// default event budget grows by them (RunMonitor::grow_declared); a replay
// step's records are not known before it runs: every line stays reachable.
uint64_t declared_events(const std::vector<Step> &steps, uint64_t times, unsigned line) {
    uint64_t n = 0;
    for (const Step &st : steps) {
        uint64_t each = 0;
        if (st.kind == StepKind::Load || st.kind == StepKind::Store)
            each = (st.base + st.size - 1) / line - st.base / line + 1;
        else if (st.kind == StepKind::Stream)
            each = st.accesses;
        else if (st.kind == StepKind::Replay)
            return UINT64_MAX;
        if (each <= RunMonitor::kDeclaredStepEvents)
            n = sat_add(n, sat_mul(each, times));
        if (!st.body.empty())
            n = sat_add(n, declared_events(st.body, sat_mul(times, st.count), line));
    }
    return n;
}

// A tag array holds at most its capacity and at most the lines the run can
// reach; the sparse array (models/tag_store.h) costs memory for those only,
// plus its chunk index.
uint64_t tag_bytes(const CacheConfig &c, unsigned line_bytes, uint64_t reachable) {
    if (!c.present || c.size == 0 || c.ways == 0)
        return 0;
    models::TagStoreGeometry g;
    g.size_bytes = c.size;
    g.ways = c.ways;
    g.line_bytes = line_bytes;
    g.replacement = c.replacement;
    const uint64_t capacity = c.size / line_bytes;
    const uint64_t lines = capacity < reachable ? capacity : reachable;
    const uint64_t sets = c.size / (uint64_t(c.ways) * line_bytes);
    return sat_add(sat_mul(lines, models::TagStore::bytes_per_line(g)), sets / 256 * 16 + 16);
}

} // namespace

uint64_t MemoryEstimate::total() const {
    return sat_add(sat_add(tag_bytes, record_bytes), base_bytes);
}

MemoryEstimate estimate_memory(const Scenario &s) {
    MemoryEstimate e;
    const PlatformConfig &p = s.platform;
    // A line enters a cache only through an access to a memory region, and
    // each line an access touches is one event: the lines of the regions,
    // and no more than the event limit allows.
    uint64_t reachable = 0;
    for (const RegionConfig &r : p.regions)
        reachable = sat_add(reachable, r.size / p.line_bytes + (r.size % p.line_bytes != 0));
    // The default budget grows by the lines the steps declare and by every
    // replayed record (RunMonitor::grow): it bounds what no step declares.
    uint64_t budget = s.event_limit;
    if (!s.event_limit_given && budget != 0)
        for (const auto &[cpu, steps] : s.cpus)
            budget = sat_add(budget, declared_events(steps, 1, p.line_bytes));
    if (budget != 0 && budget < reachable)
        reachable = budget;
    e.lines_reachable = reachable;
    uint64_t per_cpu = 0;
    for (const CacheConfig *c : {&p.l1i, &p.l1d, &p.l2})
        per_cpu = sat_add(per_cpu, tag_bytes(*c, p.line_bytes, reachable));
    e.tag_bytes = sat_add(sat_mul(per_cpu, p.cpus), tag_bytes(p.slc, p.line_bytes, reachable));
    for (const auto &[cpu, steps] : s.cpus)
        e.records = sat_add(e.records, records_of(steps, 1));
    e.record_bytes = sat_mul(e.records, kBytesPerRecord);
    e.base_bytes = kBaseBytes;
    return e;
}

uint64_t default_memory_limit() {
    std::ifstream f("/proc/meminfo");
    std::string key;
    uint64_t kib = 0;
    while (f >> key) {
        if (key == "MemTotal:" && (f >> kib))
            return kib * 1024 / 2;
        f.ignore(1 << 10, '\n');
    }
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && page > 0)
        return uint64_t(pages) * uint64_t(page) / 2;
    return uint64_t(4) << 30;
}

bool parse_memory_size(const std::string &text, uint64_t *bytes) {
    size_t i = 0;
    uint64_t v = 0;
    bool digit = false;
    for (; i < text.size() && ((text[i] >= '0' && text[i] <= '9') || (text[i] == '_' && digit));
         ++i) {
        if (text[i] == '_')
            continue;
        const uint64_t d = uint64_t(text[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
        digit = true;
    }
    if (!digit)
        return false;
    const std::string unit = text.substr(i);
    unsigned shift = 0;
    if (unit.empty() || unit == "B")
        shift = 0;
    else if (unit == "KiB")
        shift = 10;
    else if (unit == "MiB")
        shift = 20;
    else if (unit == "GiB")
        shift = 30;
    else if (unit == "TiB")
        shift = 40;
    else if (unit == "PiB")
        shift = 50;
    else
        return false;
    if (v == 0 || v > (UINT64_MAX >> shift))
        return false;
    *bytes = v << shift;
    return true;
}

std::string human_size(uint64_t bytes) {
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    unsigned u = 0;
    double v = static_cast<double>(bytes);
    while (v >= 1024 && u < 6) {
        v /= 1024;
        ++u;
    }
    std::ostringstream o;
    o.setf(std::ios::fixed);
    o.precision(u == 0 || v == static_cast<double>(static_cast<uint64_t>(v)) ? 0 : 1);
    o << v << " " << units[u];
    return o.str();
}

void check_memory(const Scenario &s, uint64_t limit) {
    const char *source = "--max-memory";
    Mark at{s.file, 0, 0};
    if (limit == 0 && s.memory_limit != 0) {
        limit = s.memory_limit;
        // --max-memory is a shorthand of limits.max_memory whose mark names the
        // option ("--max-memory 16GiB"): the refusal is the scenario's.
        if (s.memory_limit_mark.file.rfind("--", 0) != 0) {
            source = "limits.max_memory";
            at = s.memory_limit_mark;
        }
    } else if (limit == 0) {
        limit = default_memory_limit();
        source = "the default, half of this host's memory";
    }
    const MemoryEstimate e = estimate_memory(s);
    if (e.total() <= limit)
        return;
    const std::string records =
        std::to_string(e.records) + (e.records == 1 ? " step record " : " step records ");
    throw ConfigError(at, "the run would need an estimated " + human_size(e.total()) +
                              " of host memory (tag arrays " + human_size(e.tag_bytes) + ", " +
                              records + human_size(e.record_bytes) + "), more than the limit of " +
                              human_size(limit) + " (" + source +
                              "); raise it with --max-memory or limits.max_memory");
}

} // namespace cmosim::sim
