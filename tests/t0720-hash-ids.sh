#!/bin/bash
# --hash-ids in every tool that writes identifiers: the same identifier
# and key give the same pseudonym whichever tool made it, so that
# pseudonymizing at xo-ingest or later gives the same outputs; no raw
# identifier is left; keys come from a file or the environment only;
# a state never mixes raw identifiers and pseudonyms.
. "$(dirname "$0")/lib.sh"
unset XO_HASH_KEY XO_HASH_KEY_FILE
I=$TESTDATA/ingest
SECRET=0123456789abcdef-secret

# The raw events of three exports (one customer is in all three), and the
# same exports read with --hash-ids.
key() { printf '%s\n' "$SECRET" >key && chmod 600 key; }
events() { # events [--hash-ids --hash-key-file key]
	xo-ingest -q -p survey --default-country IT "$@" $I/survey.csv || test $? = 1
	xo-ingest -q -p calls --default-country IT "$@" $I/calls.csv || test $? = 1
	xo-ingest -q -p orders --default-country IT "$@" $I/orders.csv || test $? = 1
}
H="--hash-ids --hash-key-file key"
# Every identifier of the events and profiles, as "kind value" lines.
ids_of() { jq -r '(.ids // {}) | to_entries[] | "\(.key) \(.value | if type == "array" then .[].value else . end)"' "$@" | sort -u; }
# The raw identifiers of the test exports, none of which may survive.
RAW='anna\.rossi\|example\.it\|+39\|C-10\|tom\.baker'

# An event whose only identifiers are placeholders is a customer of its
# own, named after the event id, which xo-ingest makes from the event it
# writes (pseudonyms or not): such events are left out here.
test_expect_success 'xo-ingest --hash-ids | xo-merge = xo-ingest | xo-merge --hash-ids' '
	key && events >raw.all && events $H >hashed.all &&
	jq "[.ids[]?] | length > 0 and all(. == \"h:00000000000000000000\") | not" hashed.all >keep &&
	test $(grep -c false keep) = 1 &&
	paste -d "\t" keep raw.all | sed -n "s/^true\t//p" >raw &&
	paste -d "\t" keep hashed.all | sed -n "s/^true\t//p" >hashed &&
	xo-merge -q --profiles=p1 --pairs=q1 --report r1 hashed >m1 &&
	xo-merge -q $H --profiles=p2 --pairs=q2 --report r2 raw >m2 &&
	jq -c "del(.id)" m1 >a && jq -c "del(.id)" m2 >b && test_cmp a b &&
	test_cmp p1 p2 && test_cmp q1 q2 && test_cmp r1 r2 &&
	test $(jq -r .xid m1 | sort -u | wc -l) -lt $(wc -l <m1)
'
test_expect_success 'the pseudonym is HMAC-SHA-256(key, kind:value), in every output of xo-merge' '
	key && events >raw &&
	xo-merge -q $H --profiles=p --pairs=q --report r raw >m &&
	printf "email:anna.rossi@example.it" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -c1-20 | sed "s/^/h:/" >want &&
	jq -r ".ids.email // empty" m | grep -xFf want >/dev/null &&
	jq -r ".ids.email[]?.value" p | grep -xFf want >/dev/null &&
	grep -qFf want q
'
test_expect_success 'no raw identifier is left in events, profiles, pairs, report or state' '
	key && events >raw &&
	xo-merge -q $H --state st.db --profiles=p --pairs=q --report r raw >m &&
	sqlite3 st.db .dump >dump &&
	! grep -q "$RAW" m p q r dump &&
	test $(ids_of m p | grep -vc " h:[0-9a-f]\{20\}$") = 0
'
test_expect_success 'xo-merge --hash-ids on pseudonyms changes nothing' '
	key && events $H >hashed &&
	xo-merge -q hashed >a && xo-merge -q $H hashed >b && test_cmp a b
'
# The phones of the test exports count up or down ("+393471234567"):
# placeholders to xo-merge, which must still tell them once hashed.
test_expect_success 'placeholders all get the pseudonym h:00000000000000000000' '
	key &&
	printf "[event]\nchannel = web\ntype = web.x\n[time]\ndefault = 2026-03-01T00:00:00Z\n[ids]\nemail = e\nphone = p\n" >m.map &&
	printf "e,p\nnoreply@shop.it,+393471234567\nanna@shop.it,+390000000000\n" >in.csv &&
	xo-ingest -q -m m.map --default-country IT --hash-ids --hash-key-file key in.csv | jq -r ".ids.email, .ids.phone" >got &&
	printf "email:anna@shop.it" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -c1-20 | sed "s/^/h:/" >anna &&
	printf "%s\n" h:00000000000000000000 h:00000000000000000000 "$(cat anna)" h:00000000000000000000 >want &&
	test_cmp want got
'
test_expect_success 'xo-merge --hash-ids: placeholders are told by their value before hashing' '
	key &&
	xo-merge -q --report r1 $TESTDATA/merge/guards.ndjson | jq -r .xid | sort | uniq -c | sort -n | awk "{print \$1}" >n1 &&
	xo-merge -q $H --report r2 $TESTDATA/merge/guards.ndjson | jq -r .xid | sort | uniq -c | sort -n | awk "{print \$1}" >n2 &&
	test_cmp n1 n2 &&
	jq -c "select(.guard) | del(.events)" r2 >got &&
	printf "%s\n" "{\"guard\":\"placeholder\",\"customer\":\"h:00000000000000000000\"}" \
		"{\"guard\":\"placeholder\",\"email\":\"h:00000000000000000000\"}" \
		"{\"guard\":\"placeholder\",\"phone\":\"h:00000000000000000000\"}" >want &&
	test_cmp want got
