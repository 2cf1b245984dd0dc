// SPDX-License-Identifier: Apache-2.0
// The floor under `cmosim replay` (make bench-replay, docs/performance.md):
// cachegrind's nine counts of a lackey trace worked out by the least a
// program can do for them exactly, on one thread, and apart from that the
// reading of the trace alone. Reading: the trace's records decoded by
// TracePrefetcher (the threads `cmosim replay` reads with) and dropped,
// wall and CPU time. Counting: every record is read into memory first and
// only the loop over them is timed: three LRU caches, each
// set a small array of line numbers kept in the order of their last use (a
// hit moves its line to the front, a miss pushes the last one out), with
// cachegrind's rule for a record across lines (every line is looked up in
// its L1; if any missed, every line is looked up in the LL). No decoding, no
// platform, no simulated time, no versions, no snoop filter.
//
//   bench_replay_floor TRACE I1 D1 LL [ROUNDS]
//
// I1, D1, LL as size,ways,line (the line sizes equal). Prints each round's
// reading and counting seconds, then the nine counts as cachegrind's
// summary line. Counting holds every record in memory: 24 bytes a record
// (sizeof(TraceRecord)), 1.2 GB for the 49.8 million of shuf20k.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "replay/lackey_reader.h"

namespace {

using cmosim::sim::TraceRecord;

struct Geometry {
    uint64_t size = 0;
    unsigned ways = 0, line = 0;
};

bool parse_geometry(const char *s, Geometry *g) {
    unsigned long long size;
    unsigned ways, line;
    char tail;
    if (std::sscanf(s, "%llu,%u,%u%c", &size, &ways, &line, &tail) != 3 || ways == 0 || line == 0 ||
        (line & (line - 1)) != 0 || size % (uint64_t(ways) * line) != 0)
        return false;
    const uint64_t sets = size / (uint64_t(ways) * line);
    if ((sets & (sets - 1)) != 0)
        return false;
    *g = Geometry{size, ways, line};
    return true;
}

// One cache: per set, `ways` line numbers, most recently used first
// (UINT64_MAX: empty).
class LruSets {
public:
    explicit LruSets(const Geometry &g)
        : m_ways(g.ways), m_set_mask(g.size / (uint64_t(g.ways) * g.line) - 1),
          m_lines(g.size / g.line, UINT64_MAX) {}

    // Looks line number n up; true on a hit. Either way n ends in front.
    bool access(uint64_t n) {
        uint64_t *set = &m_lines[(n & m_set_mask) * m_ways];
        if (set[0] == n)
            return true;
        unsigned w = 1;
        while (w < m_ways && set[w] != n)
            ++w;
        const bool hit = w < m_ways;
        std::memmove(set + 1, set, (hit ? w : m_ways - 1) * sizeof *set);
        set[0] = n;
        return hit;
    }

private:
    unsigned m_ways;
    uint64_t m_set_mask;
    std::vector<uint64_t> m_lines;
};

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

} // namespace

int main(int argc, char **argv) {
    Geometry gi, gd, gl;
    char *rounds_end = nullptr;
    const long rounds = argc == 6 ? std::strtol(argv[5], &rounds_end, 10) : 1;
    if (argc < 5 || argc > 6 || !parse_geometry(argv[2], &gi) || !parse_geometry(argv[3], &gd) ||
        !parse_geometry(argv[4], &gl) || gi.line != gd.line || gi.line != gl.line ||
        (rounds_end && *rounds_end) || rounds < 1 || rounds > 1000) {
        std::fprintf(stderr, "usage: bench_replay_floor TRACE I1 D1 LL [ROUNDS]\n"
                             "  I1, D1, LL: size,ways,line with equal power-of-two lines and\n"
                             "  a power-of-two number of sets; ROUNDS 1 to 1000 (default 1)\n");
        return 2;
    }
    std::vector<TraceRecord> recs;
    try {
        for (long round = 0; round < rounds; ++round) {
            const double cpu0 = cpu_seconds();
            const auto t0 = std::chrono::steady_clock::now();
            cmosim::sim::TracePrefetcher reader(argv[1]);
            const TraceRecord *got;
            uint64_t line_base, n = 0;
            while (size_t k = reader.next(&got, &line_base, 1 << 16))
                n += k;
            const std::chrono::duration<double> s = std::chrono::steady_clock::now() - t0;
            std::printf("reading %ld: %.3f s, CPU %.3f s, %llu records\n", round + 1, s.count(),
                        cpu_seconds() - cpu0, static_cast<unsigned long long>(n));
        }
        cmosim::sim::LackeyReader reader(argv[1]);
        std::vector<TraceRecord> buf(1 << 16);
        while (size_t n = reader.read(buf.data(), buf.size()))
            recs.insert(recs.end(), buf.begin(), buf.begin() + static_cast<long>(n));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_replay_floor: %s\n", e.what());
        return 2;
    }
    const unsigned shift = static_cast<unsigned>(__builtin_ctz(gi.line));
    uint64_t c[9] = {}; // cachegrind's order: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
    for (long round = 0; round < rounds; ++round) {
        LruSets i1(gi), d1(gd), ll(gl);
        std::fill(c, c + 9, uint64_t(0));
        const auto t0 = std::chrono::steady_clock::now();
        for (const TraceRecord &r : recs) {
            const uint64_t first = r.addr >> shift, last = (r.addr + r.size - 1) >> shift;
            LruSets &l1 = r.kind == 'I' ? i1 : d1;
            bool l1_miss = false, ll_miss = false;
            if (first == last) {
                if (!l1.access(first)) {
                    l1_miss = true;
                    ll_miss = !ll.access(first);
                }
            } else {
                for (uint64_t n = first; n <= last; ++n)
                    l1_miss |= !l1.access(n);
                if (l1_miss)
                    for (uint64_t n = first; n <= last; ++n)
                        ll_miss |= !ll.access(n);
            }
            const unsigned at = r.kind == 'I' ? 0 : r.kind == 'S' ? 6 : 3; // M counts as a read
            c[at] += 1;
            c[at + 1] += l1_miss;
            c[at + 2] += ll_miss;
        }
        const std::chrono::duration<double> s = std::chrono::steady_clock::now() - t0;
        std::printf("counting %ld: %.3f s, %zu records\n", round + 1, s.count(), recs.size());
    }
    std::printf("summary:");
    for (uint64_t v : c)
        std::printf(" %llu", static_cast<unsigned long long>(v));
    std::printf("\n");
    return 0;
}
