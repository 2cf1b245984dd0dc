/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Arm architecture service (owner 0): SMCCC_VERSION, SMCCC_ARCH_FEATURES,
 * SMCCC_ARCH_SOC_ID and the DEN0028 v1.7 cache maintenance pair
 * CLEAN_INV_MEMREGION / CLEAN_INV_MEMREGION_ATTRIBUTES
 * (smccc-interface.md §1). Each handler returns the status for w0; the
 * dispatcher writes it back.
 */
#include "fw_private.h"

/* Which HAL operation serves a flush. */
enum fw_flush_op {
    FW_OP_LINES,
    FW_OP_RANGE,
    FW_OP_ALL,
};

#define FW_N_OPS 3

/* The target of one CLEAN_INV_MEMREGION after validation. */
struct fw_flush_target {
    uint64_t base;
    uint64_t len;
    bool global; /* everything: the all-ones length or a range covering 2^64 */
};

bool fw_arch_always(const struct fw_agent *fw) {
    (void)fw;
    return true;
}

bool fw_arch_has_soc_id(const struct fw_agent *fw) {
    return fw->cfg.has_soc_id;
}

bool fw_arch_has_clean_inv(const struct fw_agent *fw) {
    return fw->cfg.has_clean_inv;
}

/*
 * ATTRIBUTES is mandatory whenever CLEAN_INV_MEMREGION exists
 * (smccc-interface.md §1); has_attributes can still remove it so that the
 * provider's refusal to start without it can be tested.
 */
bool fw_arch_has_attributes(const struct fw_agent *fw) {
    return fw->cfg.has_clean_inv && fw->cfg.has_attributes;
}

int32_t fw_arch_features_zero(const struct fw_agent *fw) {
    (void)fw;
    return FW_SUCCESS;
}

/* smccc-interface.md §6: whether FEATURES reports positive flags for these IDs is a knob. */
int32_t fw_arch_features_clean_inv(const struct fw_agent *fw) {
    return fw->cfg.features_clean_inv;
}

int32_t fw_arch_features_attributes(const struct fw_agent *fw) {
    return fw->cfg.features_attributes;
}

uint64_t fw_arch_breakeven(const struct fw_agent *fw) {
    if (fw->cfg.attr_breakeven_from_model && fw->hal->breakeven_bytes != NULL) {
        return fw->hal->breakeven_bytes(fw->hal->ctx);
    }
    return fw->cfg.attr_breakeven;
}

int32_t fw_arch_version(struct fw_agent *fw, struct fw_call *call) {
    (void)call;
    return (int32_t)fw->cfg.smccc_version;
}

/*
 * The answer comes from the same table dispatch uses, so a call FEATURES
 * calls implemented is exactly a call dispatch serves (including
 * SMCCC_VERSION itself, which every SMCCC >= 1.1 firmware serves).
 */
int32_t fw_arch_features(struct fw_agent *fw, struct fw_call *call) {
    const struct fw_svc_desc *svc = fw_svc_lookup(fw, (uint32_t)call->a[1]);

    if (svc == NULL) {
        return FW_NOT_SUPPORTED;
    }
    return svc->features(fw);
}

/*
 * SoC_ID_type 0 (version) and 1 (revision). The simulated SoC has no JEP-106
 * identity, so both read as 0; other types (the SMC64 name query of later
 * SMCCC revisions included) are invalid parameters.
 */
int32_t fw_arch_soc_id(struct fw_agent *fw, struct fw_call *call) {
    (void)fw;
    switch ((uint32_t)call->a[1]) {
    case 0:
    case 1:
        return 0;
    default:
        return FW_INVALID_PARAMETER;
    }
}

/*
 * x1..x4 are written even when the configured status is an error: real
 * firmware leaves something there too, and a caller that reads them without
 * checking x0 first is the bug this makes visible. Linux sees only x0..x3
 * (struct arm_smccc_res), so x4 is informational (smccc-interface.md §1).
 */
int32_t fw_arch_clean_inv_attributes(struct fw_agent *fw, struct fw_call *call) {
    call->x[1] = fw->cfg.attr_global ? FW_ATTR_FLAG_GLOBAL : 0;
    call->x[2] = fw->cfg.attr_latency_us;
    call->x[3] = fw->cfg.attr_rate_limit;
    call->x[4] = fw_arch_breakeven(fw);
    return fw->cfg.attributes_status;
}

