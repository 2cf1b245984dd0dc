/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emulated EL3 firmware agent: an SMCCC dispatcher with the Arm
 * architecture service (SMCCC_VERSION, ARCH_FEATURES, CLEAN_INV_MEMREGION and
 * its ATTRIBUTES), a rate limiter, a busy state and a deterministic fault plan.
 *
 * The firmware knows nothing of SystemC. It reaches the platform only through
 * struct fw_hal, which the model (or a unit test's fake) implements. A call
 * runs on the calling CPU's thread: every cost the firmware incurs is charged
 * through hal->consume(), which advances that CPU's simulated time.
 *
 * Time is in picoseconds throughout (uint64_t: 213 days of simulated time).
 */
#ifndef CMOSIM_FW_FIRMWARE_H
#define CMOSIM_FW_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmosim/fw/smccc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FW_PS_PER_US 1000000ull

/* Which cache levels a flush must reach (misbehaviour can drop some). */
enum fw_level_bit {
    FW_LEVEL_L1 = 1u << 0,
    FW_LEVEL_L2 = 1u << 1,
    FW_LEVEL_SLC = 1u << 2,
    FW_LEVEL_ALL = FW_LEVEL_L1 | FW_LEVEL_L2 | FW_LEVEL_SLC,
};

struct fw_flush_opts {
    unsigned levels;     /* enum fw_level_bit mask to clean+invalidate */
    bool skip_writeback; /* drop dirty data instead of writing it back */
};

/* What a flush found and did, for the call log and the report. */
struct fw_flush_result {
    uint64_t lines_invalidated;
    uint64_t lines_written_back;
    uint64_t duration_ps;
};

/*
 * Platform ops (the HAL). Each flush blocks the calling CPU for as long as the
 * hardware takes and returns what it did. A NULL op means the platform lacks it.
 */
struct fw_hal {
    void *ctx;
    uint64_t (*now_ps)(void *ctx);
    /* Spend simulated time on the calling CPU (firmware bookkeeping, hangs). */
    void (*consume_ps)(void *ctx, uint64_t ps);
    /* Home-node flush engine: clean+invalidate [base, base + len) by PA. */
    void (*flush_range)(void *ctx, uint64_t base, uint64_t len, const struct fw_flush_opts *opts,
                        struct fw_flush_result *res);
    /* Clean+invalidate every cache in the system. */
    void (*flush_all)(void *ctx, const struct fw_flush_opts *opts, struct fw_flush_result *res);
    /* EL3 loop of DC CIVAC over each line of [base, base + len). */
    void (*flush_lines)(void *ctx, uint64_t base, uint64_t len, const struct fw_flush_opts *opts,
                        struct fw_flush_result *res);
    /* The model's own break-even size (bytes) between VA CMOs and the engine. */
    uint64_t (*breakeven_bytes)(void *ctx);
    uint32_t line_size;
};

enum fw_method {
    FW_METHOD_AUTO,   /* per-line walk below the break-even size, engine above */
    FW_METHOD_RANGE,  /* PA-range flush engine */
    FW_METHOD_GLOBAL, /* global flush of every level */
    FW_METHOD_LINES,  /* per-line walk at EL3 */
};

/* §6 of smccc-interface.md: where DEN0028 is silent, a choice per knob. */
struct fw_validation {
    bool strict_alignment;   /* unaligned base/length -> INVALID_PARAMETER (else round out) */
    bool zero_length_ok;     /* length 0 -> SUCCESS (else INVALID_PARAMETER) */
    bool all_ones_is_global; /* length ~0 -> global flush (else INVALID_PARAMETER) */
    bool wrap_ok;            /* base + length past 2^64 clipped (else INVALID_PARAMETER) */
    bool reserved_flags_ok;  /* unknown x3 bits ignored (else INVALID_PARAMETER) */
};

enum fw_fault_action {
    FW_FAULT_RETURN,         /* return `status` without doing anything */
    FW_FAULT_ADD_LATENCY,    /* do the call, plus `latency_ps` */
    FW_FAULT_HANG,           /* spend `latency_ps`, then return `status` */
    FW_FAULT_SKIP_LEVEL,     /* report SUCCESS but leave the levels in `levels` alone */
    FW_FAULT_SKIP_WRITEBACK, /* report SUCCESS but drop dirty data */
    FW_FAULT_PARTIAL,        /* report SUCCESS but flush only `fraction_ppm` of the range */
};

#define FW_FAULT_ANY_FID 0u
#define FW_FAULT_ANY_ATTEMPT 0u
/* A cpu_mask of 0 selects every CPU; bit n selects CPU n (CPUs 0..63). */
#define FW_ANY_CPU 0u
#define FW_CPU_BIT(cpu) (1ull << (cpu))

/* One rule of the fault plan; the first rule that matches a call applies. */
struct fw_fault_rule {
    uint32_t fid; /* FW_FAULT_ANY_FID or a function ID */
    /*
     * FW_ANY_CPU or the CPUs whose calls the rule selects. The attempt range
     * counts calls of the function by all CPUs when the mask is FW_ANY_CPU,
     * and by the calling CPU alone otherwise, so "CPU0's first three calls"
     * is not used up by CPU1's calls.
     */
    uint64_t cpu_mask;
    uint32_t attempt_first; /* 1-based call index range, 0 = any */
    uint32_t attempt_last;
    uint64_t t_from_ps; /* time window [from, to), to == 0: open */
    uint64_t t_to_ps;
    uint32_t probability_ppm; /* 1000000 = always */
    enum fw_fault_action action;
    int32_t status;
    uint64_t latency_ps;
    unsigned levels;
    uint32_t fraction_ppm;
};

/* A background agent (scrubber, patrol) holding the engine periodically. */
struct fw_busy_agent {
    uint64_t period_ps;
    uint64_t duration_ps;
    uint64_t phase_ps;
    uint64_t cpu_mask; /* FW_ANY_CPU, or the only CPUs whose calls see it */
};

#define FW_MAX_FAULT_RULES 32
#define FW_MAX_BUSY_AGENTS 8

struct fw_config {
    uint32_t smccc_version; /* FW_VERSION(1, 7) */
    bool has_clean_inv;     /* CLEAN_INV_MEMREGION and its ATTRIBUTES exist */
    bool has_attributes;    /* ATTRIBUTES alone can be removed to test the provider */
    bool has_soc_id;
    int32_t features_clean_inv; /* what ARCH_FEATURES answers when the ID exists (>= 0) */
    int32_t features_attributes;
    int32_t attributes_status; /* x0 of ATTRIBUTES */
    bool attr_global;          /* x1 bit 0 */
    uint32_t attr_latency_us;  /* x2 */
    uint32_t attr_rate_limit;  /* x3, calls per second (0: none advertised) */
    uint64_t attr_breakeven;   /* x4, bytes; 0 with attr_breakeven_from_model */
    bool attr_breakeven_from_model;
    enum fw_method method;
    struct fw_validation validation;
    /* Token bucket: refills at rate_per_s, holds at most burst tokens. */
    uint32_t rate_per_s; /* 0: not enforced */
    uint32_t burst;
    /* Costs charged to the calling CPU. */
    uint64_t entry_ps; /* trap into EL3 and return */
    uint64_t bookkeeping_ps;
    struct fw_busy_agent busy_agents[FW_MAX_BUSY_AGENTS];
    unsigned n_busy_agents;
    struct fw_fault_rule faults[FW_MAX_FAULT_RULES];
    unsigned n_faults;
    uint64_t seed;
    size_t log_capacity; /* call log entries kept (the count is always exact) */
};

/* Registers an SMC carries under SMCCC v1.2: x0 (the FID) and x1..x17. */
#define FW_SMC_REGS 18

/* One entry per SMC. */
struct fw_call_record {
    uint64_t t_start_ps;
    uint64_t duration_ps;
    unsigned cpu;
    uint32_t fid;
    uint64_t in[FW_SMC_REGS]; /* x0..x17 as passed */
    uint64_t out[5];          /* x0..x4 as returned */
    uint32_t attempt;         /* 1-based index among all CPUs' calls of this FID */
    uint32_t cpu_attempt;     /* 1-based index among this CPU's calls of this FID */
    int fault_rule;           /* index of the rule that applied, -1 if none */
    struct fw_flush_result flush;
};

struct fw_stats {
    uint64_t calls;
    uint64_t unknown;
    uint64_t clean_inv_calls;
    uint64_t clean_inv_success;
    uint64_t busy;
    uint64_t rate_limited;
    uint64_t invalid;
    uint64_t faults_applied;
};

struct fw_agent;

void fw_config_default(struct fw_config *cfg);

/* Returns NULL on allocation failure. The HAL is borrowed. */
struct fw_agent *fw_agent_create(const struct fw_config *cfg, const struct fw_hal *hal);
void fw_agent_destroy(struct fw_agent *fw);

/*
 * One SMC from `cpu`: x[0] is the FID, x[1..7] the arguments. On return
 * x[0..4] hold the results, as the hardware would leave them.
 */
void fw_smc(struct fw_agent *fw, unsigned cpu, uint64_t x[8]);
/*
 * The same with SMCCC v1.2's registers: x[1..17] are the arguments; on
 * return x[0..4] hold the results and x[5..17] are left as passed.
 */
void fw_smc_regs(struct fw_agent *fw, unsigned cpu, uint64_t x[FW_SMC_REGS]);

const struct fw_stats *fw_agent_stats(const struct fw_agent *fw);
size_t fw_agent_log_count(const struct fw_agent *fw);   /* entries kept */
uint64_t fw_agent_log_total(const struct fw_agent *fw); /* calls seen */
const struct fw_call_record *fw_agent_log_entry(const struct fw_agent *fw, size_t i);

const char *fw_status_name(int32_t status);
const char *fw_fid_name(uint32_t fid);
const char *fw_method_name(enum fw_method m);

#ifdef __cplusplus
}
#endif

#endif
