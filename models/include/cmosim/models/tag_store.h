// SPDX-License-Identifier: Apache-2.0
// The tag array of one set-associative cache, without SystemC, so that it can
// be unit-tested and benchmarked bare. Holds per line: tag, valid, dirty and
// the data version the line carries (for the stale-line checker).
//
// The array is sparse: its sets are held in chunks of at most 256 sets,
// each allocated the first time one of its lines is filled, so a 16 GiB
// cache that only ever holds 1 GiB of lines costs memory for about that
// 1 GiB (docs/reliability.md). A set whose chunk is absent holds no line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cmosim::models {

enum class Replacement { Lru, TreePlru, Random };

const char *replacement_name(Replacement r);

struct TagStoreGeometry {
    uint64_t size_bytes = 64 * 1024;
    unsigned ways = 4;
    unsigned line_bytes = 64;
    Replacement replacement = Replacement::Lru;
    uint64_t seed = 1; // Random replacement
};

struct Line {
    uint64_t tag = 0;
    uint64_t version = 0; // data version held (VersionedStore stamps)
    uint64_t lru = 0;     // last-use tick (LRU)
    bool valid = false;
    bool dirty = false;
};

// What a fill displaced.
struct Victim {
    bool valid = false;
    bool dirty = false;
    uint64_t addr = 0;
    uint64_t version = 0;
};

class TagStore {
public:
    explicit TagStore(const TagStoreGeometry &g);

    // The way holding addr's line, or -1.
    int lookup(uint64_t addr) const {
        const Line *r = row(index(addr));
        if (!r)
            return -1;
        const uint64_t tag = tag_of(addr);
        for (unsigned w = 0; w < m_ways; ++w)
            if (r[w].valid && r[w].tag == tag)
                return static_cast<int>(w);
        return -1;
    }
    // A hit in one pass over addr's set: the way holding addr's line, tried
    // first at `hint` (a way that held it lately, or -1), else found by a
    // branch-free search of the set; touched as touch() does. -1
    // (nothing changed) on a miss.
    int lookup_touch(uint64_t addr, int hint) {
        const uint64_t set = index(addr);
        Line *r = row(set);
        if (!r)
            return -1;
        const uint64_t tag = tag_of(addr);
        int way = hint;
        if (way < 0 || !(r[way].valid && r[way].tag == tag)) {
            uint64_t match = 0;
            for (unsigned w = 0; w < m_ways; ++w)
                match |= static_cast<uint64_t>(static_cast<unsigned>(r[w].tag == tag) &
                                               static_cast<unsigned>(r[w].valid))
                         << w;
            if (!match)
                return -1;
            way = __builtin_ctzll(match);
        }
        r[way].lru = ++m_tick;
        if (m_repl == Replacement::TreePlru)
            plru_touch(set, static_cast<unsigned>(way));
        return way;
    }
    // The line in `way` of addr's set, which must have been allocated.
    const Line &held(uint64_t addr, int way) const {
        return row(index(addr))[static_cast<unsigned>(way)];
    }
    // A way of addr's set: allocates the set's chunk when it has none (a
    // const view of an absent chunk reads an empty line).
    Line &line(uint64_t addr, int way) { return at(index(addr), static_cast<unsigned>(way)); }
    const Line &line(uint64_t addr, int way) const {
        return at(index(addr), static_cast<unsigned>(way));
    }
    // Whether `way` of addr's set holds addr's line (O(1), no set scan).
    bool holds(uint64_t addr, int way) const {
        if (way < 0)
            return false;
        const Line *r = row(index(addr));
        if (!r)
            return false;
        const Line &l = r[static_cast<unsigned>(way)];
        return l.valid && l.tag == tag_of(addr);
    }
    // Mark a hit for the replacement policy.
    void touch(uint64_t addr, int way);
    // Allocate a line for addr (which must miss); returns the way, fills *victim.
    int allocate(uint64_t addr, Victim *victim);
    void invalidate(uint64_t addr, int way);

    uint64_t line_addr(uint64_t addr) const { return addr & ~uint64_t(m_line - 1); }
    uint64_t set_of(uint64_t addr) const { return index(addr); }
    uint64_t addr_of(uint64_t set, unsigned way) const;
    Line &at(uint64_t set, unsigned way) { return row_alloc(set)[way]; }
    const Line &at(uint64_t set, unsigned way) const {
        const Line *r = row(set);
        return r ? r[way] : kEmptyLine;
    }

    uint64_t sets() const { return m_sets; }
    unsigned ways() const { return m_ways; }
    unsigned line_bytes() const { return m_line; }
    uint64_t valid_lines() const { return m_valid; }
    // Host memory the array holds now: its chunks and their index.
    uint64_t allocated_bytes() const;
    // Host memory per line of capacity when every chunk is allocated (the
    // estimate of `cmosim check`, sim/run/memory_estimate.cpp).
    static uint64_t bytes_per_line(const TagStoreGeometry &g);

    // Calls f(addr, line) for every valid line; f may invalidate it.
    template <class F> void for_each_valid(F &&f) {
        for (uint64_t c = 0; c < m_chunks.size(); ++c) {
            Line *lines = m_chunks[c].lines.get();
            if (!lines)
                continue;
            for (uint64_t i = 0; i < m_chunk_sets; ++i)
                for (unsigned w = 0; w < m_ways; ++w) {
                    Line &l = lines[i * m_ways + w];
                    if (l.valid)
                        f(addr_of(c * m_chunk_sets + i, w), l, c * m_chunk_sets + i, w);
                }
        }
    }

private:
    struct Chunk {
        std::unique_ptr<Line[]> lines;    // m_chunk_sets * m_ways
        std::unique_ptr<uint64_t[]> plru; // m_chunk_sets bit trees (TreePlru)
    };
    static const Line kEmptyLine;
    // The ways of `set`, or null when its chunk was never allocated.
    const Line *row(uint64_t set) const {
        const Line *lines = m_chunks[set >> m_chunk_shift].lines.get();
        return lines ? lines + (set & (m_chunk_sets - 1)) * m_ways : nullptr;
    }
    Line *row(uint64_t set) {
        Line *lines = m_chunks[set >> m_chunk_shift].lines.get();
        return lines ? lines + (set & (m_chunk_sets - 1)) * m_ways : nullptr;
    }
    Line *row_alloc(uint64_t set) {
        Chunk &c = m_chunks[set >> m_chunk_shift];
        if (!c.lines)
            allocate_chunk(c);
        return c.lines.get() + (set & (m_chunk_sets - 1)) * m_ways;
    }
    void allocate_chunk(Chunk &c);
    uint64_t index(uint64_t addr) const { return (addr >> m_line_shift) & (m_sets - 1); }
    uint64_t tag_of(uint64_t addr) const { return addr >> (m_line_shift + m_set_bits); }
    unsigned choose_victim(uint64_t set);
    void plru_touch(uint64_t set, unsigned way);
    uint64_t next_random();

    const unsigned m_line;
    const unsigned m_ways;
    const uint64_t m_sets;
    const unsigned m_line_shift;
    const unsigned m_set_bits;
    const Replacement m_repl;
    const unsigned m_chunk_shift; // log2 of the sets per chunk
    const uint64_t m_chunk_sets;
    std::vector<Chunk> m_chunks;
    uint64_t m_allocated_chunks = 0;
    uint64_t m_tick = 0;
    uint64_t m_rng;
    uint64_t m_valid = 0;
};

} // namespace cmosim::models
