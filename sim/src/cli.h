// SPDX-License-Identifier: Apache-2.0
// The cmosim command line: one function per command (cmd_<name>.cpp), listed
// in the table in main.cpp. Exit codes are shared by every command.
#pragma once

#include <string>
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

// Write `text` to `path` through a temporary file and a rename: a reader never
// sees a partial file under the final name.
bool write_atomically(const std::string &path, const std::string &text, std::string *err);

} // namespace cmosim::sim::cli
