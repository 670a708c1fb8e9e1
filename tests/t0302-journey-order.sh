#!/bin/bash
# xo-journey: steps in order of ts, then id (bytes), then input order
# (files in command-line order, then lines); ties and odd ids.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey

# ties.ndjson then ties2.ndjson, all at 2026-03-01T10:00:00Z except
# a.earlier (09:59:59.5); a.offset is 11:00+01:00, the same instant.
# By id: none (a.noid) < 00..aa (a.first, then a.file2 from the second
# file) < 00..ab (a.offset) < 00..bb (a.second, then a.dup1, later in
# the file) < "ZZ-not-hex" ('Z' sorts after digits).
test_expect_success 'ties broken by id, then input order' '
	xo-journey -q "$J/ties.ndjson" "$J/ties2.ndjson" | jq -r ".steps[].type" >actual &&
	printf "%s\n" a.earlier a.noid a.first a.file2 a.offset a.second a.dup1 a.nonhex >expected &&
	test_cmp expected actual
'

test_expect_success 'fractions and offsets are written in UTC' '
	xo-journey -q "$J/ties.ndjson" | jq -r ".steps[0].ts, .steps[4].ts, (.steps[1] | has(\"id\"))" >actual &&
	printf "%s\n" 2026-03-01T09:59:59.500Z 2026-03-01T10:00:00Z false >expected &&
	test_cmp expected actual
'

test_expect_success 'file order matters only for ties' '
	xo-journey -q "$J/ties2.ndjson" "$J/ties.ndjson" | jq -r ".steps[].type" >actual &&
	printf "%s\n" a.earlier a.noid a.file2 a.first a.offset a.second a.dup1 a.nonhex >expected &&
	test_cmp expected actual
'

test_expect_success '--sorted gives the same order' '
	cat "$J/ties.ndjson" "$J/ties2.ndjson" | xo-journey -q --sorted >a &&
	xo-journey -q "$J/ties.ndjson" "$J/ties2.ndjson" >b &&
	test_cmp a b
'

# Customers come out in order of their first event in the input.
test_expect_success 'customers in order of first appearance' '
	xo-journey -q "$J/episodes.ndjson" "$J/anna.ndjson" | jq -r .xid >actual &&
	printf "%s\n" x-res x-timeout x-keyed x-onb x-anna >expected &&
	test_cmp expected actual
'

test_done
