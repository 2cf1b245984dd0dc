// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the firmware's register interface. The input chooses a
// firmware configuration (validation knobs, method, rate limiter, busy agents,
// fault plan, call log size), a fake platform (line size, which HAL ops exist,
// what each costs) and then a sequence of SMCs with arbitrary x0..x7 from
// arbitrary CPUs, time jumps, and SMCs issued by "another CPU" while a flush
// is in progress. Besides the sanitizers, the fake HAL checks what the
// firmware promises the platform:
//   - a range flush or line walk is never empty, never wraps past 2^64 and is
//     whole lines (the platform's line size);
//   - a line walk is never asked for "everything";
//   - x0 comes back as a sign-extended 32-bit status;
//   - the call log never holds more than its capacity, and the call count is
//     exact.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cmosim/fw/firmware.h"

namespace {

// Consumes the fuzzer's bytes front to back; zeros once they run out.
class Bytes {
public:
    Bytes(const uint8_t *d, size_t n) : m_d(d), m_n(n) {}
    bool empty() const { return m_n == 0; }
    uint8_t u8() {
        if (m_n == 0)
            return 0;
        --m_n;
        return *m_d++;
    }
    uint16_t u16() { return static_cast<uint16_t>(u8() | u8() << 8); }
    uint32_t u32() { return static_cast<uint32_t>(u16()) | static_cast<uint32_t>(u16()) << 16; }
    uint64_t u64() { return static_cast<uint64_t>(u32()) | static_cast<uint64_t>(u32()) << 32; }
    bool flag() { return u8() & 1; }

    // A register value: raw bits, or a value from the edges where the
    // validation knobs decide (0, all ones, near 2^64, line multiples).
    uint64_t reg(uint32_t line) {
        switch (u8() % 8) {
        case 0:
            return 0;
        case 1:
            return ~0ull;
        case 2:
            return ~0ull - u8();
        case 3:
            return static_cast<uint64_t>(u16()) * line;
        case 4:
            return 1ull << (u8() % 64);
        case 5:
            return u8();
        default:
            return u64();
        }
    }

private:
    const uint8_t *m_d;
    size_t m_n;
};

[[noreturn]] void finding(const char *what, uint64_t a, uint64_t b) {
    std::fprintf(stderr, "fuzz_smc: %s (0x%llx, 0x%llx)\n", what, (unsigned long long)a,
                 (unsigned long long)b);
    std::abort();
}

const uint32_t kFids[] = {FW_FID_SMCCC_VERSION, FW_FID_ARCH_FEATURES, FW_FID_ARCH_SOC_ID,
                          FW_FID_CLEAN_INV_MEMREGION, FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES};

struct Platform {
    fw_hal hal{};
    fw_agent *fw = nullptr;
    Bytes *in = nullptr;
    uint64_t now = 0;
    uint64_t op_ps = 0;
    uint64_t breakeven = 0;
    uint64_t smcs = 0;
    int nested_budget = 0;
    int depth = 0;

    uint32_t line() const { return hal.line_size ? hal.line_size : 1; }

    void check_range(uint64_t base, uint64_t len) {
        if (len == 0)
            finding("empty flush", base, len);
        if (base > ~0ull - (len - 1))
            finding("flush wraps past 2^64", base, len);
        if (base % line() || len % line())
            finding("flush is not whole lines", base, len);
    }

    void flush(fw_flush_result *res) {
        now += op_ps;
        // The CPU is blocked in the flush: another CPU may call meanwhile.
        if (nested_budget > 0 && depth == 0 && in->flag()) {
            --nested_budget;
            ++depth;
            call();
            --depth;
        }
        res->lines_invalidated = in->u8();
        res->lines_written_back = in->u8();
        res->duration_ps = op_ps;
    }

    void call() {
        uint64_t x[8];
        uint8_t how = in->u8();
        uint32_t fid = (how & 1) ? kFids[in->u8() % 5] : in->u32();
        if (how & 2)
            fid ^= FW_FID_SVE_HINT_BIT;
        if (how & 4)
            fid ^= FW_FID_SMC64_BIT;
        // Upper 32 bits of x0 are not part of the FID and must be ignored.
        x[0] = (how & 8) ? (static_cast<uint64_t>(in->u32()) << 32 | fid) : fid;
        for (int i = 1; i < 8; ++i)
            x[i] = in->reg(line());
        unsigned cpu = in->u8();
        ++smcs;
        fw_smc(fw, cpu, x);
        if (x[0] != static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(x[0]))))
            finding("x0 is not a sign-extended 32-bit status", x[0], fid);
    }

    static Platform *self(void *ctx) { return static_cast<Platform *>(ctx); }
    static uint64_t now_ps(void *ctx) { return self(ctx)->now; }
    static void consume_ps(void *ctx, uint64_t ps) { self(ctx)->now += ps; }
    static void flush_range(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *,
                            fw_flush_result *res) {
        self(ctx)->check_range(base, len);
        self(ctx)->flush(res);
    }
    static void flush_all(void *ctx, const fw_flush_opts *, fw_flush_result *res) {
        self(ctx)->flush(res);
    }
    static void flush_lines(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *,
                            fw_flush_result *res) {
        self(ctx)->check_range(base, len);
        self(ctx)->flush(res);
    }
    static uint64_t breakeven_bytes(void *ctx) { return self(ctx)->breakeven; }
};

