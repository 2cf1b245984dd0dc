// SPDX-License-Identifier: Apache-2.0
// The stale-line checker (definitions in docs/architecture.md):
//  - stale read: a load served from a cache line older than memory's content;
//  - lost device write: a dirty line written back over data the device wrote
//    after the line was last written by a CPU;
//  - residual line: a line of the range still cached when an invalidate returns;
//  - lost CPU write: a dirty line discarded without write-back (DC IVAC, DC ISW,
//    or firmware that skips the write-back): data a CPU wrote is gone;
//  - offline read: a read that reached a device extent that is offline or
//    released (dcd_release, offline) and not added back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cmosim/models/payload.h"

namespace cmosim::models {

enum class EventKind { StaleRead, LostDeviceWrite, ResidualLine, LostCpuWrite, OfflineRead };
const char *event_kind_name(EventKind k);

struct CheckerEvent {
    EventKind kind;
    uint64_t time_ps;
    int cpu; // -1: not a CPU (device, flush engine)
    std::string level;
    uint64_t addr;
    std::string cause;
};

class Checker {
public:
    explicit Checker(size_t keep_first = 64) : m_keep(keep_first) {}

    void report(EventKind k, uint64_t time_ps, int cpu, const std::string &level, uint64_t addr,
                const std::string &cause);

    uint64_t count(EventKind k) const { return m_count[static_cast<int>(k)]; }
    const std::vector<CheckerEvent> &events() const { return m_events; }
    size_t keep_first() const { return m_keep; }

private:
    size_t m_keep;
    uint64_t m_count[5] = {0, 0, 0, 0, 0};
    std::vector<CheckerEvent> m_events;
};

} // namespace cmosim::models
