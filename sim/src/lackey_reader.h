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

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

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
    // trace). Throws TraceError on a malformed line or a damaged file.
    size_t read(TraceRecord *out, size_t max);

    const std::string &path() const { return m_path; }
    const char *format() const;              // "text", "gzip", "xz" or "zstd"
    uint64_t line() const { return m_line; } // lines consumed so far

private:
    class Source;
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
};

} // namespace cmosim::sim
