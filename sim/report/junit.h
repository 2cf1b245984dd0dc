// SPDX-License-Identifier: Apache-2.0
// JUnit XML for a suite of scenarios, in the subset that both the Ant JUnit
// schema (the strict one) and Jenkins' xUnit junit-10 schema accept, which is
// what GitLab and Jenkins read: <testsuites> without attributes, one
// <testsuite> with properties, its test cases, system-out and system-err; at
// most one <failure> or <error> per test case.
#pragma once

#include <string>
#include <vector>

namespace cmosim::sim {

struct JunitCase {
    enum class Outcome { Pass, Failure, Error, Skipped };
    std::string name;      // the scenario file's name without .yaml
    std::string classname; // "cmosim." + its directory, dots for slashes
    double seconds = 0;    // wall-clock
    Outcome outcome = Outcome::Pass;
    std::string type;    // failure/error type: expectation, bad_input, limit, internal
    std::string message; // one line
    std::string text;    // the details (every failed expectation, the error output)
};

struct JunitSuite {
    std::string name = "cmosim";
    std::string timestamp; // local time, "YYYY-MM-DDTHH:MM:SS" (no time zone)
    std::string hostname;
    double seconds = 0;
    std::vector<std::pair<std::string, std::string>> properties;
    std::vector<JunitCase> cases;
    std::string system_out, system_err;
};

std::string junit_xml(const JunitSuite &suite);

// Text as XML character data or attribute value: markup characters escaped,
// characters XML 1.0 forbids (control characters but tab and line breaks)
// dropped.
std::string xml_escape(const std::string &text);

// "configs/regression/busy_retry.yaml" -> name "busy_retry", classname
// "cmosim.configs.regression" ("." and ".." components dropped).
void junit_names(const std::string &file, std::string *name, std::string *classname);

} // namespace cmosim::sim
