#!/bin/bash
# xo-journey: bad input, the reject stream, --sorted, exit codes and the
# command-line conventions of every xo tool.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey
E=$EXPECT/journey

# bad.ndjson: 16 lines, one blank (skipped), 2 good events of x-ok
# (lines 1 and 14, the latter with CRLF), 13 rejects each for its reason.
test_expect_success 'bad events go to the reject stream, the rest is used' '
	d=$(pwd) &&
	test "$(code_of xo-journey --rejects rej.ndjson "$J/bad.ndjson")" = 1 &&
	(cd "$J" && xo-journey -q --rejects "$d/rej.ndjson" bad.ndjson >"$d/out") || true &&
	jq -c "[.xid, [.steps[].id]]" out >actual &&
	echo "[\"x-ok\",[\"b000000000000001\",\"b000000000000014\"]]" >expected &&
	test_cmp expected actual &&
	jq -c "[.line, .reason]" rej.ndjson >actual &&
	cat >expected <<-\EOT &&
	[2,"missing \"xid\""]
	[3,"\"xid\" is not a string"]
	[4,"missing \"ts\""]
	[5,"\"ts\" is not an RFC 3339 time: \"01/03/2026\""]
	[6,"missing \"channel\""]
	[7,"\"cx.nps\" is not a number"]
	[8,"duplicate key \"ts\""]
	[9,"expected a JSON object"]
	[10,"invalid JSON at column 89: unable to decode byte 0xff near '"'"'\"x-'"'"'"]
	[11,"invalid JSON at column 96: invalid Unicode '"'"'\\uD800'"'"' near '"'"'\"x-\\ud800\"'"'"'"]
	[13,"\"xid\" is empty"]
	[15,"invalid JSON at column 79: '"'"'}'"'"' expected near end of file"]
	[16,"\"id\" is not a string"]
	EOT
	test_cmp expected actual &&
	test_cmp "$E/bad-rejects.ndjson" rej.ndjson
'

test_expect_success 'rejects are named on stderr with file and line' '
	xo-journey "$J/bad.ndjson" 2>err >/dev/null || true &&
	grep -c "^xo-journey: .*bad.ndjson:[0-9]*: rejected: " err >n &&
	echo 10 >expected && test_cmp expected n &&
	grep "3 more rejects not shown" err &&
	tail -n 1 err >last &&
	echo "xo-journey: 15 events read, 13 rejected, 0 after as-of ignored; 1 customers" >expected &&
	test_cmp expected last
'

test_expect_success '--sorted on grouped input is the same as without' '
	cat "$J/episodes.ndjson" "$J/shop.ndjson" >grouped &&
	xo-journey -q --sorted grouped >a &&
	xo-journey -q grouped >b &&
	test_cmp a b &&
	test "$(wc -l <a)" = 11
'

test_expect_success '--sorted on input not grouped by xid says so' '
	# 14 lines, then 11 (with a blank one): x-res again on line 26.
	cat "$J/episodes.ndjson" "$J/anna.ndjson" "$J/episodes.ndjson" >twice &&
	test "$(code_of xo-journey --sorted twice)" = 1 &&
	xo-journey -q --sorted twice 2>err >out || true &&
	grep "twice:26: xid \"x-res\" seen again after other customers" err &&
	grep "4 customers seen in more than one group" err &&
	test "$(wc -l <out)" = 9
'

test_expect_success '--sorted: a customer seen again after 4096 others (the Bloom filter) is caught too' '
	# 5000 customers in falling order, then the first one again (line
	# 5001) and the 100th (line 5002).
	awk "BEGIN { for (i = 5000; i >= 1; i--) printf \"{\\\"xid\\\":\\\"c%05d\\\",\\\"ts\\\":\\\"2026-03-01T10:00:00Z\\\",\\\"channel\\\":\\\"web\\\",\\\"type\\\":\\\"web.visit\\\"}\\n\", i }" >many &&
	sed -n "1p;4901p" many >>many &&
	{ xo-journey --sorted many 2>err >out || test $? = 1; } &&
	grep "many:5001: xid \"c05000\" seen again after other customers" err &&
	grep "many:5002: xid \"c00100\" seen again after other customers" err &&
	test "$(wc -l <out)" = 5002
'

test_expect_success 'several files, and "-" among them' '
	xo-journey -q "$J/ties.ndjson" - <"$J/ties2.ndjson" | jq -r ".steps[3].type" >actual &&
	echo a.file2 >expected &&
	test_cmp expected actual
'

test_expect_success 'empty input: no output, status 0' '
	xo-journey -q </dev/null >actual &&
	test_cmp /dev/null actual
'

test_expect_code 3 'a missing file' 'xo-journey no-such-file.ndjson'
test_expect_code 3 'a directory' 'xo-journey "$J"'
test_expect_code 2 'an unknown option' 'xo-journey --frobnicate'
test_expect_code 2 'a bad --issue path' 'xo-journey --issue "attrs[" "$J/anna.ndjson"'
test_expect_code 2 'a bad --max-steps' 'xo-journey --max-steps 0 "$J/anna.ndjson"'
test_expect_code 2 '--annotate without a pattern' 'xo-journey --annotate "$J/anna.ndjson"'

test_expect_success 'a missing file is named' '
	xo-journey no-such-file.ndjson 2>err || true &&
	echo "xo-journey: no-such-file.ndjson: No such file or directory" >expected &&
	test_cmp expected err
'

test_expect_success '--help on stdout, --version' '
	xo-journey --help >help &&
	grep -q "^Usage: xo-journey" help &&
	xo-journey --version >v &&
	grep -q "^xo-journey (xo) " v
'

test_expect_success 'a full disk is exit status 4' '
	if [ ! -w /dev/full ]; then echo "# no /dev/full: skipped"; exit 0; fi
	test "$(code_of sh -c "xo-journey -q \"$J/anna.ndjson\" >/dev/full")" = 4
'

# 3000 customers, so that the output is larger than any pipe buffer.
test_expect_success 'a reader that goes away: quiet, status 0' '
	cat >gen.awk <<-\EOT &&
	BEGIN {
		for (i = 0; i < 3000; i++)
			printf "{\"ts\":\"2026-03-01T10:00:00Z\",\"channel\":\"web\",\"type\":\"web.pageview\",\"text\":\"%0200d\",\"xid\":\"c%d\"}\n", i, i
	}
	EOT
	awk -f gen.awk >many &&
	test "$(wc -l <many)" = 3000 &&
	{ xo-journey -q many; echo $? >rc; } | head -n 1 >first &&
	test "$(cat rc)" = 0 &&
	jq -r .xid first >actual && echo c0 >expected && test_cmp expected actual
'

test_expect_success '--unbuffered writes each record at once' '
	xo-journey -q --unbuffered "$J/shop.ndjson" | wc -l >n &&
	echo 7 >expected && test_cmp expected n
'

test_done