void configure(Bytes &in, fw_config &c) {
    fw_config_default(&c);
    uint8_t f = in.u8();
    if (f & 1)
        c.smccc_version = in.u32();
    c.has_clean_inv = !(f & 2);
    c.has_attributes = !(f & 4);
    c.has_soc_id = f & 8;
    if (f & 16) {
        c.features_clean_inv = static_cast<int32_t>(in.u32());
        c.features_attributes = static_cast<int32_t>(in.u32());
        c.attributes_status = static_cast<int32_t>(in.u32());
    }
    c.attr_global = f & 32;
    c.attr_breakeven_from_model = !(f & 64);
    c.attr_breakeven = in.u64();
    c.method = static_cast<fw_method>(in.u8() % 4);
    uint8_t v = in.u8();
    c.validation.strict_alignment = v & 1;
    c.validation.zero_length_ok = v & 2;
    c.validation.all_ones_is_global = v & 4;
    c.validation.wrap_ok = v & 8;
    c.validation.reserved_flags_ok = v & 16;
    if (v & 32) {
        c.rate_per_s = in.u32();
        c.burst = in.u32();
    }
    if (v & 64) {
        c.entry_ps = in.u64();
        c.bookkeeping_ps = in.u64();
    }
    // Counts beyond the arrays are clamped by fw_agent_create: try them too.
    c.n_busy_agents = in.u8() % (FW_MAX_BUSY_AGENTS + 4);
    for (unsigned i = 0; i < FW_MAX_BUSY_AGENTS && i < c.n_busy_agents; ++i)
        c.busy_agents[i] = {in.u64(), in.u64(), in.u64(), in.flag() ? in.u64() : FW_ANY_CPU};
    c.n_faults = in.u8() % (FW_MAX_FAULT_RULES + 4);
    for (unsigned i = 0; i < FW_MAX_FAULT_RULES && i < c.n_faults; ++i) {
        fw_fault_rule &r = c.faults[i];
        r.fid = (in.u8() & 1) ? kFids[in.u8() % 5] : in.u32();
        r.cpu_mask = in.flag() ? in.u64() : FW_ANY_CPU;
        r.attempt_first = in.u8();
        r.attempt_last = in.u8();
        r.t_from_ps = in.flag() ? in.u64() : 0;
        r.t_to_ps = in.flag() ? in.u64() : 0;
        r.probability_ppm = in.u32() % 1200000;
        r.action = static_cast<fw_fault_action>(in.u8() % 6);
        r.status = static_cast<int32_t>(in.u32());
        r.latency_ps = in.flag() ? in.u64() : in.u16();
        r.levels = in.u8();
        r.fraction_ppm = in.u32() % 1200000;
    }
    c.seed = in.u64();
    c.log_capacity = in.u8() % 17;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Bytes in(data, size);
    fw_config cfg;
    configure(in, cfg);

    Platform p;
    p.in = &in;
    uint8_t h = in.u8();
    p.hal.ctx = &p;
    p.hal.now_ps = (h & 1) ? nullptr : &Platform::now_ps;
    p.hal.consume_ps = (h & 2) ? nullptr : &Platform::consume_ps;
    p.hal.flush_range = (h & 4) ? nullptr : &Platform::flush_range;
    p.hal.flush_all = (h & 8) ? nullptr : &Platform::flush_all;
    p.hal.flush_lines = (h & 16) ? nullptr : &Platform::flush_lines;
    p.hal.breakeven_bytes = (h & 32) ? nullptr : &Platform::breakeven_bytes;
    // Line sizes the platform can have: 0 (unset) or a power of two to 4 KiB.
    uint8_t ls = in.u8() % 14;
    p.hal.line_size = ls == 13 ? 0 : 1u << ls;
    p.op_ps = in.u32();
    p.breakeven = in.u64();
    p.nested_budget = in.u8() % 4;

    p.fw = fw_agent_create(&cfg, &p.hal);
    if (!p.fw)
        finding("fw_agent_create failed", cfg.log_capacity, 0);

    // At most 256 calls per input keeps each run short.
    for (int n = 0; n < 256 && !in.empty(); ++n) {
        switch (in.u8() % 4) {
        case 0:
            p.now += in.u64();
            break;
        case 1:
            p.now += in.u16();
            [[fallthrough]];
        default:
            p.call();
            break;
        }
    }

    const fw_stats *st = fw_agent_stats(p.fw);
    if (st->calls != p.smcs || fw_agent_log_total(p.fw) != p.smcs)
        finding("call count differs from the SMCs issued", st->calls, p.smcs);
    size_t kept = fw_agent_log_count(p.fw);
    if (kept > cfg.log_capacity)
        finding("call log holds more than its capacity", kept, cfg.log_capacity);
    for (size_t i = 0; i < kept; ++i)
        if (!fw_agent_log_entry(p.fw, i))
            finding("call log entry missing", i, kept);
    if (fw_agent_log_entry(p.fw, kept))
        finding("call log entry past the end", kept, kept);
    fw_agent_destroy(p.fw);
    return 0;
}
