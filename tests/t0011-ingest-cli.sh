#!/bin/bash
# xo-ingest as a Unix citizen: options, usage errors, map errors with
# FILE:LINE, unreadable inputs, stdin, several files, --strict, closed
# pipes, full disks, --unbuffered, and hostile rows.
. "$(dirname "$0")/lib.sh"

survey() { xo-ingest -p survey --default-country IT "$@"; }
header='Response ID,Submitted At,Email,Phone,Customer ID,NPS,CSAT,CES,Comment'

test_expect_success '--help on stdout, exit 0, names every option of the man page' '
	xo-ingest --help >out &&
	for o in --map --preset --show-preset --source --tz --default-country --rejects --strict --quiet --unbuffered --help --version; do
		grep -q -- "$o" out || { echo "missing $o"; exit 1; }
		grep -q -- "Fl ${o#-}" "$SRC/man/xo-ingest.1" || { echo "man lacks $o"; exit 1; }
	done
'
test_expect_success '--version' '
	xo-ingest --version >out && grep -qx "xo-ingest (xo) [0-9.]*" out
'
test_expect_code 2 'no map or preset is a usage error' 'xo-ingest </dev/null'
test_expect_code 2 'both map and preset is a usage error' 'xo-ingest -m x.map -p survey </dev/null'
test_expect_success 'unknown option: message and hint, exit 2' '
	code=0; xo-ingest --bogus 2>err || code=$?
	test $code -eq 2 && grep -q "unrecognized option" err && grep -q "Try .xo-ingest --help." err
'
test_expect_success '--preset list names the five presets with a summary' '
	xo-ingest --preset list >out &&
	cut -d" " -f1 out >names && printf "calls\norders\nsocial\nsurvey\nweblog\n" >want &&
	test_cmp want names && grep -q "^survey   survey export" out
'
test_expect_success '--show-preset prints a map that works as --map' '
	xo-ingest --show-preset calls >calls.map &&
	xo-ingest -q -m calls.map --default-country IT "$TESTDATA/ingest/calls.csv" >a || true
	xo-ingest -q -p calls --default-country IT "$TESTDATA/ingest/calls.csv" >b || true
	test_cmp a b && test -s a
'
test_expect_code 2 'an unknown preset is a usage error' 'xo-ingest -p nosuch </dev/null'
test_expect_success 'a missing map file: exit 2 naming it' '
	code=0; xo-ingest -m nosuch.map </dev/null 2>err || code=$?
	test $code -eq 2 && grep -q "nosuch.map: No such file or directory" err
'

