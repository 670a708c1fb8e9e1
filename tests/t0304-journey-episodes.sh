#!/bin/bash
# xo-journey: episodes from a start pattern to an end pattern or a
# timeout; keys; episode kinds from a patterns file and the command line.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey

ep='[.xid, [.episodes[] | [.kind, .key, .status, .start, .end, .first, .last, .repeats, .duration_days]]]'
fig='[.xid, .context.open_issues, .context.issues_resolved, .context.ttr_days_mean, .context.ttr_days_last, .context.oldest_open_days]'

# As of 2026-03-15T12:00:00Z, with the built-in "issue" kind (30d):
# x-res: call.complaint 01-01 00:00 resolved by case.resolved 01-03
#   12:00 (2.5 d); chat.complaint 02-01 resolved by complaint.resolved
#   02-02 06:00 (1.25 d; an end step never opens one). Keys from the type:
#   "complaint". ttr mean (2.5 + 1.25) / 2 = 1.875, last 1.25.
# x-timeout: complaint 01-01, next step 02-15 is more than 30 d later:
#   timed out at 01-31 (30 d), last step 0; case.closed 02-20 finds
#   nothing open.
# x-keyed: billing 03-01, delivery 03-02; case.resolved with issue
#   delivery 03-03 closes delivery (1 d); case.resolved without issue
#   03-04 closes the oldest, billing (3 d); complaint 03-10 (key from the
#   type) is open: 5.5 d. ttr mean (3 + 1) / 2 = 2, last by start:
#   delivery, 1.
# x-onb: no issue episode.
test_expect_success 'resolved, timed out, keyed and open episodes' '
	xo-journey -q "$J/episodes.ndjson" | jq -c "$ep" >actual &&
	cat >expected <<-\EOT &&
	["x-res",[["issue","complaint","resolved","2026-01-01T00:00:00Z","2026-01-03T12:00:00Z",0,1,0,2.5],["issue","complaint","resolved","2026-02-01T00:00:00Z","2026-02-02T06:00:00Z",2,3,0,1.25]]]
	["x-timeout",[["issue","complaint","timeout","2026-01-01T00:00:00Z","2026-01-31T00:00:00Z",0,0,0,30]]]
	["x-keyed",[["issue","billing","resolved","2026-03-01T00:00:00Z","2026-03-04T00:00:00Z",0,3,0,3],["issue","delivery","resolved","2026-03-02T00:00:00Z","2026-03-03T00:00:00Z",1,2,0,1],["issue","complaint","open","2026-03-10T00:00:00Z",null,4,4,0,5.5]]]
	["x-onb",[]]
	EOT
	test_cmp expected actual
'

test_expect_success 'issue figures in the context' '
	xo-journey -q "$J/episodes.ndjson" | jq -c "$fig" >actual &&
	cat >expected <<-\EOT &&
	["x-res",0,2,1.875,1.25,null]
	["x-timeout",0,0,null,null,null]
	["x-keyed",1,2,2,1,5.5]
	["x-onb",0,0,null,null,null]
	EOT
	test_cmp expected actual &&
	xo-journey -q "$J/episodes.ndjson" | jq -c "select(.xid == \"x-timeout\") | .context.episodes" >actual &&
	echo "{\"issue\":{\"started\":1,\"resolved\":0,\"timeout\":1,\"open\":0,\"ttr_days_mean\":null,\"ttr_days_last\":null,\"oldest_open_days\":null}}" >expected &&
	test_cmp expected actual
'

# With a 10 d timeout x-timeout ends at 01-11; x-keyed's complaint is
# 5.5 d old, still open.
test_expect_success '--episode-timeout' '
	xo-journey -q --episode-timeout 10d "$J/episodes.ndjson" |
		jq -c "select(.xid != \"x-res\" and .xid != \"x-onb\") | [.xid, [.episodes[] | [.status, .end]]]" >actual &&
	cat >expected <<-\EOT &&
	["x-timeout",[["timeout","2026-01-11T00:00:00Z"]]]
	["x-keyed",[["resolved","2026-03-04T00:00:00Z"],["resolved","2026-03-03T00:00:00Z"],["open",null]]]
	EOT
	test_cmp expected actual
'

