#include "identity.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hash.h"
#include "mem.h"
#include "u64map.h"

/* Strings are packed into chunks that never move, so a node keeps a
 * plain pointer to its value. */
#define ARENA_CHUNK (1u << 20)

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct kind {
	char *name;
	size_t len;
};

#define EMPTY_EDGE UINT64_MAX

/* What a lookup compares, together in one cache line. */
struct node {
	uint64_t hash;
	const char *value;
	uint32_t len;
	uint16_t kind;
	uint8_t flags;
};

struct xo_ident {
	/* Nodes, indexed by node number; the union-find apart, as its loops
	 * touch nothing else. */
	size_t n_nodes, cap_nodes;
	struct node *node;
	uint32_t *parent;
	uint32_t *size;
	/* Hash table of nodes: the top 32 bits of the hash beside the node
	 * number, so that most misses are settled without touching a node. */
	uint64_t *slots;
	size_t n_slots;
	/* The edge set: key (low node << 32 | high node), flags, count. */
	uint64_t *edge_key;
	uint32_t *edge_count;
	uint8_t *edge_flags;
	size_t n_edges, edge_slots;
	/* Degrees, recomputed when edges changed. */
	uint32_t *degree;
	int degree_stale;
	struct kind *kinds;
	size_t n_kinds, cap_kinds;
	struct chunk *arena;
};

#define EMPTY_SLOT UINT64_MAX

struct xo_ident *xo_ident_new(void)
{
	struct xo_ident *g = xo_calloc(1, sizeof *g);
	g->n_slots = 1024;
	g->slots = xo_malloc(g->n_slots * sizeof *g->slots);
	memset(g->slots, 0xff, g->n_slots * sizeof *g->slots);
	g->edge_slots = 1024;
	g->edge_key = xo_malloc(g->edge_slots * sizeof *g->edge_key);
	memset(g->edge_key, 0xff, g->edge_slots * sizeof *g->edge_key);
	g->edge_count = xo_calloc(g->edge_slots, sizeof *g->edge_count);
	g->edge_flags = xo_calloc(g->edge_slots, sizeof *g->edge_flags);
	g->degree_stale = 1;
	return g;
}

void xo_ident_free(struct xo_ident *g)
{
	if (!g)
		return;
	free(g->node);
	free(g->parent);
	free(g->size);
	free(g->slots);
	free(g->edge_key);
	free(g->edge_count);
	free(g->edge_flags);
	free(g->degree);
	for (size_t i = 0; i < g->n_kinds; i++)
		free(g->kinds[i].name);
	free(g->kinds);
	while (g->arena) {
		struct chunk *next = g->arena->next;
		free(g->arena);
		g->arena = next;
	}
	free(g);
}

unsigned xo_ident_kind(struct xo_ident *g, const char *kind, size_t len)
{
	for (size_t i = 0; i < g->n_kinds; i++)
		if (g->kinds[i].len == len && memcmp(g->kinds[i].name, kind, len) == 0)
			return (unsigned)i;
	if (g->n_kinds == UINT16_MAX)
		xo_die(XO_EXIT_INTERNAL, "more than %u identifier kinds", UINT16_MAX);
	g->kinds = xo_grow(g->kinds, &g->cap_kinds, g->n_kinds + 1, sizeof *g->kinds);
	g->kinds[g->n_kinds].name = xo_strndup(kind, len);
	g->kinds[g->n_kinds].len = len;
	return (unsigned)g->n_kinds++;
}

const char *xo_ident_kind_name(const struct xo_ident *g, unsigned kind)
{
	return g->kinds[kind].name;
}

unsigned xo_ident_kinds(const struct xo_ident *g)
{
	return (unsigned)g->n_kinds;
}

static const char *arena_copy(struct xo_ident *g, const char *s, size_t len)
{
	struct chunk *c = g->arena;
	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > ARENA_CHUNK ? len + 1 : ARENA_CHUNK;
		c = xo_malloc(sizeof *c + size);
		c->next = g->arena;
		c->used = 0;
		c->size = size;
		g->arena = c;
	}
	char *p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

uint64_t xo_ident_hash_of(const char *kind, const char *value, size_t len)
{
	struct xo_hasher h;
	xo_hasher_init(&h, &XO_HASH_PUBLIC);
	xo_hasher_add(&h, kind, strlen(kind) + 1);
	xo_hasher_add(&h, value, len);
	return xo_hasher_end(&h);
}

static uint64_t slot_of(uint64_t hash, xo_node n)
{
	return (hash >> 32) << 32 | n;
}

