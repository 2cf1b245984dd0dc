// SPDX-License-Identifier: Apache-2.0
// The lackey trace reader: every record kind, Valgrind's own lines, the three
// compressed formats, streaming across buffer refills, and each kind of bad
// input with its file:line message.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "cli_run.h"
#include "replay/lackey_pack.h"
#include "replay/lackey_reader.h"

using cmosim::sim::LackeyReader;
using cmosim::sim::LineRefs;
using cmosim::sim::TraceError;
using cmosim::sim::TraceRecord;

namespace {

std::string g_dir;

std::string write_file(const std::string &name, const std::string &bytes) {
    std::string path = g_dir + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::string gzip(const std::string &text) {
    std::string path = g_dir + "/tmp.gz";
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    return cmosim::test::read_text(path);
}

std::string xz(const std::string &text) {
    std::string out(lzma_stream_buffer_bound(text.size()), '\0');
    size_t pos = 0;
    lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                            reinterpret_cast<const uint8_t *>(text.data()), text.size(),
                            reinterpret_cast<uint8_t *>(out.data()), &pos, out.size());
    out.resize(pos);
    return out;
}

std::string zstd(const std::string &text) {
    std::string out(ZSTD_compressBound(text.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
    return out;
}

std::vector<TraceRecord> read_all(const std::string &path, size_t batch = 1000) {
    LackeyReader r(path);
    std::vector<TraceRecord> out(batch), all;
    size_t n;
    while ((n = r.read(out.data(), batch)) > 0)
        all.insert(all.end(), out.begin(), out.begin() + static_cast<long>(n));
    return all;
}

std::string error_of(const std::string &path) {
    try {
        read_all(path);
    } catch (const TraceError &e) {
        return e.what();
    }
    return "(no error)";
}

// A long trace: lines of every kind, with Valgrind's lines in between.
std::string long_trace(size_t records) {
    std::string t = "==42== Lackey, an example Valgrind tool\n";
    char line[64];
    for (size_t i = 0; i < records; ++i) {
        static const char *kinds[] = {"I ", " L", " S", " M"};
        std::snprintf(line, sizeof line, "%s %08zx,%zu\n", kinds[i % 4], 0x400000 + i * 13,
                      1 + i % 16);
        t += line;
        if (i % 1000 == 999)
            t += "==42== \n";
    }
    return t;
}

class Reader : public ::testing::Test {
protected:
    static void SetUpTestSuite() { g_dir = cmosim::test::make_temp_dir(); }
};

TEST_F(Reader, EveryKindAndValgrindLines) {
    auto v = read_all(write_file("kinds.lk", "==7754== Lackey, an example Valgrind tool\n"
                                             "I  0401ab70,3\n"
                                             " S 1fff000718,8\n"
                                             " L 00000010,4\n"
                                             " M 7FF,16\n"
                                             "==7754== \n"
                                             "I  ffffffffff600000,15"));
    ASSERT_EQ(v.size(), 5u);
    EXPECT_EQ(v[0].kind, 'I');
    EXPECT_EQ(v[0].addr, 0x0401ab70u);
    EXPECT_EQ(v[0].size, 3u);
    EXPECT_EQ(v[0].line, 2u);
    EXPECT_EQ(v[1].kind, 'S');
    EXPECT_EQ(v[1].addr, 0x1fff000718u);
    EXPECT_EQ(v[2].kind, 'L');
    EXPECT_EQ(v[2].addr, 0x10u);
    EXPECT_EQ(v[3].kind, 'M');
    EXPECT_EQ(v[3].addr, 0x7ffu);
    EXPECT_EQ(v[3].size, 16u);
    // The last line has no newline and still counts.
    EXPECT_EQ(v[4].addr, 0xffffffffff600000u);
    EXPECT_EQ(v[4].line, 7u);
}

TEST_F(Reader, CompressedFormatsReadLikeText) {
    const std::string text = long_trace(120000); // more than 1 MiB: refills
    ASSERT_GT(text.size(), 1u << 20);            // more than the reader's buffer
    auto plain = read_all(write_file("long.lk", text), 4096);
    ASSERT_EQ(plain.size(), 120000u);
    EXPECT_EQ(plain.back().addr, 0x400000u + 119999u * 13u);
    EXPECT_EQ(plain.back().line, 1u + 120000u + 119u);
    struct {
        const char *name, *format;
        std::string bytes;
    } packed[] = {{"long.lk.gz", "gzip", gzip(text)},
                  {"long.lk.xz", "xz", xz(text)},
                  {"long.lk.zst", "zstd", zstd(text)}};
    for (auto &p : packed) {
        std::string path = write_file(p.name, p.bytes);
        EXPECT_STREQ(LackeyReader(path).format(), p.format);
        auto v = read_all(path, 7); // odd batches
        ASSERT_EQ(v.size(), plain.size()) << p.name;
        for (size_t i = 0; i < v.size(); ++i)
            if (v[i].addr != plain[i].addr || v[i].size != plain[i].size ||
                v[i].kind != plain[i].kind || v[i].line != plain[i].line) {
                ADD_FAILURE() << p.name << " differs at record " << i;
                break;
            }
    }
}

TEST_F(Reader, MalformedLine) {
    std::string p = write_file("bad.lk", "I  0401ab70,3\nI  04x1ab70,3\n");
    EXPECT_EQ(error_of(p), p + ":2:6: expected ',' after the address, found 'x1ab70,3'");
    p = write_file("bad2.lk", "I  0401ab70,3\nhello\n");
    EXPECT_EQ(error_of(p), p + ":2:1: expected a record ('I  addr,size' or ' L|S|M addr,size') "
                               "or a '==' line, found 'hello'");
    p = write_file("bad3.lk", " L 10,4 extra\n");
    EXPECT_EQ(error_of(p), p + ":1:8: expected the end of the line after the size, found ' extra'");
    p = write_file("bad4.lk", " L ,4\n");
    EXPECT_EQ(error_of(p), p + ":1:4: expected a hexadecimal address, found ',4'");
    p = write_file("bad5.lk", " L 10,4\n\n");
    EXPECT_EQ(error_of(p), p + ":2:1: expected a record ('I  addr,size' or ' L|S|M addr,size') "
                               "or a '==' line, found end of line");
}

TEST_F(Reader, UnknownKind) {
    std::string p = write_file("kind.lk", "I  0401ab70,3\n X 10,4\n");
    EXPECT_EQ(error_of(p), p + ":2:2: expected a record kind (I, L, S or M), found 'X 10,4'");
}

TEST_F(Reader, SizeZeroAndHuge) {
    std::string p = write_file("zero.lk", " L 10,4\n S 10,0\n");
    EXPECT_EQ(error_of(p), p + ":2:7: expected a size of at least 1 byte, found '0'");
    p = write_file("huge.lk", " S 10,5000\n");
    EXPECT_EQ(error_of(p), p + ":1:7: expected a size of at most 4096 bytes, found '5000'");
}

TEST_F(Reader, MissingFile) {
    std::string p = g_dir + "/no-such-trace.lk";
    EXPECT_EQ(error_of(p), p + ": cannot open trace: No such file or directory");
}

TEST_F(Reader, TruncatedCompressedFiles) {
    const std::string text = long_trace(50000);
    struct {
        const char *name, *format;
        std::string bytes;
    } packed[] = {{"cut.lk.gz", "gzip", gzip(text)},
                  {"cut.lk.xz", "xz", xz(text)},
                  {"cut.lk.zst", "zstd", zstd(text)}};
    for (auto &c : packed) {
        std::string p = write_file(c.name, c.bytes.substr(0, c.bytes.size() / 2));
        std::string e = error_of(p);
        EXPECT_EQ(e.rfind(p + ":", 0), 0u) << e;
        EXPECT_NE(e.find(std::string("expected more ") + c.format +
                         " data, found the end of the file (truncated trace)"),
                  std::string::npos)
            << e;
    }
}

TEST_F(Reader, DamagedCompressedData) {
    std::string bytes = gzip(long_trace(1000));
    for (size_t i = 20; i < bytes.size() - 8; i += 3)
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    std::string p = write_file("damaged.lk.gz", bytes);
    std::string e = error_of(p);
    EXPECT_EQ(e.rfind(p + ":", 0), 0u) << e;
    EXPECT_NE(e.find("expected"), std::string::npos) << e;
}

} // namespace

namespace {

using cmosim::sim::TracePrefetcher;

TEST_F(Reader, PrefetcherReadsTheSameRecords) {
    const std::string text = long_trace(100000);
    std::string path = write_file("pre.lk.zst", zstd(text));
    auto serial = read_all(path, 4096);
    TracePrefetcher pre(path);
    std::vector<TraceRecord> got, buf(3000);
    size_t n;
    while ((n = pre.read(buf.data(), buf.size())) > 0)
        got.insert(got.end(), buf.begin(), buf.begin() + static_cast<long>(n));
    ASSERT_EQ(got.size(), serial.size());
    for (size_t i = 0; i < got.size(); ++i)
        if (got[i].addr != serial[i].addr || got[i].line != serial[i].line ||
            got[i].kind != serial[i].kind || got[i].size != serial[i].size) {
            ADD_FAILURE() << "record " << i << " differs";
            break;
        }
    EXPECT_EQ(pre.read(buf.data(), buf.size()), 0u);
}

TEST_F(Reader, PrefetcherGivesRecordsBeforeTheErrorThenTheError) {
    std::string text = long_trace(20000) + " L 10,0\n L 20,4\n";
    std::string path = write_file("pre-bad.lk", text);
    TracePrefetcher pre(path);
    std::vector<TraceRecord> buf(7000);
    size_t total = 0, n = 0;
    std::string error;
    try {
        while ((n = pre.read(buf.data(), buf.size())) > 0)
            total += n;
    } catch (const TraceError &e) {
        error = e.what();
    }
    EXPECT_EQ(total, 20000u);
    EXPECT_NE(error.find(path + ":20022:7: expected a size of at least 1 byte"), std::string::npos)
        << error;
}

TEST_F(Reader, PrefetcherStopsMidTrace) {
    std::string path = write_file("pre-stop.lk", long_trace(200000));
    std::vector<TraceRecord> buf(10);
    TracePrefetcher pre(path);
    EXPECT_EQ(pre.read(buf.data(), buf.size()), 10u);
    // Destroyed here with the reading thread waiting for a free batch.
}

TEST_F(Reader, PrefetcherMissingFileThrowsAtOnce) {
    EXPECT_THROW(TracePrefetcher(g_dir + "/none.lk"), TraceError);
}

} // namespace

// Several chunks on worker threads: the same records in the same order, and
// the same file:line errors as the reader on one thread.
namespace {

std::vector<TraceRecord> prefetch_all(const std::string &path, unsigned workers,
                                      std::string *error) {
    std::vector<TraceRecord> got, buf(5000);
    size_t n;
    try {
        TracePrefetcher pre(path, workers);
        while ((n = pre.read(buf.data(), buf.size())) > 0)
            got.insert(got.end(), buf.begin(), buf.begin() + static_cast<long>(n));
    } catch (const TraceError &e) {
        *error = e.what();
    }
    return got;
}

bool same_records(const std::vector<TraceRecord> &a, const std::vector<TraceRecord> &b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].addr != b[i].addr || a[i].line != b[i].line || a[i].kind != b[i].kind ||
            a[i].size != b[i].size)
            return false;
    return true;
}

std::string serial_error(const std::string &path, size_t *records) {
    LackeyReader r(path);
    std::vector<TraceRecord> buf(5000);
    size_t n;
    *records = 0;
    try {
        while ((n = r.read(buf.data(), buf.size())) > 0)
            *records += n;
    } catch (const TraceError &e) {
        return e.what();
    }
    return "";
}

TEST_F(Reader, ParallelChunksKeepOrderAndLines) {
    const std::string text = long_trace(400000); // several 1 MiB chunks
    ASSERT_GT(text.size(), 4u << 20);
    for (const std::string &path :
         {write_file("par.lk", text), write_file("par.lk.zst", zstd(text))}) {
        auto serial = read_all(path, 4096);
        for (unsigned w : {1u, 2u, 3u}) {
            std::string err;
            auto par = prefetch_all(path, w, &err);
            EXPECT_TRUE(err.empty()) << err;
            EXPECT_TRUE(same_records(par, serial)) << path << " with " << w << " workers";
        }
    }
}

TEST_F(Reader, ParallelErrorsNameTheSameLineAsSerial) {
    const std::string good = long_trace(300000);
    struct {
        const char *name;
        std::string bytes;
    } cases[] = {
        {"late-bad.lk", good + " L 10,4\n S 20,0\n"},
        {"late-kind.lk", good + " X 10,4\n"},
        {"cut.lk.gz", gzip(good).substr(0, gzip(good).size() * 3 / 4)},
        {"cut.lk.xz", xz(good).substr(0, xz(good).size() / 2)},
        {"long-line.lk", good + "==1== " + std::string(1u << 20, 'x') + "\n"},
    };
    for (auto &c : cases) {
        std::string path = write_file(c.name, c.bytes);
        size_t serial_records = 0;
        std::string want = serial_error(path, &serial_records);
        ASSERT_NE(want, "") << c.name;
        EXPECT_EQ(want.rfind(path + ":", 0), 0u) << want;
        std::string got;
        auto par = prefetch_all(path, 2, &got);
        EXPECT_EQ(got, want) << c.name;
        EXPECT_EQ(par.size(), serial_records) << c.name;
    }
    // A line too long for a chunk: its own number, column 1.
    std::string ll = write_file("ll.lk", "I  1000,4\n==1== " + std::string(1u << 20, 'x') + "\n");
    EXPECT_EQ(error_of(ll), ll + ":2:1: expected a line shorter than 1 MiB, found "
                                 "'==1== xxxxxxxxxxxxxxxxxx...'");
    // The line is the one that is bad.
    std::string p = write_file("late.lk", good + " L 10,4\n S 20,0\n");
    std::string err;
    prefetch_all(p, 2, &err);
    EXPECT_EQ(err, p + ":" + std::to_string(1 + 300000 + 300 + 2) +
                       ":7: expected a size of at least 1 byte, found '0'");
}

} // namespace

