// SPDX-License-Identifier: Apache-2.0
#include "replay/lackey_pack.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <vector>

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

namespace cmosim::sim::packed {

std::string check_header(const unsigned char *h) {
    if (std::memcmp(h, kMagic, sizeof kMagic) != 0)
        return "expected the packed trace magic, found other bytes";
    const unsigned version = get_u16(h + 8);
    if (version != kVersion)
        return "expected packed trace version " + std::to_string(kVersion) + ", found version " +
               std::to_string(version) + " (a newer cmosim wrote it?)";
    if (get_u16(h + 10) != kHeaderBytes)
        return "expected a packed trace header of " + std::to_string(kHeaderBytes) +
               " bytes, found " + std::to_string(get_u16(h + 10));
    const uint32_t rec = get_u16(h + 12), line = get_u16(h + 14), text = get_u32(h + 16),
                   block = get_u32(h + 20);
    if (rec == 0 || rec > kMaxRecordBytes || line < kMinLineBytes || text == 0 ||
        text > kMaxTextLine || block == 0 || block > kMaxBlockLines)
        return "expected records of at most " + std::to_string(kMaxRecordBytes) +
               " bytes, lines of at least " + std::to_string(kMinLineBytes) +
               " bytes, text lines of at most " + std::to_string(kMaxTextLine) +
               " bytes and blocks of at most " + std::to_string(kMaxBlockLines) + " lines, found " +
               std::to_string(rec) + ", " + std::to_string(line) + ", " + std::to_string(text) +
               " and " + std::to_string(block);
    return "";
}

std::string check_block_header(const BlockHeader &b) {
    if (b.raw == 0 || b.raw > kMaxBlockRaw || b.compressed > ZSTD_compressBound(kMaxBlockRaw) ||
        b.lines == 0 || b.lines > kMaxBlockLines || b.records > b.lines)
        return "expected a packed block header (at most " + std::to_string(kMaxBlockRaw) +
               " raw bytes and " + std::to_string(kMaxBlockLines) + " lines), found compressed " +
               std::to_string(b.compressed) + ", raw " + std::to_string(b.raw) + ", " +
               std::to_string(b.lines) + " lines, " + std::to_string(b.records) +
               " records (damaged trace)";
    return "";
}

size_t format_record(const TraceRecord &r, char *out) {
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    if (r.kind == 'I') {
        *o++ = 'I';
        *o++ = ' ';
    } else {
        *o++ = ' ';
        *o++ = r.kind;
    }
    *o++ = ' ';
    int digits = 8;
    while (digits < 16 && r.addr >> (4 * digits))
        ++digits;
    for (int i = digits - 1; i >= 0; --i)
        *o++ = hex[(r.addr >> (4 * i)) & 0xf];
    *o++ = ',';
    char dec[12];
    int n = 0;
    uint32_t s = r.size;
    do {
        dec[n++] = static_cast<char>('0' + s % 10);
        s /= 10;
    } while (s);
    while (n)
        *o++ = dec[--n];
    *o++ = '\n';
    return static_cast<size_t>(o - out);
}

namespace {

// A file written under a temporary name and renamed into place when done.
class OutFile {
public:
    explicit OutFile(const std::string &path)
        : m_path(path), m_tmp(path + ".tmp." + std::to_string(::getpid())) {
        m_f = std::fopen(m_tmp.c_str(), "wb");
    }
    ~OutFile() {
        if (m_f) {
            std::fclose(m_f);
            std::remove(m_tmp.c_str());
        }
    }
    OutFile(const OutFile &) = delete;
    OutFile &operator=(const OutFile &) = delete;

    bool open() const { return m_f != nullptr; }
    std::string error() const { return m_path + ": cannot write: " + std::strerror(errno); }
    bool write(const void *p, size_t n) {
        m_bytes += n;
        return std::fwrite(p, 1, n, m_f) == n;
    }
    uint64_t bytes() const { return m_bytes; }
    bool commit() {
        bool ok = std::fflush(m_f) == 0 && std::ferror(m_f) == 0;
        ok = (std::fclose(m_f) == 0) && ok;
        m_f = nullptr;
        if (ok && std::rename(m_tmp.c_str(), m_path.c_str()) == 0)
            return true;
        std::remove(m_tmp.c_str());
        return false;
    }

private:
    std::string m_path, m_tmp;
    std::FILE *m_f = nullptr;
    uint64_t m_bytes = 0;
};

unsigned char *put_varint(unsigned char *p, uint64_t v) {
    while (v >= 0x80) {
        *p++ = static_cast<unsigned char>(v | 0x80);
        v >>= 7;
    }
    *p++ = static_cast<unsigned char>(v);
    return p;
}

// Lines into blocks, blocks into the file.
class Packer {
public:
    Packer(OutFile &out) : m_out(out), m_raw(2 * kMaxTextLine + 64) {
        m_cctx = ZSTD_createCCtx();
        m_p = m_raw.data();
    }
    ~Packer() { ZSTD_freeCCtx(m_cctx); }
    Packer(const Packer &) = delete;
    Packer &operator=(const Packer &) = delete;

