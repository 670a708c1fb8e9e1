#!/bin/bash
# xo-journey --paths, --transitions, --map: aggregates across customers.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey
E=$EXPECT/journey

# shop.ndjson, seven customers (pv = web:web.pageview, cart =
# web:cart.add, order = web:order.placed, email = email:email.question):
#   c1 pv cart order   c2 pv cart   c3 pv   c4 cart pv
#   c5 pv cart order   c6 pv pv cart order   c7 email
# Paths: [pv cart order] 2 of 7 = 0.2857, then the five counted once
# (1/7 = 0.1429) by their node names: email < cart... < pv, a prefix
# before what extends it.
test_expect_success 'top paths (NDJSON)' '
	xo-journey -q --paths "$J/shop.ndjson" | jq -c "[.rank, .count, .share, .length, .path]" >actual &&
	cat >expected <<-\EOT &&
	[1,2,0.2857,3,["web:web.pageview","web:cart.add","web:order.placed"]]
	[2,1,0.1429,1,["email:email.question"]]
	[3,1,0.1429,2,["web:cart.add","web:web.pageview"]]
	[4,1,0.1429,1,["web:web.pageview"]]
	[5,1,0.1429,2,["web:web.pageview","web:cart.add"]]
	[6,1,0.1429,4,["web:web.pageview","web:web.pageview","web:cart.add","web:order.placed"]]
	EOT
	test_cmp expected actual
'

# --collapse makes c6 pv cart order too: 3 of 7 = 0.4286.
test_expect_success '--collapse, --top, --min-count, TSV' '
	xo-journey -q --paths --collapse --top 2 --format tsv "$J/shop.ndjson" >actual &&
	printf "rank\tcount\tshare\tlength\tpath\n1\t3\t0.4286\t3\tweb:web.pageview > web:cart.add > web:order.placed\n2\t1\t0.1429\t1\temail:email.question\n" >expected &&
	test_cmp expected actual &&
	xo-journey -q --paths --collapse --min-count 2 "$J/shop.ndjson" | jq -c .count >actual &&
	echo 3 >expected &&
	test_cmp expected actual
'

# --max-len 2: c1, c5 and c6 are cut after two nodes.
test_expect_success '--max-len ends long paths in (more)' '
	xo-journey -q --paths --max-len 2 --top 1 "$J/shop.ndjson" | jq -c "[.count, .path]" >actual &&
	echo "[2,[\"web:web.pageview\",\"web:cart.add\",\"(more)\"]]" >expected &&
	test_cmp expected actual
'

# --by channel --collapse: six customers are just "web", one "email".
test_expect_success '--by channel' '
	xo-journey -q --paths --by channel --collapse "$J/shop.ndjson" | jq -c "[.count, .path]" >actual &&
	printf "%s\n" "[6,[\"web\"]]" "[1,[\"email\"]]" >expected &&
	test_cmp expected actual
'

# Sessions as units: c5 and c6 have one session per step (days apart).
# Sessions: c1 1, c2 1, c3 1, c4 2 (cart 10:00, pv 11:00: 1h > 30m),
# c5 3, c6 4, c7 1 = 13 units; [pv] alone: c3, c4, c5, c6 x2 = 5.
test_expect_success '--unit session' '
	xo-journey -q --paths --unit session --top 1 "$J/shop.ndjson" | jq -c "[.count, .share, .path]" >actual &&
	echo "[5,0.3846,[\"web:web.pageview\"]]" >expected &&
	test_cmp expected actual
'

# Transitions: (start)->pv 5 (of 7 starts), pv->cart 4 (pv is left 7
# times: cart 4, (end) 2, pv 1), cart->order 3 (cart left 5 times),
# order->(end) 3, pv->(end) 2 (c3, c4), then those counted once, from
# (start) first, (end) last.
test_expect_success 'transitions (NDJSON)' '
	xo-journey -q --transitions "$J/shop.ndjson" | jq -c "[.from, .to, .count, .share]" >actual &&
	cat >expected <<-\EOT &&
	["(start)","web:web.pageview",5,0.7143]
	["web:web.pageview","web:cart.add",4,0.5714]
	["web:cart.add","web:order.placed",3,0.6]
	["web:order.placed","(end)",3,1]
	["web:web.pageview","(end)",2,0.2857]
	["(start)","email:email.question",1,0.1429]
	["(start)","web:cart.add",1,0.1429]
	["email:email.question","(end)",1,1]
	["web:cart.add","web:web.pageview",1,0.2]
	["web:cart.add","(end)",1,0.2]
	["web:web.pageview","web:web.pageview",1,0.1429]
	EOT
	test_cmp expected actual
'

test_expect_success 'the transition matrix (TSV)' '
	xo-journey -q --transitions --format tsv "$J/shop.ndjson" >actual &&
	printf "from\temail:email.question\tweb:cart.add\tweb:order.placed\tweb:web.pageview\t(end)\n" >expected &&
	printf "(start)\t1\t1\t0\t5\t0\n" >>expected &&
	printf "email:email.question\t0\t0\t0\t0\t1\n" >>expected &&
	printf "web:cart.add\t0\t0\t3\t1\t1\n" >>expected &&
	printf "web:order.placed\t0\t0\t0\t0\t3\n" >>expected &&
	printf "web:web.pageview\t0\t4\t0\t1\t2\n" >>expected &&
	test_cmp expected actual
'

# The map: nodes labelled with their volume (flow in; (start): units),
# edges with their count and a width of 1 + 9 * count / 5.
test_expect_success 'the journey map (DOT)' '
	xo-journey -q --map "$J/shop.ndjson" >actual &&
	test_cmp "$E/shop-map.dot" actual &&
	xo-journey -q --transitions --format dot "$J/shop.ndjson" >again &&
	test_cmp actual again
'

test_expect_success 'dot renders the map and the path tree' '
	if ! command -v dot >/dev/null; then echo "# no graphviz: skipped"; exit 0; fi
	xo-journey -q --map "$J/shop.ndjson" | dot -Tsvg >map.svg &&
	grep -q "<svg" map.svg &&
	xo-journey -q --paths --format dot "$J/shop.ndjson" | dot -Tsvg >paths.svg &&
	grep -q "<svg" paths.svg
'

# The path tree: (start) 7, pv 5 (paths 1, 4, 5, 6), pv>cart 3 ...
test_expect_success 'the top paths as a tree (DOT)' '
	xo-journey -q --paths --format dot "$J/shop.ndjson" >actual &&
	test_cmp "$E/shop-paths.dot" actual
'

test_expect_code 2 'dot is not a format for journey records' 'xo-journey --format dot "$J/shop.ndjson"'
test_expect_code 2 'one report at a time' 'xo-journey --paths --transitions "$J/shop.ndjson"'
test_expect_code 2 'an unknown --unit' 'xo-journey --paths --unit day "$J/shop.ndjson"'

test_done
