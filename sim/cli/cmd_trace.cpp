// SPDX-License-Identifier: Apache-2.0
// cmosim trace pack|unpack: lackey text (plain, gzip, xz, zstd) into the
// packed trace format (lackey_pack.h, docs/traces.md) and back, byte for byte.
#include <iostream>

#include "cli/cli.h"
#include "replay/lackey_pack.h"

namespace cmosim::sim::cli {

namespace {

const char *kTraceUsage =
    "usage: cmosim trace pack IN OUT\n"
    "       cmosim trace unpack IN OUT\n"
    "\n"
    "pack: read a Valgrind lackey trace (plain, gzip, xz or zstd) and write it as a\n"
    "packed trace: zstd-compressed blocks of delta-encoded records with a record\n"
    "count and checksum at the end, which cmosim replay and the replay step read\n"
    "faster than text. unpack: give back the lackey text byte for byte. Both stream\n"
    "(memory does not grow with the trace) and write OUT through a temporary file.\n"
    "See docs/traces.md.\n"
    "\n"
    "exit codes: 0 done, 2 bad input (an unreadable, malformed, damaged or cut\n"
    "            trace; an unwritable OUT)\n";

} // namespace

int cmd_trace(const Args &args) {
    if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
        std::cout << kTraceUsage;
        return kPass;
    }
    if (args.size() != 3 || (args[0] != "pack" && args[0] != "unpack")) {
        std::cerr << "cmosim trace: expected 'pack IN OUT' or 'unpack IN OUT' (see cmosim trace "
                     "--help)\n";
        return kBadInput;
    }
    if (args[1] == args[2]) {
        std::cerr << "cmosim trace " << args[0] << ": expected OUT other than IN, found '"
                  << args[1] << "' twice\n";
        return kBadInput;
    }
    packed::PackStats st;
    const bool pack = args[0] == "pack";
    std::string err =
        pack ? packed::pack(args[1], args[2], &st) : packed::unpack(args[1], args[2], &st);
    if (!err.empty()) {
        std::cerr << "cmosim trace " << args[0] << ": " << err << "\n";
        return kBadInput;
    }
    std::cout << args[2] << ": " << st.records << " records, " << st.lines << " lines, "
              << st.text_bytes << " bytes of text";
    if (pack)
        std::cout << ", " << st.packed_bytes << " bytes packed";
    std::cout << "\n";
    return kPass;
}

} // namespace cmosim::sim::cli
