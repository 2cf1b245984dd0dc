// SPDX-License-Identifier: Apache-2.0
// The bytes of a trace file (replay/lackey_reader.h), decompressed as they are
// read when the file is gzip, xz or zstd; a packed trace's bytes as they are.
#pragma once

#include <cstddef>
#include <string>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

namespace cmosim::sim {

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

// Bytes of the trace file, decompressed when they are compressed; a packed
// trace's bytes as they are (its blocks are decompressed when parsed).
class Source {
public:
    enum class Kind { Text, Gzip, Xz, Zstd, Packed };

    explicit Source(const std::string &path);
    ~Source();
    Source(const Source &) = delete;
    Source &operator=(const Source &) = delete;

    Kind kind() const { return m_kind; }
    const char *format() const;

    // Up to `cap` bytes into `out`; 0 only at the end of the data. Throws
    // SourceFault.
    size_t read(char *out, size_t cap);

    // Exactly `n` bytes unless the file ends first; returns how many.
    size_t read_exact(char *out, size_t n);

private:
    void fill_input();
    [[noreturn]] void truncated() const;
    [[noreturn]] void damaged(const std::string &why) const;
    const char *kind_name() const;

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

} // namespace cmosim::sim
