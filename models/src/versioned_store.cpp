// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/versioned_store.h"

#include "cmosim/models/bug.h"

namespace cmosim::models {

VersionedStore::VersionedStore(unsigned line_bytes)
    : m_line(line_bytes), m_line_shift(static_cast<unsigned>(__builtin_ctz(line_bytes))) {
    CMOSIM_BUG_ON(line_bytes == 0 || (line_bytes & (line_bytes - 1)) != 0);
}

namespace {
// Fibonacci hashing: the top `bits` bits of key x 2^64 / phi.
size_t slot_of(uint64_t key, unsigned bits) {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}
} // namespace

VersionedStore::Page *VersionedStore::find_page(uint64_t index) const {
    if (m_slots.empty())
        return nullptr;
    const uint64_t key = index + 1;
    const size_t mask = m_slots.size() - 1;
    for (size_t i = slot_of(key, m_slot_bits);; i = (i + 1) & mask) {
        const Slot &s = m_slots[i];
        if (s.key == key)
            return s.page;
        if (s.key == 0)
            return nullptr;
    }
}

VersionedStore::Page &VersionedStore::page_for_write(uint64_t index) {
    if (Page *p = find_page(index))
        return *p;
    if (2 * (m_owned.size() + 1) > m_slots.size()) {
        // Grow to keep the table at most half full, and re-insert.
        std::vector<Slot> old = std::move(m_slots);
        m_slot_bits = m_slot_bits ? m_slot_bits + 1 : 10;
        m_slots.assign(size_t(1) << m_slot_bits, Slot{});
        for (const Slot &s : old)
            if (s.key)
                for (size_t i = slot_of(s.key, m_slot_bits);; i = (i + 1) & (m_slots.size() - 1))
                    if (m_slots[i].key == 0) {
                        m_slots[i] = s;
                        break;
                    }
    }
    m_owned.push_back(std::make_unique<Page>());
    const uint64_t key = index + 1;
    for (size_t i = slot_of(key, m_slot_bits);; i = (i + 1) & (m_slots.size() - 1))
        if (m_slots[i].key == 0) {
            m_slots[i] = {key, m_owned.back().get()};
            break;
        }
    return *m_owned.back();
}

uint64_t VersionedStore::version(uint64_t addr) const {
    uint64_t line = addr >> m_line_shift;
    Entry best{};
    if (const Page *page = find_page(line / kLinesPerPage))
        best = page->line[line % kLinesPerPage];
    // Intervals are appended in stamp order: the newest covering one wins among them.
    for (auto iv = m_intervals.rbegin(); iv != m_intervals.rend(); ++iv) {
        if (iv->stamp <= best.ws)
            break;
        if (addr >= iv->base && addr < iv->end)
            return iv->stamp;
    }
    return best.dv;
}

void VersionedStore::write_line(uint64_t addr, uint64_t dv) {
    uint64_t line = addr >> m_line_shift;
    Entry &e = page_for_write(line / kLinesPerPage).line[line % kLinesPerPage];
    e.dv = dv;
    e.ws = next_stamp();
    ++m_writes;
}

uint64_t VersionedStore::write_range(uint64_t base, uint64_t len, bool offline) {
    uint64_t stamp = next_stamp();
    ++m_writes;
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    m_intervals.push_back({base, end, stamp, offline});
    m_offline_intervals += offline;
    return stamp;
}

bool VersionedStore::offline(uint64_t addr) const {
    if (m_offline_intervals == 0)
        return false;
    for (auto iv = m_intervals.rbegin(); iv != m_intervals.rend(); ++iv)
        if (addr >= iv->base && addr < iv->end)
            return iv->offline;
    return false;
}

size_t VersionedStore::bytes_of_metadata() const {
    return m_owned.size() * (sizeof(Page) + sizeof(void *)) + m_slots.size() * sizeof(Slot) +
           m_intervals.capacity() * sizeof(Interval);
}

} // namespace cmosim::models
