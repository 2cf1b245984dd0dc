// SPDX-License-Identifier: Apache-2.0
// firmware: the EL3 firmware's functions, answers, rate limit, busy agents and fault rules.
#include "config/loader.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "config/schema.h"

namespace cmosim::sim {

int32_t Loader::status(const ynode *n, const std::string &what) {
    static const std::pair<const char *, int32_t> kNames[] = {
        {"SUCCESS", FW_SUCCESS},           {"NOT_SUPPORTED", FW_NOT_SUPPORTED},
        {"NOT_REQUIRED", FW_NOT_REQUIRED}, {"INVALID_PARAMETER", FW_INVALID_PARAMETER},
        {"RATE_LIMITED", FW_RATE_LIMITED}, {"BUSY", FW_BUSY}};
    std::string t = r.scalar(n, what);
    for (auto &[name, v] : kNames)
        if (t == name)
            return v;
    char *end = nullptr;
    long v = std::strtol(t.c_str(), &end, 0);
    if (t.empty() || *end != '\0' || v < INT32_MIN || v > INT32_MAX)
        r.fail(n, what +
                      ": expected a status name (SUCCESS, NOT_SUPPORTED, NOT_REQUIRED, "
                      "INVALID_PARAMETER, RATE_LIMITED, BUSY) or a 32-bit integer, found '" +
                      t + "'");
    return static_cast<int32_t>(v);
}

uint32_t Loader::fid(const ynode *n, const std::string &what, bool any_ok) {
    static const std::pair<const char *, uint32_t> kNames[] = {
        {"any", FW_FAULT_ANY_FID},
        {"version", FW_FID_SMCCC_VERSION},
        {"features", FW_FID_ARCH_FEATURES},
        {"soc_id", FW_FID_ARCH_SOC_ID},
        {"clean_inv", FW_FID_CLEAN_INV_MEMREGION},
        {"attributes", FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES}};
    std::string t = r.scalar(n, what);
    for (auto &[name, v] : kNames)
        if (t == name && (any_ok || v != FW_FAULT_ANY_FID))
            return v;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
        return static_cast<uint32_t>(r.integer(n, what, 0, UINT32_MAX));
    r.fail(n, what + ": expected " + (any_ok ? "any, " : "") +
                  "version, features, soc_id, clean_inv, attributes or a hex function ID, "
                  "found '" +
                  t + "'");
}

uint64_t Loader::cpu_mask(const ynode *n, const std::string &what) {
    auto one = [&](const ynode *v, const std::string &w) {
        uint64_t cpu = r.integer(v, w, 0, 63);
        if (cpu >= s.platform.cpus)
            r.fail(v, w + ": CPU " + std::to_string(cpu) + " does not exist (the platform has " +
                          std::to_string(s.platform.cpus) + ")");
        return FW_CPU_BIT(cpu);
    };
    if (n->kind != YNODE_SEQ)
        return one(n, what);
    if (n->count == 0)
        r.fail(n, what + ": expected a CPU number or a list of CPU numbers, found an empty list");
    uint64_t mask = 0;
    for (size_t i = 0; i < n->count; ++i) {
        std::string w = what + "[" + std::to_string(i) + "]";
        uint64_t bit = one(n->items[i], w);
        if (mask & bit)
            r.fail(n->items[i], w + ": CPU " + std::string(n->items[i]->text) + " is listed twice");
        mask |= bit;
    }
    return mask;
}

void Loader::fault(const ynode *n, const std::string &what) {
    fw_config &f = s.firmware;
    r.map(n, what);
    r.check_keys(n, what, keys_of("firmware.faults[]"));
    if (f.n_faults >= FW_MAX_FAULT_RULES)
        r.fail(n, what + ": at most " + std::to_string(FW_MAX_FAULT_RULES) + " fault rules");
    fw_fault_rule &rule = f.faults[f.n_faults];
    rule = fw_fault_rule{};
    rule.fid = FW_FID_CLEAN_INV_MEMREGION;
    rule.probability_ppm = 1000000;
    rule.status = FW_BUSY;
    if (auto v = ynode_get(n, "call"))
        rule.fid = fid(v, what + ".call");
    if (auto v = ynode_get(n, "cpu"))
        rule.cpu_mask = cpu_mask(v, what + ".cpu");
    if (auto v = ynode_get(n, "attempts")) {
        if (v->kind == YNODE_SEQ) {
            if (v->count != 2)
                r.fail(v, what + ".attempts: expected [first, last], found " +
                              std::to_string(v->count) + " items");
            rule.attempt_first =
                static_cast<uint32_t>(r.integer(v->items[0], what + ".attempts[0]", 1, UINT32_MAX));
            rule.attempt_last = static_cast<uint32_t>(
                r.integer(v->items[1], what + ".attempts[1]", rule.attempt_first, UINT32_MAX));
        } else {
            rule.attempt_first = rule.attempt_last =
                static_cast<uint32_t>(r.integer(v, what + ".attempts", 1, UINT32_MAX));
        }
    }
    if (auto v = ynode_get(n, "window")) {
        r.seq(v, what + ".window");
        if (v->count != 2)
            r.fail(v, what + ".window: expected [from, to], found " + std::to_string(v->count) +
                          " items");
        rule.t_from_ps = ps(v->items[0], what + ".window[0]");
        rule.t_to_ps = ps(v->items[1], what + ".window[1]");
        if (rule.t_to_ps <= rule.t_from_ps)
            r.fail(v->items[1], what + ".window[1]: expected a time after window[0]");
    }
    if (auto v = ynode_get(n, "probability"))
        rule.probability_ppm =
            static_cast<uint32_t>(std::llround(r.real(v, what + ".probability", 0, 1) * 1e6));
    std::string action =
        r.choice(r.required(n, "action", what), what + ".action",
                 {"return", "add_latency", "hang", "skip_level", "skip_writeback", "partial"});
    rule.action = action == "return"           ? FW_FAULT_RETURN
                  : action == "add_latency"    ? FW_FAULT_ADD_LATENCY
                  : action == "hang"           ? FW_FAULT_HANG
                  : action == "skip_level"     ? FW_FAULT_SKIP_LEVEL
                  : action == "skip_writeback" ? FW_FAULT_SKIP_WRITEBACK
                                               : FW_FAULT_PARTIAL;
    auto need = [&](const char *key) {
        return r.required(n, key, what + " (action " + action + ")");
    };
    // A hang that never returns has no status to return.
    const ynode *lat = ynode_get(n, "latency");
    bool forever = rule.action == FW_FAULT_HANG && lat && lat->kind == YNODE_SCALAR &&
                   std::string(lat->text) == "forever";
    if (rule.action == FW_FAULT_HANG) {
        // latency: forever -- the hang deadlock detection reports.
        const ynode *l = need("latency");
        if (!forever && l->kind == YNODE_SCALAR && l->text[0] &&
            !std::isdigit(static_cast<unsigned char>(l->text[0])))
            r.fail(l, what +
                          ".latency: expected a time with a unit (ps, ns, us, ms, s) or "
                          "forever, found '" +
                          std::string(l->text) + "'");
        rule.latency_ps = forever ? kForeverPs : ps(l, what + ".latency");
    } else if (rule.action == FW_FAULT_ADD_LATENCY) {
        rule.latency_ps = ps(need("latency"), what + ".latency");
    }
    if (rule.action == FW_FAULT_RETURN || (rule.action == FW_FAULT_HANG && !forever))
        rule.status = status(need("status"), what + ".status");
    else if (forever && ynode_get(n, "status"))
        rule.status = status(ynode_get(n, "status"), what + ".status");
    else if (auto v = ynode_get(n, "status"))
        r.fail(v, what + ".status: only the return and hang actions take a status");
    if (rule.action == FW_FAULT_SKIP_LEVEL) {
        const ynode *lv = r.seq(need("levels"), what + ".levels");
        for (size_t i = 0; i < lv->count; ++i) {
            std::string l = r.choice(lv->items[i], what + ".levels[" + std::to_string(i) + "]",
                                     {"l1", "l2", "slc"});
            rule.levels |= l == "l1" ? FW_LEVEL_L1 : l == "l2" ? FW_LEVEL_L2 : FW_LEVEL_SLC;
        }
    }
    if (rule.action == FW_FAULT_PARTIAL)
        rule.fraction_ppm = static_cast<uint32_t>(
            std::llround(r.real(need("fraction"), what + ".fraction", 0, 1) * 1e6));
    f.n_faults++;
}

void Loader::firmware(const ynode *n) {
    fw_config &f = s.firmware;
    // A sub-mapping of firmware:, checked, or null when absent.
    auto section = [&](const ynode *in, const char *key) -> const ynode * {
        const ynode *m = in ? ynode_get(in, key) : nullptr;
        if (m) {
            const std::string w = std::string("firmware.") + key;
            r.map(m, w);
            r.check_keys(m, w, keys_of(w));
        }
        return m;
    };
    if (n) {
        r.map(n, "firmware");
        r.check_keys(n, "firmware", keys_of("firmware"));
    }
    fill(n, "firmware", "firmware", f);
    fill(section(n, "functions"), "firmware.functions", "firmware.functions", f);
    fill(section(n, "features"), "firmware.features", "firmware.features", f);
    fill(section(n, "validation"), "firmware.validation", "firmware.validation", f.validation);
    fill(section(n, "rate_limit"), "firmware.rate_limit", "firmware.rate_limit", f);
    const ynode *a = section(n, "attributes");
    fill(a, "firmware.attributes", "firmware.attributes", f);
    ynode tmp{};
    f.attributes_status = status(value_or_default(a, "firmware.attributes", "status", &tmp),
                                 "firmware.attributes.status");
    const ynode *be = value_or_default(a, "firmware.attributes", "breakeven", &tmp);
    f.attr_breakeven_from_model = be->kind == YNODE_SCALAR && std::string(be->text) == "model";
    f.attr_breakeven = f.attr_breakeven_from_model
                           ? 0
                           : r.size(be, "firmware.attributes.breakeven", 0, UINT64_MAX >> 1);
    const ynode *v = value_or_default(n, "firmware", "smccc_version", &tmp);
    std::string t = r.scalar(v, "firmware.smccc_version");
    unsigned maj = 0, min = 0;
    char extra;
    if (std::sscanf(t.c_str(), "%u.%u%c", &maj, &min, &extra) != 2 || maj > 0x7fff || min > 0xffff)
        r.fail(v,
               "firmware.smccc_version: expected MAJOR.MINOR such as \"1.7\", found '" + t + "'");
    f.smccc_version = FW_VERSION(maj, min);
    if (!n)
        return;
    if (auto b = ynode_get(n, "busy_agents")) {
        r.seq(b, "firmware.busy_agents");
        if (b->count > FW_MAX_BUSY_AGENTS)
            r.fail(b, "firmware.busy_agents: at most " + std::to_string(FW_MAX_BUSY_AGENTS) +
                          " agents");
        for (size_t i = 0; i < b->count; ++i) {
            std::string w = "firmware.busy_agents[" + std::to_string(i) + "]";
            const ynode *a = r.map(b->items[i], w);
            r.check_keys(a, w, keys_of("firmware.busy_agents[]"));
            fw_busy_agent &ag = f.busy_agents[f.n_busy_agents++];
            ag.period_ps = ps(r.required(a, "period", w), w + ".period");
            ag.duration_ps = ps(r.required(a, "duration", w), w + ".duration");
            ag.phase_ps = 0;
            if (auto v = ynode_get(a, "phase"))
                ag.phase_ps = ps(v, w + ".phase");
            ag.cpu_mask = FW_ANY_CPU;
            if (auto v = ynode_get(a, "cpu"))
                ag.cpu_mask = cpu_mask(v, w + ".cpu");
            if (ag.period_ps == 0 || ag.duration_ps > ag.period_ps)
                r.fail(a, w + ": expected 0 < duration <= period");
        }
    }
    if (auto fl = ynode_get(n, "faults")) {
        r.seq(fl, "firmware.faults");
        for (size_t i = 0; i < fl->count; ++i)
            fault(fl->items[i], "firmware.faults[" + std::to_string(i) + "]");
    }
}

} // namespace cmosim::sim
