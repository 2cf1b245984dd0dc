// SPDX-License-Identifier: Apache-2.0
// Valgrind lackey memory traces (`valgrind --tool=lackey --trace-mem=yes`),
// plain or compressed (gzip, xz, zstd: recognised by their magic bytes),
// read in fixed-size batches so memory does not grow with the trace.
//
//   I  04010173,3      instruction fetch of 3 bytes
//    L 1ffefffd40,8    load
//    S 1ffefffd40,8    store
//    M 1ffefffd40,8    modify (load and store of the same bytes)
//   ==1234== ...       Valgrind's own messages: skipped
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cmosim::sim {

struct TraceRecord {
    uint64_t addr;
    uint64_t line; // in the trace file, for messages
    uint32_t size;
    char kind; // 'I', 'L', 'S' or 'M'
};

// A malformed or unreadable trace: "file:line:column: expected ..., found ...".
class TraceError : public std::runtime_error {
public:
    explicit TraceError(const std::string &msg) : std::runtime_error(msg) {}
};

class LackeyReader {
public:
    // Opens `path`; throws TraceError if it cannot be opened.
    explicit LackeyReader(const std::string &path);
    ~LackeyReader();
    LackeyReader(const LackeyReader &) = delete;
    LackeyReader &operator=(const LackeyReader &) = delete;

    // Fills up to `max` records; returns how many (0 at the end of the
    // trace). Throws TraceError on a malformed line or a damaged file, once
    // the records before it have been returned.
    size_t read(TraceRecord *out, size_t max);

    const std::string &path() const { return m_path; }
    const char *format() const;              // "text", "gzip", "xz" or "zstd"
    uint64_t line() const { return m_line; } // lines consumed so far

private:
    class Source;
    size_t parse(TraceRecord *out, size_t max);
    bool refill();
    [[noreturn]] void fail(const char *p, const std::string &expected) const;

    std::string m_path;
    std::unique_ptr<Source> m_src;
    char *m_buf = nullptr; // decompressed text
    size_t m_cap = 0;
    size_t m_pos = 0, m_end = 0;
    size_t m_complete = 0; // one past the last newline in m_buf
    bool m_eof = false;
    uint64_t m_line = 0;
    const char *m_line_start = nullptr;
    size_t m_parsed = 0;          // records parse() has filled in so far
    std::exception_ptr m_pending; // an error after records already returned
};

// A LackeyReader on a thread of its own: it reads, decompresses and parses
// ahead into a few fixed batches while the simulation consumes them, so
// reading costs the simulation little wall time. Same records, same errors
// (thrown by read() once the records before the bad line are consumed).
class TracePrefetcher {
public:
    // Opens `path` on the calling thread (TraceError if it cannot).
    explicit TracePrefetcher(const std::string &path);
    ~TracePrefetcher(); // stops and joins the reading thread
    TracePrefetcher(const TracePrefetcher &) = delete;
    TracePrefetcher &operator=(const TracePrefetcher &) = delete;

    size_t read(TraceRecord *out, size_t max);

private:
    static constexpr size_t kBatches = 4, kBatchRecords = 8192;
    struct Batch {
        std::vector<TraceRecord> records;
        size_t count = 0;
        bool last = false; // the end of the trace (or the error) follows
        std::string error; // set with `last` when the reader failed
    };
    void produce();

    LackeyReader m_reader;
    Batch m_batches[kBatches];
    size_t m_head = 0, m_filled = 0; // next batch to consume; batches ready
    size_t m_offset = 0;             // records already taken from the head batch
    bool m_stop = false, m_done = false;
    std::string m_error; // the reader's error, thrown by the next read()
    std::mutex m_mutex;
    std::condition_variable m_ready, m_free;
    std::thread m_thread;
};

} // namespace cmosim::sim
