#include "idgraph.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hash.h"
#include "bigmem.h"
#include "mem.h"
#include "u64map.h"

/* Each node is a record (its header, then its value) in one growing
 * block of memory that may use huge pages, found by offset: a lookup
 * costs two cache misses (the slot, the record) and few TLB misses. */
struct record {
	uint64_t hash;
	uint32_t node;
	uint32_t len;
	uint16_t kind;
	uint8_t flags;
	char value[]; /* len bytes and a NUL */
};

/* A slot of the hash table: the table's hash of the value, and the
 * record's offset (0: empty; no record starts there). */
struct slot {
	uint64_t hash;
	uint64_t off;
};

struct kind {
	char *name;
	size_t len;
};

/* Keys are low node << 32 | high node with low < high, so never 0. */
#define EMPTY_EDGE 0

struct xo_idg {
	/* Nodes by number: their records; the union-find apart, as its
	 * loops touch nothing else. */
	size_t n_nodes, cap_nodes;
	uint64_t *rec;            /* offset of each node's record */
	char *records;
	size_t records_used, records_cap;
	uint32_t *parent;
	uint32_t *size;
	struct slot *slots;
	size_t n_slots;
	/* The edge set: key (low node << 32 | high node), flags, count. */
	uint64_t *edge_key;
	uint32_t *edge_count;
	uint8_t *edge_flags;
	size_t n_edges, edge_slots;
	/* Degrees, recomputed when edges changed. */
	uint32_t *degree;
	size_t n_degree;
	int degree_stale;
	struct kind *kinds;
	size_t n_kinds, cap_kinds;
};

static struct record *record_at(const struct xo_idg *g, uint64_t off)
{
	return (struct record *)(void *)(g->records + off);
}

#define REC(g, n) record_at(g, (g)->rec[n])

static void alloc_edges(struct xo_idg *g)
{
	g->edge_key = xo_big_calloc(g->edge_slots * sizeof *g->edge_key);
	g->edge_count = xo_big_calloc(g->edge_slots * sizeof *g->edge_count);
	g->edge_flags = xo_big_calloc(g->edge_slots * sizeof *g->edge_flags);
}

static void free_edges(struct xo_idg *g, uint64_t *key, uint32_t *count, uint8_t *flags,
		       size_t slots)
{
	xo_big_free(key, slots * sizeof *key);
	xo_big_free(count, slots * sizeof *count);
	xo_big_free(flags, slots * sizeof *flags);
}

struct xo_idg *xo_idg_new(void)
{
	struct xo_idg *g = xo_calloc(1, sizeof *g);
	g->n_slots = 1024;
	g->slots = xo_big_calloc(g->n_slots * sizeof *g->slots);
	g->edge_slots = 1024;
	alloc_edges(g);
	g->degree_stale = 1;
	return g;
}

void xo_idg_free(struct xo_idg *g)
{
	if (!g)
		return;
	xo_big_free(g->rec, g->cap_nodes * sizeof *g->rec);
	xo_big_free(g->parent, g->cap_nodes * sizeof *g->parent);
	xo_big_free(g->size, g->cap_nodes * sizeof *g->size);
	xo_big_free(g->slots, g->n_slots * sizeof *g->slots);
	free_edges(g, g->edge_key, g->edge_count, g->edge_flags, g->edge_slots);
	xo_big_free(g->degree, g->n_degree * sizeof *g->degree);
	for (size_t i = 0; i < g->n_kinds; i++)
		free(g->kinds[i].name);
	free(g->kinds);
	xo_big_free(g->records, g->records_cap);
	free(g);
}

unsigned xo_idg_kind(struct xo_idg *g, const char *kind, size_t len)
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

const char *xo_idg_kind_name(const struct xo_idg *g, unsigned kind)
{
	return g->kinds[kind].name;
}

unsigned xo_idg_kinds(const struct xo_idg *g)
{
	return (unsigned)g->n_kinds;
}

/* Room for a record of a value of len bytes, 8-byte aligned; its
 * offset. Earlier records may move (their offsets stay). */
