// SPDX-License-Identifier: Apache-2.0
// A trace cut into chunks at line (or packed block) boundaries, and the
// chunks parsed into records: the work the reader's threads share
// (replay/lackey_reader.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "replay/lackey_pack.h"
#include "replay/lackey_reader.h"
#include "replay/trace_source.h"

namespace cmosim::sim {

// A buffer of trivial elements left uninitialised: pages the trace does not
// fill are never touched, so a short trace costs little memory.
template <class T> struct RawBuffer {
    std::unique_ptr<T[]> p;
    size_t cap = 0;
    // At least n elements; what they held before is lost when it grows.
    T *reserve(size_t n) {
        if (n > cap) {
            p.reset(new T[n]);
            cap = n;
        }
        return p.get();
    }
    T *data() const { return p.get(); }
};

// A piece of the trace, cut at a line (or packed block) boundary, and the
// records parsed from it. Records' `line` counts the chunk's lines from 1;
// the consumer adds the lines of the chunks before.
struct Chunk {
    enum class Type { Text, Packed, End } type = Type::End;
    RawBuffer<char> in; // text or a packed block's zstd frame
    size_t len = 0;
    packed::BlockHeader block;
    RawBuffer<TraceRecord> recs;
    RawBuffer<uint64_t> refs; // the records' LineRefs words, when asked for
    size_t count = 0;         // records parsed
    uint64_t lines = 0;       // lines the chunk holds
    // The trace is bad after the chunk's `count` records: the message after
    // "file:line:column: ", "file:line: " (line 0: the one after the chunk's
    // lines), "file: record N: " or "file: ".
    enum class Where { None, Line, Record };
    bool faulted = false;
    Where where = Where::None;
    uint64_t at = 0;   // line or record, from 1 within the chunk
    size_t column = 0; // 0: none
    std::string fault;

    // Empty, of type `t`, to be filled.
    void start(Type t) {
        type = t;
        faulted = false;
        count = lines = 0;
        len = 0;
    }
    void set_fault(Where w, uint64_t a, size_t col, std::string text) {
        faulted = true;
        where = w;
        at = a;
        column = col;
        fault = std::move(text);
    }
};

// Cuts the trace into chunks; one thread calls next().
class Chunker {
public:
    virtual ~Chunker() = default;
    // Fills `c`; false at the end of the trace. After a chunk with a fault
    // nothing follows.
    virtual bool next(Chunk &c) = 0;
};

// Lackey text (decompressed): chunks of whole lines, kChunkBytes or a little
// less, more (up to kBufBytes) only to hold a line longer than that.
class TextChunker : public Chunker {
public:
    explicit TextChunker(Source &src) : m_src(src) {}
    bool next(Chunk &c) override;
    bool added_newline() const { return m_added_newline; }

private:
    Source &m_src;
    std::string m_carry; // the start of a line the chunk before could not hold
    bool m_eof = false, m_done = false, m_added_newline = false;
};

// A packed trace: one chunk per block; the end checked against the blocks.
class PackedChunker : public Chunker {
public:
    PackedChunker(Source &src, const std::string &path);
    bool next(Chunk &c) override;

private:
    bool next_block(Chunk &c);

public:
    uint32_t flags() const { return m_flags; }
    uint64_t text_bytes() const { return m_text_bytes; }

private:
    bool fault(Chunk &c, const std::string &text);

    Source &m_src;
    std::string m_path;
    bool m_done = false;
    uint64_t m_blocks = 0, m_lines = 0, m_records = 0, m_text_bytes = 0;
    uint32_t m_crc = 0, m_flags = 0;
};

// Decompresses a packed block into `raw` and checks it; false (the chunk's
// fault set) when it is damaged.
bool inflate_block(Chunk &c, ZSTD_DCtx *dctx, std::vector<unsigned char> &raw);

// Parses a chunk's text or packed block into its records (or its fault).
// `dctx` and `raw` are the calling thread's zstd context and scratch buffer.
void parse_chunk(Chunk &c, ZSTD_DCtx *dctx, std::vector<unsigned char> &raw);

} // namespace cmosim::sim
