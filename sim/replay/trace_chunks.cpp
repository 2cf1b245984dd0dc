// SPDX-License-Identifier: Apache-2.0
#include "replay/trace_chunks.h"

#include <cstdio>
#include <cstring>

namespace cmosim::sim {

std::string describe_text(const char *p, const char *end) {
    if (p >= end)
        return "end of line";
    size_t n = static_cast<size_t>(end - p);
    // Bytes that do not print are shown as escapes: a CRLF line ends in \r.
    std::string s;
    for (size_t i = 0; i < (n > 24 ? 24 : n); ++i) {
        unsigned char c = static_cast<unsigned char>(p[i]);
        if (c == '\r')
            s += "\\r";
        else if (c == '\t')
            s += "\\t";
        else if (c < 0x20 || c >= 0x7f) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\x%02x", c);
            s += esc;
        } else
            s += static_cast<char>(c);
    }
    return "'" + s + (n > 24 ? "...'" : "'");
}

// 0..15 for a hex digit, 16 otherwise.
namespace {

struct HexTable {
    unsigned char v[256];
    HexTable() {
        std::memset(v, 16, sizeof v);
        for (int c = 0; c < 10; ++c)
            v['0' + c] = static_cast<unsigned char>(c);
        for (int c = 0; c < 6; ++c) {
            v['a' + c] = static_cast<unsigned char>(10 + c);
            v['A' + c] = static_cast<unsigned char>(10 + c);
        }
    }
};
const HexTable kHex;

inline LackeyLine bad(const char *at, const char *expected) {
    return LackeyLine{LackeyLine::Bad, nullptr, at, expected};
}

__attribute__((always_inline)) inline LackeyLine parse_line(const char *p, const char *end,
                                                            TraceRecord *rec) {
    char kind;
    if (p[0] == 'I' && p[1] == ' ' && p[2] == ' ') {
        kind = 'I';
    } else if (p[0] == ' ' && p[1] != '\n' && p[2] == ' ') {
        kind = p[1];
        if (kind != 'L' && kind != 'S' && kind != 'M')
            return bad(p + 1, "a record kind (I, L, S or M)");
    } else if (p[0] == '=' && p[1] == '=') {
        const char *e = static_cast<const char *>(std::memchr(p, '\n', end - p));
        return LackeyLine{LackeyLine::Skip, e + 1, nullptr, nullptr};
    } else {
        return bad(p, "a record ('I  addr,size' or ' L|S|M addr,size') or a '==' line");
    }
    const unsigned char *q = reinterpret_cast<const unsigned char *>(p + 3);
    const unsigned char *h = q;
    uint64_t addr = 0;
    unsigned d;
    // Lackey's usual address: eight digits (%08lx) and a ','. All eight are
    // read without a test each (a non-digit's 16 sets bit 4 of `any`);
    // anything else is read digit by digit below.
    if (end - reinterpret_cast<const char *>(q) > 8 && q[8] == ',') {
        unsigned any = 0;
        uint64_t a = 0;
#pragma GCC unroll 8
        for (int i = 0; i < 8; ++i) {
            d = kHex.v[q[i]];
            any |= d;
            a = a << 4 | d;
        }
        if (any < 16) {
            addr = a;
            q += 8;
        }
    }
    while ((d = kHex.v[*q]) < 16) {
        addr = addr << 4 | d;
        ++q;
    }
    if (q == h)
        return bad(reinterpret_cast<const char *>(q), "a hexadecimal address");
    if (q - h > 16)
        return bad(reinterpret_cast<const char *>(h), "an address of at most 16 hex digits");
    if (*q != ',')
        return bad(reinterpret_cast<const char *>(q), "',' after the address");
    const unsigned char *s = ++q;
    uint64_t size = 0;
    while (*q >= '0' && *q <= '9' && size <= 0xffffff)
        size = size * 10 + (*q++ - '0');
    if (q == s)
        return bad(reinterpret_cast<const char *>(q), "a decimal size");
    if (size == 0)
        return bad(reinterpret_cast<const char *>(s), "a size of at least 1 byte");
    if (size > 4096)
        return bad(reinterpret_cast<const char *>(s), "a size of at most 4096 bytes");
    if (*q != '\n')
        return bad(reinterpret_cast<const char *>(q), "the end of the line after the size");
    rec->addr = addr;
    rec->size = static_cast<uint32_t>(size);
    rec->kind = kind;
    return LackeyLine{LackeyLine::Record, reinterpret_cast<const char *>(q) + 1, nullptr, nullptr};
}

} // namespace

LackeyLine parse_lackey_line(const char *p, const char *end, TraceRecord *rec) {
    return parse_line(p, end, rec);
}

