#!/bin/bash
# xo-report under hostile input and faults (beyond t0803's hostile data):
# hostile lines of every NDJSON input kind rejected with file, line and
# reason while the page is made from the rest; inputs that cannot be
# opened or fail midway are named on the page (status 3, the page still
# written); a full disk leaves the old page in place (status 4).
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/hostile.sh"
. "$SRC/tests/fault.sh"
R=$TESTDATA/report/run
WRONG='{"nps":"x","p":"high","xid":7,"rank":"first","path":3,"step":[],"decisions":3}'

# Predictions are read in place, only the members used: lines 8 and 10
# (a bad number in a member not read) and 16 (no prediction: counted as
# missing, see t0802) are taken.
for k in metrics:"$HOSTILE_BAD" paths:"$HOSTILE_BAD" funnel:"$HOSTILE_BAD" \
	 decisions:"2 4 6 8 12 16 17" predictions:"2 4 6 12 17"; do
	kind=${k%%:*} want=${k#*:}
	test_expect_success "--$kind: hostile lines rejected with file and line, the page made from the rest" "
		hostile_mix $R/$kind.ndjson '$WRONG' in &&
		code=0; xo-report --$kind in -o page -r rej >out 2>err || code=\$?
		test \$code = 1 && test \"\$(rejected_lines rej)\" = '$want' &&
		grep -q '^xo-report: in:2: rejected: invalid JSON at column 2093: \(maximum parsing depth reached\|nesting too deep\)' err &&
		grep -q '</html>' page && test ! -s out
	"
done
test_expect_success 'inputs that cannot be opened or fail midway: named on the page, status 3' '
	mkdir dir &&
	code=0; xo-report --metrics $R/metrics.ndjson --paths missing --funnel dir \
		--predictions /proc/self/mem --review /proc/self/mem -o page 2>err || code=$?
	test $code = 3 &&
	grep -q "^xo-report: /proc/self/mem: read error: Input/output error$" err &&
	test $(grep -o "read error: Input/output error" page | wc -l) -ge 2 &&
	grep -q "No such file or directory" page && grep -q "Is a directory" page &&
	grep -q "id=\"card-nps\"" page
'
test_expect_success 'a full disk: status 4, the old page kept, no temporary file left' '
	echo old >page &&
	code=0; at_fault full 1 xo-report -d $R -o page 2>err || code=$?
	test $code = 4 && grep -q "^xo-report: page: write failed: No space left on device$" err &&
	test "$(cat page)" = old && test -z "$(ls -A | grep "^\.")" &&
	code=0; xo-report -d $R >/dev/full 2>err || code=$?
	test $code = 4 && grep -q "No space left on device" err
'
test_done
