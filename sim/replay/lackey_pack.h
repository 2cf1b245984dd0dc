// SPDX-License-Identifier: Apache-2.0
// The packed trace format of `cmosim trace pack` (docs/traces.md): lackey
// text, line for line, in zstd-compressed blocks of delta-encoded records,
// from which `cmosim trace unpack` gives back the text byte for byte.
//
//   header   32 B: magic, version, the limits the records were read under
//   block    20 B header (compressed and raw bytes, lines, records, crc32 of
//            the raw bytes), then one zstd frame of the raw bytes
//   ...
//   end      4 zero bytes, then 40 B: lines, records, text bytes, crc32 of
//            every block's raw bytes in order, flags, end magic
//
// Every block decodes on its own (the address predictions start from 0), so
// blocks decode in parallel. All integers little-endian.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "replay/lackey_reader.h"

namespace cmosim::sim::packed {

constexpr unsigned char kMagic[8] = {0x89, 'C', 'M', 'O', 'P', 'K', '\r', '\n'};
constexpr unsigned char kEndMagic[8] = {'C', 'M', 'O', 'P', 'K', 'E', 'N', 'D'};
constexpr uint16_t kVersion = 1;
constexpr size_t kHeaderBytes = 32, kBlockHeaderBytes = 20, kTrailerBytes = 40;
// The limits of the lackey text reader the records were read under; a reader
// refuses a file whose limits exceed its own.
constexpr uint32_t kMaxRecordBytes = 4096;    // largest size of a record
constexpr uint32_t kMinLineBytes = 16;        // cache lines replay supports: a
                                              // record spans at most 256 of them
constexpr uint32_t kMaxTextLine = 1u << 20;   // longest text line
constexpr uint32_t kMaxBlockLines = 1u << 16; // lines (records and others) per block
constexpr uint32_t kMaxBlockRaw = 4u << 20;   // raw bytes per block

// Entry tags: kind in bits 0-1 (I, L, S, M), size in bits 2-7 (1..62; 63:
// the size follows as a varint; 0: not a plain record, see below).
constexpr unsigned kSizeVarint = 63;
constexpr unsigned char kTagRawLine = 0x00; // varint length, the line's bytes
constexpr unsigned char kTagTextual = 0x01; // a record entry, then its text as
                                            // a raw line (not lackey's %08lx)

inline const char kKinds[4] = {'I', 'L', 'S', 'M'};
inline unsigned kind_code(char k) {
    return k == 'I' ? 0 : k == 'L' ? 1 : k == 'S' ? 2 : 3;
}

inline void put_u16(unsigned char *p, uint16_t v) {
    p[0] = static_cast<unsigned char>(v);
    p[1] = static_cast<unsigned char>(v >> 8);
}
inline void put_u32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void put_u64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline uint16_t get_u16(const unsigned char *p) {
    return static_cast<uint16_t>(p[0] | p[1] << 8);
}
inline uint32_t get_u32(const unsigned char *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = v << 8 | p[i];
    return v;
}
inline uint64_t get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = v << 8 | p[i];
    return v;
}

struct BlockHeader {
    uint32_t compressed = 0, raw = 0, lines = 0, records = 0, crc = 0;
};
inline BlockHeader get_block_header(const unsigned char *p) {
    return BlockHeader{get_u32(p), get_u32(p + 4), get_u32(p + 8), get_u32(p + 12),
                       get_u32(p + 16)};
}

struct Trailer {
    uint64_t lines = 0, records = 0, text_bytes = 0;
    uint32_t crc = 0, flags = 0;
};
constexpr uint32_t kNoFinalNewline = 1; // the text's last line had no '\n'

// What is wrong with a header, or "" when it is one this reader reads.
std::string check_header(const unsigned char *h);
// What is wrong with a block header, or "".
std::string check_block_header(const BlockHeader &b);

// The predictions that make addresses small: an instruction fetch usually
// follows the one before it, data addresses stay near the last one.
struct Predictor {
    uint64_t next_i = 0, last_d = 0;
    uint64_t predict(unsigned kind) const { return kind == 0 ? next_i : last_d; }
    void update(unsigned kind, uint64_t addr, uint32_t size) {
        if (kind == 0)
            next_i = addr + size;
        else
            last_d = addr;
    }
};

// Decodes a block's raw bytes: calls rec(const TraceRecord &, const char
// *text, size_t len) for each record (text null for lackey's own format) and
// raw(const char *text, size_t len) for each other line; `line` in the
// records counts the block's lines from 1. Returns "" or what is wrong.
template <class OnRecord, class OnRaw>
std::string decode_entries(const unsigned char *p, size_t n, OnRecord &&rec, OnRaw &&raw) {
    const unsigned char *end = p + n;
    Predictor pred;
    uint64_t line = 0;
    auto varint = [&](uint64_t &v) {
        v = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            if (p == end)
                return false;
            const unsigned char b = *p++;
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false;
    };
    while (p < end) {
        unsigned char tag = *p++;
        ++line;
        bool textual = false;
        if (tag == kTagRawLine || tag == kTagTextual) {
            if (tag == kTagRawLine) {
                uint64_t len;
                if (!varint(len) || len > static_cast<size_t>(end - p))
                    return "expected a raw line's length and bytes, found the end of the block";
                raw(reinterpret_cast<const char *>(p), static_cast<size_t>(len));
                p += len;
                continue;
            }
            if (p == end)
                return "expected a record after a textual-record tag, found the end of the block";
            textual = true;
            tag = *p++;
        }
        const unsigned kind = tag & 3, sc = tag >> 2;
        uint64_t size = sc;
        if (sc == 0)
            return "expected a record tag, found a tag of size 0";
        if (sc == kSizeVarint && !varint(size))
            return "expected a record's size, found the end of the block";
        if (size == 0 || size > kMaxRecordBytes)
            return "expected a record size in [1, 4096], found " + std::to_string(size);
        uint64_t zz;
        if (!varint(zz))
            return "expected a record's address, found the end of the block";
        const uint64_t delta = (zz >> 1) ^ (0 - (zz & 1));
        TraceRecord r{pred.predict(kind) + delta, line, static_cast<uint32_t>(size), kKinds[kind]};
        pred.update(kind, r.addr, r.size);
        if (textual) {
            uint64_t len;
            if (!varint(len) || len > static_cast<size_t>(end - p))
                return "expected a record's text, found the end of the block";
            rec(r, reinterpret_cast<const char *>(p), static_cast<size_t>(len));
            p += len;
        } else {
            rec(r, nullptr, size_t(0));
        }
    }
    return "";
}

// Lackey's own text of a record ("I  %08lx,%lu\n", " L %08lx,%lu\n"), into
// `out` (at least 40 bytes); returns its length.
size_t format_record(const TraceRecord &r, char *out);

// `cmosim trace pack IN OUT` and `cmosim trace unpack IN OUT`: "" when done,
// else the message (the file, and the line or record where it applies).
struct PackStats {
    uint64_t lines = 0, records = 0, text_bytes = 0, packed_bytes = 0;
};
std::string pack(const std::string &in, const std::string &out, PackStats *stats);
std::string unpack(const std::string &in, const std::string &out, PackStats *stats);

} // namespace cmosim::sim::packed
