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
    // Walk the changes in order, keeping how many are held; a candidate start
    // is good once no point in [start, start + hold) reaches k.
    long held = m_base;
    auto it = m_step.begin();
    for (; it != m_step.end() && it->first <= at; ++it)
        held += it->second;
    uint64_t start = at;
    bool ok = held < static_cast<long>(m_k);
    for (; it != m_step.end(); ++it) {
        if (ok && it->first >= start + hold)
            break;
        held += it->second;
        if (held >= static_cast<long>(m_k))
            ok = false;
        else if (!ok) {
            ok = true;
            start = it->first;
        }
    }
    uint64_t end = start + hold < start ? UINT64_MAX : start + hold;
    if (end > start) {
        m_step[start] += 1;
        m_step[end] -= 1;
    }
    return start;
}

void SlotPool::forget(uint64_t before) {
    while (!m_step.empty() && m_step.begin()->first < before) {
        m_base += m_step.begin()->second;
        m_step.erase(m_step.begin());
    }
}

} // namespace cmosim::models