static void rehash_nodes(struct xo_ident *g)
{
	size_t n_slots = g->n_slots * 2;
	uint64_t *slots = xo_malloc(n_slots * sizeof *slots);
	memset(slots, 0xff, n_slots * sizeof *slots);
	for (size_t i = 0; i < g->n_nodes; i++) {
		size_t j = g->node[i].hash & (n_slots - 1);
		while (slots[j] != EMPTY_SLOT)
			j = (j + 1) & (n_slots - 1);
		slots[j] = slot_of(g->node[i].hash, (xo_node)i);
	}
	free(g->slots);
	g->slots = slots;
	g->n_slots = n_slots;
}

/* The slot holding kind/value, or the empty slot where it would go. */
static size_t find_slot(const struct xo_ident *g, uint64_t hash, unsigned kind,
			const char *value, size_t len)
{
	size_t mask = g->n_slots - 1, j = hash & mask;
	uint64_t tag = hash >> 32;
	for (;; j = (j + 1) & mask) {
		uint64_t s = g->slots[j];
		if (s == EMPTY_SLOT)
			return j;
		if (s >> 32 != tag)
			continue;
		const struct node *n = &g->node[s & 0xffffffffu];
		if (n->hash == hash && n->kind == kind && n->len == len &&
		    memcmp(n->value, value, len) == 0)
			return j;
	}
}

static void grow_nodes(struct xo_ident *g)
{
	if (g->n_nodes < g->cap_nodes)
		return;
	if (g->n_nodes >= UINT32_MAX - 1)
		xo_die(XO_EXIT_INTERNAL, "more than 4 billion identifiers");
	size_t cap = g->cap_nodes ? g->cap_nodes * 2 : 1024;
	g->node = xo_realloc(g->node, cap * sizeof *g->node);
	g->parent = xo_realloc(g->parent, cap * sizeof *g->parent);
	g->size = xo_realloc(g->size, cap * sizeof *g->size);
	g->cap_nodes = cap;
}

xo_node xo_ident_intern(struct xo_ident *g, unsigned kind, const char *value, size_t len,
			int *created)
{
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	uint64_t hash = xo_ident_hash_of(g->kinds[kind].name, value, len);
	size_t j = find_slot(g, hash, kind, value, len);
	if (g->slots[j] != EMPTY_SLOT) {
		if (created)
			*created = 0;
		return (xo_node)(g->slots[j] & 0xffffffffu);
	}
	grow_nodes(g);
	xo_node n = (xo_node)g->n_nodes++;
	g->node[n] = (struct node){ hash, arena_copy(g, value, len), (uint32_t)len,
				    (uint16_t)kind, 0 };
	g->parent[n] = n;
	g->size[n] = 1;
	g->slots[j] = slot_of(hash, n);
	if (g->n_nodes * 10 > g->n_slots * 7)
		rehash_nodes(g);
	g->degree_stale = 1;
	if (created)
		*created = 1;
	return n;
}

xo_node xo_ident_lookup(const struct xo_ident *g, unsigned kind, const char *value, size_t len)
{
	uint64_t hash = xo_ident_hash_of(g->kinds[kind].name, value, len);
	size_t j = find_slot(g, hash, kind, value, len);
	return g->slots[j] == EMPTY_SLOT ? XO_NODE_NONE : (xo_node)(g->slots[j] & 0xffffffffu);
}

size_t xo_ident_nodes(const struct xo_ident *g)
{
	return g->n_nodes;
}

unsigned xo_ident_node_kind(const struct xo_ident *g, xo_node n)
{
	return g->node[n].kind;
}

const char *xo_ident_value(const struct xo_ident *g, xo_node n, size_t *len)
{
	if (len)
		*len = g->node[n].len;
	return g->node[n].value;
}

uint64_t xo_ident_hash(const struct xo_ident *g, xo_node n)
{
	return g->node[n].hash;
}

unsigned xo_ident_flags(const struct xo_ident *g, xo_node n)
{
	return g->node[n].flags;
}

void xo_ident_set_flags(struct xo_ident *g, xo_node n, unsigned flags)
{
	g->node[n].flags = (uint8_t)flags;
}

