#!/bin/bash
# xo-journey: the journey record of one long-standing customer, every
# context figure worked out by hand (see the comments), as NDJSON and TSV.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey
E=$EXPECT/journey

# x-anna, as of XO_NOW = 2026-03-15T12:00:00Z (A). Ten events, one
# after A (2026-04-01) and so left out; the other nine, in order:
#   0 2016-03-15 12:00 web:account.opened
#   1 2026-01-10 09:00 survey:survey.response   nps 9, csat 5
#   2 2026-02-20 10:00 phone:call.complaint     issue billing
#   3 2026-02-20 10:10 web:web.pageview         (10 min: same session)
#   4 2026-02-20 10:50 email:email.complaint    issue billing (40 min: new session)
#   5 2026-03-01 08:00 chat:chat.question
#   6 2026-03-10 09:00 phone:call.complaint     issue billing
#   7 2026-03-12 15:00 survey:survey.response   nps 3
#   8 2026-03-14 12:00 phone:call.cancel_request issue cancel
# tenure: 2016-03-15 12:00 to A is ten years with two leap days = 3652 d;
# recency 1 d; 7 distinct days; frequency 9*30/3652 = 0.0739 -> 0.074;
# 8 sessions (only 2 and 3 share one). Contacts (phone, email, chat):
# 2, 4, 5, 6, 8 = 5; in the last 7 days (after 03-08 12:00): 6, 8 = 2;
# in 30 and 90 days: all 5. Channel switches: every consecutive pair
# differs = 8. Issues: 2 billing (first), 4 billing 50 min later
# (repeat: fcr_failed 1), 5 question (first), 6 billing 17.9 d after 4
# (> 7 d: first), 8 cancel (first): first 4, repeats 1, fcr_rate
# 1 - 1/4 = 0.75. Episode "issue": 2 opens it (key billing), 4 and 6
# join it (repeats 2), nothing resolves it, and A - start = 23 d 2 h
# < 30 d: open, duration and oldest_open_days 23.083. cx: nps 9 then 3
# (trend -6, mean 6); csat 5 once.
test_expect_success 'context figures, checked by hand' '
	xo-journey -q "$J/anna.ndjson" | jq .context >actual &&
	test_cmp "$E/anna-context.json" actual
'

test_expect_success 'steps in order, with sessions, issues, cx and text' '
	xo-journey -q "$J/anna.ndjson" |
		jq -c ".steps[] | [.ts, .token, .session, .issue, .cx, .text]" >actual &&
	cat >expected <<-\EOT &&
	["2016-03-15T12:00:00Z","web:account.opened",0,null,null,null]
	["2026-01-10T09:00:00Z","survey:survey.response",1,null,{"nps":9,"csat":5},null]
	["2026-02-20T10:00:00Z","phone:call.complaint",2,"billing",null,null]
	["2026-02-20T10:10:00Z","web:web.pageview",2,null,null,null]
	["2026-02-20T10:50:00Z","email:email.complaint",3,"billing",null,"Charged twice in February."]
	["2026-03-01T08:00:00Z","chat:chat.question",4,null,null,null]
	["2026-03-10T09:00:00Z","phone:call.complaint",5,"billing",null,null]
	["2026-03-12T15:00:00Z","survey:survey.response",6,null,{"nps":3},"Nobody reads my history. Ten years and I explain it again."]
	["2026-03-14T12:00:00Z","phone:call.cancel_request",7,"cancel",null,null]
	EOT
	test_cmp expected actual
'

test_expect_success 'sessions and the open episode' '
	xo-journey -q "$J/anna.ndjson" | jq -c ".sessions[2], .episodes[]" >actual &&
	cat >expected <<-\EOT &&
	{"start":"2026-02-20T10:00:00Z","end":"2026-02-20T10:10:00Z","first":2,"last":3,"steps":2,"duration_s":600,"channels":["phone","web"]}
	{"kind":"issue","key":"billing","status":"open","start":"2026-02-20T10:00:00Z","end":null,"first":2,"last":8,"repeats":2,"duration_days":23.083}
	EOT
	test_cmp expected actual
'