bool inflate_block(Chunk &c, ZSTD_DCtx *dctx, std::vector<unsigned char> &raw) {
    const packed::BlockHeader &b = c.block;
    c.count = 0;
    c.lines = b.lines;
    raw.resize(b.raw);
    size_t got = ZSTD_decompressDCtx(dctx, raw.data(), raw.size(), c.in.data(), b.compressed);
    if (ZSTD_isError(got) || got != b.raw) {
        c.set_fault(Chunk::Where::Record, 1, 0,
                    "expected a zstd frame of " + std::to_string(b.raw) +
                        " bytes in the packed block, found " +
                        (ZSTD_isError(got) ? std::string(ZSTD_getErrorName(got))
                                           : std::to_string(got) + " bytes"));
        return false;
    }
    uint32_t crc = static_cast<uint32_t>(crc32(0, raw.data(), static_cast<uInt>(raw.size())));
    if (crc != b.crc) {
        char msg[128];
        std::snprintf(msg, sizeof msg,
                      "expected a packed block of crc32 0x%08x, found crc32 0x%08x (damaged data)",
                      b.crc, crc);
        c.set_fault(Chunk::Where::Record, 1, 0, msg);
        return false;
    }
    return true;
}

namespace {

void parse_text(Chunk &c) {
    const char *p = c.in.data();
    const char *end = p + c.len;
    // The shortest record line, "I  0,1\n", is 7 bytes.
    TraceRecord *out = c.recs.reserve(c.len / 7 + 1);
    size_t n = 0;
    uint64_t line = 0;
    while (p < end) {
        ++line;
        LackeyLine l = parse_line(p, end, out + n);
        if (l.kind == LackeyLine::Record) {
            out[n++].line = line;
        } else if (l.kind == LackeyLine::Bad) {
            const char *le = static_cast<const char *>(std::memchr(p, '\n', end - p));
            c.set_fault(Chunk::Where::Line, line, static_cast<size_t>(l.bad_at - p) + 1,
                        std::string("expected ") + l.expected + ", found " +
                            describe_text(l.bad_at, le));
            break;
        }
        p = l.next;
    }
    c.count = n;
    c.lines = line;
}

void parse_packed(Chunk &c, ZSTD_DCtx *dctx, std::vector<unsigned char> &raw) {
    if (!inflate_block(c, dctx, raw))
        return;
    const packed::BlockHeader &b = c.block;
    TraceRecord *out = c.recs.reserve(b.records);
    size_t n = 0;
    uint64_t lines = 0;
    bool overflow = false;
    std::string why = packed::decode_entries(
        raw.data(), raw.size(),
        [&](const TraceRecord &r, const char *, size_t) {
            ++lines;
            if (n < b.records)
                out[n++] = r;
            else
                overflow = true;
        },
        [&](const char *, size_t) { ++lines; });
    if (why.empty() && (overflow || n != b.records || lines != b.lines))
        why = "expected " + std::to_string(b.records) + " records in " + std::to_string(b.lines) +
              " lines as the block header says, found more or fewer";
    if (!why.empty()) {
        c.set_fault(Chunk::Where::Record, 1, 0, why);
        return;
    }
    c.count = n;
}

} // namespace

bool TextChunker::next(Chunk &c) {
    if (m_done)
        return false;
    c.start(Chunk::Type::Text);
    char *b = c.in.reserve(kBufBytes + kPad);
    size_t len = m_carry.size();
    std::memcpy(b, m_carry.data(), len);
    m_carry.clear();
    try {
        for (size_t want = kChunkBytes;; want = kBufBytes) {
            while (len < want && !m_eof) {
                size_t r = m_src.read(b + len, want - len);
                if (r == 0)
                    m_eof = true;
                len += r;
            }
            if (m_eof || want == kBufBytes || memrchr(b, '\n', len))
                break;
        }
    } catch (const SourceFault &f) {
        // The whole lines before, then the fault.
        m_done = true;
        const char *last = static_cast<const char *>(memrchr(b, '\n', len));
        c.len = last ? static_cast<size_t>(last - b) + 1 : 0;
        c.set_fault(f.with_line ? Chunk::Where::Line : Chunk::Where::None, 0, 0, f.text);
        b[c.len] = '\0';
        return true;
    }
    if (m_eof) {
        m_done = true;
        if (len == 0)
            return false;
        if (b[len - 1] != '\n') { // a last line without a newline still counts
            b[len++] = '\n';
            m_added_newline = true;
        }
        c.len = len;
        b[len] = '\0';
        return true;
    }
    const char *last = static_cast<const char *>(memrchr(b, '\n', len));
    if (!last) {
        m_done = true;
        c.len = 0;
        c.set_fault(Chunk::Where::Line, 0, 1,
                    "expected a line shorter than 1 MiB, found " + describe_text(b, b + len));
        return true;
    }
    size_t cut = static_cast<size_t>(last - b) + 1;
    m_carry.assign(b + cut, len - cut);
    c.len = cut;
    b[cut] = '\0';
    return true;
}

