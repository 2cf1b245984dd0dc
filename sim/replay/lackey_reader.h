// SPDX-License-Identifier: Apache-2.0
// Valgrind lackey memory traces (`valgrind --tool=lackey --trace-mem=yes`),
// plain or compressed (gzip, xz, zstd: recognised by their magic bytes), or
// packed by `cmosim trace pack` (lackey_pack.h, docs/traces.md), read in
// chunks of fixed size so memory does not grow with the trace.
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
#include <utility>
#include <vector>

namespace cmosim::sim {

struct TraceRecord {
    uint64_t addr;
    uint64_t line; // in the trace file (the lackey text), for messages
    uint32_t size;
    char kind; // 'I', 'L', 'S' or 'M'
};

// A malformed or unreadable trace: "file:line:column: expected ..., found ...".
class TraceError : public std::runtime_error {
public:
    explicit TraceError(const std::string &msg) : std::runtime_error(msg) {}
};

// One line of lackey text, as the reader and `cmosim trace pack` parse it.
struct LackeyLine {
    enum Kind { Record, Skip, Bad } kind;
    const char *next;     // the next line (Record, Skip)
    const char *bad_at;   // Bad: where the line stops making sense
    const char *expected; // Bad: what should have been there
};
// Parses the line at `p`, which ends with a '\n' before `end` (and two
// readable bytes follow that '\n'); fills `rec` (but its `line`) for a record.
LackeyLine parse_lackey_line(const char *p, const char *end, TraceRecord *rec);
// "'text'" (at most 24 characters of [p, end), unprintable ones as '?') or
// "end of line": the `found` of a message.
std::string describe_text(const char *p, const char *end);

// What the reading threads work out from each record for a replay, beside
// the record itself: one word holding the line it references (after map:)
// and its kind, so that the simulation's thread reads 8 bytes a record and,
// for nearly every record, decides nothing but whether that line hits.
struct LineRefs {
    unsigned line_bytes = 64; // a power of two, at least 16
    // map: [map_from, map_from + map_size) moves to map_to (size 0: none).
    uint64_t map_from = 0, map_size = 0, map_to = 0;
    // The memory regions, [base, base + size) each.
    std::vector<std::pair<uint64_t, uint64_t>> regions;

    // addr after map:.
    uint64_t map(uint64_t addr) const {
        return addr - map_from < map_size ? map_to + (addr - map_from) : addr;
    }
    // A word: the line's address | kind code (0 I, 1 L, 2 S, 3 M), plus
    // kSlow when the record spans several lines or its line lies in no
    // region: the record itself must then be looked at.
    static constexpr uint64_t kSlow = 4;
    static constexpr uint64_t kCode = 7;
    // The words of recs[0, n) into out. `region`: the region the last line
    // fell in (most lines fall in the same), carried from call to call.
    void words(const TraceRecord *recs, size_t n, uint64_t *out, size_t &region) const;
};

class ChunkQueue; // lackey_reader.cpp
class Source;
class TextChunker;
class PackedChunker;
struct Chunk;

// Reads a trace on the calling thread.
class LackeyReader {
public:
    // Opens `path`; throws TraceError if it cannot be opened (or is a packed
    // trace with an unreadable header).
    explicit LackeyReader(const std::string &path);
    ~LackeyReader();
    LackeyReader(const LackeyReader &) = delete;
    LackeyReader &operator=(const LackeyReader &) = delete;

    // Fills up to `max` records; returns how many (0 at the end of the
    // trace). Throws TraceError on a malformed line or a damaged file, once
    // the records before it have been returned.
    size_t read(TraceRecord *out, size_t max);

    const std::string &path() const { return m_path; }
    const char *format() const; // "text", "gzip", "xz", "zstd" or "packed"

private:
    std::string m_path;
    std::unique_ptr<ChunkQueue> m_queue;
};

// A reader on threads of its own: one thread reads and decompresses the trace
// and cuts it into chunks at line (or packed block) boundaries; `workers`
// threads parse the chunks in parallel, while the simulation consumes them in
// their original order. Same records, same errors as LackeyReader (thrown by
// read() once the records before the bad line are consumed).
class TracePrefetcher {
public:
    // Opens `path` on the calling thread (TraceError if it cannot). `workers`
    // 0: one per processor the host has but one (at least 1, at most 4).
    explicit TracePrefetcher(const std::string &path, unsigned workers = 0);
    // The same, the reading threads also working out each record's
    // LineRefs word (next() with `refs`).
    TracePrefetcher(const std::string &path, const LineRefs &refs, unsigned workers = 0);
    ~TracePrefetcher(); // stops and joins the threads
    TracePrefetcher(const TracePrefetcher &) = delete;
    TracePrefetcher &operator=(const TracePrefetcher &) = delete;

    size_t read(TraceRecord *out, size_t max);
    // The same records as read(), without a copy where possible: *recs points
    // at `max` of them (fewer only at the end of the trace or before a bad
    // line), valid until the next call; a record's line in the file is its
    // `line` plus *line_base. 0 at the end; throws as read() does.
    size_t next(const TraceRecord **recs, uint64_t *line_base, size_t max);
    // next(), and *refs pointing at the records' LineRefs words (opened with
    // a LineRefs only).
    size_t next(const TraceRecord **recs, const uint64_t **refs, uint64_t *line_base, size_t max);
    const char *format() const;

private:
    std::unique_ptr<ChunkQueue> m_queue;
};

// The decompressed text of a trace in chunks of whole lines, for a tool that
// needs the lines themselves (`cmosim trace pack`).
class LackeyTextChunks {
public:
    explicit LackeyTextChunks(const std::string &path); // TraceError
    ~LackeyTextChunks();
    LackeyTextChunks(const LackeyTextChunks &) = delete;
    LackeyTextChunks &operator=(const LackeyTextChunks &) = delete;

    // The next chunk: whole lines, each ending with '\n' (two readable bytes
    // follow the last); false at the end. Throws TraceError ("file:line: ...")
    // when the file is unreadable or damaged, after the lines before.
    bool next(const char **text, size_t *len);
    // The last line had no newline: next() added one.
    bool added_newline() const;
    const char *format() const;

private:
    std::string m_path;
    std::unique_ptr<Source> m_src;
    std::unique_ptr<TextChunker> m_chunker;
    std::unique_ptr<Chunk> m_chunk;
    uint64_t m_lines = 0;
    std::string m_pending;
};

// The blocks of a packed trace, decompressed and checked (header, each
// block's checksum, the end's counts), for `cmosim trace unpack`.
class PackedBlocks {
public:
    explicit PackedBlocks(const std::string &path); // TraceError
    ~PackedBlocks();
    PackedBlocks(const PackedBlocks &) = delete;
    PackedBlocks &operator=(const PackedBlocks &) = delete;

    // The next block's raw bytes; false after the last (the end checked).
    // Throws TraceError ("file: record N: ...") on a damaged or cut file.
    bool next(const unsigned char **raw, size_t *len);
    bool packed() const;                                  // false: the file is not a packed trace
    uint64_t records_before() const { return m_records; } // of the current block
    uint32_t flags() const;                               // the end's (after the last)
    uint64_t text_bytes() const;                          // the end's (after the last)

private:
    std::string m_path;
    std::unique_ptr<Source> m_src;
    std::unique_ptr<PackedChunker> m_chunker;
    std::unique_ptr<Chunk> m_chunk;
    void *m_dctx = nullptr;
    std::vector<unsigned char> m_raw;
    uint64_t m_records = 0, m_next_records = 0;
};

} // namespace cmosim::sim