// The packed format: records, lines and errors as the text gives them, and the
// text back byte for byte.
namespace {

namespace packed = cmosim::sim::packed;

std::string pack_file(const std::string &in, const std::string &name) {
    std::string out = g_dir + "/" + name;
    std::string err = packed::pack(in, out, nullptr);
    EXPECT_EQ(err, "");
    return out;
}

std::string unpacked_text(const std::string &in) {
    std::string out = in + ".text";
    std::string err = packed::unpack(in, out, nullptr);
    EXPECT_EQ(err, "");
    return cmosim::test::read_text(out);
}

std::string xz_decompress(const std::string &bytes) {
    std::string out(bytes.size() * 40 + 4096, '\0');
    size_t in_pos = 0, out_pos = 0;
    uint64_t limit = UINT64_MAX;
    while (lzma_stream_buffer_decode(&limit, 0, nullptr,
                                     reinterpret_cast<const uint8_t *>(bytes.data()), &in_pos,
                                     bytes.size(), reinterpret_cast<uint8_t *>(out.data()),
                                     &out_pos, out.size()) == LZMA_BUF_ERROR) {
        out.resize(out.size() * 2);
        in_pos = out_pos = 0;
    }
    out.resize(out_pos);
    return out;
}

TEST_F(Reader, PackedReadsLikeTextAndUnpacksByteForByte) {
    // Lackey's own lines, Valgrind's lines, lines lackey would not write
    // (upper case, leading zeros, large sizes), no newline at the end.
    std::string text = long_trace(150000) +
                       "I  0401AB70,3\n L 000000000010,4\n S ffffffffffffffff,4096\n"
                       "==42== \xff odd bytes\n M 7,63\n M 8,62\nI  1,1";
    for (const std::string &src : {write_file("p.lk", text), write_file("p.lk.xz", xz(text))}) {
        std::string p = pack_file(src, "p.lkpack");
        EXPECT_STREQ(LackeyReader(p).format(), "packed");
        auto want = read_all(src, 4096);
        EXPECT_TRUE(same_records(read_all(p, 333), want));
        std::string err;
        EXPECT_TRUE(same_records(prefetch_all(p, 2, &err), want));
        EXPECT_EQ(err, "");
        EXPECT_EQ(unpacked_text(p), text);
    }
    // With the final newline, and an empty trace.
    EXPECT_EQ(unpacked_text(pack_file(write_file("n.lk", text + "\n"), "n.lkpack")), text + "\n");
    EXPECT_EQ(unpacked_text(pack_file(write_file("e.lk", ""), "e.lkpack")), "");
    EXPECT_EQ(read_all(pack_file(write_file("e.lk", ""), "e.lkpack")).size(), 0u);
}

// Address deltas of every varint length (1 to 10 bytes, up and down), so
// both the decoder's one-word path and its byte-by-byte path are taken, with
// sizes in the tag and after it.
TEST_F(Reader, PackedDeltasOfEveryLengthReadAsTheText) {
    std::string text;
    char line[64];
    uint64_t x = 5;
    static const char *kinds[] = {"I ", " L", " S", " M"};
    for (int round = 0; round < 4; ++round)
        for (unsigned b = 0; b < 64; ++b)
            for (uint64_t a :
                 {uint64_t(1) << b, (uint64_t(1) << b) - 1, ~(uint64_t(1) << b), uint64_t(0), x}) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                std::snprintf(line, sizeof line, "%s %08llx,%u\n", kinds[x >> 62],
                              static_cast<unsigned long long>(a),
                              1 + static_cast<unsigned>(x >> 20) % (round < 2 ? 62 : 4096));
                text += line;
            }
    std::string src = write_file("d.lk", text);
    std::string p = pack_file(src, "d.lkpack");
    auto want = read_all(src, 4096);
    ASSERT_EQ(want.size(), 4u * 64 * 5);
    EXPECT_TRUE(same_records(read_all(p, 4096), want));
    std::string err;
    EXPECT_TRUE(same_records(prefetch_all(p, 2, &err), want));
    EXPECT_EQ(err, "");
    EXPECT_EQ(unpacked_text(p), text);
}

