/* SPDX-License-Identifier: Apache-2.0 */
/* Private to ynode.c (the parser) and ynode_tree.c (the tree's operations):
 * growing a node, and the hash of a mapping's keys that finds duplicates. */
#pragma once

#include <stddef.h>

#include "ynode.h"

/* Appends (key, item) to a mapping, or item to a sequence; -1 when out of
 * memory. */
int ynode_push(struct ynode *n, struct ynode *key, struct ynode *item);

/*
 * Duplicate keys are found through a hash of the keys seen so far, so that a
 * mapping with a million keys costs a million lookups, not 10^12 compares.
 */
struct ynode_keyset {
	size_t *slot; /* index + 1 into the map's keys; 0 = empty */
	size_t cap;   /* a power of two, at least twice the keys */
};

/* Room for `keys` keys at most half full; -1 when out of memory. */
int ynode_keyset_reserve(struct ynode_keyset *ks, const struct ynode *n, size_t keys);
/* The slot that holds the key of n equal to `text`, or the empty one where
 * it would go. */
size_t *ynode_keyset_slot(const struct ynode_keyset *ks, const struct ynode *n,
			  const char *text);
/* The earlier key equal to n->keys[i], or NULL after recording it. */
struct ynode *ynode_keyset_add(struct ynode_keyset *ks, struct ynode *n, size_t i, int *oom);
