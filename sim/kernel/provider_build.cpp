// SPDX-License-Identifier: Apache-2.0
#include "kernel/provider_build.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/kernel_image.h"

extern char **environ;

namespace cmosim::sim {

namespace fs = std::filesystem;

namespace {

// ---- SHA-256 (FIPS 180-4), for cache keys -------------------------------

class Sha256 {
public:
    Sha256() { reset(); }
    void add(const void *data, size_t n) {
        const auto *p = static_cast<const uint8_t *>(data);
        m_bits += static_cast<uint64_t>(n) * 8;
        while (n) {
            size_t take = std::min(n, sizeof m_buf - m_fill);
            std::memcpy(m_buf + m_fill, p, take);
            m_fill += take;
            p += take;
            n -= take;
            if (m_fill == sizeof m_buf) {
                block(m_buf);
                m_fill = 0;
            }
        }
    }
    // A field: its length first, so that ("ab", "c") and ("a", "bc") differ.
    void field(const std::string &s) {
        const uint64_t n = s.size();
        add(&n, sizeof n);
        add(s.data(), s.size());
    }
    std::string hex() {
        uint64_t bits = m_bits;
        uint8_t pad = 0x80;
        add(&pad, 1);
        uint8_t zero = 0;
        while (m_fill != 56)
            add(&zero, 1);
        uint8_t len[8];
        for (int i = 0; i < 8; ++i)
            len[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
        add(len, 8);
        static const char *digits = "0123456789abcdef";
        std::string out;
        for (uint32_t w : m_h)
            for (int i = 28; i >= 0; i -= 4)
                out += digits[(w >> i) & 15];
        reset();
        return out;
    }

private:
    static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
    void reset() {
        m_h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        m_fill = 0;
        m_bits = 0;
    }
    void block(const uint8_t *b) {
        static const uint32_t k[64] = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
            0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
            0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
            0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
            0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
            0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
            0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
            0xc67178f2};
        uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = uint32_t(b[4 * i]) << 24 | uint32_t(b[4 * i + 1]) << 16 |
                   uint32_t(b[4 * i + 2]) << 8 | uint32_t(b[4 * i + 3]);
        for (int i = 16; i < 64; ++i) {
            uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = m_h[0], bb = m_h[1], c = m_h[2], d = m_h[3], e = m_h[4], f = m_h[5],
                 g = m_h[6], h = m_h[7];
        for (int i = 0; i < 64; ++i) {
            uint32_t t1 =
                h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            uint32_t t2 =
                (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = bb;
            bb = a;
            a = t1 + t2;
        }
        m_h[0] += a;
        m_h[1] += bb;
        m_h[2] += c;
        m_h[3] += d;
        m_h[4] += e;
        m_h[5] += f;
        m_h[6] += g;
        m_h[7] += h;
    }

    std::array<uint32_t, 8> m_h{};
    uint8_t m_buf[64] = {};
    size_t m_fill = 0;
    uint64_t m_bits = 0;
};

bool read_whole(const std::string &path, std::string *out, std::string *why) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        *why = "is a directory";
        return false;
    }
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        *why = std::strerror(errno);
        return false;
    }
    std::ostringstream o;
    o << f.rdbuf();
    *out = o.str();
    return true;
}

// Start argv[0] (searched on PATH) with stdout to `out_fd` (-1: ours) and
// stderr as ours. Returns the pid, or -1 with `err` set.
pid_t start(const std::vector<std::string> &args, int out_fd, std::string *err) {
    std::vector<char *> argv;
    for (const std::string &a : args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        *err = "cannot run " + args[0] + ": " + std::strerror(rc);
        return -1;
    }
    return pid;
}

// The exit code, or -1 after a signal.
int finish(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// `cc --version`: part of every key, so that another compiler rebuilds.
bool compiler_identity(const std::string &cc, std::string *out, std::string *err) {
    int fds[2];
    if (pipe(fds) != 0) {
        *err = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    pid_t pid = start({cc, "--version"}, fds[1], err);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return false;
    }
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            out->append(buf, static_cast<size_t>(n));
    close(fds[0]);
    if (finish(pid) != 0) {
        *err = "the C compiler " + cc + " does not run (" + cc +
               " --version failed); set CMOSIM_CC to a working one";
        return false;
    }
    *out = cc + "\n" + *out;
    return true;
}

std::string compiler() {
    if (const char *cc = std::getenv("CMOSIM_CC"); cc && *cc)
        return cc;
    if (access(kKernelDefaultCc, X_OK) == 0)
        return kKernelDefaultCc;
    return "cc";
}

// The embedded tree in <cache>/src-<hash>; extracted once, atomically.
bool extract_tree(const std::string &cache, std::string *dir, std::string *tree_hash,
                  std::string *err) {
    Sha256 h;
    for (size_t i = 0; i < kEmbeddedKernelFileCount; ++i) {
        h.field(kEmbeddedKernelFiles[i].path);
        h.field(kEmbeddedKernelFiles[i].text);
    }
    *tree_hash = h.hex();
    *dir = cache + "/src-" + tree_hash->substr(0, 16);
    std::error_code ec;
    if (fs::is_directory(*dir, ec))
        return true;
    const std::string tmp = *dir + ".tmp." + std::to_string(getpid());
    fs::remove_all(tmp, ec);
    for (size_t i = 0; i < kEmbeddedKernelFileCount; ++i) {
        const fs::path p = fs::path(tmp) / kEmbeddedKernelFiles[i].path;
        fs::create_directories(p.parent_path(), ec);
        std::ofstream f(p, std::ios::binary);
        if (ec || !(f << kEmbeddedKernelFiles[i].text) || !f.flush()) {
            *err = "cannot write " + p.string() + ": " +
                   (ec ? ec.message() : std::string(std::strerror(errno)));
            fs::remove_all(tmp, ec);
            return false;
        }
    }
    // Another run may have won the race: its tree is the same one.
    if (std::rename(tmp.c_str(), dir->c_str()) != 0) {
        const int e = errno;
        fs::remove_all(tmp, ec);
        if (!fs::is_directory(*dir, ec)) {
            *err = "cannot rename " + tmp + " to " + *dir + ": " + std::strerror(e);
            return false;
        }
    }
    return true;
}

struct Unit {
    std::string src;   // the path the compiler is given (the user's as given)
    std::string shown; // for messages
    bool ours = false; // -Werror
    std::string key;   // object hash
    std::string obj;   // <cache>/obj/<key>.o
    pid_t pid = -1;
    std::string tmp;
};

std::string modname_of(const std::string &path) {
    std::string base = fs::path(path).stem().string();
    return base;
}

std::vector<std::string> compile_args(const std::string &cc, const std::string &include,
                                      const Unit &u) {
    std::vector<std::string> a = {cc};
    for (const char *const *f = kKernelCflags; *f; ++f)
        a.push_back(*f);
    a.insert(a.end(), {"-O2", "-g", "-fPIC"});
    if (u.ours)
        a.push_back("-Werror");
    a.push_back("-DKBUILD_MODNAME=\"" + modname_of(u.src) + "\"");
    a.insert(a.end(), {"-I", include, "-c", u.src, "-o", u.tmp});
    return a;
}

const std::vector<std::string> kLinkFlags = {"-shared", "-Wl,-Bsymbolic", "-Wl,-z,defs"};

} // namespace

std::string kernel_cache_dir() {
    if (const char *d = std::getenv("CMOSIM_CACHE_DIR"); d && *d)
        return d;
    if (const char *d = std::getenv("XDG_CACHE_HOME"); d && *d)
        return std::string(d) + "/cmosim";
    if (const char *d = std::getenv("HOME"); d && *d)
        return std::string(d) + "/.cache/cmosim";
    return "/tmp/cmosim-cache-" + std::to_string(getuid());
}

bool build_kernel(const KernelSources &src, KernelBuild *out, std::string *err) {
    *out = KernelBuild{};
    const std::string cache = kernel_cache_dir();
    std::error_code ec;
    fs::create_directories(cache + "/obj", ec);
    if (!ec)
        fs::create_directories(cache + "/lib", ec);
    if (ec) {
        *err = "cannot create the kernel build cache " + cache + ": " + ec.message() +
               " (set CMOSIM_CACHE_DIR to a writable directory)";
        return false;
    }
    std::string tree, tree_hash;
    if (!extract_tree(cache, &tree, &tree_hash, err))
        return false;
    const std::string cc = compiler();
    std::string cc_id;
    if (!compiler_identity(cc, &cc_id, err))
        return false;

    // Everything every object depends on besides its own file.
    Sha256 common;
    common.field(cc_id);
    for (const char *const *f = kKernelCflags; *f; ++f)
        common.field(*f);
    common.field(tree_hash);
    const std::string common_hash = common.hex();

    std::vector<Unit> units;
    for (size_t i = 0; i < kEmbeddedKernelFileCount; ++i) {
        const std::string p = kEmbeddedKernelFiles[i].path;
        const bool runtime =
            p.rfind("shim/src/", 0) == 0 && p.size() > 2 && p.compare(p.size() - 2, 2, ".c") == 0;
        if (runtime || (p == "lib/cache_maint.c" && src.framework.empty()) ||
            (p == "drivers/cache/arm_smccc_cache.c" && src.provider.empty()))
            units.push_back(Unit{tree + "/" + p, p, true, {}, {}, -1, {}});
    }
    for (const std::string &user : {src.framework, src.provider})
        if (!user.empty())
            units.push_back(Unit{user, user, false, {}, {}, -1, {}});

    for (Unit &u : units) {
        std::string text, why;
        if (!read_whole(u.src, &text, &why)) {
            *err = u.shown + ": cannot read the kernel source: " + why;
            return false;
        }
        Sha256 h;
        h.field(common_hash);
        h.field(u.ours ? "ours" : "user");
        h.field(modname_of(u.src));
        h.field(text);
        if (!u.ours) {
            // Headers beside the user's file may be included with "...".
            std::vector<std::string> headers;
            const fs::path dir = fs::path(u.src).parent_path();
            for (const auto &e : fs::directory_iterator(dir.empty() ? "." : dir, ec))
                if (e.path().extension() == ".h")
                    headers.push_back(e.path().string());
            std::sort(headers.begin(), headers.end());
            for (const std::string &hp : headers) {
                std::string ht;
                if (read_whole(hp, &ht, &why)) {
                    h.field(hp);
                    h.field(ht);
                }
            }
        }
        u.key = h.hex();
        u.obj = cache + "/obj/" + u.key + ".o";
        u.tmp = u.obj + ".tmp." + std::to_string(getpid());
    }

    // Compile what the cache lacks, as many at once as there are CPUs.
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    const size_t jobs = ncpu > 0 ? static_cast<size_t>(ncpu) : 1;
    std::vector<Unit *> missing;
    for (Unit &u : units)
        if (!fs::exists(u.obj, ec))
            missing.push_back(&u);
    std::string failed;
    for (size_t first = 0; first < missing.size(); first += jobs) {
        const size_t last = std::min(missing.size(), first + jobs);
        for (size_t i = first; i < last; ++i) {
            Unit &u = *missing[i];
            u.pid = start(compile_args(cc, tree + "/shim/include", u), -1, err);
            if (u.pid < 0)
                return false;
        }
        for (size_t i = first; i < last; ++i) {
            Unit &u = *missing[i];
            if (finish(u.pid) != 0) {
                std::remove(u.tmp.c_str());
                if (failed.empty())
                    failed = u.shown;
                continue;
            }
            if (std::rename(u.tmp.c_str(), u.obj.c_str()) != 0) {
                *err = "cannot rename " + u.tmp + " to " + u.obj + ": " + std::strerror(errno);
                std::remove(u.tmp.c_str());
                return false;
            }
            out->compiled++;
        }
    }
    if (!failed.empty()) {
        *err = failed + ": does not compile (the compiler's messages are above)";
        return false;
    }

    Sha256 lk;
    lk.field(cc_id);
    for (const std::string &f : kLinkFlags)
        lk.field(f);
    for (const Unit &u : units)
        lk.field(u.key);
    out->so_path = cache + "/lib/" + lk.hex() + ".so";
    if (fs::exists(out->so_path, ec))
        return true;
    const std::string tmp = out->so_path + ".tmp." + std::to_string(getpid());
    std::vector<std::string> args = {cc};
    args.insert(args.end(), kLinkFlags.begin(), kLinkFlags.end());
    args.insert(args.end(), {"-o", tmp});
    for (const Unit &u : units)
        args.push_back(u.obj);
    pid_t pid = start(args, -1, err);
    if (pid < 0)
        return false;
    if (finish(pid) != 0) {
        std::remove(tmp.c_str());
        std::string names;
        for (const Unit &u : units)
            if (!u.ours)
                names += (names.empty() ? "" : ", ") + u.shown;
        *err = names + ": does not link against the shim (the linker's messages are above: a "
                       "function the shim does not provide?)";
        return false;
    }
    if (std::rename(tmp.c_str(), out->so_path.c_str()) != 0) {
        *err = "cannot rename " + tmp + " to " + out->so_path + ": " + std::strerror(errno);
        std::remove(tmp.c_str());
        return false;
    }
    out->linked = true;
    return true;
}

bool use_kernel(const KernelSources &src, std::string *err) {
    if (src.builtin())
        return true;
    KernelBuild b;
    if (!build_kernel(src, &b, err))
        return false;
    KernelImage image;
    if (!KernelImage::load(b.so_path, &image, err)) {
        *err = b.so_path + ": cannot load the kernel built from " +
               (src.provider.empty() ? src.framework : src.provider) + ": " + *err;
        return false;
    }
    KernelImage::select(image);
    return true;
}

} // namespace cmosim::sim
