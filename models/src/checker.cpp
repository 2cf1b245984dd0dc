// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/checker.h"

#include <cstdio>
#include <cstdlib>

#include "cmosim/models/bug.h"

namespace cmosim::models {

const char *level_name(Level l) {
    switch (l) {
    case Level::L1I:
        return "l1i";
    case Level::L1D:
        return "l1d";
    case Level::L2:
        return "l2";
    case Level::SLC:
        return "slc";
    case Level::Memory:
        return "memory";
    }
    return "?";
}

const char *event_kind_name(EventKind k) {
    switch (k) {
    case EventKind::StaleRead:
        return "stale_read";
    case EventKind::LostDeviceWrite:
        return "lost_device_write";
    case EventKind::ResidualLine:
        return "residual_line";
    case EventKind::LostCpuWrite:
        return "lost_cpu_write";
    case EventKind::OfflineRead:
        return "offline_read";
    }
    return "?";
}

void Checker::report(EventKind k, uint64_t time_ps, int cpu, const std::string &level,
                     uint64_t addr, const std::string &cause) {
    ++m_count[static_cast<int>(k)];
    if (m_events.size() < m_keep)
        m_events.push_back({k, time_ps, cpu, level, addr, cause});
}

void bug(const char *file, int line, const char *cond) {
    std::fprintf(stderr, "cmosim: internal error (simulator bug) at %s:%d: %s\n", file, line, cond);
    std::fflush(stderr);
    std::_Exit(3);
}

} // namespace cmosim::models