'
test_expect_success 'xo-journey --hash-ids: kept identifiers get the pseudonyms xo-ingest gives' '
	key && events >raw && events $H >hashed &&
	xo-merge -q raw | xo-journey --keep ids $H >j &&
	jq -c ".steps[] | select(.ids) | .ids" j | sort -u >a &&
	jq -c "select(.ids) | .ids" hashed | sort -u >b &&
	test_cmp b a
'
test_expect_success 'xo-score --hash-ids: records written and groups hold the pseudonyms xo-ingest gives' '
	key && events >raw && events $H >hashed &&
	xo-score text -q $H raw | jq -c .ids >a &&
	jq -c .ids hashed >b && test_cmp b a &&
	xo-score metrics -q $H -b ids.email raw | jq -r ".group[\"ids.email\"] // empty" | sort >g &&
	jq -r ".ids.email // empty" hashed | sort -u >e && test_cmp e g
'
test_expect_success 'a key from XO_HASH_KEY or XO_HASH_KEY_FILE gives the same pseudonyms' '
	key && events >raw &&
	xo-merge -q $H raw >a &&
	XO_HASH_KEY=$SECRET xo-merge -q --hash-ids raw >b &&
	XO_HASH_KEY_FILE=key xo-merge -q --hash-ids raw >c &&
	test_cmp a b && test_cmp a c
'
for tool in "xo-merge" "xo-journey" "xo-score text"; do
	test_expect_success "$tool: no key, a key others can read, a key file without --hash-ids: status 2, nothing written" "
		key &&
		code=0; $tool --hash-ids </dev/null >out 2>err || code=\$?
		test \$code = 2 && grep -q 'needs a key: --hash-key-file FILE, or XO_HASH_KEY_FILE or XO_HASH_KEY' err &&
		test ! -s out &&
		chmod 644 key && code=0; $tool $H </dev/null >out 2>err || code=\$?
		test \$code = 2 && grep -q 'key file readable by others (chmod 600 it)' err &&
		code=0; $tool --hash-key-file key </dev/null >out 2>err || code=\$?
		test \$code = 2 && grep -q 'hash-key-file goes with --hash-ids' err
	"
done
test_expect_success 'a state of raw identifiers refuses --hash-ids, and is left as it was' '
	key && events >raw &&
	xo-merge -q --state st.db raw >/dev/null && sqlite3 st.db .dump >before &&
	code=0; xo-merge -q $H --state st.db raw >out 2>err || code=$?
	test $code = 2 && grep -q "st.db: the state holds identifiers as they are: run without --hash-ids, or start a new state" err &&
	test ! -s out && sqlite3 st.db .dump >after && test_cmp before after
'
test_expect_success 'a state of pseudonyms refuses raw identifiers, takes pseudonyms without --hash-ids' '
	key && events >raw && events $H >hashed &&
	xo-merge -q $H --state st.db raw >/dev/null && sqlite3 st.db .dump >before &&
	code=0; xo-merge -q --state st.db raw >out 2>err || code=$?
	test $code = 2 && grep -q "the state holds pseudonyms, but an event has .* as it is: run with --hash-ids" err &&
	sqlite3 st.db .dump >after && test_cmp before after &&
	xo-merge -q --state st.db hashed >/dev/null
'
test_expect_success 'a split merge of pseudonymized events equals one run on them; its steps refuse --hash-ids' '
	key && events >raw && events $H >hashed &&
	xo-merge -q --profiles=p1 hashed >one &&
	xo-merge -q --links hashed >links &&
	xo-merge -q --join --map map --profiles=p2 links &&
	xo-merge -q --label map hashed >two &&
	test_cmp one two && test_cmp p1 p2 &&
	for step in --links "--label map"; do
		code=0; xo-merge -q $step $H raw >out 2>err || code=$?
		test $code = 2 && grep -q "pseudonymize with xo-ingest --hash-ids" err && test ! -s out || return 1
	done
'
test_expect_success 'xo-report --hash-ids: rejected records and quoted values stay out of the page' '
	R=$TESTDATA/report/run &&
	xo-report -q --rejected $R/rejects-calls.ndjson -o plain.html &&
	xo-report -q --hash-ids --rejected $R/rejects-calls.ndjson -o page.html &&
	jq -r .raw $R/rejects-calls.ndjson | cut -c1-20 >raws &&
	grep -qFf raws plain.html && ! grep -qFf raws page.html &&
	grep -q "invalid phone &quot;…&quot;" page.html &&
	test $(grep -c "(left out: --hash-ids)" page.html) = $(jq -s length $R/rejects-calls.ndjson)
'
test_expect_success 'xo-nightly with hash-ids = yes: no raw identifier in the state or the outputs' '
	key &&
	{ nightly_conf && printf "hash-ids = yes\nhash-key-file = key\n"; } >n.conf &&
	xo-nightly -q -c n.conf -d 2026-03-01 2>err &&
	xo-nightly -q -c n.conf -d 2026-03-02 2>>err &&
	test -s out/2026-03-02/profiles.ndjson &&
	sqlite3 state/merge.db .dump >dump &&
	! grep -rq --exclude="rejects-*" "@example\|@mail\|+39[0-9]" out/2026-03-02/ state/history dump &&
	test $(ids_of out/2026-03-02/merged.ndjson | grep -vc " h:[0-9a-f]\{20\}$") = 0
'
test_expect_success 'xo-nightly: hash-ids without a key is a configuration error' '
	{ nightly_conf && echo "hash-ids = yes"; } >n.conf &&
	code=0; xo-nightly -q -c n.conf -d 2026-03-01 2>err || code=$?
	test $code = 2 && grep -q "hash-ids needs hash-key-file, or XO_HASH_KEY_FILE or XO_HASH_KEY" err
'
test_done
