/* lib/idgraph, lib/idnorm, lib/xidassign: interning, links, degrees,
 * union-find, placeholders, and xids. Every expected value below was
 * worked out by hand from the graph drawn in the comment before it. */
#include <stdlib.h>

#include "idnorm.h"
#include "idgraph.h"
#include "unit.h"
#include "xidassign.h"

static xo_node id(struct xo_idg *g, const char *kind, const char *value)
{
	return xo_idg_intern(g, xo_idg_kind(g, kind, strlen(kind)), value, strlen(value), NULL);
}

static void test_graph(void)
{
	struct xo_idg *g = xo_idg_new();
	int created;
	unsigned email = xo_idg_kind(g, "email", 5);
	xo_node a = xo_idg_intern(g, email, "a@x.it", 6, &created);
	CHECK(created, "a new identifier is created");
	CHECK_INT(xo_idg_intern(g, email, "a@x.it", 6, &created), a, "the same value is the same node");
	CHECK(!created, "and not created twice");
	xo_node pa = id(g, "phone", "a@x.it");
	CHECK(pa != a, "the same value of another kind is another node");
	CHECK_INT(xo_idg_lookup(g, email, "b@x.it", 6), XO_NODE_NONE, "lookup of an unknown value");
	CHECK_INT(xo_idg_hash(g, a), xo_idg_hash_of("email", "a@x.it", 6), "hash of kind NUL value");
	/* a - b - c, d - e, and f alone: three components. */
	xo_node b = id(g, "phone", "+391"), c = id(g, "customer", "C1");
	xo_node d = id(g, "email", "d@x.it"), e = id(g, "phone", "+392"), f = id(g, "email", "f@x.it");
	xo_idg_edge(g, a, b, 0);
	xo_idg_edge(g, b, c, 0);
	xo_idg_edge(g, c, b, 0); /* the same edge, either way round */
	xo_idg_edge(g, d, e, 0);
	CHECK_INT(xo_idg_edges(g), 3, "three distinct edges");
	CHECK(xo_idg_edge_count(g, a, b, 2), "counting an edge that exists");
	CHECK(!xo_idg_edge_count(g, a, c, 1), "no edge a-c to count");
	uint32_t count;
	xo_idg_edge_flags(g, b, a, &count);
	CHECK_INT(count, 2, "its count");
	const uint32_t *deg = xo_idg_degrees(g);
	CHECK_INT(deg[b], 2, "b has two neighbours");
	CHECK_INT(deg[f], 0, "f has none");
	CHECK_INT(xo_idg_link_edges(g), 3, "three joins");
	CHECK(xo_idg_root(g, a) == xo_idg_root(g, c), "a and c are one customer (through b)");
	CHECK(xo_idg_root(g, a) != xo_idg_root(g, d), "a and d are not");
	CHECK_INT(xo_idg_component_size(g, c), 3, "a, b, c");
	/* With b a hub, nothing joins a and c. */
	xo_idg_reset_components(g);
	xo_idg_set_flags(g, b, XO_NODE_HUB);
	CHECK_INT(xo_idg_link_edges(g), 1, "only d-e joins");
	CHECK(xo_idg_root(g, a) != xo_idg_root(g, c), "a and c apart without b");
	/* A cut edge counts for nothing. */
	xo_idg_set_flags(g, b, 0);
	xo_idg_edge(g, b, c, XO_EDGE_CUT);
	deg = xo_idg_degrees(g);
	CHECK_INT(deg[b], 1, "a cut edge is no neighbour");
	xo_idg_reset_components(g);
	xo_idg_link_edges(g);
	CHECK(xo_idg_root(g, a) != xo_idg_root(g, c), "nor a link");
	CHECK(xo_idg_root(g, a) == xo_idg_root(g, b), "a-b still links");
	xo_idg_free(g);
}

