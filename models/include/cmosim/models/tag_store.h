// SPDX-License-Identifier: Apache-2.0
// The tag array of one set-associative cache, without SystemC, so that it can
// be unit-tested and benchmarked bare. Holds per line: tag, valid, dirty and
// the data version the line carries (for the stale-line checker).
#pragma once

#include <cstdint>
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
    int lookup(uint64_t addr) const;
    Line &line(uint64_t addr, int way) { return m_lines[index(addr) * m_ways + way]; }
    const Line &line(uint64_t addr, int way) const { return m_lines[index(addr) * m_ways + way]; }
    // Whether `way` of addr's set holds addr's line (O(1), no set scan).
    bool holds(uint64_t addr, int way) const {
        if (way < 0)
            return false;
        const Line &l = m_lines[index(addr) * m_ways + static_cast<unsigned>(way)];
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
    Line &at(uint64_t set, unsigned way) { return m_lines[set * m_ways + way]; }
    const Line &at(uint64_t set, unsigned way) const { return m_lines[set * m_ways + way]; }

    uint64_t sets() const { return m_sets; }
    unsigned ways() const { return m_ways; }
    unsigned line_bytes() const { return m_line; }
    uint64_t valid_lines() const { return m_valid; }

    // Calls f(addr, line) for every valid line; f may invalidate it.
    template <class F> void for_each_valid(F &&f) {
        for (uint64_t s = 0; s < m_sets; ++s)
            for (unsigned w = 0; w < m_ways; ++w) {
                Line &l = m_lines[s * m_ways + w];
                if (l.valid)
                    f(addr_of(s, w), l, s, w);
            }
    }

private:
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
    std::vector<Line> m_lines;
    std::vector<uint64_t> m_plru; // one bit tree per set (ways - 1 bits)
    uint64_t m_tick = 0;
    uint64_t m_rng;
    uint64_t m_valid = 0;
};

} // namespace cmosim::models
