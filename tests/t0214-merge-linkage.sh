#!/bin/bash
# xo-merge --spec: probabilistic linking (xo-linkage(5)).
. "$(dirname "$0")/lib.sh"
D=$TESTDATA/merge

# people.spec fixes m, u and the prior, so every weight can be worked out
# by hand: log2(m/u) is 6.4919 (first exact), 1.8074 (first jw), 7.4919
# (last exact), 2.8074 (last jw), 9.8918 (dob exact), 3 (city exact),
# -5.6132 (dob else), -2.1699 (city else); the prior log2(0.01/0.99) is
# -6.6294 and the threshold 0.9 is 3.1699 bits. Candidates (same last
# name or same birth date): Russo, Esposito, Bianchi, Ferrari x3, and
# Romano/Romani (same date): 7 pairs. Links:
#   Giovanni/Giovani Russo (jw 0.975): -6.6294+1.8074+7.4919+9.8918+3 = 15.5616
#   Francesca Romano/Romani (jw 0.933): the same, 15.5616
#   Luca Bianchi twice, no date on one (null: 0): 10.3543
#   Paolo Ferrari twice: 20.2461 (the second has an e-mail, which the
#   survey event shares: all three are one customer)
# Not links: the two Maria Esposito (born 18 years apart, other city):
# -0.4287; Paolo/Paola Ferrari (jw 0.92, 3.5 years apart): 0.0567.
test_expect_success 'records without a shared identifier are matched' '
	xo-merge -q --spec $D/people.spec $D/people.ndjson >actual &&
	test_cmp "$EXPECT/merge/people.ndjson" actual &&
	test "$(jq -r .xid actual | sort -u | wc -l)" = 7
'

test_expect_success 'each link with its weight and the evidence of each field' '
	xo-merge -q --spec $D/people.spec --pairs $D/people.ndjson >actual &&
	test_cmp "$EXPECT/merge/people.pairs" actual
'

test_expect_success 'the same links whatever the order of the input' '
	tac $D/people.ndjson | xo-merge -q --spec $D/people.spec --pairs=pairs >events &&
	test_cmp "$EXPECT/merge/people.pairs" pairs &&
	jq -c "[.id,.xid]" events | sort >got &&
	jq -c "[.id,.xid]" "$EXPECT/merge/people.ndjson" | sort >want &&
	test_cmp want got
'

test_expect_success 'the model and the counts in the report and the summary' '
	xo-merge --spec $D/people.spec --report report $D/people.ndjson >/dev/null 2>err &&
	jq -c "select(.model) | [.model.prior, .model.threshold, .model.comparisons.dob[0]]" report >got &&
	echo "[0.01,0.9,{\"level\":\"exact\",\"m\":0.95,\"u\":0.001,\"weight\":9.8918}]" >want &&
	test_cmp want got &&
	grep -q "4 probabilistic links from 7 candidate pairs" err
'

# --link crm webform: only pairs across the files; all four links are.
test_expect_success '--link: records of one file against the other' '
	jq -c "select(.source == \"crm\")" $D/people.ndjson >crm &&
	jq -c "select(.source != \"crm\")" $D/people.ndjson >other &&
	xo-merge --spec $D/people.spec --link crm other --pairs=pairs >/dev/null 2>err &&
	grep -q "4 probabilistic links from 5 candidate pairs" err &&
	jq -r "[.a.event,.b.event]|@tsv" pairs | sort >got &&
	jq -r "[.a.event,.b.event]|@tsv" "$EXPECT/merge/people.pairs" | sort >want &&
	test_cmp want got
'

spec_error() {
	printf "%b" "$1" >bad.spec &&
	{ xo-merge --spec bad.spec $D/people.ndjson >/dev/null 2>err; echo $? >code; } ;
	test "$(cat code)" = 2 && grep -q "bad.spec:$2" err
}

test_expect_success 'spec errors name file, line and reason' '
	base="field a attrs.a\nblock a\n" &&
	spec_error "${base}compare a\n\tjw >= 1.5\n" "4: jw: expected a number from 0 to 1" &&
	spec_error "${base}compare a\n\tlev <= 1.5\n" "4: lev<=1.5: edit distances are whole numbers" &&
	spec_error "${base}compare a\n\tdays <= 3\n" "4: days<=3 compares dates" &&
	spec_error "${base}compare b\n" "3: compare b: no field" &&
	spec_error "${base}compare a\n\tsoundslike\n" "4: unknown statement \"soundslike\"" &&
	spec_error "${base}\texact\n" "3: a level outside a comparison" &&
	spec_error "${base}block prefix(a)\n" "3: blocking key \"prefix(a)\": expected (FIELD,N)" &&
	spec_error "${base}threshold 1\n" "3: threshold: expected a number" &&
	spec_error "field a attrs[\n" "1: field a: bad path" &&
	spec_error "field a attrs.a extract=(\n" "1: field a: bad pattern" &&
	spec_error "field a attrs.a\ncompare a\n\texact\n" " no blocking rules" &&
	spec_error "${base}compare a\n\texact\nmodel fixed\n" "3: model fixed: comparison a level exact has no m="
'

test_expect_code 3 'a spec that cannot be read' '
	xo-merge --spec no-such.spec $D/people.ndjson
'

test_done
