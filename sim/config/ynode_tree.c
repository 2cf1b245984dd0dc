/* SPDX-License-Identifier: Apache-2.0 */
/* The tree's operations: growing, looking up, taking, merging (includes),
 * setting by path (--set), and interned file names. */
#include "ynode.h"
#include "ynode_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ynode_push(struct ynode *n, struct ynode *key, struct ynode *item)
{
	if (n->count == n->capacity) {
		size_t cap = n->capacity ? n->capacity * 2 : 4;
		struct ynode **ni = realloc(n->items, cap * sizeof(*ni));
		if (!ni)
			return -1;
		n->items = ni;
		if (n->kind == YNODE_MAP) {
			struct ynode **nk = realloc(n->keys, cap * sizeof(*nk));
			if (!nk)
				return -1;
			n->keys = nk;
		}
		n->capacity = cap;
	}
	if (n->kind == YNODE_MAP)
		n->keys[n->count] = key;
	n->items[n->count++] = item;
	return 0;
}

static size_t key_hash(const char *s)
{
	size_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

int ynode_keyset_reserve(struct ynode_keyset *ks, const struct ynode *n, size_t keys)
{
	if (2 * keys <= ks->cap)
		return 0;
	size_t cap = ks->cap ? ks->cap : 16;
	while (cap < 2 * keys)
		cap *= 2;
	size_t *slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return -1;
	for (size_t j = 0; j < ks->cap; j++) {
		if (!ks->slot[j])
			continue;
		size_t h = key_hash(n->keys[ks->slot[j] - 1]->text) & (cap - 1);
		while (slot[h])
			h = (h + 1) & (cap - 1);
		slot[h] = ks->slot[j];
	}
	free(ks->slot);
	ks->slot = slot;
	ks->cap = cap;
	return 0;
}

size_t *ynode_keyset_slot(const struct ynode_keyset *ks, const struct ynode *n, const char *text)
{
	size_t h = key_hash(text) & (ks->cap - 1);
	while (ks->slot[h] && strcmp(n->keys[ks->slot[h] - 1]->text, text) != 0)
		h = (h + 1) & (ks->cap - 1);
	return &ks->slot[h];
}

struct ynode *ynode_keyset_add(struct ynode_keyset *ks, struct ynode *n, size_t i, int *oom)
{
	if (ynode_keyset_reserve(ks, n, i + 1)) {
		*oom = 1;
		return NULL;
	}
	size_t *slot = ynode_keyset_slot(ks, n, n->keys[i]->text);
	if (*slot)
		return n->keys[*slot - 1];
	*slot = i + 1;
	return NULL;
}

void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->count; i++) {
		if (n->keys)
			ynode_free(n->keys[i]);
		ynode_free(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n->text);
	free(n);
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++)
		if (strcmp(map->keys[i]->text, key) == 0)
			return map->items[i];
	return NULL;
}

const char *ynode_kind_name(enum ynode_kind k)
{
	switch (k) {
	case YNODE_SCALAR:
		return "a scalar";
	case YNODE_MAP:
		return "a mapping";
	case YNODE_SEQ:
		return "a sequence";
	}
	return "?";
}

const char *ynode_intern(const char *file)
{
	/* A handful of distinct names per process (scenario, includes, --set). */
	static char **names;
	static size_t count, cap;
	for (size_t i = 0; i < count; i++)
		if (strcmp(names[i], file) == 0)
			return names[i];
	if (count == cap) {
		size_t ncap = cap ? cap * 2 : 16;
		char **nn = realloc(names, ncap * sizeof(*nn));
		if (!nn)
			return "<out of memory>";
		names = nn;
		cap = ncap;
	}
	char *copy = strdup(file);
	if (!copy)
		return "<out of memory>";
	names[count++] = copy;
	return copy;
}

struct ynode *ynode_take(struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++) {
		if (strcmp(map->keys[i]->text, key) != 0)
			continue;
		struct ynode *v = map->items[i];
		ynode_free(map->keys[i]);
		memmove(&map->keys[i], &map->keys[i + 1], (map->count - i - 1) * sizeof(*map->keys));
		memmove(&map->items[i], &map->items[i + 1],
			(map->count - i - 1) * sizeof(*map->items));
		map->count--;
		return v;
	}
	return NULL;
}

