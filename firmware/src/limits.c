/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two reasons CLEAN_INV_MEMREGION may refuse a well-formed call without
 * doing anything: RATE_LIMITED (-4) and BUSY (-5), both new in DEN0028 v1.7
 * and both transient (smccc-interface.md §1, §2). DEN0028 leaves their policy
 * to the implementation; these are the simulator's models of it
 * (timing-model.md, "Firmware behaviour knobs").
 */
#include "fw_private.h"

void fw_bucket_init(struct fw_token_bucket *b, uint32_t rate_per_s, uint32_t burst) {
    /*
     * A bucket that can never hold a token would refuse every call forever,
     * which no configuration means; treat a depth of 0 as 1.
     */
    if (burst == 0) {
        burst = 1;
    }
    if (burst > FW_MAX_BURST) {
        burst = FW_MAX_BURST;
    }
    b->rate_per_s = rate_per_s;
    b->capacity = (uint64_t)burst * FW_PS_PER_S;
    /* Firmware boots with a full bucket: the first `burst` calls always pass. */
    b->level = b->capacity;
    b->last_ps = 0;
}

/*
 * One token is FW_PS_PER_S units and each elapsed picosecond adds rate_per_s
 * units, so the token after a drained one appears exactly 1/rate seconds
 * later, whatever the rate, with no rounding drift between refills.
 */
static void bucket_refill(struct fw_token_bucket *b, uint64_t now_ps) {
    uint64_t elapsed;
    uint64_t room;

    /*
     * CPUs running ahead of each other in simulated time (temporal
     * decoupling) may present an earlier time than the last call; never
     * take credit back for that, just wait for time to catch up.
     */
    if (now_ps <= b->last_ps) {
        return;
    }
    elapsed = now_ps - b->last_ps;
    b->last_ps = now_ps;
    room = b->capacity - b->level;
    if (elapsed > room / b->rate_per_s) {
        b->level = b->capacity;
    } else {
        b->level += elapsed * b->rate_per_s;
    }
}

bool fw_bucket_peek(struct fw_token_bucket *b, uint64_t now_ps) {
    if (b->rate_per_s == 0) {
        return true;
    }
    bucket_refill(b, now_ps);
    return b->level >= FW_PS_PER_S;
}

bool fw_bucket_take(struct fw_token_bucket *b, uint64_t now_ps) {
    if (!fw_bucket_peek(b, now_ps)) {
        return false;
    }
    if (b->rate_per_s != 0) {
        b->level -= FW_PS_PER_S;
    }
    return true;
}

/*
 * A background agent (patrol scrubber, another firmware service) holds the
 * engine for duration_ps out of every period_ps, starting at phase_ps. The
 * pattern extends to times before phase_ps too, so an agent is a pure
 * function of time and needs no state.
 */
bool fw_cpu_selected(uint64_t cpu_mask, unsigned cpu) {
    if (cpu_mask == FW_ANY_CPU) {
        return true;
    }
    return cpu < 64 && (cpu_mask & FW_CPU_BIT(cpu)) != 0;
}

bool fw_busy_agents_active(const struct fw_busy_agent *agents, unsigned n, unsigned cpu,
                           uint64_t now_ps) {
    for (unsigned i = 0; i < n; i++) {
        const struct fw_busy_agent *a = &agents[i];
        uint64_t t;
        uint64_t p;
        uint64_t pos;

        if (a->period_ps == 0 || a->duration_ps == 0 || !fw_cpu_selected(a->cpu_mask, cpu)) {
            continue;
        }
        if (a->duration_ps >= a->period_ps) {
            return true;
        }
        t = now_ps % a->period_ps;
        p = a->phase_ps % a->period_ps;
        pos = t >= p ? t - p : t + (a->period_ps - p);
        if (pos < a->duration_ps) {
            return true;
        }
    }
    return false;
}
