// SPDX-License-Identifier: Apache-2.0
#include "replay/lackey_reader.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "replay/lackey_pack.h"
extern "C" {
#include "config/ynode.h"
}

namespace cmosim::sim {

namespace {

constexpr size_t kChunkBytes = 1 << 18; // text of one chunk, usually
constexpr size_t kBufBytes = 1 << 20;   // at most (for a long line): lines are shorter
constexpr size_t kPad = 16;             // readable bytes after a chunk's text
constexpr size_t kInBytes = 1 << 18;    // compressed bytes read at once

// What went wrong while reading the bytes: the message after "file:line: "
// (`with_line`) or after "file: ".
struct SourceFault {
    std::string text;
    bool with_line;
};

} // namespace

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

// Bytes of the trace file, decompressed when they are compressed; a packed
// trace's bytes as they are (its blocks are decompressed when parsed).
class Source {
public:
    enum class Kind { Text, Gzip, Xz, Zstd, Packed };

    explicit Source(const std::string &path) : m_path(path) {
        char why[256];
        m_fd = ynode_open_input(path.c_str(), why, sizeof why);
        if (m_fd < 0) {
            std::string w = why; // "cannot open: ENOENT" or "expected a regular file, ..."
            if (w.rfind("cannot open: ", 0) == 0)
                w.erase(0, 13);
            throw TraceError(path + ": cannot open trace: " + w);
        }
        m_in = static_cast<unsigned char *>(std::malloc(kInBytes));
        if (!m_in)
            throw std::bad_alloc();
        try {
            fill_input();
        } catch (const SourceFault &f) {
            throw TraceError(path + ": " + f.text);
        }
        static const unsigned char gz[] = {0x1f, 0x8b};
        static const unsigned char xz[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
        static const unsigned char zs[] = {0x28, 0xb5, 0x2f, 0xfd};
        if (m_in_len >= 2 && std::memcmp(m_in, gz, 2) == 0) {
            m_kind = Kind::Gzip;
            if (inflateInit2(&m_z, 15 + 32) != Z_OK)
                throw TraceError(path + ": cannot start the gzip decoder");
            m_z_live = true;
        } else if (m_in_len >= 6 && std::memcmp(m_in, xz, 6) == 0) {
            m_kind = Kind::Xz;
            if (lzma_stream_decoder(&m_xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
                throw TraceError(path + ": cannot start the xz decoder");
            m_xz_live = true;
        } else if (m_in_len >= 4 && std::memcmp(m_in, zs, 4) == 0) {
            m_kind = Kind::Zstd;
            m_zs = ZSTD_createDStream();
            if (!m_zs || ZSTD_isError(ZSTD_initDStream(m_zs)))
                throw TraceError(path + ": cannot start the zstd decoder");
        } else if (m_in_len >= 2 && std::memcmp(m_in, packed::kMagic,
                                                std::min(m_in_len, sizeof packed::kMagic)) == 0) {
            // (A file cut inside the magic is a packed trace cut short.)
            m_kind = Kind::Packed;
        }
    }
    ~Source() {
        if (m_z_live)
            inflateEnd(&m_z);
        if (m_xz_live)
            lzma_end(&m_xz);
        if (m_zs)
            ZSTD_freeDStream(m_zs);
        std::free(m_in);
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Source(const Source &) = delete;
    Source &operator=(const Source &) = delete;

    Kind kind() const { return m_kind; }
    const char *format() const {
        switch (m_kind) {
        case Kind::Gzip:
            return "gzip";
        case Kind::Xz:
            return "xz";
        case Kind::Zstd:
            return "zstd";
        case Kind::Packed:
            return "packed";
        case Kind::Text:
            break;
        }
        return "text";
    }

    // Up to `cap` bytes into `out`; 0 only at the end of the data. Throws
    // SourceFault.
    size_t read(char *out, size_t cap) {
        for (;;) {
            if (m_kind == Kind::Text || m_kind == Kind::Packed) {
                // What the format check read first, then straight from the file.
                if (m_in_pos < m_in_len) {
                    size_t n = m_in_len - m_in_pos < cap ? m_in_len - m_in_pos : cap;
                    std::memcpy(out, m_in + m_in_pos, n);
                    m_in_pos += n;
                    return n;
                }
                for (;;) {
                    ssize_t r = ::read(m_fd, out, cap);
                    if (r < 0 && errno == EINTR)
                        continue;
                    if (r < 0)
                        throw SourceFault{std::string("cannot read trace: ") + std::strerror(errno),
                                          false};
                    return static_cast<size_t>(r);
                }
            }
            if (m_in_pos == m_in_len && !m_in_eof)
                fill_input();
            size_t n = 0;
            bool at_end = false; // the decoder finished a complete stream
            switch (m_kind) {
            case Kind::Gzip: {
                if (m_in_pos == m_in_len && m_z_done)
                    return 0;
                m_z.next_in = m_in + m_in_pos;
                m_z.avail_in = static_cast<uInt>(m_in_len - m_in_pos);
                m_z.next_out = reinterpret_cast<Bytef *>(out);
                m_z.avail_out = static_cast<uInt>(cap);
                int rc = inflate(&m_z, Z_NO_FLUSH);
                m_in_pos = m_in_len - m_z.avail_in;
                n = cap - m_z.avail_out;
                if (rc == Z_STREAM_END) {
                    m_z_done = true;
                    at_end = true;
                    inflateReset(&m_z); // a following gzip member continues the data
                } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
                    m_z_done = false;
                } else {
                    damaged(m_z.msg ? m_z.msg : "invalid data");
                }
                break;
            }
            case Kind::Xz: {
                m_xz.next_in = m_in + m_in_pos;
                m_xz.avail_in = m_in_len - m_in_pos;
                m_xz.next_out = reinterpret_cast<uint8_t *>(out);
                m_xz.avail_out = cap;
                lzma_ret rc = lzma_code(&m_xz, m_in_eof ? LZMA_FINISH : LZMA_RUN);
                m_in_pos = m_in_len - m_xz.avail_in;
                n = cap - m_xz.avail_out;
                if (rc == LZMA_STREAM_END)
                    return n;
                if (rc == LZMA_BUF_ERROR && m_in_eof && n == 0)
                    truncated();
                if (rc != LZMA_OK && rc != LZMA_BUF_ERROR)
                    damaged("invalid xz data");
                if (n)
                    return n;
                if (m_in_eof && m_in_pos == m_in_len)
                    truncated();
                continue;
            }
            case Kind::Zstd: {
                ZSTD_inBuffer in{m_in + m_in_pos, m_in_len - m_in_pos, 0};
                ZSTD_outBuffer o{out, cap, 0};
                size_t rc = ZSTD_decompressStream(m_zs, &o, &in);
                m_in_pos += in.pos;
                n = o.pos;
                if (ZSTD_isError(rc))
                    damaged(ZSTD_getErrorName(rc));
                // Without progress (input used up) the frame state stands.
                if (in.pos > 0 || o.pos > 0)
                    m_zs_frame_done = rc == 0;
                at_end = m_zs_frame_done;
                break;
            }
            case Kind::Text:
            case Kind::Packed:
                break;
            }
            if (n)
                return n;
            if (m_in_eof && m_in_pos == m_in_len) {
                if (!at_end && !(m_kind == Kind::Gzip ? m_z_done : m_zs_frame_done))
                    truncated();
                return 0;
            }
        }
    }

    // Exactly `n` bytes unless the file ends first; returns how many.
    size_t read_exact(char *out, size_t n) {
        size_t got = 0;
        while (got < n) {
            size_t r = read(out + got, n - got);
            if (r == 0)
                break;
            got += r;
        }
        return got;
    }

private:
    void fill_input() {
        m_in_pos = 0;
        m_in_len = 0;
        while (m_in_len < kInBytes) {
            ssize_t r = ::read(m_fd, m_in + m_in_len, kInBytes - m_in_len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                throw SourceFault{std::string("cannot read trace: ") + std::strerror(errno), false};
            if (r == 0) {
                m_in_eof = true;
                break;
            }
            m_in_len += static_cast<size_t>(r);
        }
    }
    [[noreturn]] void truncated() const {
        throw SourceFault{std::string("expected more ") + kind_name() +
                              " data, found the end of the file (truncated trace)",
                          true};
    }
    [[noreturn]] void damaged(const std::string &why) const {
        throw SourceFault{std::string("expected valid ") + kind_name() + " data, found " + why,
                          true};
    }
    const char *kind_name() const {
        return m_kind == Kind::Gzip ? "gzip" : m_kind == Kind::Xz ? "xz" : "zstd";
    }

    std::string m_path;
    int m_fd = -1;
    Kind m_kind = Kind::Text;
    unsigned char *m_in = nullptr;
    size_t m_in_pos = 0, m_in_len = 0;
    bool m_in_eof = false;
    z_stream m_z{};
    bool m_z_live = false, m_z_done = false;
    lzma_stream m_xz = LZMA_STREAM_INIT;
    bool m_xz_live = false;
    ZSTD_DStream *m_zs = nullptr;
    bool m_zs_frame_done = false;
};

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

inline LackeyLine parse_line(const char *p, const char *end, TraceRecord *rec) {
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
    size_t count = 0;   // records parsed
    uint64_t lines = 0; // lines the chunk holds
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

// Decompresses a packed block into `raw` and checks it; false (the chunk's
// fault set) when it is damaged.
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
    bool next(Chunk &c) override {
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
    bool added_newline() const { return m_added_newline; }

private:
    Source &m_src;
    std::string m_carry; // the start of a line the chunk before could not hold
    bool m_eof = false, m_done = false, m_added_newline = false;
};

// A packed trace: one chunk per block; the end checked against the blocks.
class PackedChunker : public Chunker {
public:
    PackedChunker(Source &src, const std::string &path) : m_src(src), m_path(path) {
        unsigned char h[packed::kHeaderBytes];
        size_t got = 0;
        try {
            got = m_src.read_exact(reinterpret_cast<char *>(h), sizeof h);
        } catch (const SourceFault &f) {
            throw TraceError(path + ": " + f.text);
        }
        if (got < sizeof h)
            throw TraceError(path + ": expected a packed trace header of " +
                             std::to_string(sizeof h) + " bytes, found " + std::to_string(got) +
                             " (truncated trace)");
        std::string why = packed::check_header(h);
        if (!why.empty())
            throw TraceError(path + ": " + why);
    }
    bool next(Chunk &c) override {
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

private:
    bool next_block(Chunk &c) {
        unsigned char h[packed::kTrailerBytes];
        const std::string where = "after " + std::to_string(m_blocks) + " blocks (" +
                                  std::to_string(m_records) + " records)";
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
                                " bytes of packed block " + std::to_string(m_blocks + 1) + " " +
                                where + ", found " + std::to_string(got) +
                                " and the end of the file (truncated trace)");
        c.len = c.block.compressed;
        ++m_blocks;
        m_lines += c.block.lines;
        m_records += c.block.records;
        m_crc = static_cast<uint32_t>(
            crc32_combine(m_crc, c.block.crc, static_cast<z_off_t>(c.block.raw)));
        return true;
    }

public:
    uint32_t flags() const { return m_flags; }
    uint64_t text_bytes() const { return m_text_bytes; }

private:
    bool fault(Chunk &c, const std::string &text) {
        m_done = true;
        c.start(Chunk::Type::End);
        c.set_fault(Chunk::Where::None, 0, 0, text);
        return true;
    }

    Source &m_src;
    std::string m_path;
    bool m_done = false;
    uint64_t m_blocks = 0, m_lines = 0, m_records = 0, m_text_bytes = 0;
    uint32_t m_crc = 0, m_flags = 0;
};

namespace {

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

} // namespace

// The chunks in flight, in their order: a producer cuts them, workers parse
// them (or, without workers, the reader itself), read() hands out their
// records in order.
class ChunkQueue {
public:
    ChunkQueue(const std::string &path, unsigned workers)
        : m_path(path), m_src(path), m_ring(workers ? 2 * workers + 2 : 1) {
        if (m_src.kind() == Source::Kind::Packed)
            m_chunker = std::make_unique<PackedChunker>(m_src, path);
        else
            m_chunker = std::make_unique<TextChunker>(m_src);
        m_dctx = ZSTD_createDCtx();
        if (!m_dctx)
            throw std::bad_alloc();
        m_state.assign(m_ring.size(), State::Free);
        if (workers == 0)
            return;
        m_threads.emplace_back([this] { produce(); });
        for (unsigned i = 0; i < workers; ++i)
            m_threads.emplace_back([this] { work(); });
    }
    ~ChunkQueue() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_space.notify_all();
        m_filled.notify_all();
        m_parsed.notify_all();
        for (std::thread &t : m_threads)
            t.join();
        ZSTD_freeDCtx(m_dctx);
    }
    ChunkQueue(const ChunkQueue &) = delete;
    ChunkQueue &operator=(const ChunkQueue &) = delete;

    const char *format() const { return m_src.format(); }

    // The next `max` records (fewer only at the end of the trace or before an
    // error), in place when one chunk holds them all, else copied: *recs
    // points at them until the next call; their `line` counts from *line_base.
    size_t next(const TraceRecord **recs, uint64_t *line_base, size_t max) {
        size_t n = span(recs, line_base, max);
        if (n == 0 || n == max)
            return n;
        // A chunk ends inside: copy, and top up from the chunks after.
        m_copy.resize(max);
        for (size_t i = 0; i < n; ++i) {
            m_copy[i] = (*recs)[i];
            m_copy[i].line += *line_base;
        }
        n = fill(m_copy.data(), n, max);
        *recs = m_copy.data();
        *line_base = 0;
        return n;
    }

    // The same records, copied into `out` with their lines in the file.
    size_t read(TraceRecord *out, size_t max) { return fill(out, 0, max); }

private:
    // The next records in the current chunk, at most `max`, in place.
    size_t span(const TraceRecord **recs, uint64_t *line_base, size_t max) {
        if (!m_pending.empty()) {
            std::string e;
            e.swap(m_pending);
            throw TraceError(e);
        }
        while (!m_finished) {
            if (!m_cur)
                m_cur = take();
            Chunk &c = *m_cur;
            if (m_off < c.count) {
                size_t k = std::min(c.count - m_off, max);
                *recs = c.recs.data() + m_off;
                *line_base = m_line_base;
                m_off += k;
                return k;
            }
            if (c.faulted) {
                m_finished = true;
                std::string msg = message(c);
                release();
                throw TraceError(msg);
            }
            if (c.type == Chunk::Type::End) {
                m_finished = true;
                release();
                break;
            }
            m_line_base += c.lines;
            m_record_base += c.count;
            release();
        }
        return 0;
    }

    // Copies records into out[have, max); an error waits for the next call
    // when records are already in `out`.
    size_t fill(TraceRecord *out, size_t have, size_t max) {
        size_t n = have;
        while (n < max) {
            const TraceRecord *recs;
            uint64_t base;
            size_t k;
            try {
                k = span(&recs, &base, max - n);
            } catch (const TraceError &e) {
                // The records before the bad line go out first, then its error.
                if (n == 0)
                    throw;
                m_pending = e.what();
                break;
            }
            if (k == 0)
                break;
            for (size_t i = 0; i < k; ++i) {
                out[n + i] = recs[i];
                out[n + i].line += base;
            }
            n += k;
        }
        return n;
    }

    enum class State { Free, Filled, Busy, Parsed };

    // The next chunk in order, parsed.
    Chunk *take() {
        m_off = 0;
        Chunk &c = m_ring[m_take % m_ring.size()];
        if (m_threads.empty()) {
            if (!m_chunker->next(c))
                c.start(Chunk::Type::End);
            parse_chunk(c, m_dctx, m_raw);
            return &c;
        }
        std::unique_lock<std::mutex> lock(m_mutex);
        m_parsed.wait(lock, [&] { return m_state[m_take % m_ring.size()] == State::Parsed; });
        return &c;
    }
    void release() {
        m_cur = nullptr;
        if (m_threads.empty())
            return;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_state[m_take % m_ring.size()] = State::Free;
            ++m_take;
        }
        m_space.notify_one();
    }

    void produce() {
        for (uint64_t seq = 0;; ++seq) {
            const size_t slot = seq % m_ring.size();
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_space.wait(lock, [&] { return m_stop || m_state[slot] == State::Free; });
                if (m_stop)
                    return;
            }
            // A free slot: only this thread touches it now.
            Chunk &c = m_ring[slot];
            bool more = false;
            try {
                more = m_chunker->next(c);
            } catch (const std::exception &e) {
                more = true;
                c.start(Chunk::Type::End);
                c.set_fault(Chunk::Where::None, 0, 0, e.what());
            }
            if (!more)
                c.start(Chunk::Type::End);
            const bool last = !more || c.faulted || c.type == Chunk::Type::End;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_state[slot] = State::Filled;
                m_fill = seq + 1;
            }
            m_filled.notify_one();
            if (last)
                return;
        }
    }

    void work() {
        ZSTD_DCtx *dctx = ZSTD_createDCtx();
        std::vector<unsigned char> raw;
        for (;;) {
            uint64_t seq;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_filled.wait(lock, [&] { return m_stop || m_parse < m_fill; });
                if (m_stop)
                    break;
                seq = m_parse++;
                m_state[seq % m_ring.size()] = State::Busy;
            }
            Chunk &c = m_ring[seq % m_ring.size()];
            if (dctx)
                parse_chunk(c, dctx, raw);
            else
                c.set_fault(Chunk::Where::None, 0, 0, "cannot start the zstd decoder");
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_state[seq % m_ring.size()] = State::Parsed;
            }
            m_parsed.notify_all(); // the reader, and only it, waits on this
        }
        ZSTD_freeDCtx(dctx);
    }

