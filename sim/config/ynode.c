/* SPDX-License-Identifier: Apache-2.0 */
#include "ynode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* Bounds that keep a hostile document from exhausting memory. */
#define YNODE_MAX_DEPTH 64
#define YNODE_MAX_NODES 2000000
#define YNODE_MAX_ANCHORS 256

struct anchor {
	char *name;
	struct ynode *node;
};

struct parser {
	yaml_parser_t yp;
	struct yerror *err;
	const char *file; /* interned */
	size_t nodes;
	struct anchor anchors[YNODE_MAX_ANCHORS];
	size_t n_anchors;
};

static void set_error(struct parser *p, yaml_mark_t m, const char *fmt, const char *a)
{
	snprintf(p->err->file, sizeof(p->err->file), "%s", p->file);
	p->err->line = (unsigned)m.line + 1;
	p->err->column = (unsigned)m.column + 1;
	snprintf(p->err->message, sizeof(p->err->message), fmt, a ? a : "");
}

static struct ynode *new_node(struct parser *p, enum ynode_kind k, yaml_mark_t m)
{
	if (++p->nodes > YNODE_MAX_NODES) {
		set_error(p, m, "document too large: more than 2000000 nodes%s", NULL);
		return NULL;
	}
	struct ynode *n = calloc(1, sizeof(*n));
	if (!n) {
		set_error(p, m, "out of memory%s", NULL);
		return NULL;
	}
	n->kind = k;
	n->file = p->file;
	n->line = (unsigned)m.line + 1;
	n->column = (unsigned)m.column + 1;
	return n;
}

static int push(struct ynode *n, struct ynode *key, struct ynode *item)
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

static int next_event(struct parser *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&p->yp, ev)) {
		set_error(p, p->yp.problem_mark, "invalid YAML: %s",
			  p->yp.problem ? p->yp.problem : "syntax error");
		return -1;
	}
	return 0;
}

static void remember_anchor(struct parser *p, const yaml_char_t *name, struct ynode *n)
{
	if (!name || p->n_anchors >= YNODE_MAX_ANCHORS)
		return;
	p->anchors[p->n_anchors].name = strdup((const char *)name);
	p->anchors[p->n_anchors].node = n;
	p->n_anchors++;
}

static struct ynode *parse_node(struct parser *p, yaml_event_t *ev, int depth);

static struct ynode *parse_collection(struct parser *p, struct ynode *n, int depth)
{
	yaml_event_type_t end = n->kind == YNODE_MAP ? YAML_MAPPING_END_EVENT
						      : YAML_SEQUENCE_END_EVENT;
	for (;;) {
		yaml_event_t ev;
		if (next_event(p, &ev))
			return NULL;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return n;
		}
		struct ynode *key = NULL;
		if (n->kind == YNODE_MAP) {
			if (ev.type != YAML_SCALAR_EVENT) {
				set_error(p, ev.start_mark,
					  "expected a plain key (a scalar)%s", NULL);
				yaml_event_delete(&ev);
				return NULL;
			}
			key = parse_node(p, &ev, depth + 1);
			yaml_event_delete(&ev);
			if (!key)
				return NULL;
			for (size_t i = 0; i < n->count; i++) {
				if (strcmp(n->keys[i]->text, key->text) == 0) {
					char buf[300];
					snprintf(buf, sizeof(buf),
						 "duplicate key '%.200s' (first at line %u)",
						 key->text, n->keys[i]->line);
					yaml_mark_t m = {0, key->line - 1,
							 key->column - 1};
					set_error(p, m, "%s", buf);
					ynode_free(key);
					return NULL;
				}
			}
			if (next_event(p, &ev)) {
				ynode_free(key);
				return NULL;
			}
		}
		struct ynode *item = parse_node(p, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item) {
			ynode_free(key);
			return NULL;
		}
		if (push(n, key, item)) {
			ynode_free(key);
			ynode_free(item);
			return NULL;
		}
	}
}

