// SPDX-License-Identifier: Apache-2.0
// The cmosim command line: one function per command (cmd_<name>.cpp), listed
// in the table in main.cpp. Exit codes are shared by every command.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cmosim::sim::cli {

enum Exit { kPass = 0, kExpectFailed = 1, kBadInput = 2, kInternal = 3 };

using Args = std::vector<std::string>;

int cmd_run(const Args &args);
int cmd_check(const Args &args);
int cmd_sweep(const Args &args);
int cmd_explain(const Args &args);
int cmd_replay(const Args &args);
int cmd_trace(const Args &args);
int cmd_platforms(const Args &args);

// Write `text` to `path` through a temporary file and a rename: a reader never
// sees a partial file under the final name. An existing device node or FIFO
// (/dev/null, /dev/stdout) is written to as it is, never replaced. Returns 0,
// or the exit code with `err` set: kBadInput when the path cannot be written
// (a missing directory), kInternal when writing failed (a full disk, a short
// write; the partial file is removed).
int write_output(const std::string &path, const std::string &text, std::string *err);

// Before anything runs: no output may name an input of the run (a scenario,
// an include, a trace) or the same file as another output. `outputs` are
// (option, path) pairs; device nodes and FIFOs may repeat. False with `err`.
bool outputs_are_distinct(const std::vector<std::pair<std::string, std::string>> &outputs,
                          const std::vector<std::string> &inputs, std::string *err);

} // namespace cmosim::sim::cli
