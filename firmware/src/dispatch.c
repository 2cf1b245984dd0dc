/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SMC entry point: function ID decoding, the table of implemented calls,
 * the per-call costs, the fault plan hook and the call log.
 *
 * As in TF-A's TRNG service, one table row per implemented call is the only
 * place that says a call exists, and both dispatch and SMCCC_ARCH_FEATURES
 * read it, so FEATURES can never claim a call that dispatch would refuse or
 * the other way round.
 */
#include <stdlib.h>
#include <string.h>

#include "fw_private.h"

static const struct fw_svc_desc fw_arch_svcs[] = {
    {FW_FID_SMCCC_VERSION, fw_arch_version, fw_arch_always, fw_arch_features_zero},
    {FW_FID_ARCH_FEATURES, fw_arch_features, fw_arch_always, fw_arch_features_zero},
    {FW_FID_ARCH_SOC_ID, fw_arch_soc_id, fw_arch_has_soc_id, fw_arch_features_zero},
    {FW_FID_CLEAN_INV_MEMREGION, fw_arch_clean_inv, fw_arch_has_clean_inv,
     fw_arch_features_clean_inv},
    {FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES, fw_arch_clean_inv_attributes, fw_arch_has_attributes,
     fw_arch_features_attributes},
};

void fw_config_default(struct fw_config *cfg) {
    memset(cfg, 0, sizeof(*cfg));
    cfg->smccc_version = FW_VERSION(1, 7);
    cfg->has_clean_inv = true;
    cfg->has_attributes = true;
    cfg->has_soc_id = false;
    cfg->features_clean_inv = 0;
    cfg->features_attributes = 0;
    cfg->attributes_status = FW_SUCCESS;
    cfg->attr_global = false;
    cfg->attr_latency_us = 2000;
    cfg->attr_rate_limit = 0;
    cfg->attr_breakeven = 0;
    cfg->attr_breakeven_from_model = true;
    cfg->method = FW_METHOD_AUTO;
    /* smccc-interface.md §6: the defaults where DEN0028 is silent. */
    cfg->validation.strict_alignment = false;
    cfg->validation.zero_length_ok = false;
    cfg->validation.all_ones_is_global = true;
    cfg->validation.wrap_ok = false;
    cfg->validation.reserved_flags_ok = false;
    cfg->rate_per_s = 0;
    cfg->burst = 1;
    cfg->entry_ps = 1 * FW_PS_PER_US;
    cfg->bookkeeping_ps = FW_PS_PER_US / 2;
    cfg->n_busy_agents = 0;
    cfg->n_faults = 0;
    cfg->seed = 1;
    cfg->log_capacity = 4096;
}

struct fw_agent *fw_agent_create(const struct fw_config *cfg, const struct fw_hal *hal) {
    struct fw_agent *fw;

    if (cfg == NULL || hal == NULL) {
        return NULL;
    }
    fw = calloc(1, sizeof(*fw));
    if (fw == NULL) {
        return NULL;
    }
    fw->cfg = *cfg;
    fw->hal = hal;
    if (fw->cfg.n_faults > FW_MAX_FAULT_RULES) {
        fw->cfg.n_faults = FW_MAX_FAULT_RULES;
    }
    if (fw->cfg.n_busy_agents > FW_MAX_BUSY_AGENTS) {
        fw->cfg.n_busy_agents = FW_MAX_BUSY_AGENTS;
    }
    fw_bucket_init(&fw->bucket, fw->cfg.rate_per_s, fw->cfg.burst);
    fw->prng = fw->cfg.seed;
    if (fw->cfg.log_capacity != 0) {
        fw->log = calloc(fw->cfg.log_capacity, sizeof(*fw->log));
        if (fw->log == NULL) {
            free(fw);
            return NULL;
        }
    }
    return fw;
}

void fw_agent_destroy(struct fw_agent *fw) {
    if (fw == NULL) {
        return;
    }
    free(fw->attempts);
    free(fw->log);
    free(fw);
}

uint64_t fw_now(const struct fw_agent *fw) {
    return fw->hal->now_ps != NULL ? fw->hal->now_ps(fw->hal->ctx) : 0;
}

void fw_consume(const struct fw_agent *fw, uint64_t ps) {
    if (ps != 0 && fw->hal->consume_ps != NULL) {
        fw->hal->consume_ps(fw->hal->ctx, ps);
    }
}

/*
 * DEN0028 §2.5: bit 31 selects fast calls, bits 23:17 must be zero in a fast
 * call, bit 16 is the SMCCC 1.3 SVE-state hint, which says nothing about which
 * function is meant and so is ignored. Everything implemented here is a fast
 * call of the Arm architecture service (owner 0), so a yielding call, a set
 * reserved bit or another owner is simply an unknown function.
 */
