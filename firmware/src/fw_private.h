/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the firmware's translation units. Nothing here is part
 * of the contract in include/cmosim/fw/firmware.h.
 */
#ifndef CMOSIM_FW_PRIVATE_H
#define CMOSIM_FW_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmosim/fw/firmware.h"

#define FW_PS_PER_S 1000000000000ull
#define FW_PPM 1000000u

/*
 * Upper bound on the token bucket depth. The bucket counts in units of
 * (ps x calls/s) so that a refill lands on the exact picosecond; a depth of a
 * million tokens keeps that count below 2^64.
 */
#define FW_MAX_BURST 1000000u

/* limits.c ---------------------------------------------------------------- */

struct fw_token_bucket {
    uint32_t rate_per_s; /* 0: the limiter is off */
    uint64_t capacity;   /* burst x FW_PS_PER_S */
    uint64_t level;      /* same unit: one token is FW_PS_PER_S */
    uint64_t last_ps;
};

void fw_bucket_init(struct fw_token_bucket *b, uint32_t rate_per_s, uint32_t burst);
/* Is a token available at `now_ps`? Refills, never takes. */
bool fw_bucket_peek(struct fw_token_bucket *b, uint64_t now_ps);
/* Take a token if one is available at `now_ps`. */
bool fw_bucket_take(struct fw_token_bucket *b, uint64_t now_ps);

/* Does an agent that applies to `cpu` hold the engine at `now_ps`? */
bool fw_busy_agents_active(const struct fw_busy_agent *agents, unsigned n, unsigned cpu,
                           uint64_t now_ps);
/* Does `cpu_mask` (FW_ANY_CPU or a set of CPUs) take in `cpu`? */
bool fw_cpu_selected(uint64_t cpu_mask, unsigned cpu);

/* fault_plan.c ------------------------------------------------------------ */

uint64_t fw_prng_next(uint64_t *state);
/* The call a fault rule is matched against. */
struct fw_fault_query {
    uint32_t fid;
    unsigned cpu;
    uint32_t attempt;     /* among all CPUs' calls of fid */
    uint32_t cpu_attempt; /* among this CPU's calls of fid */
    uint64_t t_ps;
};

/* Index of the first rule that applies to this call, or -1. */
int fw_fault_select(const struct fw_fault_rule *rules, unsigned n, uint64_t *prng,
                    const struct fw_fault_query *q);
/* The part of a `len`-byte range a PARTIAL fault lets through, in whole lines. */
uint64_t fw_fault_partial_len(uint64_t len, uint32_t fraction_ppm, uint32_t line);

/* dispatch.c -------------------------------------------------------------- */

/* Calls of one FID: by every CPU (cpu FW_ALL_CPUS_COUNT) or by one CPU. */
#define FW_ALL_CPUS_COUNT (~0u)
struct fw_attempt_count {
    uint32_t fid;
    unsigned cpu;
    uint32_t count;
};

struct fw_agent {
    struct fw_config cfg;
    const struct fw_hal *hal;

    struct fw_token_bucket bucket;
    uint64_t prng;

    /*
     * The maintenance engine is held for the whole HAL flush. The HAL call
     * blocks the calling CPU in simulated time and lets other CPUs run, so
     * another CPU can enter fw_smc() meanwhile and must see the engine taken.
     */
    bool engine_in_flight;
    unsigned engine_owner;

    struct fw_attempt_count *attempts;
    size_t n_attempts;
    size_t cap_attempts;

    struct fw_call_record *log;
    size_t log_head; /* next slot to write */
    size_t log_count;

    struct fw_stats stats;
};

/* What one SMC carries through the service handlers. */
struct fw_call {
    unsigned cpu;
    uint32_t fid;                      /* w0 with the SVE hint cleared */
    uint64_t a[FW_SMC_REGS];           /* arguments, narrowed to 32 bits for SMC32 calls */
    uint64_t *x;                       /* the caller's registers, for results beyond x0 */
    const struct fw_fault_rule *fault; /* misbehaviour to apply to a flush */
    struct fw_flush_result flush;
};

typedef int32_t (*fw_handler_fn)(struct fw_agent *fw, struct fw_call *call);

/* One implemented call: read by both dispatch and SMCCC_ARCH_FEATURES. */
struct fw_svc_desc {
    uint32_t fid;
    fw_handler_fn handler;
    bool (*enabled)(const struct fw_agent *fw);
    int32_t (*features)(const struct fw_agent *fw);
};

/* The enabled row serving `fid` (as a caller would pass it in w0), or NULL. */
const struct fw_svc_desc *fw_svc_lookup(const struct fw_agent *fw, uint32_t fid);

uint64_t fw_now(const struct fw_agent *fw);
void fw_consume(const struct fw_agent *fw, uint64_t ps);

/* arch_svc.c -------------------------------------------------------------- */

int32_t fw_arch_version(struct fw_agent *fw, struct fw_call *call);
int32_t fw_arch_features(struct fw_agent *fw, struct fw_call *call);
int32_t fw_arch_soc_id(struct fw_agent *fw, struct fw_call *call);
int32_t fw_arch_clean_inv(struct fw_agent *fw, struct fw_call *call);
int32_t fw_arch_clean_inv_attributes(struct fw_agent *fw, struct fw_call *call);

bool fw_arch_always(const struct fw_agent *fw);
bool fw_arch_has_soc_id(const struct fw_agent *fw);
bool fw_arch_has_clean_inv(const struct fw_agent *fw);
bool fw_arch_has_attributes(const struct fw_agent *fw);

int32_t fw_arch_features_zero(const struct fw_agent *fw);
int32_t fw_arch_features_clean_inv(const struct fw_agent *fw);
int32_t fw_arch_features_attributes(const struct fw_agent *fw);

/* The break-even size both ATTRIBUTES x4 and the AUTO method use. */
uint64_t fw_arch_breakeven(const struct fw_agent *fw);

#endif
