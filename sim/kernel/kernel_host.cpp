// SPDX-License-Identifier: Apache-2.0
#include "kernel/kernel_host.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cmosim::sim {

KernelHost::KernelHost() : m_img(KernelImage::selected()) {
    m_ops.ctx = this;
    m_ops.now_ps = &KernelHost::op_now_ps;
    m_ops.current_cpu = &KernelHost::op_current_cpu;
    m_ops.sleep_ps = &KernelHost::op_sleep_ps;
    m_ops.busy_ps = &KernelHost::op_busy_ps;
    m_ops.smc = &KernelHost::op_smc;
    m_ops.waitq_create = &KernelHost::op_waitq_create;
    m_ops.waitq_destroy = &KernelHost::op_waitq_destroy;
    m_ops.waitq_wait = &KernelHost::op_waitq_wait;
    m_ops.waitq_wake_all = &KernelHost::op_waitq_wake_all;
    m_ops.printk = &KernelHost::op_printk;
    m_ops.rule = &KernelHost::op_rule;
}

KernelHost::~KernelHost() {
    if (m_installed)
        uninstall();
}

void KernelHost::bind_cpu(unsigned cpu) {
    bind_cpu(sc_core::sc_get_current_process_handle(), cpu);
}

void KernelHost::bind_cpu(const sc_core::sc_process_handle &process, unsigned cpu) {
    if (!process.valid()) {
        std::fprintf(stderr, "cmosim: KernelHost::bind_cpu(%u) outside a process\n", cpu);
        std::abort();
    }
    m_cpu_of[process] = cpu;
}

void KernelHost::install() {
    m_img.set_host(&m_ops);
    m_installed = true;
}

void KernelHost::uninstall() {
    m_img.set_host(nullptr);
    m_installed = false;
    // The shim forgets every wait queue of this host (generation bump).
    m_waitqs.clear();
}

int KernelHost::run_initcalls() {
    return m_img.run_initcalls();
}

int KernelHost::invalidate_memregion(uint64_t start, size_t len) {
    m_img.kernel_enter();
    int ret = m_img.invalidate_memregion(start, len);
    m_img.kernel_exit();
    return ret;
}

bool KernelHost::has_invalidate_memregion() {
    m_img.kernel_enter();
    bool has = m_img.has_invalidate_memregion();
    m_img.kernel_exit();
    return has;
}

size_t KernelHost::rule_count(shim_rule rule) const {
    size_t n = 0;
    for (const auto &r : m_rules)
        n += r.rule == rule;
    return n;
}

KernelCpuStats KernelHost::cpu_stats(unsigned cpu) const {
    return cpu < m_cpu_stats.size() ? m_cpu_stats[cpu] : KernelCpuStats{};
}

const char *host_span_kind_name(HostSpanKind kind) {
    switch (kind) {
    case HostSpanKind::Sleep:
        return "sleep";
    case HostSpanKind::Busy:
        return "busy";
    case HostSpanKind::LockWait:
        return "lock_wait";
    case HostSpanKind::Smc:
        return "smc";
    }
    return "?";
}

void KernelHost::record_spans(bool on, size_t limit) {
    m_record_spans = on;
    m_span_limit = limit;
}

void KernelHost::add_span(const HostSpan &span) {
    if (!m_record_spans)
        return;
    if (m_spans.size() < m_span_limit)
        m_spans.push_back(span);
    else
        m_spans_dropped++;
}

KernelCpuStats &KernelHost::stats_of(unsigned cpu) {
    if (cpu >= m_cpu_stats.size())
        m_cpu_stats.resize(cpu + 1);
    return m_cpu_stats[cpu];
}

uint64_t KernelHost::now_ps() const {
    static const double res_ps = sc_core::sc_get_time_resolution().to_seconds() * 1e12;
    const uint64_t units = sc_core::sc_time_stamp().value();
    if (res_ps >= 1.0)
        return units * static_cast<uint64_t>(std::llround(res_ps));
    return units / static_cast<uint64_t>(std::llround(1.0 / res_ps));
}

unsigned KernelHost::current_cpu() const {
    sc_core::sc_process_handle self = sc_core::sc_get_current_process_handle();
    if (!self.valid())
        return 0;
    auto it = m_cpu_of.find(self);
    if (it == m_cpu_of.end()) {
        std::fprintf(stderr, "cmosim: kernel code called from %s, which is bound to no CPU\n",
                     self.name());
        std::abort();
    }
    return it->second;
}

void KernelHost::advance(uint64_t ps) {
    sc_core::wait(sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS));
}

// ---- shim_host_ops trampolines ------------------------------------------

uint64_t KernelHost::op_now_ps(void *ctx) {
    return static_cast<KernelHost *>(ctx)->now_ps();
}

unsigned KernelHost::op_current_cpu(void *ctx) {
    return static_cast<KernelHost *>(ctx)->current_cpu();
}

