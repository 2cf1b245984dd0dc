// SPDX-License-Identifier: Apache-2.0
#include "cli/revisions.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "kernel/provider_build.h"

namespace cmosim::sim::cli {

namespace fs = std::filesystem;

bool select_kernel(Scenario &s, const RunOptions &o, size_t rev, std::string *err) {
    if (rev < o.provider_srcs.size()) {
        s.kernel.provider_src = o.provider_srcs[rev];
        s.inputs.push_back(s.kernel.provider_src);
    }
    if (!o.framework_src.empty()) {
        s.kernel.framework_src = o.framework_src;
        s.inputs.push_back(s.kernel.framework_src);
    }
    return use_kernel(KernelSources{s.kernel.provider_src, s.kernel.framework_src}, err);
}

bool build_revisions(const RunOptions &o, std::string *err) {
    std::vector<std::string> provs = o.provider_srcs;
    if (provs.empty())
        provs.push_back("");
    for (const std::string &p : provs) {
        KernelSources src{p, o.framework_src};
        if (src.builtin())
            continue;
        KernelBuild b;
        if (!build_kernel(src, &b, err))
            return false;
    }
    return true;
}

std::vector<std::string> revision_labels(const std::vector<std::string> &srcs) {
    std::map<std::string, int> seen;
    for (const std::string &s : srcs)
        seen[fs::path(s).filename().string()]++;
    std::vector<std::string> out;
    for (const std::string &s : srcs) {
        std::string name = fs::path(s).filename().string();
        out.push_back(seen[name] > 1 ? s : name);
    }
    return out;
}

namespace {

const char *status_word(ScenarioResult::Status s) {
    switch (s) {
    case ScenarioResult::Status::Pass:
        return "PASS";
    case ScenarioResult::Status::Fail:
        return "FAIL";
    case ScenarioResult::Status::BadInput:
        return "ERROR";
    case ScenarioResult::Status::Limit:
        return "LIMIT";
    case ScenarioResult::Status::Internal:
        return "ERROR";
    case ScenarioResult::Status::NotRun:
        return "NOTRUN";
    }
    return "?";
}

// "0 0 -5 0", or "0*12" for a long run of one value.
std::string returns_text(const std::vector<long long> &v) {
    if (v.empty())
        return "-";
    std::ostringstream o;
    for (size_t i = 0; i < v.size();) {
        size_t j = i;
        while (j < v.size() && v[j] == v[i])
            ++j;
        if (i)
            o << ' ';
        o << v[i];
        if (j - i > 2)
            o << '*' << (j - i);
        else
            for (size_t k = i + 1; k < j; ++k)
                o << ' ' << v[k];
        i = j;
    }
    return o.str();
}

std::string us_text(unsigned long long ps) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(3) << static_cast<double>(ps) / 1e6;
    return o.str();
}

bool same(const RevisionRow &a, const RevisionRow &b) {
    return a.status == b.status && a.returns == b.returns && a.smcs == b.smcs &&
           a.sleeps == b.sleeps && a.latency_ps == b.latency_ps && a.findings == b.findings;
}

// Scenario -> whether its rows differ.
std::map<std::string, bool> differing(const std::vector<RevisionRow> &rows) {
    std::map<std::string, const RevisionRow *> first;
    std::map<std::string, bool> out;
    for (const RevisionRow &r : rows) {
        auto [it, fresh] = first.emplace(r.scenario, &r);
        out[r.scenario] = out[r.scenario] || (!fresh && !same(*it->second, r));
    }
    return out;
}

} // namespace

std::string revision_report_name(const std::string &stem, const std::string &label) {
    std::string name = stem;
    if (!label.empty()) {
        std::string l = label;
        for (char &c : l)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
                c = '_';
        name += "." + l;
    }
    return name + ".json";
}

void read_revision_figures(const nlohmann::json &rep, RevisionRow *row) {
    row->have_report = true;
    for (const char *list : {"kernel_calls", "invalidate"})
        for (const nlohmann::json &c : rep.value(list, nlohmann::json::array())) {
            row->returns.push_back(c.value("return", 0LL));
            row->sleeps += c.value("sleeps", 0ULL);
            row->latency_ps += c.value("latency_ps", 0ULL);
        }
    row->smcs = rep.value("firmware", nlohmann::json::object()).value("calls", 0ULL);
    const nlohmann::json ck = rep.value("checker", nlohmann::json::object());
    for (const char *k : {"stale_reads", "lost_device_writes", "residual_lines", "lost_cpu_writes",
                          "offline_reads"})
        row->findings += ck.value(k, 0ULL);
}

std::string comparison_table(const std::vector<RevisionRow> &rows) {
    const std::map<std::string, bool> diff = differing(rows);
    std::vector<std::vector<std::string>> cells = {
        {"scenario", "revision", "result", "returns", "SMCs", "sleeps", "latency us", "findings"}};
    for (const RevisionRow &r : rows) {
        const bool d = diff.at(r.scenario);
        if (!r.have_report) {
            cells.push_back({r.scenario + (d ? " *" : ""), r.revision, status_word(r.status), "-",
                             "-", "-", "-", "-"});
            continue;
        }
        cells.push_back({r.scenario + (d ? " *" : ""), r.revision, status_word(r.status),
                         returns_text(r.returns), std::to_string(r.smcs), std::to_string(r.sleeps),
                         us_text(r.latency_ps), std::to_string(r.findings)});
    }
    std::vector<size_t> width(cells[0].size(), 0);
    for (const auto &row : cells)
        for (size_t i = 0; i < row.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    std::ostringstream o;
    for (const auto &row : cells) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            const bool number = i >= 4;
            const std::string pad(width[i] - row[i].size(), ' ');
            line += (i ? "  " : "") + (number ? pad + row[i] : row[i] + pad);
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        o << line << "\n";
    }
    size_t n = 0;
    for (const auto &[name, d] : diff)
        n += d;
    o << n << " of " << diff.size() << (diff.size() == 1 ? " scenario" : " scenarios")
      << " differ between revisions" << (n ? " (marked *)" : "") << "\n";
    return o.str();
}

nlohmann::ordered_json comparison_json(const std::vector<std::string> &revisions,
                                       const std::vector<std::string> &labels,
                                       const std::vector<RevisionRow> &rows) {
    const std::map<std::string, bool> diff = differing(rows);
    nlohmann::ordered_json revs = nlohmann::ordered_json::array();
    for (size_t i = 0; i < revisions.size(); ++i)
        revs.push_back({{"label", labels[i]}, {"provider_src", revisions[i]}});
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const RevisionRow &r : rows) {
        nlohmann::ordered_json e = {{"scenario", r.scenario},
                                    {"revision", r.revision},
                                    {"result", status_word(r.status)},
                                    {"differs", diff.at(r.scenario)}};
        if (r.have_report) {
            e["returns"] = r.returns;
            e["smcs"] = r.smcs;
            e["sleeps"] = r.sleeps;
            e["latency_ps"] = r.latency_ps;
            e["findings"] = r.findings;
        }
        out.push_back(std::move(e));
    }
    return {{"revisions", revs}, {"rows", out}};
}

} // namespace cmosim::sim::cli
