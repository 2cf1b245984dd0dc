// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/timeline.h"

#include <algorithm>
#include <iterator>

namespace cmosim::models {

uint64_t FifoChannel::book(uint64_t at, uint64_t service) {
    auto first = m_q.begin() + static_cast<std::ptrdiff_t>(m_head);
    // The first entry that arrived after `at`.
    auto it = (m_q.end() == first || m_q.back().arrival <= at)
                  ? m_q.end()
                  : std::upper_bound(first, m_q.end(), at,
                                     [](uint64_t t, const Entry &e) { return t < e.arrival; });
    // Behind the requests that arrived at or before `at` (same arrival: in
    // booking order).
    uint64_t start = at;
    if (it != first)
        start = std::max(start, std::prev(it)->done);
    const uint64_t done = start + service < start ? UINT64_MAX : start + service;
    if (it != first && std::prev(it)->arrival == at)
        std::prev(it)->done = done;
    else
        m_q.insert(it, Entry{at, done});
    return start;
}

void FifoChannel::forget(uint64_t before) {
    // Keep the last arrival at or before `before`: it carries the backlog.
    while (m_q.size() - m_head > 1 && m_q[m_head + 1].arrival <= before &&
           m_q[m_head].done <= before)
        ++m_head;
    if (m_head > 64 && m_head * 2 > m_q.size()) {
        m_q.erase(m_q.begin(), m_q.begin() + static_cast<std::ptrdiff_t>(m_head));
        m_head = 0;
    }
}

uint64_t SlotPool::book(uint64_t at, uint64_t hold) {
    uint64_t start = at;
    // Fewer holds than slots in all: no time can have k of them.
    if (m_holds.size() >= m_k) {
        // Walk the changes in time order, keeping how many are held; a
        // candidate start is good once no point in [start, start + hold)
        // reaches k.
        m_steps.clear();
        for (const Hold &h : m_holds) {
            m_steps.emplace_back(h.start, +1);
            m_steps.emplace_back(h.end, -1);
        }
        std::sort(m_steps.begin(), m_steps.end()); // at equal times, -1 first
        long held = 0;
        size_t i = 0;
        for (; i < m_steps.size() && m_steps[i].first <= at; ++i)
            held += m_steps[i].second;
        bool ok = held < static_cast<long>(m_k);
        for (; i < m_steps.size(); ++i) {
            if (ok && m_steps[i].first >= start + hold)
                break;
            held += m_steps[i].second;
            if (held >= static_cast<long>(m_k)) {
                ok = false;
            } else if (!ok) {
                ok = true;
                start = m_steps[i].first;
            }
        }
    }
    uint64_t end = start + hold < start ? UINT64_MAX : start + hold;
    if (end > start)
        m_holds.push_back(Hold{start, end});
    return start;
}

void SlotPool::forget(uint64_t before) {
    for (size_t i = 0; i < m_holds.size();) {
        if (m_holds[i].end <= before) {
            m_holds[i] = m_holds.back();
            m_holds.pop_back();
        } else {
            ++i;
        }
    }
}

} // namespace cmosim::models