/*
 * §6 of smccc-interface.md: DEN0028 does not say what to do with ranges that
 * wrap or are not line aligned; each is a knob. Called with 0 < len < ~0.
 */
static int32_t shape_range(const struct fw_validation *v, uint32_t line, uint64_t base,
                           uint64_t len, struct fw_flush_target *t) {
    uint64_t first;
    uint64_t last;
    uint64_t up;

    /* A range ending exactly at 2^64 does not wrap; one byte more does. */
    if (base != 0 && len > 0 - base) {
        if (!v->wrap_ok) {
            return FW_INVALID_PARAMETER;
        }
        len = 0 - base;
    }
    if ((base % line != 0 || len % line != 0) && v->strict_alignment) {
        return FW_INVALID_PARAMETER;
    }
    /*
     * Rounding outward can only flush more than asked, never less: a partly
     * covered line may hold bytes of the range.
     */
    first = base - base % line;
    last = base + (len - 1);
    up = line - 1 - last % line;
    last = UINT64_MAX - last < up ? UINT64_MAX : last + up;
    if (first == 0 && last == UINT64_MAX) {
        /* 2^64 bytes cannot be expressed as a length: that is everything. */
        t->global = true;
        return FW_SUCCESS;
    }
    t->base = first;
    t->len = last - first + 1;
    return FW_SUCCESS;
}

static int32_t validate(const struct fw_agent *fw, const struct fw_call *call,
                        struct fw_flush_target *t) {
    const struct fw_validation *v = &fw->cfg.validation;
    uint32_t line = fw->hal->line_size != 0 ? fw->hal->line_size : 1;
    uint64_t base = call->a[1];
    uint64_t len = call->a[2];
    uint64_t flags = call->a[3];

    t->base = base;
    t->len = len;
    t->global = false;
    if ((flags & ~(uint64_t)FW_CLEAN_INV_FLAGS_DEFINED) != 0 && !v->reserved_flags_ok) {
        return FW_INVALID_PARAMETER;
    }
    if (len == 0) {
        return v->zero_length_ok ? FW_SUCCESS : FW_INVALID_PARAMETER;
    }
    /*
     * Linux's cpu_cache_invalidate_all() passes (0, -1) (smccc-interface.md
     * §3), meaning "everything", whatever the base.
     */
    if (len == UINT64_MAX) {
        if (!v->all_ones_is_global) {
            return FW_INVALID_PARAMETER;
        }
        t->global = true;
        return FW_SUCCESS;
    }
    return shape_range(v, line, base, len, t);
}

/*
 * The engine is busy while another caller's flush is in progress or a
 * background agent that applies to the calling CPU holds it. The same CPU
 * cannot be inside a flush and issue an SMC at once, so any in-flight flush
 * means another caller.
 */
static bool engine_busy(const struct fw_agent *fw, unsigned cpu, uint64_t now_ps) {
    return fw->engine_in_flight ||
           fw_busy_agents_active(fw->cfg.busy_agents, fw->cfg.n_busy_agents, cpu, now_ps);
}

static enum fw_flush_op choose_op(const struct fw_agent *fw, const struct fw_flush_target *t) {
    if (t->global) {
        return FW_OP_ALL;
    }
    switch (fw->cfg.method) {
    case FW_METHOD_RANGE:
        return FW_OP_RANGE;
    case FW_METHOD_GLOBAL:
        return FW_OP_ALL;
    case FW_METHOD_LINES:
        return FW_OP_LINES;
    case FW_METHOD_AUTO:
    default:
        /* timing-model.md: below the break-even size a per-line walk is cheaper. */
        return t->len < fw_arch_breakeven(fw) ? FW_OP_LINES : FW_OP_RANGE;
    }
}

