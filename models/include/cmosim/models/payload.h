// SPDX-License-Identifier: Apache-2.0
// The TLM-2.0 extension every cmosim memory transaction carries.
//
// Loads and stores travel as line-sized generic payloads: TLM_READ_COMMAND is a
// fill request (a load miss, or a store's read-for-ownership), TLM_WRITE_COMMAND
// a write-back of a dirty line. The data itself is not modelled, only its
// version (see VersionedStore), so the extension carries that version both
// ways and says which level served a read.
#pragma once

#include <cstdint>
#include <tlm>

namespace cmosim::models {

enum class Level : uint8_t { L1I, L1D, L2, SLC, Memory };
const char *level_name(Level l);

struct MemExt : tlm::tlm_extension<MemExt> {
    unsigned cpu = 0;
    uint64_t version = 0;            // read: version delivered; write: version written back
    Level served_by = Level::Memory; // read: the level that had the line
    bool for_store = false;          // read-for-ownership
    // Read: the first cache passes it on without a lookup or a fill (a
    // replayed reference that cachegrind sends to its LL whole).
    bool skip_first_level = false;
    // Read: the first cache was looked up just before and does not hold the
    // line (the core's probe): it need not look again.
    bool first_level_missed = false;

    tlm::tlm_extension_base *clone() const override { return new MemExt(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override {
        *this = static_cast<const MemExt &>(e);
    }
};

} // namespace cmosim::models
