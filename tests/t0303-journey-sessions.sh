#!/bin/bash
# xo-journey: sessions split by inactivity (--gap).
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey

# x-gap: 10:00 web, 10:30 app (exactly 30m: not more than the gap, same
# session), 11:00:01 web (30m01s: new), 11:10 phone, 13:00 web (1h50m).
test_expect_success 'default gap 30m' '
	xo-journey -q "$J/gaps.ndjson" |
		jq -c "[.steps[].session], (.sessions[] | [.first, .last, .steps, .duration_s, .channels]), .context.sessions" >actual &&
	cat >expected <<-\EOT &&
	[0,0,1,1,2]
	[0,1,2,1800,["web","app"]]
	[2,3,2,599,["web","phone"]]
	[4,4,1,0,["web"]]
	3
	EOT
	test_cmp expected actual
'

test_expect_success '--gap 1h and --gap 2h' '
	xo-journey -q --gap 1h "$J/gaps.ndjson" | jq -c "[.sessions[] | [.first, .last]]" >actual &&
	xo-journey -q --gap 2h "$J/gaps.ndjson" | jq -c "[.sessions[] | [.first, .last, .duration_s]]" >>actual &&
	cat >expected <<-\EOT &&
	[[0,3],[4,4]]
	[[0,4,10800]]
	EOT
	test_cmp expected actual
'

test_expect_code 2 'a bad duration is a usage error' 'xo-journey --gap 30x "$J/gaps.ndjson"'
test_expect_code 2 'a zero duration is a usage error' 'xo-journey --gap 0 "$J/gaps.ndjson"'

test_done