static uint64_t edge_key(xo_node a, xo_node b)
{
	return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static size_t edge_slot(const struct xo_ident *g, uint64_t key)
{
	size_t mask = g->edge_slots - 1, j = xo_mix64(key) & mask;
	while (g->edge_key[j] != EMPTY_EDGE && g->edge_key[j] != key)
		j = (j + 1) & mask;
	return j;
}

static void rehash_edges(struct xo_ident *g)
{
	size_t old_slots = g->edge_slots;
	uint64_t *old_key = g->edge_key;
	uint32_t *old_count = g->edge_count;
	uint8_t *old_flags = g->edge_flags;
	g->edge_slots *= 2;
	g->edge_key = xo_malloc(g->edge_slots * sizeof *g->edge_key);
	memset(g->edge_key, 0xff, g->edge_slots * sizeof *g->edge_key);
	g->edge_count = xo_malloc(g->edge_slots * sizeof *g->edge_count);
	g->edge_flags = xo_malloc(g->edge_slots * sizeof *g->edge_flags);
	for (size_t i = 0; i < old_slots; i++) {
		if (old_key[i] == EMPTY_EDGE)
			continue;
		size_t j = edge_slot(g, old_key[i]);
		g->edge_key[j] = old_key[i];
		g->edge_count[j] = old_count[i];
		g->edge_flags[j] = old_flags[i];
	}
	free(old_key);
	free(old_count);
	free(old_flags);
}

unsigned xo_ident_edge(struct xo_ident *g, xo_node a, xo_node b, unsigned flags)
{
	uint64_t key = edge_key(a, b);
	size_t j = edge_slot(g, key);
	if (g->edge_key[j] == EMPTY_EDGE) {
		g->edge_key[j] = key;
		g->edge_count[j] = 0;
		g->edge_flags[j] = 0;
		g->n_edges++;
		g->degree_stale = 1;
	}
	unsigned before = g->edge_flags[j];
	if ((flags & ~before) & (XO_EDGE_CUT | XO_EDGE_PROB))
		g->degree_stale = 1;
	g->edge_flags[j] |= (uint8_t)flags;
	if (g->n_edges * 10 > g->edge_slots * 7)
		rehash_edges(g);
	return before;
}

int xo_ident_edge_count(struct xo_ident *g, xo_node a, xo_node b, uint32_t n)
{
	size_t j = edge_slot(g, edge_key(a, b));
	if (g->edge_key[j] == EMPTY_EDGE)
		return 0;
	uint32_t c = g->edge_count[j];
	g->edge_count[j] = c > UINT32_MAX - n ? UINT32_MAX : c + n;
	return 1;
}

unsigned xo_ident_edge_flags(const struct xo_ident *g, xo_node a, xo_node b, uint32_t *count)
{
	size_t j = edge_slot(g, edge_key(a, b));
	if (g->edge_key[j] == EMPTY_EDGE) {
		if (count)
			*count = 0;
		return 0;
	}
	if (count)
		*count = g->edge_count[j];
	return g->edge_flags[j];
}

size_t xo_ident_edges(const struct xo_ident *g)
{
	return g->n_edges;
}

void xo_ident_each_edge(const struct xo_ident *g, xo_edge_fn fn, void *ctx)
{
	for (size_t i = 0; i < g->edge_slots; i++) {
		uint64_t k = g->edge_key[i];
		if (k == EMPTY_EDGE)
			continue;
		if (fn(ctx, (xo_node)(k >> 32), (xo_node)(k & 0xffffffffu), g->edge_flags[i],
		       g->edge_count[i]))
			return;
	}
}

const uint32_t *xo_ident_degrees(struct xo_ident *g)
{
	if (!g->degree_stale)
		return g->degree;
	free(g->degree);
	g->degree = xo_calloc(g->n_nodes, sizeof *g->degree);
	for (size_t i = 0; i < g->edge_slots; i++) {
		uint64_t k = g->edge_key[i];
		if (k == EMPTY_EDGE || (g->edge_flags[i] & (XO_EDGE_CUT | XO_EDGE_PROB)))
			continue;
		g->degree[k >> 32]++;
		g->degree[k & 0xffffffffu]++;
	}
	g->degree_stale = 0;
	return g->degree;
}

xo_node xo_ident_root(struct xo_ident *g, xo_node n)
{
	while (g->parent[n] != n) {
		g->parent[n] = g->parent[g->parent[n]];
		n = g->parent[n];
	}
	return n;
}

int xo_ident_union(struct xo_ident *g, xo_node a, xo_node b)
{
	a = xo_ident_root(g, a);
	b = xo_ident_root(g, b);
	if (a == b)
		return 0;
	if (g->size[a] < g->size[b]) {
		xo_node t = a;
		a = b;
		b = t;
	}
	g->parent[b] = a;
	g->size[a] += g->size[b];
	return 1;
}

size_t xo_ident_link_edges(struct xo_ident *g)
{
	size_t joins = 0;
	for (size_t i = 0; i < g->edge_slots; i++) {
		uint64_t k = g->edge_key[i];
		if (k == EMPTY_EDGE || (g->edge_flags[i] & XO_EDGE_CUT))
			continue;
		xo_node a = (xo_node)(k >> 32), b = (xo_node)(k & 0xffffffffu);
		if ((g->node[a].flags | g->node[b].flags) & XO_NODE_UNLINKABLE)
			continue;
		joins += (size_t)xo_ident_union(g, a, b);
	}
	return joins;
}

void xo_ident_reset_components(struct xo_ident *g)
{
	for (size_t i = 0; i < g->n_nodes; i++) {
		g->parent[i] = (uint32_t)i;
		g->size[i] = 1;
	}
}

uint32_t xo_ident_component_size(struct xo_ident *g, xo_node n)
{
	return g->size[xo_ident_root(g, n)];
}
