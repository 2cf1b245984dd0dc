/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fault plan: deliberate misbehaviour so that the provider's retry logic
 * and the stale-line checker can be seen to work (timing-model.md, "Firmware
 * behaviour knobs"). Every decision is a function of the configuration, the
 * call sequence and the seed, so a scenario replays identically.
 */
#include "fw_private.h"

/*
 * splitmix64: one 64-bit word of state, full period, and good enough
 * statistics for choosing which calls fail. Chosen over rand() because the
 * latter's sequence differs between C libraries.
 */
uint64_t fw_prng_next(uint64_t *state) {
    uint64_t z;

    *state += 0x9e3779b97f4a7c15ull;
    z = *state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static bool rule_matches_attempt(const struct fw_fault_rule *r, uint32_t attempt) {
    if (r->attempt_first == FW_FAULT_ANY_ATTEMPT) {
        return true;
    }
    if (attempt < r->attempt_first) {
        return false;
    }
    /* attempt_last 0 leaves the range open, like t_to_ps 0. */
    return r->attempt_last == 0 || attempt <= r->attempt_last;
}

static bool rule_matches_time(const struct fw_fault_rule *r, uint64_t t_ps) {
    if (t_ps < r->t_from_ps) {
        return false;
    }
    return r->t_to_ps == 0 || t_ps < r->t_to_ps;
}

int fw_fault_select(const struct fw_fault_rule *rules, unsigned n, uint64_t *prng,
                    const struct fw_fault_query *q) {
    for (unsigned i = 0; i < n; i++) {
        const struct fw_fault_rule *r = &rules[i];
        uint32_t rule_fid = r->fid & ~FW_FID_SVE_HINT_BIT;
        /* A rule aimed at some CPUs counts each CPU's calls on their own. */
        uint32_t attempt = r->cpu_mask == FW_ANY_CPU ? q->attempt : q->cpu_attempt;

        if (rule_fid != FW_FAULT_ANY_FID && rule_fid != q->fid) {
            continue;
        }
        if (!fw_cpu_selected(r->cpu_mask, q->cpu)) {
            continue;
        }
        if (!rule_matches_attempt(r, attempt) || !rule_matches_time(r, q->t_ps)) {
            continue;
        }
        if (r->probability_ppm == 0) {
            continue;
        }
        /*
         * Draw only for rules that would otherwise apply and are not
         * certain: adding an always-on rule or calls that no rule selects
         * must not shift the sequence seen by the probabilistic ones.
         */
        if (r->probability_ppm < FW_PPM && fw_prng_next(prng) % FW_PPM >= r->probability_ppm) {
            continue;
        }
        return (int)i;
    }
    return -1;
}

uint64_t fw_fault_partial_len(uint64_t len, uint32_t fraction_ppm, uint32_t line) {
    uint64_t part;

    if (fraction_ppm >= FW_PPM) {
        return len;
    }
    /* len x ppm / 10^6 without overflowing for ranges near 2^64. */
    part = len / FW_PPM * fraction_ppm + len % FW_PPM * fraction_ppm / FW_PPM;
    /*
     * Round down to whole lines: an engine that stops early stops at a line
     * boundary, and rounding down keeps the result a true under-flush.
     */
    if (line > 1) {
        part -= part % line;
    }
    return part;
}
