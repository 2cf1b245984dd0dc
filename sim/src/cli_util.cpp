// SPDX-License-Identifier: Apache-2.0
#include "cli.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <unistd.h>

namespace cmosim::sim::cli {

bool write_atomically(const std::string &path, const std::string &text, std::string *err) {
    std::string tmp = path + ".tmp." + std::to_string(getpid());
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
