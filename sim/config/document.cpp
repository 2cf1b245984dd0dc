// SPDX-License-Identifier: Apache-2.0
// The document layer: one scenario file becomes one YAML tree. Includes are
// merged under the including document, `platform: FILE | NAME` is read (a
// file, or a ready platform built into the binary), --set overrides are
// applied; then the loader (loader.h) reads the tree. Every file read counts
// against one budget of nodes and files.
#include "config/loader.h"
#include "config/ready_platforms.h"

#include <cstring>

#include <unistd.h>

namespace cmosim::sim {

namespace {

[[noreturn]] void fail_at(const ynode *n, const std::string &msg) {
    throw ConfigError(Mark{n->file ? n->file : "?", n->line, n->column}, msg);
}

std::string dir_of(const std::string &file) {
    size_t slash = file.rfind('/');
    return slash == std::string::npos ? "" : file.substr(0, slash + 1);
}

} // namespace

std::string relative_to(const ynode *at, const std::string &path) {
    if (path.empty() || path[0] == '/' || !at->file)
        return path;
    return dir_of(at->file) + path;
}

namespace {

// One load's share of the YAML bounds (ynode.c): the node cap counts every
// file it reads, and it reads at most kMaxFiles of them, so that includes
// fanning out (a includes b twice, b includes c twice, ...) stay bounded.
constexpr unsigned kMaxFiles = 256;
struct LoadBudget {
    size_t nodes_left = YNODE_MAX_NODES;
    unsigned files = 0;
    std::vector<std::string> read; // the files read, for Scenario::inputs
};
thread_local LoadBudget t_budget;

Tree parse(const std::string &file, const char *text) {
    yerror err{};
    Tree root(ynode_parse_budget(file.c_str(), text, &err, &t_budget.nodes_left));
    if (!root)
        throw ConfigError(Mark{err.file, err.line, err.column}, err.message);
    return root;
}

// Files being read, outermost first: an include of one of them is a cycle.
using Stack = std::vector<std::string>;

Tree read_file(const ynode *from, const std::string &path, Stack &stack, const char *what);

// `include: FILE | [FILES]` at the top of a document: the included documents
// are merged in order, then the including document over them.
Tree resolve_includes(Tree root, Stack &stack) {
    if (root->kind != YNODE_MAP)
        return root;
    Tree inc(ynode_take(root.get(), "include"));
    if (!inc)
        return root;
    std::vector<const ynode *> files;
    if (inc->kind == YNODE_SCALAR)
        files.push_back(inc.get());
    else if (inc->kind == YNODE_SEQ)
        for (size_t i = 0; i < inc->count; ++i)
            files.push_back(inc->items[i]);
    else
        fail_at(inc.get(), "include: expected a file name or a sequence of them, found a mapping");
    Tree merged;
    for (const ynode *f : files) {
        if (f->kind != YNODE_SCALAR)
            fail_at(f, "include: expected a file name, found " +
                           std::string(ynode_kind_name(f->kind)));
        Tree t = read_file(f, relative_to(f, f->text), stack, "include");
        if (t->kind != YNODE_MAP)
            fail_at(t.get(), "include: expected the included document to be a mapping, found " +
                                 std::string(ynode_kind_name(t->kind)));
        merged.reset(ynode_merge(merged.release(), t.release()));
    }
    return Tree(ynode_merge(merged.release(), root.release()));
}

Tree read_file(const ynode *from, const std::string &path, Stack &stack, const char *what) {
    for (const std::string &f : stack)
        if (f == path) {
            std::string chain;
            for (const std::string &g : stack)
                chain += g + " -> ";
            fail_at(from, std::string(what) + ": include cycle: " + chain + path);
        }
    if (stack.size() >= 16)
        fail_at(from, std::string(what) + ": includes nested deeper than 16 files");
    if (++t_budget.files > kMaxFiles)
        fail_at(from, std::string(what) + ": more than " + std::to_string(kMaxFiles) +
                          " files read for one scenario");
    yerror err{};
    Tree t(ynode_parse_budget(path.c_str(), nullptr, &err, &t_budget.nodes_left));
    if (!t) {
        if (err.line == 0) // the file itself could not be read: say who asked for it
            fail_at(from, std::string(what) + ": " + path + ": " + err.message);
        throw ConfigError(Mark{err.file, err.line, err.column}, err.message);
    }
    t_budget.read.push_back(path);
    stack.push_back(path);
    t = resolve_includes(std::move(t), stack);
    stack.pop_back();
    return t;
}

// `platform: FILE | NAME` or `platform: {from: FILE | NAME, <overrides>}`,
// NAME one of the ready platforms built into the binary (ready_platforms.h).
void resolve_platform(ynode *root, Stack &stack) {
    if (root->kind != YNODE_MAP)
        return;
    for (size_t i = 0; i < root->count; ++i) {
        if (std::strcmp(root->keys[i]->text, "platform") != 0)
            continue;
        ynode *p = root->items[i];
        const ynode *from = nullptr;
        if (p->kind == YNODE_SCALAR)
            from = p;
        else if (p->kind == YNODE_MAP)
            from = ynode_get(p, "from");
        if (!from)
            return;
        if (from->kind != YNODE_SCALAR)
            fail_at(from, "platform.from: expected a file name or a ready platform's name, found " +
                              std::string(ynode_kind_name(from->kind)));
        // A ready platform's name (no file of that name is looked for: write
        // ./default for one).
        const ReadyPlatform *ready = find_ready_platform(from->text);
        const std::string path = relative_to(from, from->text);
        if (!ready && std::strpbrk(from->text, "/.") == nullptr &&
            access(path.c_str(), F_OK) != 0) {
            std::string names;
            for (const ReadyPlatform &rp : ready_platforms())
                names += std::string(names.empty() ? "" : ", ") + rp.name;
            fail_at(from, std::string("platform: expected a ready platform (") + names +
                              ") or a file, found '" + from->text + "', which is neither");
        }
        Tree base = ready ? parse(std::string("<platform ") + ready->name + ">", ready->text)
                          : read_file(from, path, stack, "platform");
        if (base->kind != YNODE_MAP)
            fail_at(base.get(), "platform file: expected a mapping of platform keys, found " +
                                    std::string(ynode_kind_name(base->kind)));
        if (p->kind == YNODE_SCALAR) {
            ynode_free(p);
            root->items[i] = base.release();
        } else {
            ynode_free(ynode_take(p, "from"));
            root->items[i] = ynode_merge(base.release(), p);
        }
        return;
    }
}

// --set PATH=VALUE: VALUE is YAML text, its marks name the option (the
// shorthand's own, for a named_set()).
void apply_override(ynode *root, std::string set) {
    std::string origin = "--set " + set;
    if (!set.empty() && set[0] == '\0') {
        const size_t end = set.find('\0', 1);
        origin = set.substr(1, end - 1);
        set = set.substr(end + 1);
    }
    size_t eq = set.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError(Mark{origin, 0, 0}, "expected PATH=VALUE, e.g. platform.slc.size=64MiB");
    std::string path = set.substr(0, eq), value = set.substr(eq + 1);
    Tree v = parse(origin, value.empty() ? "''" : value.c_str());
    yerror err{};
    // A shorthand's section (limits:) may be absent from the scenario: it
    // starts empty.
    const std::string head = path.substr(0, path.find('.'));
    if (origin.rfind("--set ", 0) != 0 && head.size() < path.size() && root->kind == YNODE_MAP &&
        !ynode_get(root, head.c_str())) {
        if (ynode_set(root, head.c_str(), parse(origin, "{}").release(), &err) != 0)
            throw ConfigError(Mark{origin, 0, 0}, err.message);
    }
    if (ynode_set(root, path.c_str(), v.release(), &err) != 0)
        throw ConfigError(Mark{origin, 0, 0}, err.message);
}

Scenario load(const std::string &file, const char *text, const std::vector<std::string> &sets) {
    t_budget = LoadBudget{};
    Stack stack;
    Tree root = parse(file, text);
    if (!text)
        stack.push_back(file);
    root = resolve_includes(std::move(root), stack);
    resolve_platform(root.get(), stack);
    for (const std::string &set : sets)
        apply_override(root.get(), set);
    Scenario s = Loader(file).load(root.get());
    if (!text)
        s.inputs.insert(s.inputs.begin(), file);
    s.inputs.insert(s.inputs.end(), t_budget.read.begin(), t_budget.read.end());
    return s;
}

} // namespace

std::string named_set(const std::string &origin, const std::string &path_value) {
    // Between NULs, which no command-line argument holds.
    return std::string(1, '\0') + origin + std::string(1, '\0') + path_value;
}

Scenario load_scenario_file(const std::string &path, const std::vector<std::string> &sets) {
    return load(path, nullptr, sets);
}

Scenario load_scenario_text(const std::string &name, const std::string &text,
                            const std::vector<std::string> &sets) {
    return load(name, text.c_str(), sets);
}

double parse_time_ns(const std::string &text, const std::string &what) {
    ynode n{};
    n.kind = YNODE_SCALAR;
    n.file = "cmosim";
    std::string copy = text;
    n.text = copy.data();
    return Reader().time_ns(&n, what, 0, 1e9 * 86400 * 365);
}

} // namespace cmosim::sim
