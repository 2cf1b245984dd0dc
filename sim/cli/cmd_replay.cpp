// SPDX-License-Identifier: Apache-2.0
// cmosim replay: cachegrind's command line on cmosim's models. A lackey trace
// replays on configs/platforms/cachegrind-like.yaml (embedded), whose three
// cache geometries --I1, --D1 and --LL override; --cg-out writes cachegrind's
// out-file format, so cg_annotate and cg_diff read the result.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "config/ready_platforms.h"
#include "run/memory_estimate.h"
#include "cli/cli.h"
#include "config/scenario.h"
#include "run/simulation.h"
#include "run/run_control.h"
#include "report/format.h"
#include "report/report.h"
#include "report/summary_text.h"

namespace cmosim::sim {}

namespace cmosim::sim::cli {

namespace {

const char *kReplayUsage =
    "usage: cmosim replay [--I1=size,assoc,line] [--D1=size,assoc,line]\n"
    "                     [--LL=size,assoc,line] [--cg-out=FILE] [--report=FILE]\n"
    "                     [--limit=N] [--warmup=N | --warmup-until=ADDR]\n"
    "                     [--max-memory=SIZE] TRACE\n"
    "\n"
    "Replay a Valgrind lackey trace (valgrind --tool=lackey --trace-mem=yes\n"
    "--log-file=TRACE PROGRAM; plain, gzip, xz or zstd, or packed by cmosim trace\n"
    "pack) on one core with an L1I, an L1D and one last-level cache, as cachegrind\n"
    "models them (LRU, write-allocate, no prefetch, not inclusive):\n"
    "configs/platforms/cachegrind-like.yaml. Prints cachegrind's summary counts.\n"
    "See docs/traces.md.\n"
    "\n"
    "  --I1=S,A,L   L1 instruction cache: S bytes, A ways, L-byte lines\n"
    "               (default 32768,8,64)\n"
    "  --D1=S,A,L   L1 data cache (default 32768,8,64)\n"
    "  --LL=S,A,L   last-level cache (default 8388608,16,64); the three line sizes\n"
    "               must be equal\n"
    "  --cg-out=F   write F in cachegrind's out-file format (cg_annotate, cg_diff)\n"
    "  --report=F   the JSON report (docs/report-format.md)\n"
    "  --limit=N    replay at most N records\n"
    "  --warmup=N   run the first N records functionally (the caches end as\n"
    "               timed replay leaves them, no simulated time) and the rest\n"
    "               timed; the counts printed and --cg-out are the timed\n"
    "               part's, the warm-up's are printed apart\n"
    "  --warmup-until=ADDR  run functionally every record before the first\n"
    "               instruction fetch at ADDR (as the trace writes it; 0x... or\n"
    "               decimal), that one and the rest timed; if none comes, all\n"
    "               records run functionally and a line says so\n"
    "  --max-memory=SIZE  refuse a replay estimated to need more host memory\n"
    "               (e.g. 16GiB; default half of this host's; docs/reliability.md)\n"
    "  -h, --help   this text\n"
    "\n"
    "exit codes: 0 done, 2 bad input (options, an unreadable or malformed trace),\n"
    "            3 internal error\n";

struct Geometry {
    uint64_t size = 0, ways = 0, line = 0;
    bool given = false;
};

// A whole number of decimal digits, exactly (sscanf's %llu would take
// "-32768" as 18446744073709518848).
bool whole_number(const std::string &t, uint64_t *v) {
    if (t.empty() || t.size() > 19 || t.find_first_not_of("0123456789") != std::string::npos)
        return false;
    *v = std::stoull(t);
    return true;
}

// An address as the trace writes it: 0x and 1 to 16 hex digits, or decimal
// digits; at most 2^63 - 1, as a scenario's addresses.
bool parse_address(const std::string &t, uint64_t *v) {
    if (t.size() > 2 && (t.compare(0, 2, "0x") == 0 || t.compare(0, 2, "0X") == 0)) {
        std::string d = t.substr(2);
        if (d.size() > 16 || d.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
            return false;
        *v = std::stoull(d, nullptr, 16);
    } else if (!whole_number(t, v)) {
        return false;
    }
    return *v <= (UINT64_MAX >> 1);
}

bool parse_geometry(const std::string &opt, const std::string &v, Geometry *g) {
    uint64_t s = 0, a = 0, l = 0;
    size_t c1 = v.find(','), c2 = c1 == std::string::npos ? c1 : v.find(',', c1 + 1);
    if (c2 == std::string::npos || !whole_number(v.substr(0, c1), &s) ||
        !whole_number(v.substr(c1 + 1, c2 - c1 - 1), &a) || !whole_number(v.substr(c2 + 1), &l) ||
        s == 0 || a == 0 || l == 0) {
        std::cerr << "cmosim replay: " << opt
                  << ": expected size,assoc,line_size in bytes (e.g. 32768,8,64), found '" << v
                  << "'\n";
        return false;
    }
    g->size = s;
    g->ways = a;
    g->line = l;
    g->given = true;
    return true;
}

std::string indent(const std::string &text) {
    std::istringstream in(text);
    std::string out, line;
    while (std::getline(in, line))
        out += "  " + line + "\n";
    return out;
}

std::string yaml_quoted(const std::string &s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string cg_desc(const char *name, const CacheConfig &c, unsigned line) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "desc: %s cache:         %llu B, %u B, %u-way associative\n",
                  name, static_cast<unsigned long long>(c.size), line, c.ways);
    return buf;
}

} // namespace

int cmd_replay(const Args &args) {
    Geometry g[3]; // I1, D1, LL
    const char *names[3] = {"--I1", "--D1", "--LL"};
    std::string cg_out, report, limit, trace, max_memory, warmup, warmup_until;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "-h" || a == "--help") {
            std::cout << kReplayUsage;
            return kPass;
        }
        size_t eq = a.find('=');
        std::string key = a.substr(0, eq), val = eq == std::string::npos ? "" : a.substr(eq + 1);
        bool known = false;
        for (int k = 0; k < 3; ++k)
            if (key == names[k]) {
                known = true;
                if (!parse_geometry(key, val, &g[k]))
                    return kBadInput;
            }
        if (known)
            continue;
        if (key == "--cg-out" || key == "--report" || key == "--limit" || key == "--max-memory" ||
            key == "--warmup" || key == "--warmup-until") {
            if (eq == std::string::npos) {
                if (i + 1 >= args.size()) {
                    std::cerr << "cmosim replay: " << key << " needs a value\n";
                    return kBadInput;
                }
                val = args[++i];
            }
            if (val.empty()) {
                std::cerr << "cmosim replay: " << key << ": expected a value, found an empty one\n";
                return kBadInput;
            }
            (key == "--cg-out"         ? cg_out
             : key == "--report"       ? report
             : key == "--max-memory"   ? max_memory
             : key == "--warmup"       ? warmup
             : key == "--warmup-until" ? warmup_until
                                       : limit) = val;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "cmosim replay: unknown option '" << a << "' (see cmosim replay --help)\n";
            return kBadInput;
        } else if (!trace.empty()) {
            std::cerr << "cmosim replay: one trace at a time, found '" << trace << "' and '" << a
                      << "'\n";
            return kBadInput;
        } else {
            trace = a;
        }
    }
    if (trace.empty()) {
        std::cerr << "cmosim replay: expected a trace file (see cmosim replay --help)\n";
        return kBadInput;
    }
    // Checked here, not in the scenario text built below: a mistake names
    // the option, not a line of a document the user never wrote.
    if (uint64_t n = 0;
        !limit.empty() && (!whole_number(limit, &n) || n == 0 || n > (1ull << 53))) {
        std::cerr << "cmosim replay: --limit: expected a number of records in [1, 2^53], found '"
                  << limit << "'\n";
        return kBadInput;
    }
    if (uint64_t n = 0; !warmup.empty() && (!whole_number(warmup, &n) || n > (1ull << 53))) {
        std::cerr << "cmosim replay: --warmup: expected a number of records in [0, 2^53], found '"
                  << warmup << "'\n";
        return kBadInput;
    }
    uint64_t marker = 0;
    if (!warmup_until.empty() && !parse_address(warmup_until, &marker)) {
        std::cerr << "cmosim replay: --warmup-until: expected an address, 0x and hex digits or "
                     "decimal digits, in [0, 0x7fffffffffffffff], found '"
                  << warmup_until << "'\n";
        return kBadInput;
    }
    if (!warmup.empty() && !warmup_until.empty()) {
        std::cerr << "cmosim replay: expected either --warmup (a number of records) or "
                     "--warmup-until (a marker address), found both\n";
        return kBadInput;
    }
    uint64_t memory_limit = 0;
    if (!max_memory.empty() && !parse_memory_size(max_memory, &memory_limit)) {
        std::cerr << "cmosim replay: --max-memory: expected a size in bytes or with a binary unit "
                     "(e.g. 16GiB), found '"
                  << max_memory << "'\n";
        return kBadInput;
    }
    uint64_t line = 0;
    for (int k = 0; k < 3; ++k) {
        if (!g[k].given)
            continue;
        if (line && g[k].line != line) {
            std::cerr << "cmosim replay: " << names[k]
                      << ": expected the line size of the other caches (cmosim has one line "
                         "size per platform), found "
                      << g[k].line << " and " << line << "\n";
            return kBadInput;
        }
        line = g[k].line;
    }

    std::string text = "name: replay\ndescription: " + yaml_quoted("cmosim replay " + trace) +
                       "\nplatform:\n" + indent(find_ready_platform("cachegrind-like")->text) +
                       "kernel: { provider: none }\ncpus:\n  0:\n"
                       "    - replay: { trace: " +
                       yaml_quoted(trace) +
                       (limit.empty() ? "" : ", limit: " + yaml_quoted(limit)) +
                       (warmup.empty() ? "" : ", warmup: " + yaml_quoted(warmup)) +
                       (warmup_until.empty() ? "" : ", warmup_until: " + hex(marker)) + " }\n";
    std::vector<std::string> sets;
    const char *keys[3] = {"l1i", "l1d", "slc"};
    if (line)
        sets.push_back("platform.line_size=" + std::to_string(line));
    for (int k = 0; k < 3; ++k)
        if (g[k].given) {
            sets.push_back(std::string("platform.") + keys[k] +
                           ".size=" + std::to_string(g[k].size));
            sets.push_back(std::string("platform.") + keys[k] +
                           ".ways=" + std::to_string(g[k].ways));
        }
    Scenario s;
    try {
        s = load_scenario_text("cmosim replay", text, sets);
    } catch (const ConfigError &e) {
        // A geometry the platform schema refuses: name the option it came from.
        for (int k = 0; k < 3; ++k)
            if (e.mark.file.rfind(std::string("--set platform.") + keys[k] + ".", 0) == 0) {
                std::cerr << "cmosim replay: " << names[k] << ": " << e.message << "\n";
                return kBadInput;
            }
        if (e.mark.file.rfind("--set platform.line_size", 0) == 0) {
            std::cerr << "cmosim replay: line size: " << e.message << "\n";
            return kBadInput;
        }
        // The scenario text is ours, its line numbers mean nothing to the
        // user: say what went wrong with the argument instead.
        if (e.mark.file == "cmosim replay") {
            std::string m = e.message;
            if (m.rfind("cpus.0[0].replay.trace: ", 0) == 0)
                m.erase(0, 24);
            std::cerr << "cmosim replay: " << m << "\n";
            return kBadInput;
        }
        std::cerr << e.what() << "\n";
        return kBadInput;
    }

    try {
        check_memory(s, memory_limit);
    } catch (const ConfigError &e) {
        std::cerr << "cmosim replay: " << e.message << "\n";
        return kBadInput;
    }
    std::string err;
    if (!outputs_are_distinct({{"--report", report}, {"--cg-out", cg_out}}, s.inputs, &err)) {
        std::cerr << "cmosim replay: " << err << "\n";
        return kBadInput;
    }
    ScopedStopSignals signals;
    Simulation sim(s);
    const RunResult &run = sim.run();
    if (int rc = report.empty() ? 0 : write_output(report, report_json(run), &err); rc != 0) {
        std::cerr << "cmosim replay: " << err << "\n";
        return rc;
    }
    if (!run.stop.input_error.empty()) {
        std::cerr << run.stop.input_error << "\n";
        return kBadInput;
    }
    if (!run.complete || run.replays.size() != 1) {
        std::cerr << "cmosim replay: stopped: " << run.stop.description << "\n";
        return kInternal;
    }
    const CgCounts &c = run.replays[0].counts;
    if (!cg_out.empty()) {
        const PlatformConfig &p = s.platform;
        std::ostringstream o;
        o << cg_desc("I1", p.l1i, p.line_bytes) << cg_desc("D1", p.l1d, p.line_bytes)
          << cg_desc("LL", p.slc, p.line_bytes) << "cmd: cmosim replay " << trace << "\n"
          << "events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw\n";
        std::ostringstream counts;
        counts << c.ir << " " << c.i1mr << " " << c.ilmr << " " << c.dr << " " << c.d1mr << " "
               << c.dlmr << " " << c.dw << " " << c.d1mw << " " << c.dlmw;
        // One line for the whole trace: cg_annotate and cg_diff expect the
        // per-line counts to add up to the summary.
        o << "fl=" << trace << "\nfn=replay\n0 " << counts.str() << "\n";
        o << "summary: " << counts.str() << "\n";
        if (int rc = write_output(cg_out, o.str(), &err); rc != 0) {
            std::cerr << "cmosim replay: " << err << "\n";
            return rc;
        }
    }
    const ReplayRecord &rr = run.replays[0];
    if (rr.has_warmup_until && !rr.marker_found)
        std::cout << "marker not found: no instruction fetch at " << hex(rr.warmup_until)
                  << " in the trace; all " << rr.warmup_records << " records ran functionally\n";
    if (rr.warmup_records > 0 || rr.has_warmup_until)
        std::cout << "functional warm-up"
                  << (rr.has_warmup_until && rr.marker_found
                          ? " until the fetch at " + hex(rr.warmup_until)
                          : std::string())
                  << ", " << rr.warmup_records << " records (no time):\n"
                  << cachegrind_lines(rr.warmup_counts, "  ") << "timed, " << rr.records
                  << " records:\n";
    std::cout << cachegrind_lines(c, "") << "simulated time "
              << static_cast<double>(rr.end_ps) / 1e6 << " us\n";
    if (!cg_out.empty())
        std::cout << "cg-out: " << cg_out << "\n";
    if (!report.empty())
        std::cout << "report: " << report << "\n";
    return kPass;
}

} // namespace cmosim::sim::cli