struct ynode *ynode_merge(struct ynode *base, struct ynode *over)
{
	if (!base)
		return over;
	if (!over)
		return base;
	if (base->kind != YNODE_MAP || over->kind != YNODE_MAP) {
		ynode_free(base);
		return over;
	}
	/* Keys are looked up through a hash once the mappings are large, so
	 * that merging two documents of n keys costs n lookups, not n^2
	 * compares (docs/reliability.md). */
	struct ynode_keyset ks = {NULL, 0};
	int hashed = base->count * over->count > 256 &&
		     ynode_keyset_reserve(&ks, base, base->count + over->count) == 0;
	for (size_t j = 0; hashed && j < base->count; j++) {
		size_t *slot = ynode_keyset_slot(&ks, base, base->keys[j]->text);
		if (!*slot)
			*slot = j + 1;
	}
	for (size_t i = 0; i < over->count; i++) {
		struct ynode *key = over->keys[i], *val = over->items[i];
		size_t j = base->count, *slot = NULL;
		if (hashed) {
			slot = ynode_keyset_slot(&ks, base, key->text);
			if (*slot)
				j = *slot - 1;
		} else {
			for (j = 0; j < base->count; j++)
				if (strcmp(base->keys[j]->text, key->text) == 0)
					break;
		}
		if (j < base->count) {
			base->items[j] = ynode_merge(base->items[j], val);
			ynode_free(key);
		} else if (ynode_push(base, key, val)) {
			ynode_free(key);
			ynode_free(val);
		} else if (slot) {
			*slot = base->count;
		}
	}
	free(ks.slot);
	free(over->keys);
	free(over->items);
	free(over->text);
	free(over);
	return base;
}

int ynode_set(struct ynode *root, const char *path, struct ynode *value, struct yerror *err)
{
	struct ynode **slot = NULL, *cur = root;
	char part[256];
	const char *p = path;
	while (*p) {
		size_t n = strcspn(p, ".[");
		if (n == 0 && *p == '[') {
			char *end;
			unsigned long idx = strtoul(p + 1, &end, 10);
			if (*end != ']' || end == p + 1) {
				snprintf(err->message, sizeof(err->message),
					 "bad index in path '%s'", path);
				goto fail;
			}
			if (cur->kind != YNODE_SEQ || idx >= cur->count) {
				snprintf(err->message, sizeof(err->message),
					 "'%s': no item [%lu] there (%s with %zu items)",
					 path, idx, ynode_kind_name(cur->kind), cur->count);
				goto fail;
			}
			slot = &cur->items[idx];
			cur = *slot;
			p = end + 1;
		} else {
			if (n == 0 || n >= sizeof(part)) {
				snprintf(err->message, sizeof(err->message),
					 "bad path '%s'", path);
				goto fail;
			}
			memcpy(part, p, n);
			part[n] = '\0';
			p += n;
			if (cur->kind != YNODE_MAP) {
				snprintf(err->message, sizeof(err->message),
					 "'%s': '%s' is inside %s, not a mapping", path,
					 part, ynode_kind_name(cur->kind));
				goto fail;
			}
			size_t i;
			for (i = 0; i < cur->count; i++)
				if (strcmp(cur->keys[i]->text, part) == 0)
					break;
			if (i == cur->count) {
				if (*p) {
					snprintf(err->message, sizeof(err->message),
						 "'%s': no key '%s' to descend into", path,
						 part);
					goto fail;
				}
				struct ynode *key = calloc(1, sizeof(*key));
				if (!key || !(key->text = strdup(part))) {
					free(key);
					goto oom;
				}
				key->kind = YNODE_SCALAR;
				key->file = value->file;
				key->line = value->line;
				key->column = value->column;
				if (ynode_push(cur, key, value)) {
					ynode_free(key);
					goto oom;
				}
				return 0;
			}
			slot = &cur->items[i];
			cur = *slot;
		}
		if (*p == '.')
			p++;
	}
	if (!slot) {
		snprintf(err->message, sizeof(err->message), "empty path");
		goto fail;
	}
	ynode_free(*slot);
	*slot = value;
	return 0;
oom:
	snprintf(err->message, sizeof(err->message), "out of memory");
fail:
	ynode_free(value);
	return -1;
}