static uint64_t new_record(struct xo_idg *g, size_t len)
{
	size_t need = (sizeof(struct record) + len + 1 + 7) & ~(size_t)7;
	if (g->records_used == 0)
		g->records_used = 8; /* offset 0 means "no record" */
	if (g->records_used + need > g->records_cap) {
		size_t cap = g->records_cap ? g->records_cap : 1u << 16;
		while (g->records_used + need > cap)
			cap *= 2;
		g->records = xo_big_realloc(g->records, g->records_cap, cap);
		g->records_cap = cap;
	}
	uint64_t off = g->records_used;
	g->records_used += need;
	return off;
}

uint64_t xo_idg_hash_of(const char *kind, const char *value, size_t len)
{
	struct xo_hasher h;
	xo_hasher_init(&h, &XO_HASH_PUBLIC);
	xo_hasher_add(&h, kind, strlen(kind) + 1);
	xo_hasher_add(&h, value, len);
	return xo_hasher_end(&h);
}

/* The table's own hash: fast, used only inside this process. The
 * SipHash that xids are made of is computed once, for new nodes. */
static uint64_t table_hash(unsigned kind, const char *s, size_t len)
{
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)len * UINT64_C(0xff51afd7ed558ccd) ^ kind;
	for (; len >= 8; s += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * UINT64_C(0xbf58476d1ce4e5b9);
		h ^= h >> 29;
	}
	uint64_t w = 0;
	memcpy(&w, s, len);
	return xo_mix64((h ^ w) * UINT64_C(0x94d049bb133111eb));
}

static void resize_nodes(struct xo_idg *g, size_t n_slots)
{
	struct slot *slots = xo_big_calloc(n_slots * sizeof *slots);
	for (size_t i = 0; i < g->n_slots; i++) {
		if (!g->slots[i].off)
			continue;
		size_t j = g->slots[i].hash & (n_slots - 1);
		while (slots[j].off)
			j = (j + 1) & (n_slots - 1);
		slots[j] = g->slots[i];
	}
	xo_big_free(g->slots, g->n_slots * sizeof *g->slots);
	g->slots = slots;
	g->n_slots = n_slots;
}

static void rehash_nodes(struct xo_idg *g)
{
	resize_nodes(g, g->n_slots * 2);
}

/* The slot holding kind/value, or the empty slot where it would go. */
static size_t find_slot(const struct xo_idg *g, uint64_t hash, unsigned kind,
			const char *value, size_t len)
{
	size_t mask = g->n_slots - 1, j = hash & mask;
	for (;; j = (j + 1) & mask) {
		const struct slot *s = &g->slots[j];
		if (!s->off)
			return j;
		if (s->hash != hash)
			continue;
		const struct record *r = record_at(g, s->off);
		if (r->kind == kind && r->len == len && memcmp(r->value, value, len) == 0)
			return j;
	}
}

static void grow_nodes(struct xo_idg *g)
{
	if (g->n_nodes < g->cap_nodes)
		return;
	if (g->n_nodes >= UINT32_MAX - 1)
		xo_die(XO_EXIT_INTERNAL, "more than 4 billion identifiers");
	size_t old = g->cap_nodes, cap = old ? old * 2 : 1024;
	g->rec = xo_big_realloc(g->rec, old * sizeof *g->rec, cap * sizeof *g->rec);
	g->parent = xo_big_realloc(g->parent, old * sizeof *g->parent, cap * sizeof *g->parent);
	g->size = xo_big_realloc(g->size, old * sizeof *g->size, cap * sizeof *g->size);
	g->cap_nodes = cap;
}

xo_node xo_idg_intern(struct xo_idg *g, unsigned kind, const char *value, size_t len,
			int *created)
{
	unsigned flags;
	return xo_idg_intern_flags(g, kind, value, len, created, &flags);
}

