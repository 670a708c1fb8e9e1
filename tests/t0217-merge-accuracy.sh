#!/bin/bash
# xo-merge --spec on public benchmark data with ground truth (../shared):
# the small sets, as a guard against regressions; scripts/bench-merge
# measures them all.
. "$(dirname "$0")/lib.sh"
ER=$SHARED/data/er
L=$TESTDATA/merge/linkage
test -d "$ER" || { echo "1..0 # SKIP no benchmark data in $ER"; exit 0; }

f1_of() {
	"$SRC/scripts/merge/score" --truth "$1" "$2" | jq -r ".clusters.f1"
}

# Febrl 1: 500 people, each with exactly one duplicate; every pair found.
test_expect_success 'febrl1: all 500 pairs, no false ones' '
	xo-ingest -q -m $L/febrl.map -s febrl1 "$ER/febrl/dataset1.csv" >events &&
	xo-merge -q --spec $L/febrl1.spec events >out &&
	"$SRC/scripts/merge/score" --truth attrs.rec_id out | jq -c .clusters >got &&
	echo "{\"tp\":500,\"fp\":0,\"fn\":0,\"precision\":1,\"recall\":1,\"f1\":1}" >want &&
	test_cmp want got
'

# Splink's published F1 on fake_1000 is 0.806 (at p >= 0.5).
test_expect_success 'fake_1000: F1 over 0.9' '
	xo-ingest -q -m $L/splink.map -s fake "$ER/splink/fake_1000.csv" >events &&
	xo-merge -q --spec $L/fake_1000.spec events >out &&
	test "$(f1_of attrs.cluster out | awk "{ print (\$1 > 0.9) }")" = 1
'

# The ground truth never reaches the model: without rec_id the result
# is the same.
test_expect_success 'the truth column is not used' '
	xo-ingest -q -m $L/febrl.map -s febrl1 "$ER/febrl/dataset1.csv" >events &&
	xo-merge -q --spec $L/febrl1.spec events | jq -c "[.id, .xid]" >with &&
	jq -c "del(.attrs.rec_id)" events | xo-merge -q --spec $L/febrl1.spec | jq -c "[.id, .xid]" >without &&
	test_cmp with without
'

test_done
