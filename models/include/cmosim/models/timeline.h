// SPDX-License-Identifier: Apache-2.0
// Shared resources booked in simulated time, in whatever order the requests
// arrive on the host. Under temporal decoupling a core runs up to a quantum
// ahead of the others, so a request for 10 us can be booked before another
// core's request for 9.5 us; a single "next free" time would make the second
// wait for the first. These bookings find the earliest free time at or after
// the request's own time instead, so a result depends only on which requests
// overlap in simulated time, never on the quantum (docs/timing-model.md,
// "Concurrency").
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cmosim::models {

// One server that serves requests first come, first served by their arrival
// in simulated time (a memory channel direction). A request waits for the
// backlog of the requests that arrived before it, whichever core booked them
// first on the host; one booked later but arriving earlier is placed before
// the later arrivals, and the backlog they leave is carried forward for the
// requests still to come. Requests that never overlap in simulated time
// never wait, whatever the quantum.
class FifoChannel {
public:
    // A request of `service` ps arriving at `at`: returns when its service
    // starts (at, or when the backlog ahead of it has drained).
    uint64_t book(uint64_t at, uint64_t service);
    // Forget requests that ended before `before` (none will arrive earlier).
    void forget(uint64_t before);
    size_t entries() const { return m_q.size() - m_head; }

private:
    struct Entry {
        uint64_t arrival = 0;
        uint64_t done = 0; // when the last request that arrived then leaves
    };
    // By arrival, from m_head on; a request arriving after every other (the
    // usual case) is appended without a search.
    std::vector<Entry> m_q;
    size_t m_head = 0;
};

// k servers (request slots): a request starts at the earliest time at or
// after its arrival from which fewer than k requests are held for the whole
// of its own hold, counting every booking over that stretch of simulated time
// whichever core made it first on the host. The pool never holds more than k
// at once (no fragmentation into single slots: any free slot will do).
class SlotPool {
public:
    explicit SlotPool(unsigned slots) : m_k(slots) {}
    unsigned size() const { return m_k; }
    // A request arriving at `at` that holds a slot for `hold` ps once it has
    // one: books it and returns when it starts.
    uint64_t book(uint64_t at, uint64_t hold);
    // Forget holds that ended before `before` (none will arrive earlier).
    void forget(uint64_t before);

private:
    unsigned m_k;
    struct Hold {
        uint64_t start, end;
    };
    std::vector<Hold> m_holds;                     // not yet forgotten, in no order
    std::vector<std::pair<uint64_t, int>> m_steps; // scratch: (time, +1 or -1)
};

} // namespace cmosim::models
