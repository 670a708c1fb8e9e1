#!/bin/bash
# xo-journey --match/--pattern: PCRE2 over the token stream.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey

# x-anna's token stream (steps 0 to 8, see t0300):
# web:account.opened survey:survey.response phone:call.complaint
# web:web.pageview email:email.complaint chat:chat.question
# phone:call.complaint survey:survey.response phone:call.cancel_request
test_expect_success 'a span from one complaint call to the next' '
	xo-journey -q --match "phone:call\\.complaint (?:\\S+ )*?phone:call\\.complaint" "$J/anna.ndjson" >actual &&
	cat >expected <<-\EOT &&
	{"xid":"x-anna","pattern":"phone:call\\.complaint (?:\\S+ )*?phone:call\\.complaint","first":2,"last":6,"start":"2026-02-20T10:00:00Z","end":"2026-03-10T09:00:00Z","tokens":["phone:call.complaint","web:web.pageview","email:email.complaint","chat:chat.question","phone:call.complaint"]}
	EOT
	test_cmp expected actual
'

test_expect_success 'every match, without overlaps, in option order' '
	xo-journey -q --patterns "$J/patterns.conf" --pattern opened --match "\\S*complaint" \
		--pattern complaint_then_cancel "$J/anna.ndjson" | jq -c "[.pattern, .first, .last]" >actual &&
	cat >expected <<-\EOT &&
	["opened",0,0]
	["\\S*complaint",2,2]
	["\\S*complaint",4,4]
	["\\S*complaint",6,6]
	["complaint_then_cancel",2,8]
	EOT
	test_cmp expected actual
'

test_expect_success 'anchors: ^ is the first step, $ the last' '
	xo-journey -q --match "^\\S+" --match "\\S+$" "$J/anna.ndjson" | jq -c "[.first, .tokens]" >actual &&
	cat >expected <<-\EOT &&
	[0,["web:account.opened"]]
	[8,["phone:call.cancel_request"]]
	EOT
	test_cmp expected actual
'

test_expect_success 'empty matches and blanks alone are not reported' '
	xo-journey -q --match "x*" --match " " "$J/anna.ndjson" >actual &&
	test_cmp /dev/null actual
'

test_expect_success 'TSV' '
	xo-journey -q --format tsv --match "email:\\S+ chat:\\S+" "$J/anna.ndjson" >actual &&
	# A backslash in a TSV field is written as two (tsv.h).
	tab=$(printf "\t") &&
	sed "s/<TAB>/$tab/g" >expected <<-\EOT &&
	xid<TAB>pattern<TAB>first<TAB>last<TAB>start<TAB>end<TAB>tokens
	x-anna<TAB>email:\\S+ chat:\\S+<TAB>4<TAB>5<TAB>2026-02-20T10:50:00Z<TAB>2026-03-01T08:00:00Z<TAB>email:email.complaint chat:chat.question
	EOT
	test_cmp expected actual
'

test_expect_success '--annotate: journey records with their matches' '
	xo-journey -q --patterns "$J/patterns.conf" --pattern opened --annotate "$J/anna.ndjson" |
		jq -c "[.xid, .context.events, .matches]" >actual &&
	echo "[\"x-anna\",9,[{\"pattern\":\"opened\",\"first\":0,\"last\":0,\"start\":\"2016-03-15T12:00:00Z\",\"end\":\"2016-03-15T12:00:00Z\",\"tokens\":[\"web:account.opened\"]}]]" >expected &&
	test_cmp expected actual
'

test_expect_success 'a pattern that backtracks without end stops at the limit' '
	rc=$(code_of xo-journey --match "^(\\S+\\s?)*(?!)" "$J/anna.ndjson") &&
	test "$rc" = 1 &&
	xo-journey --match "^(\\S+\\s?)*(?!)" "$J/anna.ndjson" 2>err >/dev/null || true &&
	grep "x-anna.*match limit" err
'

test_expect_success 'a bad pattern is a usage error naming it' '
	test "$(code_of xo-journey --match "(" "$J/anna.ndjson")" = 2 &&
	xo-journey --match "(" "$J/anna.ndjson" 2>err || true &&
	echo "xo-journey: --match: bad pattern /(/: column 2: missing closing parenthesis" >expected &&
	test_cmp expected err
'

test_expect_success 'an unknown --pattern name is a usage error' '
	test "$(code_of xo-journey --patterns "$J/patterns.conf" --pattern nope "$J/anna.ndjson")" = 2
'

test_expect_success 'patterns file errors name the file and line' '
	printf "[pattern a]\nregex = (\n" >p1 &&
	printf "[pattern a]\nwhat = x\n" >p2 &&
	printf "regex = x\n" >p3 &&
	printf "[funnel f]\nstep = a\n" >p4 &&
	printf "[thing t]\n" >p5 &&
	for f in p1 p2 p3 p4 p5; do
		test "$(code_of xo-journey --patterns $f "$J/anna.ndjson")" = 2 || exit 1
		xo-journey --patterns $f "$J/anna.ndjson" 2>>err >/dev/null || true
	done &&
	cat >expected <<-\EOT &&
	xo-journey: p1:1: bad pattern /(/: column 2: missing closing parenthesis
	xo-journey: p2:2: unknown key '"'"'what'"'"' here
	xo-journey: p3:1: '"'"'regex'"'"' outside a section
	xo-journey: p4:1: [funnel f] needs two steps or more
	xo-journey: p5:1: unknown section '"'"'thing'"'"' (pattern, episode or funnel)
	EOT
	test_cmp expected err
'

test_done