xo_node xo_idg_intern_flags(struct xo_idg *g, unsigned kind, const char *value, size_t len,
			      int *created, unsigned *flags)
{
	struct xo_idg_req req = { kind, value, len, 0 };
	req.hash = table_hash(kind, value, len > UINT32_MAX ? UINT32_MAX : len);
	return xo_idg_intern_hashed(g, &req, created, flags);
}

void xo_idg_prefetch(const struct xo_idg *g, struct xo_idg_req *req)
{
	size_t len = req->len > UINT32_MAX ? UINT32_MAX : req->len;
	req->hash = table_hash(req->kind, req->value, len);
	__builtin_prefetch(&g->slots[req->hash & (g->n_slots - 1)]);
}

void xo_idg_prefetch_record(const struct xo_idg *g, const struct xo_idg_req *req)
{
	const struct slot *s = &g->slots[req->hash & (g->n_slots - 1)];
	if (s->off && s->hash == req->hash)
		__builtin_prefetch(g->records + s->off);
}

xo_node xo_idg_intern_hashed(struct xo_idg *g, const struct xo_idg_req *req, int *created,
			       unsigned *flags)
{
	unsigned kind = req->kind;
	const char *value = req->value;
	size_t len = req->len > UINT32_MAX ? UINT32_MAX : req->len;
	uint64_t hash = req->hash;
	size_t j = find_slot(g, hash, kind, value, len);
	if (g->slots[j].off) {
		const struct record *found = record_at(g, g->slots[j].off);
		if (created)
			*created = 0;
		*flags = found->flags;
		return found->node;
	}
	*flags = 0;
	grow_nodes(g);
	xo_node n = (xo_node)g->n_nodes++;
	uint64_t off = new_record(g, len);
	struct record *r = record_at(g, off);
	r->hash = xo_idg_hash_of(g->kinds[kind].name, value, len);
	r->node = n;
	r->len = (uint32_t)len;
	r->kind = (uint16_t)kind;
	r->flags = 0;
	memcpy(r->value, value, len);
	r->value[len] = '\0';
	g->rec[n] = off;
	g->parent[n] = n;
	g->size[n] = 1;
	g->slots[j] = (struct slot){ hash, off };
	if (g->n_nodes * 10 > g->n_slots * 7)
		rehash_nodes(g);
	g->degree_stale = 1;
	if (created)
		*created = 1;
	return n;
}

xo_node xo_idg_lookup(const struct xo_idg *g, unsigned kind, const char *value, size_t len)
{
	uint64_t hash = table_hash(kind, value, len > UINT32_MAX ? UINT32_MAX : len);
	size_t j = find_slot(g, hash, kind, value, len);
	return g->slots[j].off ? record_at(g, g->slots[j].off)->node : XO_NODE_NONE;
}

size_t xo_idg_nodes(const struct xo_idg *g)
{
	return g->n_nodes;
}

unsigned xo_idg_node_kind(const struct xo_idg *g, xo_node n)
{
	return REC(g, n)->kind;
}

const char *xo_idg_value(const struct xo_idg *g, xo_node n, size_t *len)
{
	if (len)
		*len = REC(g, n)->len;
	return REC(g, n)->value;
}

uint64_t xo_idg_hash(const struct xo_idg *g, xo_node n)
{
	return REC(g, n)->hash;
}

unsigned xo_idg_flags(const struct xo_idg *g, xo_node n)
{
	return REC(g, n)->flags;
}

void xo_idg_set_flags(struct xo_idg *g, xo_node n, unsigned flags)
{
	REC(g, n)->flags = (uint8_t)flags;
}