const struct fw_svc_desc *fw_svc_lookup(const struct fw_agent *fw, uint32_t fid) {
    uint32_t owner = (fid >> FW_FID_OWNER_SHIFT) & FW_FID_OWNER_MASK;

    if ((fid & FW_FID_FAST_BIT) == 0 || (fid & FW_FID_RESERVED_MASK) != 0 ||
        owner != FW_OWNER_ARCH) {
        return NULL;
    }
    fid &= ~FW_FID_SVE_HINT_BIT;
    for (size_t i = 0; i < sizeof(fw_arch_svcs) / sizeof(fw_arch_svcs[0]); i++) {
        if (fw_arch_svcs[i].fid == fid && fw_arch_svcs[i].enabled(fw)) {
            return &fw_arch_svcs[i];
        }
    }
    return NULL;
}

/*
 * Call indices for the fault plan, one counter per FID for all CPUs (cpu
 * FW_ALL_CPUS_COUNT) and one per CPU and FID. The set of FIDs and CPUs a run
 * sees is tiny, so a linear list is enough. If it cannot grow, the call gets
 * index 0, which no attempt range selects: the plan degrades, the firmware
 * keeps working.
 */
static uint32_t count_attempt(struct fw_agent *fw, uint32_t fid, unsigned cpu) {
    for (size_t i = 0; i < fw->n_attempts; i++) {
        if (fw->attempts[i].fid == fid && fw->attempts[i].cpu == cpu) {
            return ++fw->attempts[i].count;
        }
    }
    if (fw->n_attempts == fw->cap_attempts) {
        size_t cap = fw->cap_attempts ? fw->cap_attempts * 2 : 8;
        struct fw_attempt_count *p = realloc(fw->attempts, cap * sizeof(*p));

        if (p == NULL) {
            return 0;
        }
        fw->attempts = p;
        fw->cap_attempts = cap;
    }
    fw->attempts[fw->n_attempts].fid = fid;
    fw->attempts[fw->n_attempts].cpu = cpu;
    fw->attempts[fw->n_attempts].count = 1;
    fw->n_attempts++;
    return 1;
}

static void log_append(struct fw_agent *fw, const struct fw_call_record *rec) {
    size_t cap = fw->cfg.log_capacity;

    if (cap == 0) {
        return;
    }
    fw->log[fw->log_head] = *rec;
    fw->log_head = (fw->log_head + 1) % cap;
    if (fw->log_count < cap) {
        fw->log_count++;
    }
}

static void count_status(struct fw_stats *st, uint32_t fid, int32_t status) {
    if (fid == FW_FID_CLEAN_INV_MEMREGION) {
        st->clean_inv_calls++;
        if (status == FW_SUCCESS) {
            st->clean_inv_success++;
        }
    }
    switch (status) {
    case FW_BUSY:
        st->busy++;
        break;
    case FW_RATE_LIMITED:
        st->rate_limited++;
        break;
    case FW_INVALID_PARAMETER:
        st->invalid++;
        break;
    default:
        break;
    }
}

void fw_smc(struct fw_agent *fw, unsigned cpu, uint64_t x[8]) {
    uint64_t regs[FW_SMC_REGS] = {0};

    memcpy(regs, x, 8 * sizeof(x[0]));
    fw_smc_regs(fw, cpu, regs);
    memcpy(x, regs, 8 * sizeof(x[0]));
}

