#!/bin/bash
# xo-merge --profiles, traits and their survivorship rules, and --pairs.
. "$(dirname "$0")/lib.sh"
T="-t name=attrs.name -t name_first=attrs.name:first -t city=attrs.city:frequent"
T="$T -t segment=attrs.segment:priority=crm,shop"

# Checked by hand for Giulia (C-7001): 5 events from 01-05 to 02-15;
# name: the latest non-empty is "giulia ferri" (02-10; 02-01 had ""),
# the first "Giulia Ferri"; city: Roma 2 (01-05, 02-15) and Milano 2
# (01-20, 02-01), a tie that the latest sighting breaks: Roma; segment:
# crm comes first in the priority list and said "gold" (shop said silver,
# then platinum); nps 7 then 9: latest 9, mean 8, n 2; csat 4 once.
# Luca: no city anywhere, so no city trait; ces 6 once.
test_expect_success 'profiles with traits' '
	xo-merge -q --profiles $T $TESTDATA/merge/traits.ndjson >actual &&
	test_cmp "$EXPECT/merge/traits.profiles" actual
'

# Anna: 5 events, not 6 (one row is repeated with the same id): the
# email in 3 (signup, call, survey), the phone in 2 (call, order), C-1001
# in 2 (order, chat). The web visits: 1 event each, no identifiers.
test_expect_success 'profiles count each event once, list identifiers with counts' '
	xo-merge -q --profiles $TESTDATA/merge/basic.ndjson >actual &&
	test_cmp "$EXPECT/merge/basic.profiles" actual
'

test_expect_success '--profiles=FILE beside the events on standard output' '
	xo-merge -q --profiles=p.ndjson $TESTDATA/merge/basic.ndjson >events &&
	test_cmp "$EXPECT/merge/basic.profiles" p.ndjson &&
	test_cmp "$EXPECT/merge/basic.ndjson" events
'

# Anna: email-phone (the call), phone-C-1001 (the order, counted once);
# Bruno: C-1002-email (order), and the three of the app login.
test_expect_success '--pairs: the links, with the events behind each' '
	xo-merge -q --pairs $TESTDATA/merge/basic.ndjson >actual &&
	test_cmp "$EXPECT/merge/basic.pairs" actual
'

test_expect_success '--pairs=FILE and --profiles together' '
	xo-merge -q --pairs=pairs --profiles $TESTDATA/merge/basic.ndjson >profiles &&
	test_cmp "$EXPECT/merge/basic.pairs" pairs &&
	test_cmp "$EXPECT/merge/basic.profiles" profiles
'

test_expect_success 'profiles and pairs the same whatever the input order' '
	grep . $TESTDATA/merge/basic.ndjson | tac >reversed &&
	xo-merge -q --profiles --pairs=pairs reversed >profiles &&
	test_cmp "$EXPECT/merge/basic.pairs" pairs &&
	test_cmp "$EXPECT/merge/basic.profiles" profiles
'

test_expect_code 2 '--profiles and --pairs cannot both take standard output' '
	xo-merge --profiles --pairs $TESTDATA/merge/basic.ndjson
'

test_expect_success 'bad traits are usage errors' '
	test "$(code_of xo-merge -t name $TESTDATA/merge/basic.ndjson)" = 2 &&
	test "$(code_of xo-merge -t "name=attrs.name:newest" $TESTDATA/merge/basic.ndjson)" = 2 &&
	test "$(code_of xo-merge -t "name=attrs[:recent" $TESTDATA/merge/basic.ndjson)" = 2 &&
	test "$(code_of xo-merge -t a=x -t a=y $TESTDATA/merge/basic.ndjson)" = 2
'

test_expect_success 'a trait path with quotes and brackets' '
	printf "%s\n" "{\"ts\":\"2026-01-01T00:00:00Z\",\"id\":\"0000000000000001\",\"ids\":{\"email\":\"a@b.it\"},\"attrs\":{\"Full Name\":\"A B\",\"n\":[1,{\"k\":2}]}}" >ev &&
	xo-merge -q --profiles -t "full=attrs[\"Full Name\"]" -t "k=attrs.n[1].k:first" ev |
		jq -c .traits >actual &&
	echo "{\"full\":\"A B\",\"k\":2}" >want &&
	test_cmp want actual
'

test_done