TEST_F(Reader, CommittedTracesRoundTrip) {
    for (const char *rel : {"configs/regression/traces/small-walk.lk.xz",
                            "configs/scenarios/traces/pointer-chase.lk.xz",
                            "configs/scenarios/traces/strided-sweep.lk.xz",
                            "configs/scenarios/traces/unaligned-copy.lk.xz"}) {
        std::string src = cmosim::test::source_path(rel);
        std::string p = pack_file(src, "committed.lkpack");
        EXPECT_EQ(unpacked_text(p), xz_decompress(cmosim::test::read_text(src))) << rel;
        std::string err;
        EXPECT_TRUE(same_records(prefetch_all(p, 2, &err), read_all(src, 4096))) << rel;
    }
}

TEST_F(Reader, PackRefusesWhatTheReaderRefuses) {
    std::string p = write_file("bad.lk", "I  0401ab70,3\nI  04x1ab70,3\n");
    EXPECT_EQ(packed::pack(p, g_dir + "/bad.lkpack", nullptr),
              p + ":2:6: expected ',' after the address, found 'x1ab70,3'");
    EXPECT_FALSE(cmosim::test::file_exists(g_dir + "/bad.lkpack"));
    std::string pk = pack_file(write_file("ok.lk", "I  1,1\n"), "ok.lkpack");
    EXPECT_NE(packed::pack(pk, g_dir + "/twice.lkpack", nullptr).find("found a packed trace"),
              std::string::npos);
    EXPECT_NE(packed::unpack(p, g_dir + "/x.lk", nullptr).find("expected a packed trace"),
              std::string::npos);
}