    bool record(const TraceRecord &r, const char *text, size_t len) {
        if (!room(len))
            return false;
        const unsigned kind = kind_code(r.kind);
        char canon[48];
        const bool own = format_record(r, canon) == len + 1 && std::memcmp(canon, text, len) == 0;
        if (!own)
            *m_p++ = kTagTextual;
        if (r.size < kSizeVarint) {
            *m_p++ = static_cast<unsigned char>(r.size << 2 | kind);
        } else {
            *m_p++ = static_cast<unsigned char>(kSizeVarint << 2 | kind);
            m_p = put_varint(m_p, r.size);
        }
        const int64_t delta = static_cast<int64_t>(r.addr - m_pred.predict(kind));
        m_p =
            put_varint(m_p, static_cast<uint64_t>(delta) << 1 ^ static_cast<uint64_t>(delta >> 63));
        m_pred.update(kind, r.addr, r.size);
        if (!own)
            bytes(text, len);
        ++m_records;
        return true;
    }
    // A line that is not a record (Valgrind's own), without its newline.
    bool raw_line(const char *text, size_t len) {
        if (!room(len))
            return false;
        *m_p++ = kTagRawLine;
        bytes(text, len);
        return true;
    }
    bool finish(uint64_t text_bytes, uint32_t flags) {
        if (!flush())
            return false;
        unsigned char t[4 + kTrailerBytes] = {};
        put_u64(t + 4, m_total_lines);
        put_u64(t + 12, m_total_records);
        put_u64(t + 20, text_bytes);
        put_u32(t + 28, m_crc);
        put_u32(t + 32, flags);
        std::memcpy(t + 36, kEndMagic, sizeof kEndMagic);
        return m_out.write(t, sizeof t);
    }
    uint64_t lines() const { return m_total_lines + m_lines; }
    uint64_t records() const { return m_total_records + m_records; }

private:
    bool room(size_t len) {
        if ((m_lines == kMaxBlockLines || m_p - m_raw.data() >= kMaxTextLine) && !flush())
            return false;
        ++m_lines;
        (void)len; // a line is at most kMaxTextLine bytes: the buffer holds two
        return true;
    }
    void bytes(const char *text, size_t len) {
        m_p = put_varint(m_p, len);
        std::memcpy(m_p, text, len);
        m_p += len;
    }
    bool flush() {
        const size_t raw = static_cast<size_t>(m_p - m_raw.data());
        if (raw == 0)
            return true;
        m_z.resize(ZSTD_compressBound(raw));
        size_t z = ZSTD_compressCCtx(m_cctx, m_z.data(), m_z.size(), m_raw.data(), raw, 3);
        if (ZSTD_isError(z))
            return false;
        const uint32_t crc = static_cast<uint32_t>(crc32(0, m_raw.data(), static_cast<uInt>(raw)));
        unsigned char h[kBlockHeaderBytes];
        put_u32(h, static_cast<uint32_t>(z));
        put_u32(h + 4, static_cast<uint32_t>(raw));
        put_u32(h + 8, m_lines);
        put_u32(h + 12, m_records);
        put_u32(h + 16, crc);
        m_crc = static_cast<uint32_t>(crc32_combine(m_crc, crc, static_cast<z_off_t>(raw)));
        m_total_lines += m_lines;
        m_total_records += m_records;
        m_lines = m_records = 0;
        m_p = m_raw.data();
        m_pred = Predictor{};
        return m_out.write(h, sizeof h) && m_out.write(m_z.data(), z);
    }

