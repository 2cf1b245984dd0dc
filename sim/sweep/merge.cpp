// SPDX-License-Identifier: Apache-2.0
// Sweep results: the manifest, report fields by path, the merged CSV tables and
// the strategy crossover.
#include "sweep/sweep.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cmosim::sim::sweep {

using json = nlohmann::ordered_json;

namespace {

// A path as tokens: a key, or an index (kAll for [*]; negative counts from the end).
constexpr long kAll = 1L << 40;

struct PathToken {
    std::string key; // empty: an index
    long idx = 0;
};

bool split_path(const std::string &path, std::vector<PathToken> *out) {
    std::istringstream in(path);
    std::string tok;
    while (std::getline(in, tok, '.')) {
        size_t b = tok.find('[');
        std::string key = tok.substr(0, b);
        std::string rest = b == std::string::npos ? "" : tok.substr(b);
        if (key.empty() && rest.empty())
            return false;
        if (!key.empty())
            out->push_back({key, 0});
        while (!rest.empty()) {
            size_t e = rest.find(']');
            if (rest[0] != '[' || e == std::string::npos)
                return false;
            std::string i = rest.substr(1, e - 1);
            long v = kAll;
            if (i != "*") {
                char *end = nullptr;
                v = std::strtol(i.c_str(), &end, 10);
                if (i.empty() || *end != '\0')
                    return false;
            }
            out->push_back({"", v});
            rest = rest.substr(e + 1);
        }
    }
    return !out->empty();
}

void gather(const json &cur, const std::vector<PathToken> &path, size_t t,
            std::vector<const json *> *out) {
    if (t == path.size()) {
        out->push_back(&cur);
        return;
    }
    const PathToken &tok = path[t];
    if (!tok.key.empty()) {
        if (cur.is_object() && cur.contains(tok.key))
            gather(cur[tok.key], path, t + 1, out);
        return;
    }
    if (!cur.is_array())
        return;
    if (tok.idx == kAll) {
        for (const json &j : cur)
            gather(j, path, t + 1, out);
        return;
    }
    long n = static_cast<long>(cur.size());
    long at = tok.idx < 0 ? n + tok.idx : tok.idx;
    if (at >= 0 && at < n)
        gather(cur[static_cast<size_t>(at)], path, t + 1, out);
}

std::optional<double> number_of(const json &j) {
    if (j.is_boolean())
        return j.get<bool>() ? 1.0 : 0.0;
    if (j.is_number())
        return j.get<double>();
    return std::nullopt;
}

std::optional<double> value_at(const json &root, const Column &c) {
    std::vector<PathToken> path;
    if (!split_path(c.path, &path))
        return std::nullopt;
    std::vector<const json *> hits;
    gather(root, path, 0, &hits);
    if (c.agg.empty())
        return hits.size() == 1 ? number_of(*hits[0]) : std::nullopt;
    if (c.agg == "count")
        return static_cast<double>(hits.size());
    std::vector<double> xs;
    for (const json *h : hits)
        if (auto v = number_of(*h))
            xs.push_back(*v);
    if (xs.empty())
        return c.agg == "sum" ? std::optional<double>(0.0) : std::nullopt;
    if (c.agg == "sum" || c.agg == "mean") {
        double t = 0;
        for (double x : xs)
            t += x;
        return c.agg == "sum" ? t : t / static_cast<double>(xs.size());
    }
    return c.agg == "min" ? *std::min_element(xs.begin(), xs.end())
                          : *std::max_element(xs.begin(), xs.end());
}

std::string csv_field(const std::string &s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// The CSV cell of an axis value: its number (bytes, ns) for a numeric axis.
std::string axis_cell(const Axis &a, size_t pick) {
    const AxisValue &v = a.values[pick];
    return a.numeric() ? format_number(v.num) : v.text;
}

std::string group_label(const Spec &spec, const std::vector<size_t> &axes, const Point &p) {
    std::string s;
    for (size_t k : axes)
        if (spec.axes[k].values.size() > 1)
            s += (s.empty() ? "" : ", ") + spec.axes[k].name + "=" +
                 spec.axes[k].values[p.pick[k]].text;
    return s;
}

} // namespace

std::string status_name(int exit_code, bool have_report) {
    // cmosim run writes a report on 0, 1 and 3: without one it went missing
    // (not run yet, or removed); 2 is bad input; anything else a crash.
    if (!have_report)
        return exit_code == 2                                                        ? "bad_input"
               : exit_code < 0 || exit_code == 0 || exit_code == 1 || exit_code == 3 ? "missing"
                                                                                     : "failed";
    switch (exit_code) {
    case 0:
        return "ok";
    case 1:
        return "expect_failed";
    case 3:
        return "incomplete";
    default:
        return "failed";
    }
}

std::optional<double> report_value(const std::string &report_json, const Column &c) {
    json root = json::parse(report_json, nullptr, false);
    if (root.is_discarded())
        return std::nullopt;
    return value_at(root, c);
}

std::string CsvTable::text() const {
    std::string out;
    for (size_t i = 0; i < header.size(); ++i)
        out += (i ? "," : "") + csv_field(header[i]);
    out += "\n";
    for (const auto &r : rows) {
        for (size_t i = 0; i < r.size(); ++i)
            out += (i ? "," : "") + csv_field(r[i]);
        out += "\n";
    }
    return out;
}

std::string Manifest::to_json(const Spec &spec) const {
    json j;
    j["format"] = "cmosim-sweep-manifest";
    j["format_version"] = 1;
    j["name"] = spec.name;
    j["spec_file"] = spec_file;
    j["spec_text"] = spec_text;
    j["base"] = base;
    j["cmosim"] = cmosim;
    json axes = json::array();
    for (const Axis &a : spec.axes)
        axes.push_back(a.name);
    j["axes"] = axes;
    json pts = json::array();
    for (size_t i = 0; i < points.size(); ++i) {
        const Point &p = points[i];
        json values = json::object();
        for (size_t k = 0; k < spec.axes.size(); ++k)
            values[spec.axes[k].name] = spec.axes[k].values[p.pick[k]].text;
        json e = {{"id", p.id()}, {"pick", p.pick}, {"values", values}, {"sets", p.sets}};
        e["advertised_breakeven_bytes"] =
            i < advertised.size() && advertised[i] ? json(*advertised[i]) : json(nullptr);
        pts.push_back(e);
    }
    j["points"] = pts;
    return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Manifest read_manifest(const std::string &dir, Spec *spec) {
    std::string path = dir + "/manifest.json";
    std::ifstream f(path);
    Mark at{path, 0, 0};
    if (!f)
        throw ConfigError(at, "cannot read the sweep manifest (is " + dir +
                                  " the output folder of cmosim sweep?)");
    std::stringstream ss;
    ss << f.rdbuf();
    json j = json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != "cmosim-sweep-manifest")
        throw ConfigError(at, "not a cmosim sweep manifest");
    Manifest m;
    try {
        m.spec_file = j.at("spec_file").get<std::string>();
        m.spec_text = j.at("spec_text").get<std::string>();
        m.base = j.at("base").get<std::string>();
        m.cmosim = j.at("cmosim").get<std::string>();
        *spec = parse_spec_text(m.spec_file, m.spec_text);
        for (const json &e : j.at("points")) {
            Point p;
            p.index = m.points.size();
            p.pick = e.at("pick").get<std::vector<size_t>>();
            p.sets = e.at("sets").get<std::vector<std::string>>();
            if (p.pick.size() != spec->axes.size())
                throw ConfigError(at, "point " + p.id() + ": expected " +
                                          std::to_string(spec->axes.size()) + " axis values");
            for (size_t k = 0; k < p.pick.size(); ++k)
                if (p.pick[k] >= spec->axes[k].values.size())
                    throw ConfigError(at, "point " + p.id() + ": axis '" + spec->axes[k].name +
                                              "' has no value " + std::to_string(p.pick[k]));
            const json &adv = e.at("advertised_breakeven_bytes");
            m.advertised.push_back(adv.is_null() ? std::nullopt
                                                 : std::optional<uint64_t>(adv.get<uint64_t>()));
            m.points.push_back(p);
        }
    } catch (const json::exception &e) {
        throw ConfigError(at, std::string("malformed manifest: ") + e.what());
    }
    return m;
}

CrossoverResult find_crossover(const std::vector<double> &sizes, const std::vector<double> &low,
                               const std::vector<double> &high) {
    CrossoverResult r;
    if (sizes.size() < 2) {
        r.why = "fewer than two sizes with both strategies";
        return r;
    }
    // d < 0: `low` is cheaper. On log-log axes both cost curves are straight
    // between measured sizes, so their difference in log cost is linear in
    // log size and its zero is where the drawn lines cross.
    auto diff = [&](size_t i) {
        if (low[i] > 0 && high[i] > 0)
            return std::log(low[i]) - std::log(high[i]);
        return low[i] - high[i]; // a zero cost: compare the costs themselves
    };
    if (diff(0) >= 0) {
        r.why =
            "the low strategy is not cheaper even at the smallest size, " + human_bytes(sizes[0]);
        return r;
    }
    for (size_t i = 0; i + 1 < sizes.size(); ++i) {
        double a = diff(i), b = diff(i + 1);
        if (a < 0 && b >= 0) {
            double t = a / (a - b);
            double x = std::log(sizes[i]) + t * (std::log(sizes[i + 1]) - std::log(sizes[i]));
            r.found = true;
            r.breakeven = std::exp(x);
            r.below = sizes[i];
            r.above = sizes[i + 1];
            return r;
        }
    }
    r.why = "the low strategy is cheaper throughout, up to " + human_bytes(sizes.back());
    return r;
}

Merged merge(const Spec &spec, const Manifest &m, const std::vector<PointResult> &results) {
    Merged out;
    std::vector<json> reports(m.points.size());
    for (size_t i = 0; i < m.points.size(); ++i)
        if (i < results.size() && !results[i].report.empty()) {
            reports[i] = json::parse(results[i].report, nullptr, false);
            if (reports[i].is_discarded())
                reports[i] = json();
        }
    auto status = [&](size_t i) {
        if (i >= results.size())
            return std::string("missing");
        if (reports[i].is_null() && results[i].status != "bad_input" &&
            results[i].status != "failed")
            return std::string("missing");
        return results[i].status;
    };

    // points.csv
    CsvTable &pt = out.points;
    pt.header = {"point", "status"};
    for (const Axis &a : spec.axes)
        pt.header.push_back(a.name);
    for (const Column &c : spec.collect)
        pt.header.push_back(c.name);
    pt.header.push_back("advertised_breakeven_bytes");
    std::vector<std::vector<std::optional<double>>> cols(m.points.size());
    std::vector<std::optional<double>> advertised(m.points.size());
    for (size_t i = 0; i < m.points.size(); ++i) {
        const Point &p = m.points[i];
        std::vector<std::string> row{p.id(), status(i)};
        for (size_t k = 0; k < spec.axes.size(); ++k)
            row.push_back(axis_cell(spec.axes[k], p.pick[k]));
        for (const Column &c : spec.collect) {
            std::optional<double> v;
            if (!reports[i].is_null())
                v = value_at(reports[i], c);
            cols[i].push_back(v);
            row.push_back(v ? format_number(*v) : "");
        }
        // ATTRIBUTES x4: the configured value, or the model's when it is "model".
        if (i < m.advertised.size() && m.advertised[i])
            advertised[i] = static_cast<double>(*m.advertised[i]);
        else if (!reports[i].is_null())
            advertised[i] =
                value_at(reports[i], Column{"", "firmware.model_breakeven_bytes", "", {}});
        row.push_back(advertised[i] ? format_number(*advertised[i]) : "");
        pt.rows.push_back(row);
    }

    // invalidates.csv: every invalidate of every point, its latency split.
    CsvTable &iv = out.invalidates;
    iv.header = {"point", "status"};
    for (const Axis &a : spec.axes)
        iv.header.push_back(a.name);
    for (const char *h :
         {"inv_index", "inv_cpu", "inv_step", "inv_strategy", "inv_size", "inv_return",
          "inv_latency_ps", "inv_firmware_ps", "inv_sleep_ps", "inv_mutex_wait_ps", "inv_other_ps",
          "inv_firmware_calls", "inv_sleeps", "inv_residual_lines"})
        iv.header.push_back(h);
    for (size_t i = 0; i < m.points.size(); ++i) {
        if (reports[i].is_null() || !reports[i].contains("invalidate"))
            continue;
        const json &list = reports[i]["invalidate"];
        if (!list.is_array())
            continue;
        for (size_t n = 0; n < list.size(); ++n) {
            const json &v = list[n];
            std::vector<std::string> row{m.points[i].id(), status(i)};
            for (size_t k = 0; k < spec.axes.size(); ++k)
                row.push_back(axis_cell(spec.axes[k], m.points[i].pick[k]));
            auto num = [&](const char *key) {
                return v.contains(key) && v[key].is_number() ? v[key].get<double>() : 0.0;
            };
            double lat = num("latency_ps"), fw = num("firmware_ps"), sl = num("sleep_ps"),
                   mx = num("mutex_wait_ps");
            row.push_back(std::to_string(n));
            row.push_back(format_number(num("cpu")));
            row.push_back(format_number(num("step")));
            row.push_back(v.value("strategy", ""));
            row.push_back(format_number(num("size")));
            row.push_back(format_number(num("return")));
            row.push_back(format_number(lat));
            row.push_back(format_number(fw));
            row.push_back(format_number(sl));
            row.push_back(format_number(mx));
            row.push_back(format_number(std::max(0.0, lat - fw - sl - mx)));
            row.push_back(format_number(num("firmware_calls")));
            row.push_back(format_number(num("sleeps")));
            row.push_back(format_number(num("residual_lines")));
            iv.rows.push_back(row);
        }
    }

    size_t ok = 0;
    std::map<std::string, size_t> by_status;
    for (size_t i = 0; i < m.points.size(); ++i) {
        by_status[status(i)]++;
        if (!reports[i].is_null())
            ++ok;
    }
    {
        std::string s = std::to_string(m.points.size()) + " points:";
        for (auto &[k, n] : by_status)
            s += " " + std::to_string(n) + " " + k;
        out.notes.push_back(s);
    }

    if (!spec.crossover.enabled)
        return out;
    const CrossoverSpec &cs = spec.crossover;
    size_t size_k = 0, strat_k = 0, cost_c = 0;
    for (size_t k = 0; k < spec.axes.size(); ++k) {
        if (spec.axes[k].name == cs.size_axis)
            size_k = k;
        if (spec.axes[k].name == cs.strategy_axis)
            strat_k = k;
    }
    for (size_t c = 0; c < spec.collect.size(); ++c)
        if (spec.collect[c].name == cs.cost)
            cost_c = c;
    std::vector<size_t> group_axes;
    for (size_t k = 0; k < spec.axes.size(); ++k)
        if (k != size_k && k != strat_k)
            group_axes.push_back(k);
    const Axis &strat = spec.axes[strat_k];

    // group key -> size -> strategy -> cost
    std::map<std::vector<size_t>, std::map<double, std::map<std::string, double>>> table;
    std::map<std::vector<size_t>, size_t> first_point;
    std::map<std::vector<size_t>, std::optional<double>> group_advertised;
    for (size_t i = 0; i < m.points.size(); ++i) {
        const Point &p = m.points[i];
        std::vector<size_t> key;
        for (size_t k : group_axes)
            key.push_back(p.pick[k]);
        first_point.emplace(key, i);
        auto &adv = group_advertised[key];
        if (!adv && advertised[i])
            adv = advertised[i];
        if (!cols[i][cost_c])
            continue;
        table[key][spec.axes[size_k].values[p.pick[size_k]].num]
             [strat.values[p.pick[strat_k]].text] = *cols[i][cost_c];
    }

    CsvTable &xt = out.crossover;
    CsvTable &bt = out.breakeven;
    for (size_t k : group_axes) {
        xt.header.push_back(spec.axes[k].name);
        bt.header.push_back(spec.axes[k].name);
    }
    xt.header.push_back(cs.size_axis);
    for (const AxisValue &v : strat.values)
        xt.header.push_back(cs.cost + "_" + v.text);
    xt.header.push_back("cheapest");
    for (const char *h : {"measured_breakeven_bytes", "below_bytes", "above_bytes",
                          "advertised_breakeven_bytes", "measured_over_advertised", "note"})
        bt.header.push_back(h);

    out.notes.push_back("break-even " + cs.low + " -> " + cs.high + " (cost: " + cs.cost + "):");
    for (auto &[key, sizes] : first_point) {
        (void)sizes;
        const Point &p0 = m.points[first_point[key]];
        std::vector<std::string> gcells;
        for (size_t k : group_axes)
            gcells.push_back(axis_cell(spec.axes[k], p0.pick[k]));
        std::string label = group_label(spec, group_axes, p0);
        auto &bysize = table[key];
        std::vector<double> xs, lo, hi;
        std::vector<std::pair<std::string, std::pair<double, double>>> runs; // cheapest runs
        for (auto &[size, costs] : bysize) {
            std::vector<std::string> row = gcells;
            row.push_back(format_number(size));
            std::string best;
            double best_cost = 0;
            for (const AxisValue &v : strat.values) {
                auto it = costs.find(v.text);
                row.push_back(it == costs.end() ? "" : format_number(it->second));
                // "none" costs nothing and keeps stale lines: it is no candidate.
                if (it != costs.end() && v.text != "none" &&
                    (best.empty() || it->second < best_cost)) {
                    best = v.text;
                    best_cost = it->second;
                }
            }
            row.push_back(best);
            xt.rows.push_back(row);
            if (!best.empty()) {
                if (runs.empty() || runs.back().first != best)
                    runs.push_back({best, {size, size}});
                else
                    runs.back().second.second = size;
            }
            auto l = costs.find(cs.low), h = costs.find(cs.high);
            if (l != costs.end() && h != costs.end()) {
                xs.push_back(size);
                lo.push_back(l->second);
                hi.push_back(h->second);
            }
        }
        CrossoverResult r = find_crossover(xs, lo, hi);
        std::optional<double> adv = group_advertised[key];
        std::vector<std::string> row = gcells;
        row.push_back(r.found ? format_number(std::round(r.breakeven)) : "");
        row.push_back(r.found ? format_number(r.below) : "");
        row.push_back(r.found ? format_number(r.above) : "");
        row.push_back(adv ? format_number(*adv) : "");
        char ratio[32] = "";
        if (r.found && adv && *adv > 0)
            std::snprintf(ratio, sizeof ratio, "%.3g", r.breakeven / *adv);
        row.push_back(ratio);
        row.push_back(r.found ? "" : r.why);
        bt.rows.push_back(row);

        std::string line = "  " + (label.empty() ? std::string("") : "[" + label + "] ");
        line += r.found ? "measured " + human_bytes(std::round(r.breakeven)) + " (between " +
                              human_bytes(r.below) + " and " + human_bytes(r.above) + ")"
                        : "measured: none (" + r.why + ")";
        line += "; firmware ATTRIBUTES x4 advertises " +
                (adv ? human_bytes(*adv) + " (" + format_number(*adv) + " B)" : "nothing");
        if (ratio[0])
            line += std::string("; measured/advertised ") + ratio;
        out.notes.push_back(line);
        std::string cheap = "    cheapest:";
        for (size_t i = 0; i < runs.size(); ++i) {
            auto &[name, span] = runs[i];
            cheap += std::string(i ? "," : "") + " " + name + " " + human_bytes(span.first) +
                     (span.second != span.first ? ".." + human_bytes(span.second) : "");
        }
        if (!runs.empty())
            out.notes.push_back(cheap);
    }
    (void)ok;
    return out;
}

} // namespace cmosim::sim::sweep
