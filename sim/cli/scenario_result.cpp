// SPDX-License-Identifier: Apache-2.0
// What became of one scenario (run.h: ScenarioResult): its verdict counts,
// from a run in this process or a child's report, and its JUnit case.
#include <ctime>

#include <unistd.h>

#include "cli/run.h"

#ifndef CMOSIM_VERSION
#define CMOSIM_VERSION "0.0.0"
#endif

namespace cmosim::sim::cli {

void count_verdicts(const std::vector<Verdict> &verdicts, ScenarioResult *r) {
    r->expectations = r->passed = 0;
    r->failed.clear();
    for (const Verdict &v : verdicts) {
        r->expectations++;
        if (v.pass)
            r->passed++;
        else
            r->failed.push_back(v.message);
    }
}

void read_verdicts(const nlohmann::json &rep, ScenarioResult *r) {
    r->expectations = r->passed = 0;
    r->failed.clear();
    if (!rep.contains("verdicts"))
        return;
    for (const nlohmann::json &v : rep["verdicts"]) {
        r->expectations++;
        if (v.value("pass", false))
            r->passed++;
        else
            r->failed.push_back(v.value("message", std::string("expectation failed")));
    }
}

JunitCase junit_case(const ScenarioResult &r) {
    JunitCase c;
    junit_names(r.file, &c.name, &c.classname);
    if (!r.revision.empty())
        c.name += " [" + r.revision + "]";
    c.seconds = r.seconds;
    auto first_line = [](const std::string &text) { return text.substr(0, text.find('\n')); };
    switch (r.status) {
    case ScenarioResult::Status::Pass:
        c.outcome = JunitCase::Outcome::Pass;
        break;
    case ScenarioResult::Status::Fail: {
        c.outcome = JunitCase::Outcome::Failure;
        c.type = "expectation";
        c.message = r.failed.empty() ? "an expectation failed" : r.failed[0];
        if (r.failed.size() > 1)
            c.message += " (and " + std::to_string(r.failed.size() - 1) + " more)";
        c.text = std::to_string(r.expectations - r.passed) + " of " +
                 std::to_string(r.expectations) + " expectations failed:\n";
        for (const std::string &m : r.failed)
            c.text += m + "\n";
        break;
    }
    case ScenarioResult::Status::BadInput:
        c.outcome = JunitCase::Outcome::Error;
        c.type = "bad_input";
        c.message = first_line(r.error);
        c.text = r.error + "\n";
        break;
    case ScenarioResult::Status::Limit:
        c.outcome = JunitCase::Outcome::Error;
        c.type = "limit";
        c.message = r.error.empty() ? "limit reached, report incomplete" : first_line(r.error);
        c.text = r.error + "\n";
        for (const std::string &m : r.failed)
            c.text += m + "\n";
        break;
    case ScenarioResult::Status::NotRun:
        c.outcome = JunitCase::Outcome::Skipped;
        c.message = r.error;
        break;
    case ScenarioResult::Status::Internal:
        c.outcome = JunitCase::Outcome::Error;
        c.type = "internal";
        c.message = r.error.empty() ? "internal error" : first_line(r.error);
        c.text = r.error + "\n";
        break;
    }
    return c;
}

JunitSuite junit_suite_started() {
    JunitSuite js;
    char buf[32] = "";
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    js.timestamp = buf;
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) == 0 && host[0])
        js.hostname = host;
    js.properties.push_back({"cmosim_version", CMOSIM_VERSION});
    return js;
}

} // namespace cmosim::sim::cli