    OutFile &m_out;
    std::vector<unsigned char> m_raw, m_z;
    unsigned char *m_p;
    ZSTD_CCtx *m_cctx;
    Predictor m_pred;
    uint32_t m_lines = 0, m_records = 0, m_crc = 0;
    uint64_t m_total_lines = 0, m_total_records = 0;
};

unsigned char format_code(const char *f) {
    return std::strcmp(f, "gzip") == 0   ? 1
           : std::strcmp(f, "xz") == 0   ? 2
           : std::strcmp(f, "zstd") == 0 ? 3
                                         : 0;
}

} // namespace

std::string pack(const std::string &in, const std::string &out, PackStats *stats) {
    try {
        LackeyTextChunks src(in);
        if (std::strcmp(src.format(), "packed") == 0)
            return in + ": expected lackey text (plain, gzip, xz or zstd), found a packed trace";
        OutFile f(out);
        if (!f.open())
            return f.error();
        unsigned char h[kHeaderBytes] = {};
        std::memcpy(h, kMagic, sizeof kMagic);
        put_u16(h + 8, kVersion);
        put_u16(h + 10, kHeaderBytes);
        put_u16(h + 12, kMaxRecordBytes);
        put_u16(h + 14, kMinLineBytes);
        put_u32(h + 16, kMaxTextLine);
        put_u32(h + 20, kMaxBlockLines);
        h[24] = format_code(src.format());
        if (!f.write(h, sizeof h))
            return f.error();
        Packer pk(f);
        const char *text;
        size_t len;
        uint64_t text_bytes = 0;
        while (src.next(&text, &len)) {
            text_bytes += len;
            const char *p = text, *end = text + len;
            while (p < end) {
                TraceRecord r;
                LackeyLine l = parse_lackey_line(p, end, &r);
                if (l.kind == LackeyLine::Bad) {
                    const char *le = static_cast<const char *>(std::memchr(p, '\n', end - p));
                    return in + ":" + std::to_string(pk.lines() + 1) + ":" +
                           std::to_string(l.bad_at - p + 1) + ": expected " + l.expected +
                           ", found " + describe_text(l.bad_at, le);
                }
                const size_t n = static_cast<size_t>(l.next - p) - 1; // without the newline
                if (!(l.kind == LackeyLine::Record ? pk.record(r, p, n) : pk.raw_line(p, n)))
                    return f.error();
                p = l.next;
            }
        }
        if (src.added_newline())
            --text_bytes;
        if (!pk.finish(text_bytes, src.added_newline() ? kNoFinalNewline : 0) || !f.commit())
            return f.error();
        if (stats)
            *stats = PackStats{pk.lines(), pk.records(), text_bytes, f.bytes()};
    } catch (const TraceError &e) {
        return e.what();
    }
    return "";
}

std::string unpack(const std::string &in, const std::string &out, PackStats *stats) {
    try {
        PackedBlocks blocks(in);
        if (!blocks.packed())
            return in + ": expected a packed trace (cmosim trace pack), found other bytes";
        OutFile f(out);
        if (!f.open())
            return f.error();
        std::string text;
        bool held = false; // the last byte written so far, a newline, held back
        const unsigned char *raw;
        size_t len;
        uint64_t lines = 0, records = 0;
        while (blocks.next(&raw, &len)) {
            text.clear();
            if (held)
                text += '\n';
            std::string why = decode_entries(
                raw, len,
                [&](const TraceRecord &r, const char *t, size_t n) {
                    ++records;
                    ++lines;
                    if (t) {
                        text.append(t, n);
                        text += '\n';
                    } else {
                        char buf[48];
                        text.append(buf, format_record(r, buf));
                    }
                },
                [&](const char *t, size_t n) {
                    ++lines;
                    text.append(t, n);
                    text += '\n';
                });
            if (!why.empty())
                return in + ": record " + std::to_string(blocks.records_before() + 1) + ": " + why;
            held = !text.empty();
            if (held && !f.write(text.data(), text.size() - 1))
                return f.error();
        }
        if (held && !(blocks.flags() & kNoFinalNewline) && !f.write("\n", 1))
            return f.error();
        if (f.bytes() != blocks.text_bytes())
            return in + ": expected " + std::to_string(blocks.text_bytes()) +
                   " bytes of text as the packed trace's end says, found " +
                   std::to_string(f.bytes()) + " (damaged trace)";
        if (!f.commit())
            return f.error();
        if (stats)
            *stats = PackStats{lines, records, f.bytes(), 0};
    } catch (const TraceError &e) {
        return e.what();
    }
    return "";
}

} // namespace cmosim::sim::packed