TEST_F(Reader, PackedTruncatedOrDamagedIsACleanError) {
    std::string p = pack_file(write_file("big.lk", long_trace(300000)), "big.lkpack");
    const std::string bytes = cmosim::test::read_text(p);
    // Cut anywhere: the header, a block header, a block, the end.
    for (size_t cut : {size_t(5), size_t(40), size_t(60), bytes.size() / 3, bytes.size() - 41,
                       bytes.size() - 1}) {
        std::string c = write_file("cut.lkpack", bytes.substr(0, cut));
        std::string e1 = error_of(c), e2;
        prefetch_all(c, 2, &e2);
        EXPECT_EQ(e1, e2) << cut;
        EXPECT_EQ(e1.rfind(c + ": ", 0), 0u) << e1;
        EXPECT_NE(e1.find("truncated trace"), std::string::npos) << cut << ": " << e1;
    }
    // A flipped byte in the second block: the first block's records, then the error.
    std::string d = bytes;
    const size_t second =
        32 + 20 +
        cmosim::sim::packed::get_u32(reinterpret_cast<const unsigned char *>(d.data() + 32));
    d[second + 20 + 30] = static_cast<char>(d[second + 20 + 30] ^ 0x40);
    std::string dp = write_file("damaged.lkpack", d);
    std::string err;
    auto got = prefetch_all(dp, 2, &err);
    EXPECT_EQ(got.size(), 65470u); // the first block: 65536 lines, 66 of them Valgrind's
    EXPECT_EQ(err.rfind(dp + ": record 65471: expected a packed block of crc32 ", 0), 0u) << err;
    EXPECT_EQ(error_of(dp), err);
    // Another version, or something after the end.
    std::string v = bytes;
    v[8] = 2;
    std::string vp = write_file("v2.lkpack", v);
    EXPECT_EQ(error_of(vp),
              vp + ": expected packed trace version 1, found version 2 (a newer cmosim wrote it?)");
    std::string tail = write_file("tail.lkpack", bytes + "x");
    EXPECT_NE(error_of(tail).find("expected the end of the file after the packed trace's end"),
              std::string::npos);
}

} // namespace

