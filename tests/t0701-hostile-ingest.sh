#!/bin/bash
# xo-ingest under hostile input and faults, beyond t0011 (invalid UTF-8
# and NUL bytes in CSV, a full disk on standard output, 10 MB CSV fields)
# and t0012 (regexes that backtrack forever): hostile NDJSON and JSON
# arrays, truncated files, hostile maps, read errors midway, and a full
# disk for the reject file.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/hostile.sh"
. "$SRC/tests/fault.sh"
I=$TESTDATA/ingest

# Lines 7 and 13 are posts of social.ndjson without a user (bad on
# purpose); line 14 is a good post with a 10 MB member.
test_expect_success 'NDJSON (social preset): hostile lines rejected with file, line and reason' '
	grep -v "^$" $I/social.ndjson | head -4 >good &&
	hostile_mix good "{\"id\":12,\"created_at\":[],\"user\":{\"screen_name\":7},\"text\":{}}" in &&
	code=0; xo-ingest -p social --rejects rej in >out 2>err || code=$?
	test $code = 1 && test "$(rejected_lines rej)" = "2 4 6 7 8 10 12 13 16 17" &&
	jq -r "\"\(.line) \(.reason)\"" rej | grep -v "^\(7\|13\) " >reasons &&
	cat >want <<-\EOF &&
	2 invalid JSON at column 2093: maximum parsing depth reached near '"'"'['"'"'
	4 invalid UTF-8 at byte 65 (set encoding in the map)
	6 invalid JSON at column 37: NUL byte
	8 invalid JSON at column 68: real number overflow near '"'"'1e400'"'"'
	10 invalid JSON at column 35: too big integer
	12 invalid JSON at column 10485760: invalid token
	16 time "[]" does not match format iso8601
	17 invalid JSON at column 40: premature end of input near '"'"'"pl'"'"'
	EOF
	test_cmp want reasons &&
	all_json out && test $(wc -l <out) = 7
'
test_expect_success 'a JSON array with an element nested 100,000 deep: that element rejected, the rest read' '
	{ printf "[{\"ticket\":1,\"created\":\"01 Mar 2026 09:00 +0100\",\"via\":\"email\",\"a\":";
	  deep 100000; printf "},\n"; sed 1d $I/tickets.json; } >deep.json &&
	code=0; xo-ingest -m $I/tickets.map deep.json >out 2>err || code=$?
	test $code = 1 && test $(wc -l <out) = 3 &&
	grep -q "^xo-ingest: deep.json:1: rejected: invalid JSON at column 2114: maximum parsing depth reached" err
'
test_expect_success 'truncated files: the cut record rejected, what came before kept' '
	head -c 500 $I/tickets.json >cut.json &&
	code=0; xo-ingest -m $I/tickets.map cut.json >out 2>err || code=$?
	test $code = 1 && test $(wc -l <out) = 1 &&
	grep -q "^xo-ingest: cut.json:6: rejected: truncated JSON array element at end of input$" err &&
	{ echo "Response ID,Submitted At,Email,Phone,Customer ID,NPS,CSAT,CES,Comment,Store";
	  printf "R-1,2026-03-01T10:00:00Z,a@b.it,,,9,5,2,\"Good,\nreally\",Roma\n";
	  echo "R-2,2026-03-01T11:00:00Z,c@d.it,,,3,2,5,Slow,Milano";
	  printf "R-3,2026-03-01T12:00:00Z,e@f.it,,,7,4,3,\"a quote never closed\n"; } >cut.csv &&
	code=0; xo-ingest -p survey cut.csv >out 2>err || code=$?
	test $code = 1 && jq -r ".attrs[\"Response ID\"]" out >ids && printf "R-1\nR-2\n" >want &&
	test_cmp want ids &&
	grep -q "^xo-ingest: cut.csv:5: rejected: quoted field not closed at end of input$" err
'
test_expect_success 'hostile maps: status 2 naming file and line, nothing written' '
	printf "[event]\nchannel = web\000\ntype = x\n[time]\nfield = t\n" >nul.map &&
	printf "[event]\nchannel = w\377eb\ntype = x\n[time]\nfield = t\n" >utf.map &&
	printf "[input]\nmax-record-lines = 99999999999999999999999\n[event]\nchannel = web\ntype = x\n[time]\nfield = t\n" >huge.map &&
	printf "t\n2026-03-01T10:00:00Z\n" >t.csv &&
	for m in nul utf huge; do
		code=0; xo-ingest -m $m.map t.csv >out 2>err.$m || code=$?
		test $code = 2 && test ! -s out || exit 1
	done &&
	grep -q "^xo-ingest: nul.map:2: NUL byte in map$" err.nul &&
	grep -q "^xo-ingest: utf.map:2: channel: .* is not a lower-case word" err.utf &&
	grep -q "^xo-ingest: huge.map:2: max-record-lines: a whole number of at least 1 expected$" err.huge
'
test_expect_success 'a read error midway: status 3 naming the file' '
	code=0; xo-ingest -p social /proc/self/mem >out 2>err || code=$?
	test $code = 3 && grep -q "^xo-ingest: /proc/self/mem: read error: Input/output error$" err
'
test_expect_success 'a full disk for the reject file: status 4, the old file kept' '
	echo old >rej &&
	code=0; at_fault full 1 xo-ingest -p calls --rejects rej $I/calls.csv >out 2>err || code=$?
	test $code = 4 && grep -q "^xo-ingest: rej: write failed: No space left on device$" err &&
	test "$(cat rej)" = old && test -z "$(ls -A | grep "^\.")"
'
test_done
