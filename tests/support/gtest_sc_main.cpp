// SPDX-License-Identifier: Apache-2.0
// libsystemc provides main() and calls sc_main(); every test executable
// therefore enters GoogleTest from here (no gtest_main).
#include <cstdlib>

#include <gtest/gtest.h>

extern "C" int sc_main(int argc, char **argv); // as SystemC declares it
extern "C" int sc_elab_and_sim(int argc, char *argv[]);

// Our own main() takes precedence over libsystemc's, so the copyright banner
// can be switched off before SystemC prints it; sc_main() runs as usual.
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