namespace {

// next(): the records in place, in batches of the size asked for (a run's
// event limit charges them whole) whatever the chunks, and the same errors.
TEST_F(Reader, PrefetcherNextGivesWholeBatchesInPlace) {
    const std::string good = long_trace(250000);
    for (const std::string &path :
         {write_file("next.lk", good), pack_file(write_file("next2.lk", good), "next.lkpack")}) {
        auto want = read_all(path, 4096);
        TracePrefetcher pre(path, 2);
        std::vector<TraceRecord> got;
        const TraceRecord *recs;
        uint64_t base;
        size_t n;
        while ((n = pre.next(&recs, &base, 4096)) > 0) {
            EXPECT_TRUE(n == 4096 || got.size() + n == want.size()) << n;
            for (size_t i = 0; i < n; ++i) {
                got.push_back(recs[i]);
                got.back().line += base;
            }
        }
        EXPECT_TRUE(same_records(got, want)) << path;
    }
    std::string bad = write_file("next-bad.lk", good + " S 20,0\n");
    TracePrefetcher pre(bad, 2);
    const TraceRecord *recs;
    uint64_t base;
    size_t n, total = 0;
    std::string err;
    try {
        while ((n = pre.next(&recs, &base, 4096)) > 0)
            total += n;
    } catch (const TraceError &e) {
        err = e.what();
    }
    EXPECT_EQ(total, 250000u);
    EXPECT_EQ(err, bad + ":" + std::to_string(1 + 250000 + 250 + 1) +
                       ":7: expected a size of at least 1 byte, found '0'");
}

// With a LineRefs, next() gives each record's word beside it, in place or
// copied across chunks, with any number of workers (none: the reader's own
// thread), text or packed.
TEST_F(Reader, PrefetcherNextGivesEachRecordsWord) {
    const std::string good = long_trace(250000);
    // 32-byte lines; map: 0x400000 (64 KiB) to 0x7000000; two regions.
    const LineRefs refs{
        32, 0x400000, 0x10000, 0x7000000, {{0x7000000, 0x8000}, {0x410000, 0x400000}}};
    for (const std::string &path :
         {write_file("w.lk", good), pack_file(write_file("w2.lk", good), "w.lkpack")}) {
        auto want = read_all(path, 4096);
        std::vector<uint64_t> want_words(want.size());
        size_t region = 0;
        refs.words(want.data(), want.size(), want_words.data(), region);
        size_t slow = 0;
        for (uint64_t w : want_words)
            slow += (w & LineRefs::kSlow) != 0;
        EXPECT_GT(slow, 1000u); // map's end, region 0's end, lines spanned
        EXPECT_LT(slow, want.size() / 2);
        for (unsigned workers : {0u, 1u, 3u}) {
            TracePrefetcher pre(path, refs, workers);
            std::vector<uint64_t> got;
            const TraceRecord *recs;
            const uint64_t *words;
            uint64_t base;
            size_t n;
            while ((n = pre.next(&recs, &words, &base, 3000)) > 0)
                got.insert(got.end(), words, words + n);
            EXPECT_EQ(got, want_words) << path << " with " << workers << " workers";
        }
    }
}

} // namespace