map_error() {
	# map_error 'what' 'map text' 'expected message'
	test_expect_success "map error: $1" "
		printf '%s\n' \"$2\" >bad.map &&
		code=0 && xo-ingest -m bad.map </dev/null 2>err || code=\$? &&
		test \$code -eq 2 && grep -qF \"$3\" err
	"
}
base='[event]\nchannel = web\ntype = web.pageview\n[time]\nfield = t'
map_error 'unknown section' "[nope]" "bad.map:1: unknown section [nope]"
map_error 'key before a section' "format = csv" "bad.map:1: a [section] must come first"
map_error 'unknown key' "[input]
colour = red" "bad.map:2: unknown key 'colour' in [input]"
map_error 'repeated key' "[input]
format = csv
format = tsv" "bad.map:3: 'format' given twice"
map_error 'bad format' "[input]
format = xml" "bad.map:2: format: expected csv, tsv, ndjson, json or log"
map_error 'bad regex, with its column' "[type]
/a(b/ = x.y" "bad.map:2: regex: column 4: missing closing parenthesis"
map_error 'bad type word' "[type]
Foo = Not A Type" "bad.map:2: 'Not A Type' is not a lower-case dotted type"
map_error 'no channel' "[event]
type = a.b
[time]
field = t" "bad.map:0: [event] needs channel or channel-field"
map_error 'no time' "[event]
channel = web
type = a.b" "[time] needs field (or default, for exports without times)"
map_error 'unknown time zone' "[time]
tz = Mars/Olympus" "bad.map:2: tz: 'Mars/Olympus': unknown time zone (no zoneinfo file)"
map_error 'bad time format' "[time]
format = dd/mm/yyyy" "bad.map:2: format: 'dd/mm/yyyy' is not iso8601"
map_error 'unknown country' "[ids]
default-country = XX" "bad.map:2: default-country: 'XX' is not a country code xo knows"
map_error 'bad scale' "[cx]
csat = Sat from 10-1" "bad.map:2: csat: bad scale after 'from'"
map_error 'label out of range' "[cx.nps]
Great = 12" "bad.map:2: label 'Great': nps must be a whole number from 0 to 10"
map_error 'label without text (found by fuzzing)' "[cx.ces]
= 1" "bad.map:2: a label is missing before '='"
map_error 'log without pattern' "[input]
format = log
[event]
channel = web
type = a.b
[time]
field = t" "format = log needs a pattern"
map_error 'pattern without groups' "[input]
format = log
pattern = ^.*$" "pattern: no named groups"

test_expect_success 'a map that does not fit the header: exit 2 naming the column' '
	printf "a,b\n1,2\n" >in.csv &&
	code=0; survey in.csv >out 2>err || code=$?
	test $code -eq 2 && grep -q "in.csv: preset survey does not fit: no column .Submitted At. (columns: a, b)" err &&
	test ! -s out
'
test_expect_success 'unreadable input: exit 3, message, other files still read' '
	printf "%s\nR1,2026-03-01T10:00:00Z,a@b.it,,,9,,,\n" "$header" >ok.csv &&
	code=0; survey nosuch.csv ok.csv >out 2>err || code=$?
	test $code -eq 3 && grep -q "nosuch.csv: No such file or directory" err && test $(wc -l <out) -eq 1
'
test_expect_code 3 'a directory as input' 'xo-ingest -p survey .'
test_expect_success 'stdin by default and as -, several files, a total line' '
	printf "%s\nR1,2026-03-01T10:00:00Z,a@b.it,,,9,,,\n" "$header" >ok.csv &&
	survey <ok.csv >a 2>/dev/null && survey - ok.csv <ok.csv >b 2>err &&
	test $(wc -l <a) -eq 1 && test $(wc -l <b) -eq 2 &&
	grep -q "(stdin): 1 read, 1 emitted, 0 rejected" err &&
	grep -q "total: 2 read, 2 emitted, 0 rejected" err
'
test_expect_success 'the default source is the file name without extension' '
	printf "%s\nR1,2026-03-01T10:00:00Z,a@b.it,,,9,,,\n" "$header" >ok.csv &&
	printf "[event]\nchannel = survey\ntype = survey.response\n[time]\nfield = Submitted At\n" >m.map &&
	xo-ingest -q -m m.map ok.csv | jq -r .source >out && echo ok >want && test_cmp want out &&
	xo-ingest -q -m m.map <ok.csv | jq -r .source >out && echo stdin >want && test_cmp want out
'
test_expect_success 'invalid UTF-8: rejected, exact bytes kept in raw_base64' '
	printf "%s\nR1,2026-03-01T10:00:00Z,a@b.it,,,9,,,caff\xe8\n" "$header" >latin.csv &&
	code=0; survey -r rej latin.csv >out 2>err || code=$?
	test $code -eq 1 && test ! -s out &&
	jq -r .reason rej >reason && echo "invalid UTF-8 in field '"'"'Comment'"'"' at byte 5 (set encoding in the map)" >want && test_cmp want reason &&
	jq -r .raw_base64 rej | base64 -d >raw && printf "R1,2026-03-01T10:00:00Z,a@b.it,,,9,,,caff\xe8" >want && cmp want raw
'
test_expect_success 'NUL bytes: rejected with a hint' '
	printf "%s\nR1,2026-03-01T10:00:00Z,a@b.it,,,9,,,a\0b\n" "$header" >nul.csv &&
	code=0; survey -r rej nul.csv >out 2>err || code=$?
	test $code -eq 1 && grep -q "NUL byte in field .Comment. (a UTF-16 file?" err
'
test_expect_success '--strict stops at the first bad row, keeping what came before' '
	printf "%s\nR1,2026-03-01T10:00:00Z,,,,9,,,\nR2,bad,,,,9,,,\nR3,2026-03-01T10:00:00Z,,,,9,,,\n" "$header" >s.csv &&
	code=0; survey --strict s.csv >out 2>err || code=$?
	test $code -eq 1 && test $(wc -l <out) -eq 1 && grep -q "s.csv:3: stopping at the first rejected record (--strict)" err
'
test_expect_success '-q: nothing on stderr, exit code still says rejects' '
	code=0; survey -q "$TESTDATA/ingest/survey.csv" >out 2>err || code=$?
	test $code -eq 1 && test ! -s err
'
test_expect_success 'an empty file and a header-only file: nothing read, exit 0' '
	: >empty.csv && printf "%s\n" "$header" >hdr.csv &&
	survey empty.csv hdr.csv >out 2>err && test ! -s out && grep -q "total: 0 read, 0 emitted, 0 rejected" err
'
test_expect_success 'a closed pipe ends the run at once, quietly, exit 0' '
	{ echo "$header"; for i in $(seq 1 200000); do echo "R$i,2026-03-01T10:00:00Z,u$i@example.com,,,7,,,"; done; } >big.csv &&
	survey -r rej big.csv 2>err | head -1 >first; echo "${PIPESTATUS[0]}" >code &&
	echo 0 >want && test_cmp want code && test $(wc -l <first) -eq 1 && ! grep -q "write error" err &&
	test ! -e rej && ! ls rej.tmp.* 2>/dev/null
'
test_expect_success 'a full disk: exit 4 with a message' '
	code=0; survey "$TESTDATA/ingest/survey.csv" >/dev/full 2>err || code=$?
	test $code -eq 4 && grep -q "write error on standard output: No space left on device" err
'
test_expect_success 'rejects to an unwritable place: exit 4 before reading' '
	code=0; survey -r /nonexistent/dir/rej "$TESTDATA/ingest/survey.csv" >out 2>err || code=$?
	test $code -eq 4 && grep -q "/nonexistent/dir/rej: cannot create" err && test ! -s out
'
test_expect_success 'the rejects file is replaced whole, mode 0600' '
	echo old >rej && survey -q -r rej "$TESTDATA/ingest/survey.csv" >/dev/null || true
	test $(wc -l <rej) -eq 4 && test "$(stat -c %a rej)" = 600
'
test_expect_success '--unbuffered: each event is written while input is still open' '
	mkfifo in out &&
	{ survey --unbuffered <in >out 2>/dev/null & } &&
	exec 3>in 4<out &&
	printf "%s\nR1,2026-03-01T10:00:00Z,a@b.it,,,9,,,\n" "$header" >&3 &&
	read -t 20 line <&4 && echo "$line" | jq -e ".cx.nps == 9" &&
	exec 3>&- && wait
'
test_expect_success 'a 10 MB field in a CSV row is read whole' '
	{ echo "$header"; printf "R1,2026-03-01T10:00:00Z,,,,9,,,\""; head -c 10485760 /dev/zero | tr "\0" x; printf "\"\n"; } >long.csv &&
	survey long.csv >out 2>/dev/null && jq -r ".text | length" out >len && echo 10485760 >want && test_cmp want len
'
test_expect_success 'memory does not grow with input: 200,000 rows in under 32 MB' '
	{ echo "$header"; for i in $(seq 1 200000); do echo "R$i,2026-03-01T10:00:00Z,u$i@example.com,,C-$i,7,4,2,ok"; done; } >big.csv &&
	if [ -n "${XO_SANITIZED:-}" ]; then exit 0; fi &&
	/usr/bin/time -f %M -o rss xo-ingest -q -p survey big.csv >/dev/null &&
	test "$(cat rss)" -lt 32768
'
test_expect_success 'progress: drawn on a terminal, never into a file or pipe' '
	{ echo "$header"; for i in $(seq 1 3000); do echo "R$i,2026-03-01T10:00:00Z,,,,7,,,"; done; } >p.csv &&
	unset XO_NO_PROGRESS && export XO_PROGRESS_MS=0 &&
	script -qec "xo-ingest -p survey p.csv >/dev/null" /dev/null >tty.txt &&
	grep -q "xo-ingest: 2048 records" tty.txt &&
	xo-ingest -p survey p.csv 2>err >/dev/null && ! grep -q records err
'
test_done
