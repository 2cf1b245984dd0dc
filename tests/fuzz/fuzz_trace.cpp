// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the trace reader (sim/replay/lackey_reader.cpp), lackey text,
// compressed (gzip, xz, zstd, told by their magic bytes) or packed by
// `cmosim trace pack` (sim/replay/lackey_pack.cpp). The input is written to a
// file, as the reader only reads files, and read to its end. Every record it
// returns must be one replay can simulate (kind I, L, S or M, size in
// [1, 4096], its line counted from 1 and never going back); a bad input must
// end in a TraceError that names the file. Another exception, a sanitizer
// report, a hang or unbounded memory is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "replay/lackey_reader.h"

namespace {

[[noreturn]] void finding(const char *what, const std::string &detail) {
    std::fprintf(stderr, "fuzz_trace: %s: %s\n", what, detail.c_str());
    std::abort();
}

// One file per process, rewritten for each input.
const std::string &trace_path() {
    static const std::string path = [] {
        const char *tmp = std::getenv("TMPDIR");
        return std::string(tmp && *tmp ? tmp : "/tmp") + "/cmosim-fuzz-trace-" +
               std::to_string(getpid()) + ".lackey";
    }();
    return path;
}

void write_input(const uint8_t *data, size_t size) {
    const int fd = open(trace_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        finding("cannot create the trace file", trace_path());
    size_t done = 0;
    while (done < size) {
        const ssize_t n = write(fd, data + done, size - done);
        if (n <= 0)
            finding("cannot write the trace file", trace_path());
        done += static_cast<size_t>(n);
    }
    close(fd);
}

struct RemoveAtExit {
    ~RemoveAtExit() { unlink(trace_path().c_str()); }
} remove_at_exit;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace cmosim::sim;
    write_input(data, size);
    const std::string &path = trace_path();
    try {
        LackeyReader r(path);
        TraceRecord recs[512];
        uint64_t last_line = 0, total = 0;
        // A compressed input can stand for far more text than it holds: stop
        // after 2^22 records, which is already well past any line-reading bug.
        while (total < (uint64_t{1} << 22)) {
            const size_t n = r.read(recs, 512);
            if (n == 0)
                break;
            if (n > 512)
                finding("read() returned more records than asked", std::to_string(n));
            for (size_t i = 0; i < n; ++i) {
                const TraceRecord &t = recs[i];
                if (t.kind != 'I' && t.kind != 'L' && t.kind != 'S' && t.kind != 'M')
                    finding("a record of an unknown kind", std::string(1, t.kind));
                if (t.size == 0 || t.size > 4096)
                    finding("a record size outside [1, 4096]", std::to_string(t.size));
                if (t.line == 0 || t.line < last_line)
                    finding("record lines out of order", std::to_string(t.line));
                last_line = t.line;
            }
            total += n;
        }
    } catch (const TraceError &e) {
        const std::string msg = e.what();
        if (msg.rfind(path, 0) != 0)
            finding("an error that does not name the file", msg);
    } catch (const std::exception &e) {
        finding("not a TraceError", e.what());
    }
    return 0;
}