# The [episode onboarding] kind of patterns.conf: x-onb opens an account
# 03-01 and orders 03-04 (3 d); key from account.opened: "opened".
test_expect_success 'an episode kind from the patterns file' '
	xo-journey -q --patterns "$J/patterns.conf" "$J/episodes.ndjson" |
		jq -c "select(.xid == \"x-onb\") | $ep, .context.episodes.onboarding" >actual &&
	cat >expected <<-\EOT &&
	["x-onb",[["onboarding","opened","resolved","2026-03-01T00:00:00Z","2026-03-04T00:00:00Z",0,1,0,3]]]
	{"started":1,"resolved":1,"timeout":0,"open":0,"ttr_days_mean":3,"ttr_days_last":3,"oldest_open_days":null}
	EOT
	test_cmp expected actual &&
	xo-journey -q --patterns "$J/patterns.conf" "$J/episodes.ndjson" |
		jq -c "select(.xid == \"x-res\") | .context.episodes | keys" >actual &&
	echo "[\"issue\",\"onboarding\"]" >expected &&
	test_cmp expected actual
'

test_expect_success '--episode-start and --episode-end redefine "issue"' '
	xo-journey -q --episode-start "^web:account" --episode-end "first\\.order" "$J/episodes.ndjson" |
		jq -c "select(.xid == \"x-onb\" or .xid == \"x-res\") | $ep" >actual &&
	cat >expected <<-\EOT &&
	["x-res",[]]
	["x-onb",[["issue","opened","resolved","2026-03-01T00:00:00Z","2026-03-04T00:00:00Z",0,1,0,3]]]
	EOT
	test_cmp expected actual
'

# Joining: a call.complaint (no explicit issue) opens "complaint"; a
# ticket.opened the next day joins it (the episode opened last); a
# chat.complaint about billing opens "billing", a ticket about billing
# joins that; ticket.solved (no issue) closes the oldest, "complaint",
# after 4 d. Billing is open as of 03-15 12:00: 12.5 d.
test_expect_success 'start steps join the open episode' '
	cat >join.ndjson <<-\EOT &&
	{"ts":"2026-03-01T00:00:00Z","channel":"phone","type":"call.complaint","xid":"x-j"}
	{"ts":"2026-03-02T00:00:00Z","channel":"email","type":"ticket.opened","xid":"x-j"}
	{"ts":"2026-03-03T00:00:00Z","channel":"chat","type":"chat.complaint","attrs":{"issue":"billing"},"xid":"x-j"}
	{"ts":"2026-03-04T00:00:00Z","channel":"email","type":"ticket.opened","attrs":{"issue":"billing"},"xid":"x-j"}
	{"ts":"2026-03-05T00:00:00Z","channel":"email","type":"ticket.solved","xid":"x-j"}
	EOT
	xo-journey -q join.ndjson | jq -c "$ep" >actual &&
	echo "[\"x-j\",[[\"issue\",\"complaint\",\"resolved\",\"2026-03-01T00:00:00Z\",\"2026-03-05T00:00:00Z\",0,4,1,4],[\"issue\",\"billing\",\"open\",\"2026-03-03T00:00:00Z\",null,2,4,1,12.5]]]" >expected &&
	test_cmp expected actual
'

# A ticket "solved" ends an issue too (Zendesk's word): 1.5 d.
test_expect_success 'ticket.opened to ticket.solved' '
	printf "%s\n" "{\"ts\":\"2026-03-01T00:00:00Z\",\"channel\":\"email\",\"type\":\"ticket.opened\",\"xid\":\"x-s\"}" \
		"{\"ts\":\"2026-03-02T12:00:00Z\",\"channel\":\"email\",\"type\":\"ticket.solved\",\"xid\":\"x-s\"}" >s.ndjson &&
	xo-journey -q s.ndjson | jq -c "$ep" >actual &&
	echo "[\"x-s\",[[\"issue\",\"opened\",\"resolved\",\"2026-03-01T00:00:00Z\",\"2026-03-02T12:00:00Z\",0,1,0,1.5]]]" >expected &&
	test_cmp expected actual
'

test_expect_code 2 'a bad episode pattern is a usage error' '
	xo-journey --episode-end "(" "$J/episodes.ndjson"
'

test_done
