// SPDX-License-Identifier: Apache-2.0
// One CSV row per invalidate call (RFC 4180: comma-separated, CRLF-free, a
// field with a comma, quote or line break in double quotes). The columns are
// listed in docs/report-format.md.
#pragma once

#include <string>
#include <vector>

#include "run/run_result.h"

namespace cmosim::sim {

// The header line, with its newline.
std::string invalidate_csv_header();
// One line per invalidate step and per kernel call that invalidates
// (invalidate_memregion, invalidate_all), in the order they returned, each
// with its newline; `scenario` and `file` fill the first two columns.
std::string invalidate_csv_rows(const std::string &scenario, const std::string &file,
                                const std::vector<InvalidateRecord> &invalidates,
                                const std::vector<KernelCallRecord> &kernel_calls = {});
// A field as CSV: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string &text);

} // namespace cmosim::sim
