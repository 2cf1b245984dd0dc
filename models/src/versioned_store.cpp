// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/versioned_store.h"

#include "cmosim/models/bug.h"

namespace cmosim::models {

VersionedStore::VersionedStore(unsigned line_bytes)
    : m_line(line_bytes), m_line_shift(static_cast<unsigned>(__builtin_ctz(line_bytes))) {
    CMOSIM_BUG_ON(line_bytes == 0 || (line_bytes & (line_bytes - 1)) != 0);
}

uint64_t VersionedStore::version(uint64_t addr) const {
    uint64_t line = addr >> m_line_shift;
    Entry best{};
    auto it = m_pages.find(line / kLinesPerPage);
    if (it != m_pages.end())
        best = it->second->line[line % kLinesPerPage];
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
    auto &page = m_pages[line / kLinesPerPage];
    if (!page)
        page = std::make_unique<Page>();
    Entry &e = page->line[line % kLinesPerPage];
    e.dv = dv;
    e.ws = next_stamp();
}

uint64_t VersionedStore::write_range(uint64_t base, uint64_t len, bool offline) {
    uint64_t stamp = next_stamp();
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
    return m_pages.size() * (sizeof(Page) + 32) + m_intervals.capacity() * sizeof(Interval);
}

} // namespace cmosim::models
