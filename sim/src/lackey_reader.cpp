// SPDX-License-Identifier: Apache-2.0
#include "lackey_reader.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

extern "C" {
#include "../config/ynode.h"
}

namespace cmosim::sim {

namespace {

constexpr size_t kBufBytes = 1 << 20; // decompressed text held at once
constexpr size_t kInBytes = 1 << 18;  // compressed bytes read at once

std::string describe(const char *p, const char *end) {
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

} // namespace

// Bytes of the trace file, decompressed when they are compressed.
class LackeyReader::Source {
public:
    enum class Kind { Text, Gzip, Xz, Zstd };

    Source(const std::string &path) : m_path(path) {
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
        fill_input();
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

    Kind kind() const { return m_kind; }

    // Up to `cap` bytes into `out`; 0 only at the end of the data.
    size_t read(char *out, size_t cap, uint64_t line) {
        for (;;) {
            if (m_kind == Kind::Text) {
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
                        throw TraceError(m_path + ": cannot read trace: " + std::strerror(errno));
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
                    damaged(line, m_z.msg ? m_z.msg : "invalid data");
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
                if (rc == LZMA_STREAM_END) {
                    if (n == 0)
                        return 0;
                    return n;
                }
                if (rc == LZMA_BUF_ERROR && m_in_eof && n == 0)
                    truncated(line);
                if (rc != LZMA_OK && rc != LZMA_BUF_ERROR)
                    damaged(line, "invalid xz data");
                if (n)
                    return n;
                if (m_in_eof && m_in_pos == m_in_len)
                    truncated(line);
                continue;
            }
            case Kind::Zstd: {
                ZSTD_inBuffer in{m_in + m_in_pos, m_in_len - m_in_pos, 0};
                ZSTD_outBuffer o{out, cap, 0};
                size_t rc = ZSTD_decompressStream(m_zs, &o, &in);
                m_in_pos += in.pos;
                n = o.pos;
                if (ZSTD_isError(rc))
                    damaged(line, ZSTD_getErrorName(rc));
                // Without progress (input used up) the frame state stands.
                if (in.pos > 0 || o.pos > 0)
                    m_zs_frame_done = rc == 0;
                at_end = m_zs_frame_done;
                break;
            }
            case Kind::Text:
                break;
            }
            if (n)
                return n;
            if (m_in_eof && m_in_pos == m_in_len) {
                if (!at_end && !(m_kind == Kind::Gzip ? m_z_done : m_zs_frame_done))
                    truncated(line);
                return 0;
            }
        }
    }

private:
    bool fill_input() {
        m_in_pos = 0;
        m_in_len = 0;
        while (m_in_len < kInBytes) {
            ssize_t r = ::read(m_fd, m_in + m_in_len, kInBytes - m_in_len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                throw TraceError(m_path + ": cannot read trace: " + std::strerror(errno));
            if (r == 0) {
                m_in_eof = true;
                break;
            }
            m_in_len += static_cast<size_t>(r);
        }
        return m_in_len > 0;
    }
    [[noreturn]] void truncated(uint64_t line) const {
        throw TraceError(m_path + ":" + std::to_string(line + 1) + ": expected more " +
                         kind_name() + " data, found the end of the file (truncated trace)");
    }
    [[noreturn]] void damaged(uint64_t line, const std::string &why) const {
        throw TraceError(m_path + ":" + std::to_string(line + 1) + ": expected valid " +
                         kind_name() + " data, found " + why);
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

LackeyReader::LackeyReader(const std::string &path)
    : m_path(path), m_src(std::make_unique<Source>(path)) {
    m_cap = kBufBytes;
    m_buf = static_cast<char *>(std::malloc(m_cap + 2)); // and a newline at the end
    if (!m_buf)
        throw std::bad_alloc();
}

LackeyReader::~LackeyReader() {
    std::free(m_buf);
}

const char *LackeyReader::format() const {
    switch (m_src->kind()) {
    case Source::Kind::Gzip:
        return "gzip";
    case Source::Kind::Xz:
        return "xz";
    case Source::Kind::Zstd:
        return "zstd";
    case Source::Kind::Text:
        break;
    }
    return "text";
}

// Keeps the unread part and appends more text; false when nothing was added.
bool LackeyReader::refill() {
    if (m_eof)
        return false;
    size_t keep = m_end - m_pos;
    // The line that does not fit has not begun: it is the next one, and
    // m_line_start still points at the one before.
    if (keep >= m_cap)
        throw TraceError(m_path + ":" + std::to_string(m_line + 1) +
                         ":1: expected a line shorter than 1 MiB, found one longer, starting " +
                         describe(m_buf + m_pos, m_buf + m_end));
    std::memmove(m_buf, m_buf + m_pos, keep);
    m_pos = 0;
    m_end = keep;
    size_t n = m_src->read(m_buf + m_end, m_cap - m_end, m_line);
    if (n == 0) {
        m_eof = true;
        // A last line without a newline still counts.
        if (m_end > 0 && m_buf[m_end - 1] != '\n')
            m_buf[m_end++] = '\n';
    } else {
        m_end += n;
    }
    const char *last = static_cast<const char *>(memrchr(m_buf, '\n', m_end));
    m_complete = last ? static_cast<size_t>(last - m_buf) + 1 : 0;
    return n > 0 || m_end > keep;
}

void LackeyReader::fail(const char *p, const std::string &expected) const {
    const char *ls = m_line_start ? m_line_start : m_buf;
    const char *le = static_cast<const char *>(std::memchr(ls, '\n', m_buf + m_end - ls));
    if (!le)
        le = m_buf + m_end;
    throw TraceError(m_path + ":" + std::to_string(m_line) + ":" + std::to_string(p - ls + 1) +
                     ": expected " + expected + ", found " + describe(p, le));
}

namespace {
// 0..15 for a hex digit, 16 otherwise.
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
} // namespace

size_t LackeyReader::read(TraceRecord *out, size_t max) {
    if (m_pending) {
        std::exception_ptr e = m_pending;
        m_pending = nullptr;
        std::rethrow_exception(e);
    }
    size_t n = 0;
    try {
        n = parse(out, max);
    } catch (const TraceError &) {
        // The records before the bad line go out first.
        if (m_parsed == 0)
            throw;
        m_pending = std::current_exception();
        n = m_parsed;
    }
    return n;
}

size_t LackeyReader::parse(TraceRecord *out, size_t max) {
    size_t &n = m_parsed;
    n = 0;
    while (n < max) {
        // Lines before m_complete end with a newline: parse without a search.
        if (m_pos >= m_complete) {
            if (!refill())
                break;
            continue;
        }
        char *p = m_buf + m_pos;
        ++m_line;
        m_line_start = p;
        char kind;
        if (p[0] == 'I' && p[1] == ' ' && p[2] == ' ') {
            kind = 'I';
        } else if (p[0] == ' ' && p[1] != '\n' && p[2] == ' ') {
            kind = p[1];
            if (kind != 'L' && kind != 'S' && kind != 'M')
                fail(p + 1, "a record kind (I, L, S or M)");
        } else if (p[0] == '=' && p[1] == '=') {
            const char *e = static_cast<const char *>(std::memchr(p, '\n', m_complete - m_pos));
            m_pos = static_cast<size_t>(e - m_buf) + 1;
            continue;
        } else {
            fail(p, "a record ('I  addr,size' or ' L|S|M addr,size') or a '==' line");
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
            fail(reinterpret_cast<const char *>(q), "a hexadecimal address");
        if (q - h > 16)
            fail(reinterpret_cast<const char *>(h), "an address of at most 16 hex digits");
        if (*q != ',')
            fail(reinterpret_cast<const char *>(q), "',' after the address");
        const unsigned char *s = ++q;
        uint64_t size = 0;
        while (*q >= '0' && *q <= '9' && size <= 0xffffff)
            size = size * 10 + (*q++ - '0');
        if (q == s)
            fail(reinterpret_cast<const char *>(q), "a decimal size");
        if (size == 0)
            fail(reinterpret_cast<const char *>(s), "a size of at least 1 byte");
        if (size > 4096)
            fail(reinterpret_cast<const char *>(s), "a size of at most 4096 bytes");
        if (*q != '\n')
            fail(reinterpret_cast<const char *>(q), "the end of the line after the size");
        m_pos = static_cast<size_t>(reinterpret_cast<const char *>(q) - m_buf) + 1;
        out[n++] = TraceRecord{addr, m_line, static_cast<uint32_t>(size), kind};
    }
    return n;
}

TracePrefetcher::TracePrefetcher(const std::string &path) : m_reader(path) {
    for (Batch &b : m_batches)
        b.records.resize(kBatchRecords);
    m_thread = std::thread([this] { produce(); });
}

TracePrefetcher::~TracePrefetcher() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_free.notify_all();
    m_thread.join();
}

void TracePrefetcher::produce() {
    size_t tail = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_free.wait(lock, [&] { return m_stop || m_filled < kBatches; });
            if (m_stop)
                return;
        }
        // The batch at `tail` is free: only this thread touches it now.
        Batch &b = m_batches[tail];
        b.count = 0;
        b.last = false;
        b.error.clear();
        try {
            b.count = m_reader.read(b.records.data(), kBatchRecords);
            b.last = b.count == 0;
        } catch (const TraceError &e) {
            b.error = e.what();
            b.last = true;
        } catch (const std::exception &e) {
            b.error = m_reader.path() + ": " + e.what();
            b.last = true;
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            ++m_filled;
        }
        m_ready.notify_one();
        if (b.last)
            return;
        tail = (tail + 1) % kBatches;
    }
}

size_t TracePrefetcher::read(TraceRecord *out, size_t max) {
    size_t n = 0;
    while (n < max) {
        if (m_done) {
            // The records before a bad line go out first, then its error.
            if (n == 0 && !m_error.empty()) {
                std::string e;
                e.swap(m_error);
                throw TraceError(e);
            }
            break;
        }
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_ready.wait(lock, [&] { return m_filled > 0; });
        }
        Batch &b = m_batches[m_head];
        size_t take = b.count - m_offset < max - n ? b.count - m_offset : max - n;
        std::memcpy(out + n, b.records.data() + m_offset, take * sizeof(TraceRecord));
        n += take;
        m_offset += take;
        if (m_offset < b.count)
            break; // `out` is full
        if (b.last) {
            m_done = true;
            m_error = b.error;
            continue;
        }
        m_offset = 0;
        m_head = (m_head + 1) % kBatches;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            --m_filled;
        }
        m_free.notify_one();
    }
    return n;
}

} // namespace cmosim::sim