static void test_norm(void)
{
	struct xo_buf b = XO_BUF_INIT;
	xo_idnorm("email", " Anna.Rossi@Example.IT ", 23, &b);
	CHECK_STR(xo_buf_str(&b), "anna.rossi@example.it", "email trimmed and lower-cased");
	xo_idnorm("phone", "+39 (347) 123-45.67", 19, &b);
	CHECK_STR(xo_buf_str(&b), "+393471234567", "phone: + and digits");
	xo_idnorm("handle", "@AnnaR", 6, &b);
	CHECK_STR(xo_buf_str(&b), "annar", "handle without @");
	xo_idnorm("customer", " C-1001\t", 8, &b);
	CHECK_STR(xo_buf_str(&b), "C-1001", "customer number trimmed, case kept");
	xo_buf_free(&b);

	struct xo_placeholders *p = xo_placeholders_new(1);
	struct { const char *kind, *value; int want; } cases[] = {
		{ "email", "unknown", 1 },          { "customer", "N/A", 1 },
		{ "email", "noreply@shop.it", 1 },  { "email", "no-reply@shop.it", 1 },
		{ "email", "anna@example.com", 1 }, { "email", "x@test.invalid", 1 },
		{ "email", "xxxx@shop.it", 1 },     { "email", "anna@shop.it", 0 },
		{ "phone", "+390000000000", 1 },    { "phone", "+393331234567", 1 },
		{ "phone", "+393339876543", 1 },    { "phone", "+393471907263", 0 },
		{ "customer", "0000000", 1 },       { "customer", "C-1001", 0 },
		{ "device", "-", 1 },               { "device", "ab12", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_INT(xo_placeholder(p, cases[i].kind, cases[i].value, strlen(cases[i].value)),
			  cases[i].want, cases[i].value);
	struct xo_buf why = XO_BUF_INIT;
	CHECK_INT(xo_placeholders_add(p, "email:*@spam.example.org", &why), 0, "a kind glob");
	CHECK_INT(xo_placeholders_add(p, "  # a comment", &why), 0, "a comment");
	CHECK_INT(xo_placeholders_add(p, "*:TBA", &why), 0, "any kind, spelled out");
	CHECK_INT(xo_placeholders_add(p, "email:", &why), -1, "an empty pattern is an error");
	CHECK_INT(xo_placeholder(p, "email", "Bob@Spam.Example.Org", 20), 1, "glob, case ignored");
	CHECK_INT(xo_placeholder(p, "device", "bob@spam.example.org", 20), 0, "glob for one kind only");
	CHECK_INT(xo_placeholder(p, "customer", "tba", 3), 1, "*:TBA");
	xo_buf_free(&why);
	xo_placeholders_free(p);
	p = xo_placeholders_new(0);
	CHECK_INT(xo_placeholder(p, "email", "unknown", 7), 0, "no built-in list when asked");
	CHECK_INT(xo_placeholder(p, "email", "", 0), 1, "empty is never an identifier");
	xo_placeholders_free(p);
}

/* The stored xid of each node, for assignments with a state. */
static uint64_t stored[8];

static int older_first(void *ctx, uint64_t a, uint64_t b)
{
	/* Pretend xid 0x500 was seen first. */
	if (a == 0x500)
		return -1;
	if (b == 0x500)
		return 1;
	return a < b ? -1 : 1;
}

static void test_assign(void)
{
	char x[XO_XID_LEN + 1];
	xo_xid_format(0x1a2b, x);
	CHECK_STR(x, "x0000000000001a2b", "xid form");
	uint64_t v;
	CHECK(xo_xid_parse("x0000000000001a2b", 17, &v) == 0 && v == 0x1a2b, "xid parsed back");
	CHECK(xo_xid_parse("x0000000000001A2B", 17, &v) != 0, "upper case is not an xid");

	/* Without a state: the xid is the smallest hash in the component. */
	struct xo_idg *g = xo_idg_new();
	xo_node a = id(g, "email", "a@x.it"), b = id(g, "phone", "+391"), c = id(g, "email", "c@x.it");
	xo_idg_edge(g, a, b, 0);
	xo_idg_link_edges(g);
	struct xo_assign as;
	struct xo_assign_rules none = { 0 };
	xo_assign_run(&as, g, &none);
	uint64_t ha = xo_idg_hash(g, a), hb = xo_idg_hash(g, b);
	CHECK_INT(as.xid[a], ha < hb ? ha : hb, "component a-b: the smaller hash");
	CHECK_INT(as.xid[b], as.xid[a], "b has a's xid");
	CHECK_INT(as.xid[c], xo_idg_hash(g, c), "c alone: its own hash");
	CHECK_INT(as.customers, 2, "two customers");
	CHECK_INT(as.n_merges, 0, "no merges without a state");
	xo_assign_free(&as);

	/* With a state: a and b were 0x500 and 0x700, c was 0x900; now a-b-c
	 * are linked. 0x500 survives (seen first), 0x700 and 0x900 merge
	 * into it; the absorbed side of 0x700 is b alone. */
	xo_idg_edge(g, b, c, 0);
	xo_idg_reset_components(g);
	xo_idg_link_edges(g);
	stored[a] = 0x500;
	stored[b] = 0x700;
	stored[c] = 0x900;
	struct xo_assign_rules rules = { stored, 3, NULL, older_first, NULL };
	xo_assign_run(&as, g, &rules);
	CHECK_INT(as.xid[c], 0x500, "the survivor's xid");
	CHECK_INT(as.n_merges, 2, "two merges");
	for (size_t i = 0; i < as.n_merges; i++) {
		const struct xo_merge_event *m = &as.merges[i];
		CHECK_INT(m->survivor, 0x500, "merged into the survivor");
		CHECK_INT(m->n_members, 1, "one identifier came with it");
		CHECK_INT(m->members[0], m->absorbed == 0x700 ? b : c, "the absorbed side");
		CHECK(m->cause_a != XO_NODE_NONE, "with a cause");
	}
	xo_assign_free(&as);

	/* The link b-c cut: a-b keep 0x500; c alone has 0x500 too now (say a
	 * merge was recorded), but the part with more of 0x500's nodes keeps
	 * it and c is detached under a new xid. */
	xo_idg_edge(g, b, c, XO_EDGE_CUT);
	xo_idg_reset_components(g);
	xo_idg_link_edges(g);
	stored[a] = stored[b] = stored[c] = 0x500;
	xo_assign_run(&as, g, &rules);
	CHECK_INT(as.xid[a], 0x500, "the larger part keeps the xid");
	CHECK_INT(as.n_detaches, 1, "one part detached");
	CHECK_INT(as.xid[c], xo_idg_hash(g, c), "under its own smallest hash");
	CHECK_INT(as.detaches[0].from, 0x500, "detached from 0x500");
	xo_assign_free(&as);
	xo_idg_free(g);
}

int main(void)
{
	test_graph();
	test_norm();
	test_assign();
	return unit_done();
}