    std::string message(const Chunk &c) const {
        switch (c.where) {
        case Chunk::Where::Line: {
            uint64_t line = m_line_base + (c.at ? c.at : c.lines + 1);
            return m_path + ":" + std::to_string(line) +
                   (c.column ? ":" + std::to_string(c.column) : std::string()) + ": " + c.fault;
        }
        case Chunk::Where::Record:
            return m_path + ": record " + std::to_string(m_record_base + c.at) + ": " + c.fault;
        case Chunk::Where::None:
            break;
        }
        return m_path + ": " + c.fault;
    }

    std::string m_path;
    Source m_src;
    std::unique_ptr<Chunker> m_chunker;
    std::vector<Chunk> m_ring;
    ZSTD_DCtx *m_dctx = nullptr; // without workers
    std::vector<unsigned char> m_raw;
    std::vector<TraceRecord> m_copy; // next()'s records across a chunk's end

    // The reader's side.
    Chunk *m_cur = nullptr;
    size_t m_off = 0; // records of m_cur already handed out
    uint64_t m_take = 0;
    uint64_t m_line_base = 0, m_record_base = 0;
    bool m_finished = false;
    std::string m_pending; // an error after records already returned

    // Shared, under m_mutex.
    std::mutex m_mutex;
    std::condition_variable m_space, m_filled, m_parsed;
    std::vector<State> m_state;
    uint64_t m_fill = 0, m_parse = 0;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

LackeyReader::LackeyReader(const std::string &path)
    : m_path(path), m_queue(std::make_unique<ChunkQueue>(path, 0)) {}

LackeyReader::~LackeyReader() = default;

size_t LackeyReader::read(TraceRecord *out, size_t max) {
    return m_queue->read(out, max);
}

const char *LackeyReader::format() const {
    return m_queue->format();
}

namespace {
unsigned default_workers() {
    unsigned n = std::thread::hardware_concurrency();
    return n < 2 ? 2 : n > 4 ? 4 : n;
}
} // namespace

TracePrefetcher::TracePrefetcher(const std::string &path, unsigned workers)
    : m_queue(std::make_unique<ChunkQueue>(path, workers ? workers : default_workers())) {}

TracePrefetcher::~TracePrefetcher() = default;

size_t TracePrefetcher::read(TraceRecord *out, size_t max) {
    return m_queue->read(out, max);
}

size_t TracePrefetcher::next(const TraceRecord **recs, uint64_t *line_base, size_t max) {
    return m_queue->next(recs, line_base, max);
}

const char *TracePrefetcher::format() const {
    return m_queue->format();
}

LackeyTextChunks::LackeyTextChunks(const std::string &path)
    : m_path(path), m_src(std::make_unique<Source>(path)),
      m_chunker(std::make_unique<TextChunker>(*m_src)), m_chunk(std::make_unique<Chunk>()) {}

LackeyTextChunks::~LackeyTextChunks() = default;

bool LackeyTextChunks::next(const char **text, size_t *len) {
    if (!m_pending.empty()) {
        std::string e;
        e.swap(m_pending);
        throw TraceError(e);
    }
    Chunk &c = *m_chunk;
    if (!m_chunker->next(c))
        return false;
    const uint64_t before = m_lines;
    m_lines += static_cast<uint64_t>(std::count(c.in.data(), c.in.data() + c.len, '\n'));
    if (c.faulted) {
        uint64_t line = c.at ? before + c.at : m_lines + 1;
        std::string msg = c.where == Chunk::Where::None
                              ? m_path + ": " + c.fault
                              : m_path + ":" + std::to_string(line) +
                                    (c.column ? ":" + std::to_string(c.column) : std::string()) +
                                    ": " + c.fault;
        if (c.len == 0)
            throw TraceError(msg);
        m_pending = msg;
    }
    *text = c.in.data();
    *len = c.len;
    return true;
}

bool LackeyTextChunks::added_newline() const {
    return m_chunker->added_newline();
}

const char *LackeyTextChunks::format() const {
    return m_src->format();
}

PackedBlocks::PackedBlocks(const std::string &path)
    : m_path(path), m_src(std::make_unique<Source>(path)), m_chunk(std::make_unique<Chunk>()) {
    if (m_src->kind() != Source::Kind::Packed)
        return;
    m_chunker = std::make_unique<PackedChunker>(*m_src, path);
    m_dctx = ZSTD_createDCtx();
    if (!m_dctx)
        throw std::bad_alloc();
}

PackedBlocks::~PackedBlocks() {
    ZSTD_freeDCtx(static_cast<ZSTD_DCtx *>(m_dctx));
}

bool PackedBlocks::packed() const {
    return m_chunker != nullptr;
}

bool PackedBlocks::next(const unsigned char **raw, size_t *len) {
    Chunk &c = *m_chunk;
    m_records = m_next_records;
    if (!m_chunker || !m_chunker->next(c))
        return false;
    if (!c.faulted)
        inflate_block(c, static_cast<ZSTD_DCtx *>(m_dctx), m_raw);
    if (c.faulted)
        throw TraceError(c.where == Chunk::Where::Record
                             ? m_path + ": record " + std::to_string(m_records + c.at) + ": " +
                                   c.fault
                             : m_path + ": " + c.fault);
    m_next_records = m_records + c.block.records;
    *raw = m_raw.data();
    *len = m_raw.size();
    return true;
}

uint32_t PackedBlocks::flags() const {
    return m_chunker ? m_chunker->flags() : 0;
}

uint64_t PackedBlocks::text_bytes() const {
    return m_chunker ? m_chunker->text_bytes() : 0;
}

} // namespace cmosim::sim