PackedChunker::PackedChunker(Source &src, const std::string &path) : m_src(src), m_path(path) {
    unsigned char h[packed::kHeaderBytes];
    size_t got = 0;
    try {
        got = m_src.read_exact(reinterpret_cast<char *>(h), sizeof h);
    } catch (const SourceFault &f) {
        throw TraceError(path + ": " + f.text);
    }
    if (got < sizeof h)
        throw TraceError(path + ": expected a packed trace header of " + std::to_string(sizeof h) +
                         " bytes, found " + std::to_string(got) + " (truncated trace)");
    std::string why = packed::check_header(h);
    if (!why.empty())
        throw TraceError(path + ": " + why);
}

bool PackedChunker::next(Chunk &c) {
    if (m_done)
        return false;
    c.start(Chunk::Type::Packed);
    try {
        return next_block(c);
    } catch (const SourceFault &f) {
        m_done = true;
        c.set_fault(Chunk::Where::None, 0, 0, f.text);
        return true;
    }
}

bool PackedChunker::next_block(Chunk &c) {
    unsigned char h[packed::kTrailerBytes];
    const std::string where =
        "after " + std::to_string(m_blocks) + " blocks (" + std::to_string(m_records) + " records)";
    size_t got = m_src.read_exact(reinterpret_cast<char *>(h), 4);
    if (got < 4)
        return fault(c, "expected a block or the end of the packed trace " + where +
                            ", found the end of the file (truncated trace)");
    if (packed::get_u32(h) == 0) {
        m_done = true;
        got = m_src.read_exact(reinterpret_cast<char *>(h), packed::kTrailerBytes);
        if (got < packed::kTrailerBytes ||
            std::memcmp(h + 32, packed::kEndMagic, sizeof packed::kEndMagic) != 0)
            return fault(c, "expected the end of the packed trace (record count and "
                            "checksum) " +
                                where + ", found " +
                                (got < packed::kTrailerBytes
                                     ? std::string("the end of the file (truncated trace)")
                                     : std::string("other bytes")));
        const uint64_t lines = packed::get_u64(h), records = packed::get_u64(h + 8);
        const uint32_t crc = packed::get_u32(h + 24);
        m_text_bytes = packed::get_u64(h + 16);
        m_flags = packed::get_u32(h + 28);
        if (lines != m_lines || records != m_records || crc != m_crc)
            return fault(c, "expected the packed trace's blocks to hold the " +
                                std::to_string(records) + " records, " + std::to_string(lines) +
                                " lines and checksum its end gives, found " +
                                std::to_string(m_records) + " records and " +
                                std::to_string(m_lines) + " lines (damaged trace)");
        char extra;
        if (m_src.read_exact(&extra, 1) != 0)
            return fault(c, "expected the end of the file after the packed trace's end, "
                            "found more bytes");
        return false;
    }
    got = m_src.read_exact(reinterpret_cast<char *>(h + 4), packed::kBlockHeaderBytes - 4);
    if (got < packed::kBlockHeaderBytes - 4)
        return fault(c, "expected a block header " + where +
                            ", found the end of the file (truncated trace)");
    c.block = packed::get_block_header(h);
    std::string why = packed::check_block_header(c.block);
    if (!why.empty())
        return fault(c, why + " " + where);
    got = m_src.read_exact(c.in.reserve(c.block.compressed), c.block.compressed);
    if (got < c.block.compressed)
        return fault(c, "expected " + std::to_string(c.block.compressed) +
                            " bytes of packed block " + std::to_string(m_blocks + 1) + " " + where +
                            ", found " + std::to_string(got) +
                            " and the end of the file (truncated trace)");
    c.len = c.block.compressed;
    ++m_blocks;
    m_lines += c.block.lines;
    m_records += c.block.records;
    m_crc =
        static_cast<uint32_t>(crc32_combine(m_crc, c.block.crc, static_cast<z_off_t>(c.block.raw)));
    return true;
}

bool PackedChunker::fault(Chunk &c, const std::string &text) {
    m_done = true;
    c.start(Chunk::Type::End);
    c.set_fault(Chunk::Where::None, 0, 0, text);
    return true;
}

void parse_chunk(Chunk &c, ZSTD_DCtx *dctx, std::vector<unsigned char> &raw) {
    try {
        if (c.type == Chunk::Type::Text)
            parse_text(c);
        else if (c.type == Chunk::Type::Packed && !c.faulted)
            parse_packed(c, dctx, raw);
    } catch (const std::exception &e) {
        c.count = 0;
        c.set_fault(Chunk::Where::None, 0, 0, e.what());
    }
}

} // namespace cmosim::sim
