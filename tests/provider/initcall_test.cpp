// SPDX-License-Identifier: Apache-2.0
// Initcalls run once, by level, then in registration order within a level.
#include <gtest/gtest.h>

#include <string>

#include "kernel/kernel_helpers.h"
#include "rig.h"

using namespace cmosim::test;

TEST(InitcallTest, RunInKernelLevelOrderOnce) {
    KernelRig rig(1);
    int first = -1, second = -1;
    rig.on_cpu(0, [&] {
        first = rig.boot();
        second = rig.host.run_initcalls();
    });
    rig.run();
    std::vector<std::string> got;
    for (size_t i = 0; i < kh_initcall_log_count(); i++)
        got.emplace_back(kh_initcall_log_get(i));
    // Declared scrambled in initcall_helpers.c; "failing" is a second subsys call.
    const std::vector<std::string> want = {
        "early",  "pure",    "core", "core_sync", "postcore", "arch",        "arch_second",
        "subsys", "failing", "fs",   "rootfs",    "device",   "module_init", "late"};
    EXPECT_EQ(got, want) << "level order, then registration order";
    EXPECT_EQ(first, static_cast<int>(shim_initcall_count())) << "every registered initcall ran";
    EXPECT_EQ(second, 0) << "a second boot runs nothing";
    EXPECT_EQ(KernelRig::stats().initcalls_run, shim_initcall_count()) << "counted once each";
}

TEST(InitcallTest, ResultsAreKeptPerCallWithTheirLevel) {
    KernelRig rig(1);
    rig.on_cpu(0, [&] { rig.boot(); });
    rig.run();
    bool saw_failing = false, saw_provider = false;
    for (size_t i = 0; i < shim_initcall_count(); i++) {
        shim_initcall_info info{};
        shim_initcall_get(i, &info);
        EXPECT_TRUE(info.ran) << info.name << " ran";
        if (std::string(info.name) == "init_failing") {
            saw_failing = true;
            EXPECT_EQ(info.ret, -19) << "its return value is kept";
            EXPECT_STREQ(info.level, "subsys") << "its level is named";
        }
        // The provider is the arch_initcall, whatever its source names it.
        if (std::string(info.level) == "arch")
            saw_provider = true;
    }
    EXPECT_TRUE(saw_failing) << "test initcall registered";
    EXPECT_TRUE(saw_provider) << "the provider's constructor survived the link (whole archive)";
}