// The word of each kind of record: its line after map:, its kind, and the
// mark for one spanning lines or outside every region; the region of the
// last line carried from call to call.
TEST(LineRefsTest, WordsNameTheLineTheKindAndWhatNeedsALook) {
    // 64-byte lines; map: 0x1000 (4 KiB) to 0x100000; two regions.
    const LineRefs r{64, 0x1000, 0x1000, 0x100000, {{0x100000, 0x10000}, {0x400000, 0x1000}}};
    const TraceRecord recs[] = {
        {0x1040, 1, 8, 'I'},              // mapped into region 0
        {0x100080, 2, 8, 'L'},            // region 0 as it is
        {0x10003c, 3, 8, 'S'},            // two lines
        {0x400fc0, 4, 64, 'M'},           // region 1, one whole line
        {0x401000, 5, 1, 'L'},            // just past region 1
        {0x2000, 6, 4, 'I'},              // just past map:, in no region
        {0xfffffffffffffff0, 7, 32, 'L'}, // past the end of the address space
    };
    uint64_t w[7];
    size_t region = 0;
    r.words(recs, 7, w, region);
    EXPECT_EQ(w[0], 0x100040u | 0);
    EXPECT_EQ(w[1], 0x100080u | 1);
    EXPECT_EQ(w[2], 0x100000u | 2 | LineRefs::kSlow);
    EXPECT_EQ(w[3], 0x400fc0u | 3);
    EXPECT_EQ(w[4], 0x401000u | 1 | LineRefs::kSlow);
    EXPECT_EQ(w[5], 0x2000u | 0 | LineRefs::kSlow);
    EXPECT_EQ(w[6], 0xffffffffffffffc0u | 1 | LineRefs::kSlow);
    EXPECT_EQ(region, 1u);
    const TraceRecord back{0x100000, 8, 1, 'S'};
    r.words(&back, 1, w, region);
    EXPECT_EQ(w[0], 0x100000u | 2);
    EXPECT_EQ(region, 0u);
}

