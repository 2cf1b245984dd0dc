// SPDX-License-Identifier: Apache-2.0
// Sparse versioned backing store: what memory holds, as versions, not data.
//
// Every write to memory is stamped from one global counter. A line's content
// is identified by its data version `dv`; which write is the most recent is
// decided by the write sequence `ws` (also from the counter). CPU writebacks
// carry the dv the line had in the cache (the data the CPU produced), device
// operations stamp a fresh dv. A range-wide device operation is one interval,
// whatever its size, so erasing 256 GiB costs one entry.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace cmosim::models {

class VersionedStore {
public:
    explicit VersionedStore(unsigned line_bytes);

    // A fresh stamp (a CPU store producing new data, or a device write).
    uint64_t next_stamp() { return ++m_counter; }
    uint64_t last_stamp() const { return m_counter; }

    // The data version memory currently holds for the line containing addr.
    uint64_t version(uint64_t addr) const;

    // A cache writes back line data of version dv.
    void write_line(uint64_t addr, uint64_t dv);
    // A device operation overwrites [base, base + len) with new data; returns its
    // stamp. `offline`: the range is taken offline (released capacity, a device
    // that went away) until a later online write_range covers it.
    uint64_t write_range(uint64_t base, uint64_t len, bool offline = false);
    // Whether the newest device operation covering addr took it offline.
    bool offline(uint64_t addr) const;

    // Writes so far (write_line and write_range): while it stays the same,
    // no line's version has changed.
    uint64_t writes() const { return m_writes; }

    unsigned line_bytes() const { return m_line; }
    size_t pages_touched() const { return m_owned.size(); }
    size_t intervals() const { return m_intervals.size(); }
    size_t bytes_of_metadata() const;

private:
    static constexpr unsigned kLinesPerPage = 64;
    struct Entry {
        uint64_t dv = 0;
        uint64_t ws = 0;
    };
    struct Page {
        Entry line[kLinesPerPage];
    };
    struct Interval {
        uint64_t base, end, stamp;
        bool offline;
    };

    const unsigned m_line;
    const unsigned m_line_shift;
    uint64_t m_counter = 0;
    uint64_t m_writes = 0;
    // Touched pages, by page index: an open-addressing table (linear probing,
    // power-of-two size, at most half full) over pages owned by m_owned. Every
    // load's stale check looks a line up here, so it is kept cheap: one
    // multiplication and usually one probe, no division.
    struct Slot {
        uint64_t key = 0; // page index + 1; 0: empty
        Page *page = nullptr;
    };
    Page *find_page(uint64_t index) const;
    Page &page_for_write(uint64_t index);
    std::vector<Slot> m_slots;
    unsigned m_slot_bits = 0;
    std::vector<std::unique_ptr<Page>> m_owned;
    std::vector<Interval> m_intervals;
    size_t m_offline_intervals = 0;
};

} // namespace cmosim::models
