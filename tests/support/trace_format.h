// SPDX-License-Identifier: Apache-2.0
// The rules of the Chrome trace-event format (the JSON object form that
// chrome://tracing and ui.perfetto.dev load) that cmosim's traces rely on,
// as a checker for tests: every event and every thread's B/E nesting.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cmosim::test {

// One line per violation; empty when the trace follows the format.
inline std::vector<std::string> trace_format_problems(const nlohmann::json &t) {
    using nlohmann::json;
    std::vector<std::string> bad;
    if (!t.is_object() || !t.contains("traceEvents") || !t["traceEvents"].is_array())
        return {"the root is not an object with a traceEvents array"};
    if (t.contains("displayTimeUnit") && t["displayTimeUnit"] != "ms" &&
        t["displayTimeUnit"] != "ns")
        bad.push_back("displayTimeUnit is neither \"ms\" nor \"ns\"");

    using Thread = std::pair<long long, long long>;
    std::map<Thread, std::vector<std::pair<std::string, double>>> open; // B name, ts
    std::map<Thread, double> last_ts;
    std::set<Thread> used, named;
    std::set<long long> pids, named_pids;
    size_t i = 0;
    for (const json &e : t["traceEvents"]) {
        const std::string at = "event " + std::to_string(i++) + ": ";
        if (!e.is_object() || !e.contains("ph") || !e["ph"].is_string()) {
            bad.push_back(at + "no ph");
            continue;
        }
        const std::string ph = e["ph"];
        if (!e.contains("pid") || !e["pid"].is_number_integer() || !e.contains("tid") ||
            !e["tid"].is_number_integer()) {
            bad.push_back(at + "pid and tid must be integers");
            continue;
        }
        const Thread th{e["pid"].get<long long>(), e["tid"].get<long long>()};
        pids.insert(th.first);
        if (e.contains("args") && !e["args"].is_object())
            bad.push_back(at + "args is not an object");
        if (e.contains("cat") && !e["cat"].is_string())
            bad.push_back(at + "cat is not a string");
        if (ph == "M") {
            const std::string name = e.value("name", "");
            if (name == "process_name" || name == "thread_name") {
                if (!e.contains("args") || !e["args"].contains("name") ||
                    !e["args"]["name"].is_string())
                    bad.push_back(at + name + " without args.name");
                else if (name == "thread_name")
                    named.insert(th);
                else
                    named_pids.insert(th.first);
            } else if (name == "process_sort_index" || name == "thread_sort_index") {
                if (!e.contains("args") || !e["args"].contains("sort_index") ||
                    !e["args"]["sort_index"].is_number_integer())
                    bad.push_back(at + name + " without an integer args.sort_index");
            } else {
                bad.push_back(at + "unknown metadata event '" + name + "'");
            }
            continue;
        }
        if (ph != "B" && ph != "E" && ph != "X" && ph != "i") {
            bad.push_back(at + "phase '" + ph + "' is none of B, E, X, i, M");
            continue;
        }
        if (!e.contains("ts") || !e["ts"].is_number() || e["ts"].get<double>() < 0) {
            bad.push_back(at + "ts must be a number of microseconds >= 0");
            continue;
        }
        const double ts = e["ts"];
        used.insert(th);
        if (ph != "E" && (!e.contains("name") || !e["name"].is_string()))
            bad.push_back(at + "no name");
        if (ph == "X" &&
            (!e.contains("dur") || !e["dur"].is_number() || e["dur"].get<double>() < 0))
            bad.push_back(at + "X without a dur >= 0");
        if (ph == "i" && e.contains("s") && e["s"] != "g" && e["s"] != "p" && e["s"] != "t")
            bad.push_back(at + "instant scope is none of g, p, t");
        if (ph == "B" || ph == "E") {
            if (last_ts.count(th) && ts < last_ts[th])
                bad.push_back(at + "B/E ts goes back in time on its thread");
            last_ts[th] = ts;
        }
        if (ph == "B") {
            open[th].push_back({e["name"], ts});
        } else if (ph == "E") {
            if (open[th].empty()) {
                bad.push_back(at + "E without a B on its thread");
                continue;
            }
            if (e.contains("name") && e["name"] != open[th].back().first)
                bad.push_back(at + "E named differently from its B");
            open[th].pop_back();
        }
    }
    for (const auto &[th, stack] : open)
        if (!stack.empty())
            bad.push_back("pid " + std::to_string(th.first) + " tid " + std::to_string(th.second) +
                          ": " + std::to_string(stack.size()) + " B without an E");
    for (const Thread &th : used)
        if (!named.count(th))
            bad.push_back("pid " + std::to_string(th.first) + " tid " + std::to_string(th.second) +
                          ": no thread_name");
    for (long long p : pids)
        if (!named_pids.count(p))
            bad.push_back("pid " + std::to_string(p) + ": no process_name");
    return bad;
}

} // namespace cmosim::test
