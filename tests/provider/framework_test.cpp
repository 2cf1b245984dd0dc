// SPDX-License-Identifier: Apache-2.0
// The generic framework (lib/cache_maint.c, or CMOSIM_FRAMEWORK_SRC) driven
// through fake providers. No initcalls run here, so the SMCCC provider
// linked into the library never registers.
#include <gtest/gtest.h>

#include <cerrno>

#include "kernel/kernel_helpers.h"
#include "rig.h"

using namespace cmosim::test;

namespace {

std::vector<int> calls() {
    std::vector<int> v;
    for (size_t i = 0; i < kh_calls_count(); i++)
        v.push_back(kh_calls_get(i));
    return v;
}

} // namespace

TEST(FrameworkTest, NoProviderSucceedsWithoutDoingAnything) {
    KernelRig rig(1);
    int ret = -1;
    bool has = true;
    rig.on_cpu(0, [&] {
        has = kh_has_invalidate();
        ret = kh_invalidate(0x100000000ull, 1ull << 30);
    });
    rig.run();
    EXPECT_FALSE(has) << "empty provider list";
    EXPECT_EQ(ret, 0) << "the silent hazard: success with no provider";
    EXPECT_TRUE(calls().empty()) << "nothing was called";
}

TEST(FrameworkTest, AllocRejectsMissingOpsAndInitialisesTheInstance) {
    KernelRig rig(1);
    bool null_ops = false, null_wbinv = false, init_ok = false;
    uint64_t frees = 0;
    rig.on_cpu(0, [&] {
        null_ops = kh_alloc_rejects_null_ops();
        null_wbinv = kh_alloc_rejects_null_wbinv();
        init_ok = kh_alloc_macro_zeroes_and_inits();
        frees = KernelRig::stats().kfree_calls;
    });
    rig.run();
    EXPECT_TRUE(null_ops) << "NULL ops -> NULL";
    EXPECT_TRUE(null_wbinv) << "ops without wbinv -> NULL";
    EXPECT_TRUE(init_ok) << "zeroed, ops set, empty node, refcount 1";
    EXPECT_EQ(frees, 1u) << "the put of the only reference freed it";
}

TEST(FrameworkTest, AllocFailureReturnsNull) {
    shim_config cfg;
    shim_config_default(&cfg);
    cfg.kzalloc_fail_nth = 1;
    shim_configure(&cfg);
    KernelRig rig(1);
    int h = 0;
    rig.on_cpu(0, [&] { h = kh_fake_new(1, 0, false, 0, 0); });
    rig.run();
    EXPECT_EQ(h, -1) << "the first allocation fails";
    EXPECT_EQ(KernelRig::stats().kzalloc_failed, 1u) << "counted";
}

TEST(FrameworkTest, NewestProviderIsCalledFirstThenEveryDone) {
    KernelRig rig(1);
    int ret = -1, reg_a = -1, reg_b = -1;
    rig.on_cpu(0, [&] {
        reg_a = kh_fake_register(kh_fake_new(1, 0, true, 0, 0));
        reg_b = kh_fake_register(kh_fake_new(2, 0, true, 0, 0));
        ret = kh_invalidate(0x4000, 0x2000);
    });
    rig.run();
    EXPECT_EQ(reg_a, 0) << "register always succeeds";
    EXPECT_EQ(reg_b, 0) << "register always succeeds";
    EXPECT_EQ(ret, 0) << "all succeeded";
    // head insertion: B (2) before A (1); all wbinv before any done.
    EXPECT_EQ(calls(), (std::vector<int>{21, 11, 22, 12})) << "wbinv B, wbinv A, done B, done A";
    EXPECT_EQ(kh_last_addr(), 0x4000u) << "params passed through";
    EXPECT_EQ(kh_last_size(), 0x2000u) << "params passed through";
}

TEST(FrameworkTest, FirstWbinvErrorStopsTheWalk) {
    KernelRig rig(1);
    int ret = 0;
    rig.on_cpu(0, [&] {
        kh_fake_register(kh_fake_new(1, 0, true, 0, 0));
        kh_fake_register(kh_fake_new(2, -EBUSY, true, 0, 0));
        ret = kh_invalidate(0, 64);
    });
    rig.run();
    EXPECT_EQ(ret, -EBUSY) << "the newest provider's error is returned";
    EXPECT_EQ(calls(), (std::vector<int>{21})) << "no further wbinv, no done";
}