// Over addresses of 1 to 20 digits in either case, some with a character
// that is no hex digit put in, the text parser gives what strtoull gives for
// at most 16 digits, and otherwise an error at the column where a reading
// digit by digit stops, with any number of bytes after the line.
TEST(LackeyLineTest, AddressesReadAsStrtoullReadsThem) {
    uint64_t x = 12345;
    auto next = [&x] {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        return x >> 33;
    };
    const char digits[] = "0123456789abcdefABCDEF";
    const char junk[] = "gxG :\n-.";
    for (int i = 0; i < 200000; ++i) {
        const size_t n = 1 + next() % 20;
        std::string addr;
        for (size_t k = 0; k < n; ++k)
            addr += digits[next() % 22];
        if (next() % 4 == 0)
            addr[next() % n] = junk[next() % 8];
        std::string line = std::string(next() % 2 ? "I  " : " L ") + addr + "," +
                           std::to_string(1 + next() % 64) + "\n";
        // A reference reading: strtoull over the digits before the first
        // character that is not one.
        size_t hex = 0;
        while (hex < addr.size() && std::isxdigit(static_cast<unsigned char>(addr[hex])))
            ++hex;
        const bool valid = hex == addr.size() && hex >= 1 && hex <= 16;
        // Then whatever follows, so the parser may read ahead of the line.
        const std::string buf = line + std::string(next() % 24, 'I');
        TraceRecord r{};
        const auto l = cmosim::sim::parse_lackey_line(buf.data(), buf.data() + buf.size(), &r);
        if (valid) {
            ASSERT_EQ(l.kind, cmosim::sim::LackeyLine::Record) << line;
            ASSERT_EQ(r.addr, std::stoull(addr, nullptr, 16)) << line;
            ASSERT_EQ(l.next, buf.data() + line.size()) << line;
        } else {
            ASSERT_EQ(l.kind, cmosim::sim::LackeyLine::Bad) << line;
            // The column a digit-by-digit reading stops at.
            const size_t stop = hex > 16 ? 0 : hex;
            ASSERT_EQ(l.bad_at - buf.data(), static_cast<long>(3 + stop)) << line;
        }
    }
}
