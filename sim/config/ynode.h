/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A YAML document as a tree that remembers where every node came from, read
 * with libyaml. Duplicate mapping keys (which libyaml accepts silently),
 * aliases beyond a budget, and documents nested or sized beyond sane limits
 * are errors, reported as `file:line:column: error: ...`.
 */
#ifndef CMOSIM_YNODE_H
#define CMOSIM_YNODE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

struct ynode {
	enum ynode_kind kind;
	const char *file;      /* where the node was read (interned, never freed) */
	unsigned line, column; /* 1-based */
	char *text;            /* scalar value, NUL-terminated */
	int quoted;            /* scalar was quoted: never a number */
	/* Map: keys[i] (scalars) -> items[i]. Seq: items[i]. */
	size_t count;
	size_t capacity;
	struct ynode **keys;
	struct ynode **items;
};

struct yerror {
	char file[512];
	unsigned line, column;
	char message[512];
};

/* At most this many nodes per document, counting what it includes. */
#define YNODE_MAX_NODES 1000000

/* Parse a file (or, with text != NULL, the text named `file`). NULL on error. */
struct ynode *ynode_parse(const char *file, const char *text, struct yerror *err);
/* The same, drawing its nodes from *nodes_left, which several parses (a file
 * and the files it includes) share. */
struct ynode *ynode_parse_budget(const char *file, const char *text, struct yerror *err,
				 size_t *nodes_left);
void ynode_free(struct ynode *n);

/* The value of a map key, or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);

/* Remove a key from a map; returns its value (the caller frees it) or NULL. */
struct ynode *ynode_take(struct ynode *map, const char *key);

/*
 * Deep merge: every key of `over` replaces the same key of `base`, except that
 * two mappings merge key by key. Consumes `over`; returns the merged tree
 * (`base`, or `over` when either is not a mapping). NULL on allocation failure.
 */
struct ynode *ynode_merge(struct ynode *base, struct ynode *over);

/*
 * Replace the node at `path` ("a.b[2].c") with `value` (consumed). A missing
 * last key of an existing mapping is added. Returns 0, or -1 with a message
 * in err->message naming the part of the path that does not exist.
 */
int ynode_set(struct ynode *root, const char *path, struct ynode *value, struct yerror *err);

/*
 * Open an input file for reading, which must be a regular file: a FIFO, a
 * device or a socket is refused before it is opened (opening a FIFO waits
 * for a writer). Returns a file descriptor (close-on-exec, blocking), or -1
 * with `why` set, e.g. "expected a regular file, found a FIFO".
 */
int ynode_open_input(const char *path, char *why, size_t why_len);

/* Intern a file name for ynode.file (kept for the life of the process). */
const char *ynode_intern(const char *file);

const char *ynode_kind_name(enum ynode_kind k);

#ifdef __cplusplus
}
#endif

#endif
