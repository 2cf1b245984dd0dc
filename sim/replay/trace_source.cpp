// SPDX-License-Identifier: Apache-2.0
#include "replay/trace_source.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include <unistd.h>

#include "config/ynode.h"
#include "replay/lackey_pack.h"

namespace cmosim::sim {

Source::Source(const std::string &path) : m_path(path) {
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
    } else if (m_in_len >= 2 &&
               std::memcmp(m_in, packed::kMagic, std::min(m_in_len, sizeof packed::kMagic)) == 0) {
        // (A file cut inside the magic is a packed trace cut short.)
        m_kind = Kind::Packed;
    }
}

Source::~Source() {
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

const char *Source::format() const {
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

size_t Source::read(char *out, size_t cap) {
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

size_t Source::read_exact(char *out, size_t n) {
    size_t got = 0;
    while (got < n) {
        size_t r = read(out + got, n - got);
        if (r == 0)
            break;
        got += r;
    }
    return got;
}

void Source::fill_input() {
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

void Source::truncated() const {
    throw SourceFault{std::string("expected more ") + kind_name() +
                          " data, found the end of the file (truncated trace)",
                      true};
}

void Source::damaged(const std::string &why) const {
    throw SourceFault{std::string("expected valid ") + kind_name() + " data, found " + why, true};
}

const char *Source::kind_name() const {
    return m_kind == Kind::Gzip ? "gzip" : m_kind == Kind::Xz ? "xz" : "zstd";
}

} // namespace cmosim::sim
