// SPDX-License-Identifier: Apache-2.0
#include "cli.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <unistd.h>

#include "run_control.h"

namespace cmosim::sim::cli {

bool write_atomically(const std::string &path, const std::string &text, std::string *err) {
    std::string tmp = path + ".tmp." + std::to_string(getpid());
    // A second SIGINT/SIGTERM while the file is written removes it.
    struct Cleanup {
        explicit Cleanup(const std::string &t) { set_signal_cleanup_path(t.c_str()); }
        ~Cleanup() { set_signal_cleanup_path(nullptr); }
    } cleanup(tmp);
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) {
            *err = "cannot write " + path + ": " + std::strerror(errno);
            return false;
        }
        f << text;
        f.flush();
        if (!f) {
            *err = "cannot write " + path + ": " + std::strerror(errno);
            std::remove(tmp.c_str());
            return false;
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        *err = "cannot write " + path + ": " + std::strerror(errno);
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

} // namespace cmosim::sim::cli