TEST(FrameworkTest, FirstDoneErrorIsReturned) {
    KernelRig rig(1);
    int ret = 0;
    rig.on_cpu(0, [&] {
        kh_fake_register(kh_fake_new(1, 0, true, -ETIMEDOUT, 0));
        kh_fake_register(kh_fake_new(2, 0, false, 0, 0));
        ret = kh_invalidate(0, 64);
    });
    rig.run();
    EXPECT_EQ(ret, -ETIMEDOUT) << "done's error";
    EXPECT_EQ(calls(), (std::vector<int>{21, 11, 12})) << "B has no done; A's done fails";
}

TEST(FrameworkTest, InvalidateAllPassesZeroAndAllOnes) {
    KernelRig rig(1);
    rig.on_cpu(0, [&] {
        kh_fake_register(kh_fake_new(1, 0, false, 0, 0));
        kh_invalidate_all();
    });
    rig.run();
    EXPECT_EQ(kh_last_addr(), 0u) << "cpu_cache_invalidate_all() starts at 0";
    EXPECT_EQ(kh_last_size(), ~0ull) << "with length (size_t)-1";
}

TEST(FrameworkTest, UnregisterUnlinksAndOnlyTheLastPutFrees) {
    KernelRig rig(1);
    bool has_before = false, has_after = true;
    unsigned ref_after_unreg = 0, ref_after_get = 0;
    uint64_t frees_mid = 0;
    rig.on_cpu(0, [&] {
        int h = kh_fake_new(1, 0, false, 0, 0);
        kh_fake_register(h);
        has_before = kh_has_invalidate();
        kh_fake_unregister(h);
        has_after = kh_has_invalidate();
        ref_after_unreg = kh_fake_refcount(h);
        kh_fake_get(h);
        ref_after_get = kh_fake_refcount(h);
        kh_fake_put(h);
        frees_mid = KernelRig::stats().kfree_calls;
        kh_fake_put(h);
    });
    rig.run();
    EXPECT_TRUE(has_before) << "registered";
    EXPECT_FALSE(has_after) << "unregistered: list empty";
    EXPECT_EQ(ref_after_unreg, 1u) << "register/unregister leave the refcount alone";
    EXPECT_EQ(ref_after_get, 2u) << "kref_get";
    EXPECT_EQ(frees_mid, 0u) << "not freed while referenced";
    EXPECT_EQ(KernelRig::stats().kfree_calls, 1u) << "freed by the last put";
}

TEST(FrameworkTest, ReadLockIsHeldForTheWholeInvalidate) {
    KernelRig rig(2);
    uint64_t registered_at = 0;
    rig.on_cpu(0, [&] {
        kh_fake_register(kh_fake_new(1, 0, false, 0, 1000)); // wbinv sleeps 1 ms
        kh_invalidate(0, 64);                                // holds the read lock 0 -> 1 ms
    });
    rig.on_cpu(1, [&] {
        KernelRig::delay_ps(10 * kPsPerUs);
        kh_fake_register(kh_fake_new(2, 0, false, 0, 0)); // needs the write lock
        registered_at = KernelRig::now_ps();
    });
    rig.run();
    EXPECT_EQ(registered_at, 1 * kPsPerMs) << "the writer waited for the invalidate to finish";
}

TEST(FrameworkTest, SeveralCpusRunOneProviderConcurrently) {
    KernelRig rig(2);
    uint64_t done[2] = {};
    rig.on_cpu(0, [&] {
        kh_fake_register(kh_fake_new(1, 0, false, 0, 1000));
        kh_invalidate(0, 64);
        done[0] = KernelRig::now_ps();
    });
    rig.on_cpu(1, [&] {
        KernelRig::delay_ps(10 * kPsPerUs);
        kh_invalidate(0, 64);
        done[1] = KernelRig::now_ps();
    });
    rig.run();
    EXPECT_EQ(done[0], 1 * kPsPerMs) << "cpu0's wbinv: 0 -> 1 ms";
    EXPECT_EQ(done[1], 1010 * kPsPerUs) << "cpu1 inside the same wbinv at once: 10 us -> 1.01 ms";
    EXPECT_EQ(calls(), (std::vector<int>{11, 11})) << "both reached the provider";
}
