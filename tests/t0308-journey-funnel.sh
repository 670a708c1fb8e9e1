#!/bin/bash
# xo-journey --funnel: conversion through ordered steps within a window.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey
E=$EXPECT/journey
F='web:web\.pageview,web:cart\.add,web:order\.placed'

# shop.ndjson (times in 2026):
#   c1 pv 03-01 10:00, cart 10:05 (300 s), order 10:20 (900 s): 3 steps
#   c2 pv 09:00, cart 09:10 (600 s): 2
#   c3 pv: 1
#   c4 cart 10:00 then pv 11:00: the cart comes before the pv: 1
#   c5 pv 01-01, cart 01-20 (19 d = 1641600 s), order 02-15 (45 d after
#      the pv: outside a 30 d window): 2
#   c6 pv 01-01, pv 02-10, cart 02-11, order 02-12: the second attempt
#      gets through (86400 s, 86400 s): 3
#   c7 no pv: not in the funnel.
# Step 1: 6. Step 2: c1 c2 c5 c6 = 4 (4/6 = 0.6667); gaps 300 600 86400
# 1641600: median (600 + 86400) / 2 = 43500. Step 3: c1 c6 = 2 (0.3333
# of 6, 0.5 of 4); gaps 900 86400: median 43650.
test_expect_success 'conversion and median times (NDJSON)' '
	xo-journey -q --funnel "$F" "$J/shop.ndjson" >actual &&
	cat >expected <<-\EOT &&
	{"funnel":"funnel","step":1,"match":"web:web\\.pageview","customers":6,"conversion":1,"step_conversion":1,"median_s":null}
	{"funnel":"funnel","step":2,"match":"web:cart\\.add","customers":4,"conversion":0.6667,"step_conversion":0.6667,"median_s":43500}
	{"funnel":"funnel","step":3,"match":"web:order\\.placed","customers":2,"conversion":0.3333,"step_conversion":0.5,"median_s":43650}
	EOT
	test_cmp expected actual
'

# With 60 d c5 gets through too (order 45 d after its pv): step 3 has
# 3 customers (0.5 of 6, 0.75 of 4), gaps 900 86400 2246400 (26 d):
# median 86400.
test_expect_success '--window' '
	xo-journey -q --funnel "$F" --window 60d --format tsv "$J/shop.ndjson" >actual &&
	tab=$(printf "\t") &&
	sed "s/<TAB>/$tab/g" >expected <<-\EOT &&
	step<TAB>match<TAB>customers<TAB>conversion<TAB>step_conversion<TAB>median_s
	1<TAB>web:web\\.pageview<TAB>6<TAB>1<TAB>1<TAB>
	2<TAB>web:cart\\.add<TAB>4<TAB>0.6667<TAB>0.6667<TAB>43500
	3<TAB>web:order\\.placed<TAB>3<TAB>0.5<TAB>0.75<TAB>86400
	EOT
	test_cmp expected actual
'

test_expect_success 'a funnel from the patterns file' '
	xo-journey -q --patterns "$J/patterns.conf" --funnel shop "$J/shop.ndjson" | jq -c "[.funnel, .customers]" >actual &&
	printf "%s\n" "[\"shop\",6]" "[\"shop\",4]" "[\"shop\",2]" >expected &&
	test_cmp expected actual
'

# A step is a pattern on a whole token: "web:web" alone matches nothing.
test_expect_success 'steps match whole tokens' '
	xo-journey -q --funnel "web:web,web:cart\\.add" "$J/shop.ndjson" | jq -c .customers >actual &&
	printf "0\n0\n" >expected &&
	test_cmp expected actual
'

test_expect_success 'the funnel as DOT' '
	xo-journey -q --funnel "$F" --format dot "$J/shop.ndjson" >actual &&
	test_cmp "$E/shop-funnel.dot" actual
'

test_expect_code 2 'one step is not a funnel' 'xo-journey --funnel "web:.*," "$J/shop.ndjson"'
test_expect_code 2 'an unknown funnel name' 'xo-journey --funnel nope "$J/shop.ndjson"'
test_expect_code 2 '--window without --funnel' 'xo-journey --window 7d "$J/shop.ndjson"'

test_done
