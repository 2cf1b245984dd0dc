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

/* Parse a file (or, with text != NULL, the text named `file`). NULL on error. */
struct ynode *ynode_parse(const char *file, const char *text, struct yerror *err);
void ynode_free(struct ynode *n);

/* The value of a map key, or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);

const char *ynode_kind_name(enum ynode_kind k);

#ifdef __cplusplus
}
#endif

#endif