static uint64_t edge_key(xo_node a, xo_node b)
{
	return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static size_t edge_slot(const struct xo_idg *g, uint64_t key)
{
	size_t mask = g->edge_slots - 1, j = xo_mix64(key) & mask;
	while (g->edge_key[j] != EMPTY_EDGE && g->edge_key[j] != key)
		j = (j + 1) & mask;
	return j;
}

static void resize_edges(struct xo_idg *g, size_t slots)
{
	size_t old_slots = g->edge_slots;
	uint64_t *old_key = g->edge_key;
	uint32_t *old_count = g->edge_count;
	uint8_t *old_flags = g->edge_flags;
	g->edge_slots = slots;
	alloc_edges(g);
	for (size_t i = 0; i < old_slots; i++) {
		if (old_key[i] == EMPTY_EDGE)
			continue;
		size_t j = edge_slot(g, old_key[i]);
		g->edge_key[j] = old_key[i];
		g->edge_count[j] = old_count[i];
		g->edge_flags[j] = old_flags[i];
	}
	free_edges(g, old_key, old_count, old_flags, old_slots);
}

static void rehash_edges(struct xo_idg *g)
{
	resize_edges(g, g->edge_slots * 2);
}

/* Slots for n entries at most 70% full. */
static size_t slots_for(size_t n)
{
	size_t slots = 1024;
	while (slots * 7 < n * 10)
		slots *= 2;
	return slots;
}

void xo_idg_reserve(struct xo_idg *g, size_t nodes, size_t edges)
{
	if (slots_for(nodes) > g->n_slots)
		resize_nodes(g, slots_for(nodes));
	if (slots_for(edges) > g->edge_slots)
		resize_edges(g, slots_for(edges));
}

void xo_idg_prefetch_edge(const struct xo_idg *g, xo_node a, xo_node b)
{
	__builtin_prefetch(&g->edge_key[xo_mix64(edge_key(a, b)) & (g->edge_slots - 1)]);
}

unsigned xo_idg_edge(struct xo_idg *g, xo_node a, xo_node b, unsigned flags)
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

int xo_idg_edge_count(struct xo_idg *g, xo_node a, xo_node b, uint32_t n)
{
	size_t j = edge_slot(g, edge_key(a, b));
	if (g->edge_key[j] == EMPTY_EDGE)
		return 0;
	uint32_t c = g->edge_count[j];
	g->edge_count[j] = c > UINT32_MAX - n ? UINT32_MAX : c + n;
	return 1;
}

unsigned xo_idg_edge_flags(const struct xo_idg *g, xo_node a, xo_node b, uint32_t *count)
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

size_t xo_idg_edges(const struct xo_idg *g)
{
	return g->n_edges;
}

void xo_idg_each_edge(const struct xo_idg *g, xo_edge_fn fn, void *ctx)
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

const uint32_t *xo_idg_degrees(struct xo_idg *g)
{
	if (!g->degree_stale)
		return g->degree;
	xo_big_free(g->degree, g->n_degree * sizeof *g->degree);
	g->n_degree = g->n_nodes;
	g->degree = xo_big_calloc(g->n_degree * sizeof *g->degree);
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

xo_node xo_idg_root(struct xo_idg *g, xo_node n)
{
	while (g->parent[n] != n) {
		g->parent[n] = g->parent[g->parent[n]];
		n = g->parent[n];
	}
	return n;
}

int xo_idg_union(struct xo_idg *g, xo_node a, xo_node b)
{
	a = xo_idg_root(g, a);
	b = xo_idg_root(g, b);
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

size_t xo_idg_link_edges(struct xo_idg *g)
{
	size_t joins = 0;
	for (size_t i = 0; i < g->edge_slots; i++) {
		uint64_t k = g->edge_key[i];
		if (k == EMPTY_EDGE || (g->edge_flags[i] & XO_EDGE_CUT))
			continue;
		xo_node a = (xo_node)(k >> 32), b = (xo_node)(k & 0xffffffffu);
		if ((REC(g, a)->flags | REC(g, b)->flags) & XO_NODE_UNLINKABLE)
			continue;
		joins += (size_t)xo_idg_union(g, a, b);
	}
	return joins;
}

void xo_idg_reset_components(struct xo_idg *g)
{
	for (size_t i = 0; i < g->n_nodes; i++) {
		g->parent[i] = (uint32_t)i;
		g->size[i] = 1;
	}
}

uint32_t xo_idg_component_size(struct xo_idg *g, xo_node n)
{
	return g->size[xo_idg_root(g, n)];
}