test_expect_success 'the whole record (golden)' '
	xo-journey -q "$J/anna.ndjson" >actual &&
	test_cmp "$E/anna.ndjson" actual
'

test_expect_success 'TSV: one line of figures per customer' '
	xo-journey -q --format tsv "$J/anna.ndjson" >actual &&
	test_cmp "$E/anna.tsv" actual
'

test_expect_success 'summary on stderr, nothing with -q' '
	xo-journey "$J/anna.ndjson" >/dev/null 2>err &&
	echo "xo-journey: 10 events read, 0 rejected, 1 after as-of ignored; 1 customers" >expected &&
	test_cmp expected err &&
	xo-journey -q "$J/anna.ndjson" >/dev/null 2>err &&
	test_cmp /dev/null err
'

test_expect_success 'standard input and "-" read the same' '
	xo-journey -q <"$J/anna.ndjson" >a &&
	xo-journey -q - <"$J/anna.ndjson" >b &&
	test_cmp "$E/anna.ndjson" a && test_cmp a b
'

test_expect_success '--keep, --no-text, --max-steps' '
	xo-journey -q --keep attrs.plan --keep "attrs[\"agent\"]" --no-text --max-steps 7 \
		"$J/anna.ndjson" | jq -c "[.steps_dropped, (.steps | length), .steps[0].attrs, .steps[5].text, .context.events]" >actual &&
	echo "[2,7,{\"agent\":\"M. Bianchi\"},null,9]" >expected &&
	test_cmp expected actual &&
	xo-journey -q --keep attrs.plan "$J/anna.ndjson" | jq -c ".steps[0].attrs" >actual &&
	echo "{\"plan\":\"gold\"}" >expected &&
	test_cmp expected actual
'

# With --issue attrs.agent only step 2 has an explicit issue ("M.
# Bianchi"); the other contacts fall back to their type: 4 "complaint"
# (email.complaint), 6 "complaint": 6 is 17.9 d after 4, so no repeat.
test_expect_success '--issue picks the issue field' '
	xo-journey -q --issue attrs.agent "$J/anna.ndjson" |
		jq -c "[.context.repeat_contacts, .context.first_contacts, [.steps[].issue | select(.)]]" >actual &&
	echo "[0,5,[\"M. Bianchi\"]]" >expected &&
	test_cmp expected actual
'

# Issues from attrs.issue, else attrs.topic, else attrs.reason: step 0
# "delivery" (topic), step 1 "delivery" (reason, a day later: repeat),
# step 2 "billing" (issue wins over topic). With --issue attrs.reason
# only step 1 has one; steps 0 and 2 take "question" from their types,
# two days apart: step 2 is the repeat.
test_expect_success 'default issue fields, and --issue replacing them' '
	cat >topics.ndjson <<-\EOT &&
	{"ts":"2026-03-10T10:00:00Z","channel":"chat","type":"chat.question","attrs":{"topic":"delivery"},"xid":"x-t"}
	{"ts":"2026-03-11T10:00:00Z","channel":"email","type":"email.question","attrs":{"reason":"delivery"},"xid":"x-t"}
	{"ts":"2026-03-12T10:00:00Z","channel":"phone","type":"call.question","attrs":{"issue":"billing","topic":"delivery"},"xid":"x-t"}
	EOT
	xo-journey -q topics.ndjson | jq -c "[[.steps[].issue], .context.first_contacts, .context.repeat_contacts]" >actual &&
	xo-journey -q --issue attrs.reason topics.ndjson | jq -c "[[.steps[].issue], .context.first_contacts, .context.repeat_contacts, [.steps[].token]]" >>actual &&
	cat >expected <<-\EOT &&
	[["delivery","delivery","billing"],2,1]
	[[null,"delivery",null],2,1,["chat:chat.question","email:email.question","phone:call.question"]]
	EOT
	test_cmp expected actual
'

# --contact "^phone:" makes 2, 6, 8 the contacts: 6 and 8 in 7 days.
test_expect_success '--contact chooses the contact steps' '
	xo-journey -q --contact "^phone:" "$J/anna.ndjson" |
		jq -c "[.context.contacts, .context.contacts_7d]" >actual &&
	echo "[3,2]" >expected &&
	test_cmp expected actual
'

test_done
