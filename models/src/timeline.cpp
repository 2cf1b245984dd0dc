// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/timeline.h"

#include <algorithm>
#include <iterator>

namespace cmosim::models {

uint64_t Timeline::free_at(uint64_t at) const {
    auto it = m_busy.upper_bound(at);
    if (it == m_busy.begin())
        return at;
    --it; // the last booking starting at or before `at`
    return it->second > at ? it->second : at;
}

uint64_t Timeline::fit(uint64_t at, uint64_t service) const {
    uint64_t start = free_at(at);
    // Walk the gaps after `start` until one is long enough.
    for (auto next = m_busy.upper_bound(start); next != m_busy.end(); ++next) {
        if (next->first - start >= service)
            break;
        start = next->second;
    }
    return start;
}

uint64_t Timeline::book(uint64_t at, uint64_t service) {
    uint64_t start = fit(at, service);
    uint64_t end = start + service;
    if (end < start) // saturate at the end of simulated time
        end = UINT64_MAX;
    occupy(start, end);
    return start;
}

void Timeline::occupy(uint64_t start, uint64_t end) {
    if (end <= start)
        return;
    // Merge with a booking that starts before and reaches start.
    auto it = m_busy.upper_bound(start);
    if (it != m_busy.begin()) {
        auto prev = std::prev(it);
        if (prev->second >= start) {
            start = prev->first;
            if (prev->second > end)
                end = prev->second;
            it = m_busy.erase(prev);
        }
    }
    // Swallow the bookings that start inside [start, end].
    while (it != m_busy.end() && it->first <= end) {
        if (it->second > end)
            end = it->second;
        it = m_busy.erase(it);
    }
    m_busy.emplace(start, end);
}

void Timeline::forget(uint64_t before) {
    auto it = m_busy.begin();
    while (it != m_busy.end() && it->second <= before)
        it = m_busy.erase(it);
}

uint64_t FifoChannel::book(uint64_t at, uint64_t service) {
    auto it = m_q.lower_bound(at);
    uint64_t ahead = at; // when the requests that arrived before `at` are done
    if (it != m_q.begin())
        ahead = std::max(ahead, std::prev(it)->second.done);
    if (it == m_q.end() || it->first != at)
        it = m_q.emplace_hint(it, at, Entry{0, at});
    else
        ahead = std::max(ahead, it->second.done); // same arrival: after those
    const uint64_t start = ahead;
    it->second.service += service;
    it->second.done = start + service;
    return start;
}

void FifoChannel::forget(uint64_t before) {
    // Keep the last arrival at or before `before`: it carries the backlog.
    while (m_q.size() > 1) {
        auto second = std::next(m_q.begin());
        if (second->first > before || m_q.begin()->second.done > before)
            break;
        m_q.erase(m_q.begin());
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
