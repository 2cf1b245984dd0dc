/* SPDX-License-Identifier: Apache-2.0 */
#include "ynode.h"
#include "ynode_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

/* Bounds that keep a hostile document from exhausting memory or time
 * (docs/reliability.md lists what each refusal says). */
#define YNODE_MAX_DEPTH 64
#define YNODE_MAX_ANCHORS 256
#define YNODE_MAX_BYTES (64u << 20)       /* the document itself */
#define YNODE_MAX_ALIAS_BYTES (16u << 20) /* text copied by all aliases together */

struct anchor {
	char *name;
	struct ynode *node;
};

struct parser {
	yaml_parser_t yp;
	struct yerror *err;
	const char *file; /* interned */
	size_t *nodes_left;
	struct anchor anchors[YNODE_MAX_ANCHORS];
	size_t n_anchors;
	size_t alias_bytes;
	/* Reading a file: counted, so that a huge one is refused early. */
	FILE *in;
	size_t in_bytes;
	int too_large;
	int read_errno;
	/* Parsing a string instead: the text. */
	const char *text;
	size_t text_len;
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
	if (*p->nodes_left == 0) {
		set_error(p, m, "document too large: more than 1000000 nodes, counting "
				"included files%s", NULL);
		return NULL;
	}
	--*p->nodes_left;
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

/*
 * libyaml's reader (invalid UTF-8, a NUL or another control character) gives
 * the byte offset of the problem but no mark: count the lines up to it, so
 * that the message names the byte's own line and column (in bytes).
 */
static void reader_error(struct parser *p)
{
	size_t offset = p->yp.problem_offset, line = 0, column = 0;
	if (p->text) {
		for (size_t i = 0; i < offset && i < p->text_len; i++, column++)
			if (p->text[i] == '\n') {
				line++;
				column = (size_t)-1;
			}
	} else if (p->in && fseek(p->in, 0, SEEK_SET) == 0) {
		for (size_t i = 0; i < offset; i++, column++) {
			int c = getc(p->in);
			if (c == EOF)
				break;
			if (c == '\n') {
				line++;
				column = (size_t)-1;
			}
		}
	}
	yaml_mark_t m = {offset, line, column};
	char what[160];
	if (p->yp.problem_value >= 0)
		snprintf(what, sizeof(what), "%s (0x%02x)",
			 p->yp.problem ? p->yp.problem : "unreadable input",
			 (unsigned)p->yp.problem_value);
	else
		snprintf(what, sizeof(what), "%s",
			 p->yp.problem ? p->yp.problem : "unreadable input");
	set_error(p, m, "invalid YAML: %s", what);
}

static int next_event(struct parser *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&p->yp, ev)) {
		/* Whole-file problems carry no line (file: error: ...). */
		if (p->too_large || p->read_errno) {
			snprintf(p->err->file, sizeof(p->err->file), "%s", p->file);
			p->err->line = p->err->column = 0;
			if (p->too_large)
				snprintf(p->err->message, sizeof(p->err->message),
					 "file too large: more than 64 MiB");
			else
				snprintf(p->err->message, sizeof(p->err->message),
					 "cannot read: %s", strerror(p->read_errno));
			return -1;
		}
		if (p->yp.error == YAML_READER_ERROR) {
			reader_error(p);
			return -1;
		}
		set_error(p, p->yp.problem_mark, "invalid YAML: %s",
			  p->yp.problem ? p->yp.problem : "syntax error");
		return -1;
	}
	return 0;
}

static int remember_anchor(struct parser *p, const yaml_char_t *name, struct ynode *n,
			   yaml_mark_t m)
{
	if (!name)
		return 0;
	if (p->n_anchors >= YNODE_MAX_ANCHORS) {
		set_error(p, m, "too many anchors: more than 256%s", NULL);
		return -1;
	}
	p->anchors[p->n_anchors].name = strdup((const char *)name);
	if (!p->anchors[p->n_anchors].name) {
		set_error(p, m, "out of memory%s", NULL);
		return -1;
	}
	p->anchors[p->n_anchors].node = n;
	p->n_anchors++;
	return 0;
}

static struct ynode *parse_node(struct parser *p, yaml_event_t *ev, int depth);
static struct ynode *collection_items(struct parser *p, struct ynode *n, int depth,
				      struct ynode_keyset *ks);

static struct ynode *parse_collection(struct parser *p, struct ynode *n, int depth)
{
	struct ynode_keyset ks = {NULL, 0};
	struct ynode *done = collection_items(p, n, depth, &ks);
	free(ks.slot);
	return done;
}

