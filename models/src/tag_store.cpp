// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/tag_store.h"

#include "cmosim/models/bug.h"

namespace cmosim::models {

namespace {
unsigned log2_exact(uint64_t v) {
    CMOSIM_BUG_ON(v == 0 || (v & (v - 1)) != 0);
    return static_cast<unsigned>(__builtin_ctzll(v));
}
// Sets per chunk: at most 2^8 (a chunk of a 16-way cache is 128 KiB), and at
// most 2^14 lines (fewer sets for more than 64 ways).
constexpr unsigned kMaxChunkShift = 8;
unsigned chunk_shift(unsigned set_bits, unsigned ways) {
    unsigned shift = kMaxChunkShift;
    for (uint64_t w = 64; w < ways && shift > 0; w *= 2)
        --shift;
    return set_bits < shift ? set_bits : shift;
}
} // namespace

const Line TagStore::kEmptyLine{};

const char *replacement_name(Replacement r) {
    switch (r) {
    case Replacement::Lru:
        return "lru";
    case Replacement::TreePlru:
        return "tree_plru";
    case Replacement::Random:
        return "random";
    }
    return "?";
}

TagStore::TagStore(const TagStoreGeometry &g)
    : m_line(g.line_bytes), m_ways(g.ways),
      m_sets(g.size_bytes / (uint64_t(g.ways) * g.line_bytes)),
      m_line_shift(log2_exact(g.line_bytes)), m_set_bits(log2_exact(m_sets)), m_repl(g.replacement),
      m_chunk_shift(chunk_shift(m_set_bits, g.ways)), m_chunk_sets(uint64_t(1) << m_chunk_shift),
      m_chunks(m_sets >> m_chunk_shift), m_rng(g.seed ? g.seed : 1) {
    CMOSIM_BUG_ON(m_ways == 0);
    if (m_repl == Replacement::TreePlru) { // a set's tree is one 64-bit word
        CMOSIM_BUG_ON(m_ways > 64);
        log2_exact(m_ways);
    }
}

void TagStore::allocate_chunk(Chunk &c) {
    c.lines.reset(new Line[m_chunk_sets * m_ways]());
    c.words.reset(new uint64_t[2 * m_chunk_sets * m_ways]()); // keys, ticks
    if (m_repl == Replacement::TreePlru)
        c.plru.reset(new uint64_t[m_chunk_sets]());
    ++m_allocated_chunks;
}

uint64_t TagStore::allocated_bytes() const {
    const uint64_t per_chunk = m_chunk_sets * m_ways * (sizeof(Line) + 2 * sizeof(uint64_t)) +
                               (m_repl == Replacement::TreePlru ? m_chunk_sets * 8 : 0);
    return m_allocated_chunks * per_chunk + m_chunks.size() * sizeof(Chunk);
}

uint64_t TagStore::bytes_per_line(const TagStoreGeometry &g) {
    // A line's entry, its share of its set's PLRU bits and of the chunk index.
    const uint64_t plru = g.replacement == Replacement::TreePlru ? 8 : 0;
    return sizeof(Line) + 2 * sizeof(uint64_t) + (plru + g.ways - 1) / g.ways; // + key, tick
}

uint64_t TagStore::addr_of(uint64_t set, unsigned way) const {
    const uint64_t *k = keys(set);
    const uint64_t tag = k ? k[way] >> 1 : 0;
    return (tag << (m_line_shift + m_set_bits)) | (set << m_line_shift);
}

void TagStore::touch(uint64_t addr, int way) {
    if (is_hot(addr))
        return; // already the most recent in every policy's order (lookup_touch)
    const uint64_t set = index(addr);
    row_alloc(set);
    use(set, addr, way);
}

// Tree-PLRU: node i has children 2i+1 and 2i+2; a bit set means "the victim is
// on the right". A touch points every node on the path away from the way used.
void TagStore::plru_touch(uint64_t set, unsigned way) {
    uint64_t &bits = m_chunks[set >> m_chunk_shift].plru[set & (m_chunk_sets - 1)];
    unsigned node = 0, lo = 0, span = m_ways;
    while (span > 1) {
        span /= 2;
        bool right = way >= lo + span;
        if (right) {
            bits &= ~(uint64_t(1) << node);
            lo += span;
            node = 2 * node + 2;
        } else {
            bits |= uint64_t(1) << node;
            node = 2 * node + 1;
        }
    }
}

uint64_t TagStore::next_random() {
    // xorshift64*: deterministic for a given seed.
    m_rng ^= m_rng >> 12;
    m_rng ^= m_rng << 25;
    m_rng ^= m_rng >> 27;
    return m_rng * 0x2545F4914F6CDD1Dull;
}

unsigned TagStore::choose_victim(uint64_t set, const uint64_t *k) {
    if (m_repl == Replacement::Lru) {
        // The first invalid way, else the least recently used, in one pass.
        const uint64_t *t = ticks(k);
        unsigned v = 0;
        for (unsigned w = 0; w < m_ways; ++w) {
            if (!k[w])
                return w;
            if (t[w] < t[v])
                v = w;
        }
        return v;
    }
    for (unsigned w = 0; w < m_ways; ++w)
        if (!k[w])
            return w;
    if (m_repl == Replacement::TreePlru) {
        uint64_t bits = m_chunks[set >> m_chunk_shift].plru[set & (m_chunk_sets - 1)];
        unsigned node = 0, lo = 0, span = m_ways;
        while (span > 1) {
            span /= 2;
            if (bits & (uint64_t(1) << node)) {
                lo += span;
                node = 2 * node + 2;
            } else {
                node = 2 * node + 1;
            }
        }
        return lo;
    }
    return static_cast<unsigned>(next_random() % m_ways); // Random
}

int TagStore::allocate(uint64_t addr, Victim *victim) {
    const uint64_t set = index(addr);
    Line *row = row_alloc(set); // the set's chunk exists from here on
    uint64_t *k = m_chunks[set >> m_chunk_shift].words.get() + (set & (m_chunk_sets - 1)) * m_ways;
    const unsigned w = choose_victim(set, k);
    Line &l = row[w];
    *victim = Victim{};
    if (k[w]) {
        victim->valid = true;
        victim->dirty = l.dirty;
        victim->addr = (k[w] >> 1) << (m_line_shift + m_set_bits) | set << m_line_shift;
        victim->version = l.version;
    } else {
        ++m_valid;
    }
    k[w] = key_of(addr);
    l.dirty = false;
    l.version = 0;
    use(set, addr, static_cast<int>(w));
    return static_cast<int>(w);
}

void TagStore::invalidate(uint64_t addr, int way) {
    Line *r = row(index(addr));
    if (!r)
        return; // a set never filled holds nothing to invalidate
    Line &l = r[way];
    if (&l == m_hot)
        m_hot_number = UINT64_MAX;
    uint64_t &key = keys_alloc(index(addr))[way];
    if (key)
        --m_valid;
    key = 0;
    l.dirty = false;
}

} // namespace cmosim::models
