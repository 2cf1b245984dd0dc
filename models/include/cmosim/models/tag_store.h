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

// A way's data state; whether it is valid and which line it holds are the
// way's key (TagStore::valid_at, addr_of), its last use its tick (lru_at).
struct Line {
    uint64_t version = 0; // data version held (VersionedStore stamps)
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
        const uint64_t *k = keys(index(addr));
        if (!k)
            return -1;
        return find(k, key_of(addr));
    }
    // A hit in one pass over addr's set: the way holding addr's line, tried
    // first at `hint` (a way that held it lately, or -1), else found by a
    // search of the set's keys; touched as touch() does. -1
    // (nothing changed) on a miss. The line this store touched last (hot())
    // is found without reading the set: a second touch of the most recently
    // used line leaves every policy's order as it was (the hot line is the
    // one with the latest tick), so nothing changes.
    int lookup_touch(uint64_t addr, int hint) {
        if (is_hot(addr))
            return m_hot_way;
        const uint64_t set = index(addr);
        Chunk &c = m_chunks[set >> m_chunk_shift];
        if (!c.words)
            return -1;
        const uint64_t row = (set & (m_chunk_sets - 1)) * m_ways;
        const uint64_t *k = c.words.get() + row;
        const uint64_t key = key_of(addr);
        int way = hint;
        if (way < 0 || k[way] != key) {
            way = find(k, key);
            if (way < 0)
                return -1;
        }
        use(c, set, row, addr, way);
        return way;
    }
    // The line touched last (by lookup_touch(), touch() or allocate()),
    // while it is valid.
    const Line &hot() const { return *m_hot; }
    Line &hot() { return *m_hot; }
    // The address of hot()'s line, or UINT64_MAX when none is hot.
    uint64_t hot_line() const {
        return m_hot_number == UINT64_MAX ? UINT64_MAX : m_hot_number << m_line_shift;
    }
    // Whether addr's line is hot().
    bool is_hot(uint64_t addr) const { return addr >> m_line_shift == m_hot_number; }
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
        const uint64_t *k = keys(index(addr));
        return k && k[way] == key_of(addr);
    }
    // Mark a hit for the replacement policy (of the hot line: nothing to do).
    void touch(uint64_t addr, int way);
    // Allocate a line for addr (which must miss); returns the way, fills *victim.
    int allocate(uint64_t addr, Victim *victim);
    void invalidate(uint64_t addr, int way);

    uint64_t line_addr(uint64_t addr) const { return addr & ~uint64_t(m_line - 1); }
    uint64_t set_of(uint64_t addr) const { return index(addr); }
    // The line `way` of `set` holds (when valid_at).
    uint64_t addr_of(uint64_t set, unsigned way) const;
    bool valid_at(uint64_t set, unsigned way) const {
        const uint64_t *k = keys(set);
        return k && k[way] != 0;
    }
    // The tick of the way's last use (LRU: the smallest is the victim).
    uint64_t lru_at(uint64_t set, unsigned way) const {
        const uint64_t *k = keys(set);
        return k ? ticks(k)[way] : 0;
    }
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
                for (unsigned w = 0; w < m_ways; ++w)
                    if (m_chunks[c].words[i * m_ways + w])
                        f(addr_of(c * m_chunk_sets + i, w), lines[i * m_ways + w],
                          c * m_chunk_sets + i, w);
        }
    }

private:
    struct Chunk {
        std::unique_ptr<Line[]> lines; // m_chunk_sets * m_ways
        // The same ways' key_of() (0 when invalid), then their last use
        // (m_tick): one allocation, so the index holds three pointers a chunk.
        std::unique_ptr<uint64_t[]> words;
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
    // A set's keys: a lookup reads these 8 bytes a way, not the lines, so a
    // small cache's keys stay in the host's own first-level cache.
    const uint64_t *keys(uint64_t set) const {
        const uint64_t *k = m_chunks[set >> m_chunk_shift].words.get();
        return k ? k + (set & (m_chunk_sets - 1)) * m_ways : nullptr;
    }
    // The ticks of the ways whose keys start at k (keys, then ticks, in a
    // chunk's words).
    uint64_t *ticks(uint64_t *k) const { return k + m_chunk_sets * m_ways; }
    const uint64_t *ticks(const uint64_t *k) const { return k + m_chunk_sets * m_ways; }
    uint64_t *keys_alloc(uint64_t set) {
        row_alloc(set);
        return m_chunks[set >> m_chunk_shift].words.get() + (set & (m_chunk_sets - 1)) * m_ways;
    }
    // The way of a set (its keys at k) holding `key`, or -1 (a key is in at
    // most one way of its set).
    int find(const uint64_t *k, uint64_t key) const {
        for (unsigned w = 0; w < m_ways; ++w)
            if (k[w] == key)
                return static_cast<int>(w);
        return -1;
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
    // A valid line's key: its tag and a set bit (no tag reaches bit 63).
    uint64_t key_of(uint64_t addr) const { return tag_of(addr) << 1 | 1; }
    // The way of `set` (its keys at k, its chunk allocated) a fill replaces.
    unsigned choose_victim(uint64_t set, const uint64_t *k);
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
    // hot(): its line number (address >> line shift; UINT64_MAX: none), line
    // and way. Only lookup_touch(), touch(), allocate() and invalidate()
    // change it.
    uint64_t m_hot_number = UINT64_MAX;
    Line *m_hot = nullptr;
    int m_hot_way = -1;
    // use() for a set found by its number alone.
    void use(uint64_t set, uint64_t addr, int way) {
        use(m_chunks[set >> m_chunk_shift], set, (set & (m_chunk_sets - 1)) * m_ways, addr, way);
    }
    // Ticks the use of `way` of addr's set (allocated) and makes it hot().
    // `row`: the set's first way in its chunk, c.
    void use(Chunk &c, uint64_t set, uint64_t row, uint64_t addr, int way) {
        const uint64_t i = row + static_cast<unsigned>(way);
        uint64_t *tick = ticks(c.words.get()) + i;
        *tick = ++m_tick;
        if (m_repl == Replacement::TreePlru)
            plru_touch(set, static_cast<unsigned>(way));
        m_hot_number = addr >> m_line_shift;
        m_hot = &c.lines[i];
        m_hot_way = way;
    }
    uint64_t m_rng;
    uint64_t m_valid = 0;
};

} // namespace cmosim::models