static struct ynode *collection_items(struct parser *p, struct ynode *n, int depth,
				      struct ynode_keyset *ks)
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
			if (ynode_push(n, key, NULL)) {
				set_error(p, ev.start_mark, "out of memory%s", NULL);
				ynode_free(key);
				return NULL;
			}
			int oom = 0;
			struct ynode *first = ynode_keyset_add(ks, n, n->count - 1, &oom);
			if (first || oom) {
				char buf[300];
				if (oom)
					snprintf(buf, sizeof(buf), "out of memory");
				else
					snprintf(buf, sizeof(buf),
						 "duplicate key '%.200s' (first at line %u)",
						 key->text, first->line);
				yaml_mark_t m = {0, key->line - 1, key->column - 1};
				set_error(p, m, "%s", buf);
				return NULL;
			}
			if (next_event(p, &ev))
				return NULL;
		}
		struct ynode *item = parse_node(p, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item)
			return NULL;
		/* A key is pushed with its value slot empty (owned by n from
		 * then on); the value fills that slot. */
		if (key) {
			n->items[n->count - 1] = item;
		} else if (ynode_push(n, NULL, item)) {
			set_error(p, ev.start_mark, "out of memory%s", NULL);
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
		if (!n->text) {
			set_error(p, ev->start_mark, "out of memory%s", NULL);
			ynode_free(n);
			return NULL;
		}
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		if (remember_anchor(p, ev->data.scalar.anchor, n, ev->start_mark)) {
			ynode_free(n);
			return NULL;
		}
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
		/* A redefined anchor names its latest definition (YAML 1.2 §3.2.2.2). */
		for (size_t i = p->n_anchors; i-- > 0;) {
			if (strcmp(p->anchors[i].name,
				   (const char *)ev->data.alias.anchor) == 0) {
				const struct ynode *a = p->anchors[i].node;
				size_t len = strlen(a->text);
				/* Each alias is a copy: a long scalar aliased a
				 * million times is the scalar form of an alias bomb. */
				p->alias_bytes += len + 1;
				if (p->alias_bytes > YNODE_MAX_ALIAS_BYTES) {
					set_error(p, ev->start_mark,
						  "aliases expand to more than 16 MiB of "
						  "text (alias '*%s')",
						  (const char *)ev->data.alias.anchor);
					return NULL;
				}
				n = new_node(p, YNODE_SCALAR, ev->start_mark);
				if (!n)
					return NULL;
				n->text = strdup(a->text);
				if (!n->text) {
					set_error(p, ev->start_mark, "out of memory%s", NULL);
					ynode_free(n);
					return NULL;
				}
				n->quoted = a->quoted;
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

/* libyaml's read handler for files: counts, and fails past the size cap. */
static int read_counted(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct parser *p = data;
	errno = 0;
	*size_read = fread(buffer, 1, size, p->in);
	p->in_bytes += *size_read;
	if (p->in_bytes > YNODE_MAX_BYTES) {
		p->too_large = 1;
		return 0;
	}
	if (ferror(p->in)) {
		p->read_errno = errno ? errno : EIO;
		return 0;
	}
	return 1;
}

struct ynode *ynode_parse(const char *file, const char *text, struct yerror *err)
{
	size_t nodes_left = YNODE_MAX_NODES;
	return ynode_parse_budget(file, text, err, &nodes_left);
}

struct ynode *ynode_parse_budget(const char *file, const char *text, struct yerror *err,
				 size_t *nodes_left)
{
	struct parser p;
	memset(&p, 0, sizeof(p));
	memset(err, 0, sizeof(*err));
	p.err = err;
	p.nodes_left = nodes_left;
	p.file = ynode_intern(file);
	FILE *f = NULL;
	if (!yaml_parser_initialize(&p.yp)) {
		snprintf(err->file, sizeof(err->file), "%s", file);
		snprintf(err->message, sizeof(err->message), "out of memory");
		return NULL;
	}
	if (text) {
		size_t len = strlen(text);
		if (len > YNODE_MAX_BYTES) {
			snprintf(err->file, sizeof(err->file), "%s", file);
			snprintf(err->message, sizeof(err->message),
				 "file too large: more than 64 MiB");
			yaml_parser_delete(&p.yp);
			return NULL;
		}
		p.text = text;
		p.text_len = len;
		yaml_parser_set_input_string(&p.yp, (const unsigned char *)text, len);
	} else {
		int fd = ynode_open_input(file, err->message, sizeof(err->message));
		f = fd < 0 ? NULL : fdopen(fd, "rb");
		if (!f) {
			if (fd >= 0) {
				snprintf(err->message, sizeof(err->message), "cannot open: %s",
					 strerror(errno));
				close(fd);
			}
			snprintf(err->file, sizeof(err->file), "%s", file);
			yaml_parser_delete(&p.yp);
			return NULL;
		}
		p.in = f;
		yaml_parser_set_input(&p.yp, read_counted, &p);
	}
	struct ynode *root = parse_stream(&p);
	yaml_parser_delete(&p.yp);
	if (f)
		fclose(f);
	for (size_t i = 0; i < p.n_anchors; i++)
		free(p.anchors[i].name);
	return root;
}

static const char *file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "a special file";
}

int ynode_open_input(const char *path, char *why, size_t why_len)
{
	struct stat st;
	/* stat() first: opening a FIFO for reading waits for a writer. */
	if (stat(path, &st) != 0) {
		snprintf(why, why_len, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "cannot read: %s", strerror(EISDIR));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_len, "expected a regular file, found %s", file_kind(st.st_mode));
		return -1;
	}
	/* Non-blocking, and checked again: the name may have been replaced
	 * by a FIFO in between. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, why_len, "cannot open: %s", strerror(errno));
		return -1;
	}
	int flags = fcntl(fd, F_GETFL);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || flags < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		snprintf(why, why_len, "expected a regular file, found %s", file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	return fd;
}