void fw_smc_regs(struct fw_agent *fw, unsigned cpu, uint64_t x[FW_SMC_REGS]) {
    struct fw_call_record rec;
    struct fw_call call;
    struct fw_fault_query query;
    const struct fw_svc_desc *svc;
    const struct fw_fault_rule *rule = NULL;
    uint32_t w0 = (uint32_t)x[0];
    bool smc64 = (w0 & FW_FID_SMC64_BIT) != 0;
    int32_t status;

    memset(&rec, 0, sizeof(rec));
    memset(&call, 0, sizeof(call));
    rec.t_start_ps = fw_now(fw);
    rec.cpu = cpu;
    rec.fid = w0;
    memcpy(rec.in, x, sizeof(rec.in));

    call.cpu = cpu;
    call.fid = w0 & ~FW_FID_SVE_HINT_BIT;
    call.x = x;
    /*
     * DEN0028's SMC32 convention passes arguments in w registers, so
     * whatever the caller left in the upper halves means nothing. The FID
     * itself is always w0.
     */
    call.a[0] = w0;
    for (int i = 1; i < FW_SMC_REGS; i++) {
        call.a[i] = smc64 ? x[i] : (uint32_t)x[i];
    }

    fw->stats.calls++;
    rec.attempt = count_attempt(fw, call.fid, FW_ALL_CPUS_COUNT);
    rec.cpu_attempt = count_attempt(fw, call.fid, cpu);
    /* Every SMC pays the trap into EL3 and the dispatcher's bookkeeping. */
    fw_consume(fw, fw->cfg.entry_ps + fw->cfg.bookkeeping_ps);

    /* Fault windows are matched against the time the SMC was issued. */
    query.fid = call.fid;
    query.cpu = cpu;
    query.attempt = rec.attempt;
    query.cpu_attempt = rec.cpu_attempt;
    query.t_ps = rec.t_start_ps;
    rec.fault_rule = fw_fault_select(fw->cfg.faults, fw->cfg.n_faults, &fw->prng, &query);
    if (rec.fault_rule >= 0) {
        rule = &fw->cfg.faults[rec.fault_rule];
        fw->stats.faults_applied++;
    }

    svc = fw_svc_lookup(fw, w0);
    if (svc == NULL) {
        fw->stats.unknown++;
    }

    if (rule != NULL && (rule->action == FW_FAULT_RETURN || rule->action == FW_FAULT_HANG)) {
        /* The call is answered before the service sees it: nothing is done. */
        if (rule->action == FW_FAULT_HANG) {
            fw_consume(fw, rule->latency_ps);
        }
        status = rule->status;
    } else {
        if (rule != NULL && rule->action == FW_FAULT_ADD_LATENCY) {
            fw_consume(fw, rule->latency_ps);
        } else {
            call.fault = rule;
        }
        /* TF-A's SMC_UNK: an unknown function answers -1 and changes nothing else. */
        status = svc != NULL ? svc->handler(fw, &call) : FW_NOT_SUPPORTED;
    }

    /*
     * The status is a signed 32-bit value (DEN0028 §7). It is written
     * sign-extended to all of x0 for SMC32 and SMC64 calls alike: an SMC64
     * caller reads x0 and must see a negative number, an SMC32 caller reads
     * only w0, which is the same either way.
     */
    x[0] = (uint64_t)(int64_t)status;
    count_status(&fw->stats, call.fid, status);

    memcpy(rec.out, x, sizeof(rec.out));
    rec.flush = call.flush;
    rec.duration_ps = fw_now(fw) - rec.t_start_ps;
    log_append(fw, &rec);
}

const struct fw_stats *fw_agent_stats(const struct fw_agent *fw) {
    return &fw->stats;
}

size_t fw_agent_log_count(const struct fw_agent *fw) {
    return fw->log_count;
}

uint64_t fw_agent_log_total(const struct fw_agent *fw) {
    return fw->stats.calls;
}

/* Entry 0 is the oldest call still kept. */
const struct fw_call_record *fw_agent_log_entry(const struct fw_agent *fw, size_t i) {
    size_t cap = fw->cfg.log_capacity;

    if (i >= fw->log_count) {
        return NULL;
    }
    return &fw->log[(fw->log_head + cap - fw->log_count + i) % cap];
}

const char *fw_status_name(int32_t status) {
    switch (status) {
    case FW_SUCCESS:
        return "SUCCESS";
    case FW_NOT_SUPPORTED:
        return "NOT_SUPPORTED";
    case FW_NOT_REQUIRED:
        return "NOT_REQUIRED";
    case FW_INVALID_PARAMETER:
        return "INVALID_PARAMETER";
    case FW_RATE_LIMITED:
        return "RATE_LIMITED";
    case FW_BUSY:
        return "BUSY";
    default:
        return "UNKNOWN_STATUS";
    }
}

const char *fw_fid_name(uint32_t fid) {
    switch (fid & ~FW_FID_SVE_HINT_BIT) {
    case FW_FID_SMCCC_VERSION:
        return "SMCCC_VERSION";
    case FW_FID_ARCH_FEATURES:
        return "SMCCC_ARCH_FEATURES";
    case FW_FID_ARCH_SOC_ID:
        return "SMCCC_ARCH_SOC_ID";
    case FW_FID_CLEAN_INV_MEMREGION:
        return "SMCCC_ARCH_CLEAN_INV_MEMREGION";
    case FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES:
        return "SMCCC_ARCH_CLEAN_INV_MEMREGION_ATTRIBUTES";
    default:
        return "UNKNOWN_FID";
    }
}

const char *fw_method_name(enum fw_method m) {
    switch (m) {
    case FW_METHOD_AUTO:
        return "auto";
    case FW_METHOD_RANGE:
        return "range";
    case FW_METHOD_GLOBAL:
        return "global";
    case FW_METHOD_LINES:
        return "lines";
    default:
        return "unknown";
    }
}