/* Issue `op` if the platform has it; false if it does not. */
static bool try_op(const struct fw_agent *fw, enum fw_flush_op op, const struct fw_flush_target *t,
                   const struct fw_flush_opts *opts, struct fw_flush_result *res) {
    const struct fw_hal *hal = fw->hal;
    uint32_t line = hal->line_size != 0 ? hal->line_size : 1;

    switch (op) {
    case FW_OP_LINES:
        /* A per-line walk over the whole address space would never end. */
        if (hal->flush_lines == NULL || t->global) {
            return false;
        }
        hal->flush_lines(hal->ctx, t->base, t->len, opts, res);
        return true;
    case FW_OP_RANGE:
        if (hal->flush_range == NULL) {
            return false;
        }
        if (t->global) {
            /* The widest range a length can express: [0, 2^64 - line). */
            hal->flush_range(hal->ctx, 0, 0 - (uint64_t)line, opts, res);
        } else {
            hal->flush_range(hal->ctx, t->base, t->len, opts, res);
        }
        return true;
    case FW_OP_ALL:
        if (hal->flush_all == NULL) {
            return false;
        }
        hal->flush_all(hal->ctx, opts, res);
        return true;
    }
    return false;
}

/*
 * A platform lacking the preferred operation is served by the next one that
 * still covers the range: the range engine, then a global flush, and a
 * per-line walk only as the last resort.
 */
static int32_t run_flush(const struct fw_agent *fw, enum fw_flush_op op,
                         const struct fw_flush_target *t, const struct fw_flush_opts *opts,
                         struct fw_flush_result *res) {
    static const enum fw_flush_op order[FW_N_OPS][FW_N_OPS] = {
        [FW_OP_LINES] = {FW_OP_LINES, FW_OP_RANGE, FW_OP_ALL},
        [FW_OP_RANGE] = {FW_OP_RANGE, FW_OP_ALL, FW_OP_LINES},
        [FW_OP_ALL] = {FW_OP_ALL, FW_OP_RANGE, FW_OP_LINES},
    };

    for (int i = 0; i < FW_N_OPS; i++) {
        if (try_op(fw, order[op][i], t, opts, res)) {
            return FW_SUCCESS;
        }
    }
    return FW_NOT_SUPPORTED;
}

/*
 * CLEAN_INV_MEMREGION (smccc-interface.md §1): validate, then the rate
 * limiter, then the busy check, then the flush. RATE_LIMITED and BUSY mean
 * nothing was done. A call that passes the limiter and then finds the engine
 * busy has still spent its token: the advertised limit counts calls, not
 * completed flushes.
 */
int32_t fw_arch_clean_inv(struct fw_agent *fw, struct fw_call *call) {
    const struct fw_fault_rule *fault = call->fault;
    uint32_t line = fw->hal->line_size != 0 ? fw->hal->line_size : 1;
    struct fw_flush_opts opts = {.levels = FW_LEVEL_ALL, .skip_writeback = false};
    struct fw_flush_target t;
    enum fw_flush_op op;
    uint64_t now;
    int32_t status;

    status = validate(fw, call, &t);
    if (status != FW_SUCCESS || t.len == 0) {
        /* len 0 with zero_length_ok: nothing to do, nothing to wait for. */
        return status;
    }

    now = fw_now(fw);
    if ((call->a[3] & FW_CLEAN_INV_FLAG_DRYRUN) != 0) {
        /*
         * A probe answers what a real call would get now without changing
         * that answer, so it takes no token.
         */
        if (!fw_bucket_peek(&fw->bucket, now)) {
            return FW_RATE_LIMITED;
        }
        return engine_busy(fw, call->cpu, now) ? FW_BUSY : FW_SUCCESS;
    }
    if (!fw_bucket_take(&fw->bucket, now)) {
        return FW_RATE_LIMITED;
    }
    if (engine_busy(fw, call->cpu, now)) {
        return FW_BUSY;
    }

    op = choose_op(fw, &t);
    if (fault != NULL) {
        switch (fault->action) {
        case FW_FAULT_SKIP_LEVEL:
            opts.levels &= ~fault->levels;
            break;
        case FW_FAULT_SKIP_WRITEBACK:
            opts.skip_writeback = true;
            break;
        case FW_FAULT_PARTIAL:
            /* A global flush has no range to cut short: it is skipped whole. */
            if (t.global) {
                return FW_SUCCESS;
            }
            t.len = fw_fault_partial_len(t.len, fault->fraction_ppm, line);
            if (t.len == 0) {
                return FW_SUCCESS;
            }
            /* Stopping "part way" only means something for a range. */
            if (op == FW_OP_ALL) {
                op = FW_OP_RANGE;
            }
            break;
        default:
            break;
        }
    }

    fw->engine_in_flight = true;
    fw->engine_owner = call->cpu;
    status = run_flush(fw, op, &t, &opts, &call->flush);
    fw->engine_in_flight = false;
    return status;
}
