// SPDX-License-Identifier: Apache-2.0
#include "summary_text.h"

#include <cstdio>
#include <sstream>

namespace cmosim::sim {

std::string us_text(uint64_t ps) {
    char b[48];
    std::snprintf(b, sizeof b, "%.3f us", static_cast<double>(ps) / 1e6);
    return b;
}

std::string cachegrind_lines(const CgCounts &c, const std::string &indent) {
    auto pct = [](uint64_t m, uint64_t r) {
        char b[32];
        std::snprintf(b, sizeof b, "%.2f%%", r ? 100.0 * static_cast<double>(m) / r : 0.0);
        return std::string(b);
    };
    std::ostringstream o;
    o << indent << "I refs:        " << c.ir << "\n"
      << indent << "I1  misses:    " << c.i1mr << "\n"
      << indent << "LLi misses:    " << c.ilmr << "\n"
      << indent << "I1  miss rate: " << pct(c.i1mr, c.ir) << "\n"
      << indent << "D refs:        " << c.dr + c.dw << "  (" << c.dr << " rd + " << c.dw << " wr)\n"
      << indent << "D1  misses:    " << c.d1mr + c.d1mw << "  (" << c.d1mr << " rd + " << c.d1mw
      << " wr)\n"
      << indent << "LLd misses:    " << c.dlmr + c.dlmw << "  (" << c.dlmr << " rd + " << c.dlmw
      << " wr)\n"
      << indent << "LL refs:       " << c.i1mr + c.d1mr + c.d1mw << "  (" << c.i1mr + c.d1mr
      << " rd + " << c.d1mw << " wr)\n"
      << indent << "LL misses:     " << c.ilmr + c.dlmr + c.dlmw << "  (" << c.ilmr + c.dlmr
      << " rd + " << c.dlmw << " wr)\n";
    return o.str();
}

std::string latency_breakdown(const KernelCallCost &k, bool always) {
    if (!always && k.firmware_ps == 0 && k.sleep_ps == 0 && k.mutex_wait_ps == 0)
        return "";
    const uint64_t latency = k.end_ps - k.start_ps;
    const uint64_t parts = k.firmware_ps + k.sleep_ps + k.mutex_wait_ps;
    std::ostringstream o;
    o << " = firmware " << us_text(k.firmware_ps) << " (" << k.firmware_calls
      << " SMC) + provider sleep " << us_text(k.sleep_ps) << " (" << k.sleeps
      << " sleeps) + mutex wait " << us_text(k.mutex_wait_ps) << " + other ";
    // The parts are disjoint spans of the call; more than the latency is a bug
    // in the accounting, shown rather than wrapped around.
    if (parts > latency)
        o << "-" << us_text(parts - latency);
    else
        o << us_text(latency - parts);
    return o.str();
}

} // namespace cmosim::sim