void KernelHost::op_sleep_ps(void *ctx, uint64_t ps) {
    auto *self = static_cast<KernelHost *>(ctx);
    const unsigned cpu = self->current_cpu();
    KernelCpuStats &st = self->stats_of(cpu);
    st.sleeps++;
    st.sleep_ps += ps;
    self->add_span({HostSpanKind::Sleep, cpu, self->now_ps(), ps});
    self->activity(cpu, KernelActivity::Sleep);
    self->advance(ps);
    self->activity(cpu, KernelActivity::Resume);
}

void KernelHost::op_busy_ps(void *ctx, uint64_t ps) {
    auto *self = static_cast<KernelHost *>(ctx);
    const unsigned cpu = self->current_cpu();
    KernelCpuStats &st = self->stats_of(cpu);
    st.busy_waits++;
    st.busy_ps += ps;
    self->add_span({HostSpanKind::Busy, cpu, self->now_ps(), ps});
    self->activity(cpu, KernelActivity::Busy);
    self->advance(ps);
    self->activity(cpu, KernelActivity::Resume);
}

void KernelHost::op_smc(void *ctx, uint64_t x[8]) {
    auto *self = static_cast<KernelHost *>(ctx);
    if (!self->m_smc) {
        x[0] = ~uint64_t{0}; // no firmware: NOT_SUPPORTED, as for an unknown FID
        return;
    }
    const unsigned cpu = self->current_cpu();
    const uint64_t t0 = self->now_ps();
    const uint64_t fid = x[0];
    self->m_smc(cpu, x);
    KernelCpuStats &st = self->stats_of(cpu);
    st.smc_calls++;
    st.smc_ps += self->now_ps() - t0;
    self->add_span({HostSpanKind::Smc, cpu, t0, self->now_ps() - t0, fid, x[0]});
}

void *KernelHost::op_waitq_create(void *ctx) {
    auto *self = static_cast<KernelHost *>(ctx);
    auto wq = std::make_unique<WaitQueue>();
    void *key = wq.get();
    self->m_waitqs.emplace(key, std::move(wq));
    return key;
}

void KernelHost::op_waitq_destroy(void *ctx, void *wq) {
    static_cast<KernelHost *>(ctx)->m_waitqs.erase(wq);
}

void KernelHost::op_waitq_wait(void *ctx, void *wq) {
    auto *self = static_cast<KernelHost *>(ctx);
    const unsigned cpu = self->current_cpu();
    const uint64_t t0 = self->now_ps();
    if (cpu >= self->m_blocked_on.size())
        self->m_blocked_on.resize(cpu + 1, nullptr);
    self->m_blocked_on[cpu] = wq;
    self->activity(cpu, KernelActivity::Block);
    sc_core::wait(static_cast<WaitQueue *>(wq)->ev);
    self->m_blocked_on[cpu] = nullptr;
    self->activity(cpu, KernelActivity::Unblock);
    KernelCpuStats &st = self->stats_of(cpu);
    st.lock_blocks++;
    st.lock_wait_ps += self->now_ps() - t0;
    self->add_span({HostSpanKind::LockWait, cpu, t0, self->now_ps() - t0});
}

void KernelHost::op_waitq_wake_all(void *ctx, void *wq) {
    auto *self = static_cast<KernelHost *>(ctx);
    static_cast<WaitQueue *>(wq)->ev.notify();
    for (unsigned cpu = 0; cpu < self->m_blocked_on.size(); ++cpu)
        if (self->m_blocked_on[cpu] == wq)
            self->activity(cpu, KernelActivity::Woken);
}

void KernelHost::op_printk(void *ctx, int level, const char *line) {
    auto *self = static_cast<KernelHost *>(ctx);
    PrintkRecord rec{self->now_ps(), self->current_cpu(), level, line};
    if (self->m_echo)
        std::fprintf(stderr, "[%s] cpu%u <%d> %s\n", sc_core::sc_time_stamp().to_string().c_str(),
                     rec.cpu, level, line);
    self->m_printk.push_back(std::move(rec));
}

void KernelHost::op_rule(void *ctx, enum shim_rule rule, const char *detail) {
    auto *self = static_cast<KernelHost *>(ctx);
    RuleRecord rec{self->now_ps(), self->current_cpu(), rule, detail};
    self->m_rules.push_back(rec);
    if (self->m_on_rule)
        self->m_on_rule(rec);
}

shim_config KernelHost::default_config() {
    shim_config c{};
    KernelImage::selected().config_default(&c);
    return c;
}

void KernelHost::configure(const shim_config &cfg) {
    m_img.configure(&cfg);
}

const char *KernelHost::rule_name(shim_rule rule) {
    return KernelImage::selected().rule_name(rule);
}

std::vector<shim_lock_stats> KernelHost::lock_stats() const {
    std::vector<shim_lock_stats> out(m_img.lock_count());
    for (size_t i = 0; i < out.size(); ++i)
        m_img.lock_stats_get(i, &out[i]);
    return out;
}

shim_lock_wait KernelHost::lock_wait(unsigned cpu) const {
    shim_lock_wait w{};
    m_img.lock_wait_get(cpu, &w);
    return w;
}

} // namespace cmosim::sim
