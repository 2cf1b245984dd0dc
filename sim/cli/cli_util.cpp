// SPDX-License-Identifier: Apache-2.0
#include "cli/cli.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

#include "run/run_control.h"

namespace cmosim::sim::cli {

namespace {

// All of `text` to `fd`; false with errno set (a write of 0 bytes is ENOSPC).
bool write_all(int fd, const std::string &text) {
    const char *p = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return false;
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    return true;
}

// Write, then close; false with errno set by whichever failed first.
bool write_and_close(int fd, const std::string &text) {
    bool ok = write_all(fd, text);
    int e = errno;
    if (::close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    errno = e;
    return ok;
}

bool same_file(const struct stat &a, const struct stat &b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

} // namespace

int write_output(const std::string &path, const std::string &text, std::string *err) {
    auto fail = [&](int code, int e) {
        *err = "cannot write " + path + ": " + std::strerror(e);
        return code;
    };
    if (path.empty()) {
        *err = "cannot write: expected a file name, found an empty value";
        return kBadInput;
    }
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    // Our own standard output or error (/dev/stdout, /proc/self/fd/2): write
    // to the descriptor, after what was printed already.
    for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
        struct stat o {};
        if (exists && ::fstat(fd, &o) == 0 && same_file(st, o)) {
            std::cout.flush();
            std::cerr.flush();
            return write_all(fd, text) ? 0 : fail(kInternal, errno);
        }
    }
    if (exists && S_ISDIR(st.st_mode))
        return fail(kBadInput, EISDIR);
    // A device node or a FIFO is written to as it is: a rename would replace
    // /dev/null with a regular file.
    if (exists && !S_ISREG(st.st_mode)) {
        // A FIFO without a reader yet: wait for one, but a SIGINT/SIGTERM
        // that comes meanwhile ends the wait (exit 3).
        const int signal_before = stop_signal_received();
        int fd;
        while ((fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0 &&
               errno == ENXIO) {
            if (stop_signal_received() != signal_before) {
                *err = "cannot write " + path + ": interrupted while waiting for a reader";
                return kInternal;
            }
            ::usleep(20000);
        }
        if (fd < 0)
            return fail(kBadInput, errno);
        int flags = ::fcntl(fd, F_GETFL);
        if (flags >= 0)
            ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        return write_and_close(fd, text) ? 0 : fail(kInternal, errno);
    }
    // Through a symbolic link: replace the file it names, keep the link.
    std::string target = path;
    struct stat l {};
    if (exists && ::lstat(path.c_str(), &l) == 0 && S_ISLNK(l.st_mode)) {
        char buf[PATH_MAX];
        if (::realpath(path.c_str(), buf))
            target = buf;
    }
    std::string tmp = target + ".tmp." + std::to_string(getpid());
    // A second SIGINT/SIGTERM while the file is written removes it.
    struct Cleanup {
        explicit Cleanup(const std::string &t) { set_signal_cleanup_path(t.c_str()); }
        ~Cleanup() { set_signal_cleanup_path(nullptr); }
    } cleanup(tmp);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return fail(kBadInput, errno);
    // A full disk or a short write: exit 3, and no partial file anywhere.
    if (!write_and_close(fd, text)) {
        int e = errno;
        ::unlink(tmp.c_str());
        return fail(kInternal, e);
    }
    if (std::rename(tmp.c_str(), target.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        return fail(kBadInput, e);
    }
    return 0;
}

bool outputs_are_distinct(const std::vector<std::pair<std::string, std::string>> &outputs,
                          const std::vector<std::string> &inputs, std::string *err) {
    namespace fs = std::filesystem;
    // A file is the same as another when both exist and are one inode, or
    // when their paths resolve to the same name (an output not written yet).
    struct Name {
        std::string path;
        fs::path resolved;
        bool exists = false;
        bool special = false; // a device or a FIFO: any number of writers
        struct stat st {};
    };
    auto name_of = [](const std::string &p) {
        Name n;
        n.path = p;
        std::error_code ec;
        n.resolved = fs::weakly_canonical(fs::absolute(p, ec), ec);
        if (ec)
            n.resolved = fs::absolute(p, ec).lexically_normal();
        n.exists = ::stat(p.c_str(), &n.st) == 0;
        n.special = n.exists && !S_ISREG(n.st.st_mode) && !S_ISDIR(n.st.st_mode);
        return n;
    };
    auto same = [](const Name &a, const Name &b) {
        if (a.exists && b.exists)
            return same_file(a.st, b.st);
        return a.resolved == b.resolved;
    };
    std::vector<Name> ins, outs;
    for (const std::string &p : inputs)
        ins.push_back(name_of(p));
    for (size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i].second.empty())
            continue;
        Name o = name_of(outputs[i].second);
        const std::string what = outputs[i].first + " " + outputs[i].second;
        if (o.special) // /dev/null, /dev/stdout, a FIFO: never replaced
            continue;
        for (const Name &in : ins)
            if (same(o, in)) {
                *err = what + ": refusing to write over " + in.path + ", an input of this run";
                return false;
            }
        for (size_t j = 0; j < outs.size(); ++j)
            if (!outs[j].special && same(o, outs[j])) {
                *err = what + ": the same file as " + outputs[j].first + " " + outs[j].path +
                       "; give each output a file of its own";
                return false;
            }
        outs.push_back(o);
    }
    return true;
}

} // namespace cmosim::sim::cli