static struct ynode *parse_node(struct parser *p, yaml_event_t *ev, int depth)
{
	struct ynode *n = NULL;
	if (depth > YNODE_MAX_DEPTH) {
		set_error(p, ev->start_mark, "nesting deeper than 64 levels%s", NULL);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = new_node(p, YNODE_SCALAR, ev->start_mark);
		if (!n)
			return NULL;
		n->text = strdup((const char *)ev->data.scalar.value);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		remember_anchor(p, ev->data.scalar.anchor, n);
		return n;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		n = new_node(p, ev->type == YAML_MAPPING_START_EVENT ? YNODE_MAP
								     : YNODE_SEQ,
			     ev->start_mark);
		if (!n)
			return NULL;
		if (!parse_collection(p, n, depth)) {
			ynode_free(n);
			return NULL;
		}
		/* Anchors on collections are refused below at the alias: a
		 * copied subtree is how alias bombs grow. */
		return n;
	case YAML_ALIAS_EVENT:
		for (size_t i = 0; i < p->n_anchors; i++) {
			if (strcmp(p->anchors[i].name,
				   (const char *)ev->data.alias.anchor) == 0) {
				n = new_node(p, YNODE_SCALAR, ev->start_mark);
				if (!n)
					return NULL;
				n->text = strdup(p->anchors[i].node->text);
				n->quoted = p->anchors[i].node->quoted;
				return n;
			}
		}
		set_error(p, ev->start_mark,
			  "alias '*%s' does not name a scalar anchor (aliases of "
			  "mappings or sequences are not supported; use include)",
			  (const char *)ev->data.alias.anchor);
		return NULL;
	default:
		set_error(p, ev->start_mark, "unexpected YAML event%s", NULL);
		return NULL;
	}
}

static struct ynode *parse_stream(struct parser *p)
{
	yaml_event_t ev;
	struct ynode *root = NULL;
	if (next_event(p, &ev))
		return NULL;
	if (ev.type != YAML_STREAM_START_EVENT) {
		yaml_event_delete(&ev);
		return NULL;
	}
	yaml_event_delete(&ev);
	if (next_event(p, &ev))
		return NULL;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		yaml_mark_t m = {0, 0, 0};
		set_error(p, m, "the document is empty: expected a mapping%s", NULL);
		return NULL;
	}
	yaml_event_delete(&ev); /* DOCUMENT-START */
	if (next_event(p, &ev))
		return NULL;
	root = parse_node(p, &ev, 0);
	yaml_event_delete(&ev);
	if (!root)
		return NULL;
	if (next_event(p, &ev)) /* DOCUMENT-END */
		goto fail;
	yaml_event_delete(&ev);
	if (next_event(p, &ev))
		goto fail;
	if (ev.type != YAML_STREAM_END_EVENT) {
		set_error(p, ev.start_mark,
			  "expected one YAML document, found a second one%s", NULL);
		yaml_event_delete(&ev);
		goto fail;
	}
	yaml_event_delete(&ev);
	return root;
fail:
	ynode_free(root);
	return NULL;
}

struct ynode *ynode_parse(const char *file, const char *text, struct yerror *err)
{
	struct parser p;
	memset(&p, 0, sizeof(p));
	memset(err, 0, sizeof(*err));
	p.err = err;
	p.file = ynode_intern(file);
	FILE *f = NULL;
	if (!yaml_parser_initialize(&p.yp)) {
		snprintf(err->file, sizeof(err->file), "%s", file);
		snprintf(err->message, sizeof(err->message), "out of memory");
		return NULL;
	}
	if (text) {
		yaml_parser_set_input_string(&p.yp, (const unsigned char *)text, strlen(text));
	} else {
		f = fopen(file, "rb");
		if (!f) {
			snprintf(err->file, sizeof(err->file), "%s", file);
			snprintf(err->message, sizeof(err->message), "cannot open: %s",
				 strerror(errno));
			yaml_parser_delete(&p.yp);
			return NULL;
		}
		yaml_parser_set_input_file(&p.yp, f);
	}
	struct ynode *root = parse_stream(&p);
	yaml_parser_delete(&p.yp);
	if (f)
		fclose(f);
	for (size_t i = 0; i < p.n_anchors; i++)
		free(p.anchors[i].name);
	return root;
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
	for (size_t i = 0; i < over->count; i++) {
		struct ynode *key = over->keys[i], *val = over->items[i];
		size_t j;
		for (j = 0; j < base->count; j++)
			if (strcmp(base->keys[j]->text, key->text) == 0)
				break;
		if (j < base->count) {
			base->items[j] = ynode_merge(base->items[j], val);
			ynode_free(key);
		} else if (push(base, key, val)) {
			ynode_free(key);
			ynode_free(val);
		}
	}
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
				if (push(cur, key, value)) {
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
