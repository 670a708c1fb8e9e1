#!/bin/bash
# --hash-ids: identifiers become keyed pseudonyms, the same for the same
# value and key whatever the file or tool, and no raw identifier is left.
. "$(dirname "$0")/lib.sh"
unset XO_HASH_KEY XO_HASH_KEY_FILE

key() { printf '%s\n' "0123456789abcdef-secret" >key && chmod 600 key; }

test_expect_success 'the same phone gets the same pseudonym in two exports' '
	key &&
	xo-ingest -q -p survey --default-country IT --hash-ids --hash-key-file key "$TESTDATA/ingest/survey.csv" >s || true
	xo-ingest -q -p calls --default-country IT --hash-ids --hash-key-file key "$TESTDATA/ingest/calls.csv" >c || true
	jq -r ".ids.phone // empty" s | head -1 >a && jq -r ".ids.phone // empty" c | head -1 >b &&
	test_cmp a b && grep -qx "h:[0-9a-f]\{20\}" a
'
test_expect_success 'the pseudonym is HMAC-SHA-256(key, kind:value), first 20 hex digits' '
	key &&
	xo-ingest -q -p survey --default-country IT --hash-ids --hash-key-file key "$TESTDATA/ingest/survey.csv" | head -1 | jq -r .ids.email >got || true
	printf "email:anna.rossi@example.it" | openssl dgst -sha256 -hmac "0123456789abcdef-secret" -r | cut -c1-20 | sed "s/^/h:/" >want &&
	test_cmp want got
'
test_expect_success 'a key from XO_HASH_KEY or XO_HASH_KEY_FILE gives the same pseudonyms' '
	key &&
	xo-ingest -q -p survey --default-country IT --hash-ids --hash-key-file key "$TESTDATA/ingest/survey.csv" >a || true
	XO_HASH_KEY=0123456789abcdef-secret xo-ingest -q -p survey --default-country IT --hash-ids "$TESTDATA/ingest/survey.csv" >b || true
	XO_HASH_KEY_FILE=key xo-ingest -q -p survey --default-country IT --hash-ids "$TESTDATA/ingest/survey.csv" >c || true
	test_cmp a b && test_cmp a c
'
test_expect_success 'another key gives other pseudonyms' '
	key && printf "another-key-of-16-bytes" >key2 && chmod 600 key2 &&
	xo-ingest -q -p survey --default-country IT --hash-ids --hash-key-file key "$TESTDATA/ingest/survey.csv" | jq -r ".ids[]" | grep -vx "h:0\{20\}" >a || true
	xo-ingest -q -p survey --default-country IT --hash-ids --hash-key-file key2 "$TESTDATA/ingest/survey.csv" | jq -r ".ids[]" | grep -vx "h:0\{20\}" >b || true
	test -s a && ! grep -qxFf a b
'
test_expect_success 'no raw identifier is left anywhere in the output' '
	key &&
	xo-ingest -q -p survey --default-country IT --hash-ids --hash-key-file key "$TESTDATA/ingest/survey.csv" >out || true
	! grep -qi "anna.rossi\|347\|C-1001\|tom.baker" out
'
test_expect_success 'identifiers that would go to attrs are dropped under --hash-ids' '
	key &&
	printf "[event]\nchannel = web\ntype = web.x\n[time]\ndefault = 2026-03-01T00:00:00Z\n[ids]\nemail = a, b\ninvalid = keep\n" >m.map &&
	printf "a,b\nx@y.it,z@y.it\nbad,x@y.it\n" >in.csv &&
	xo-ingest -q -m m.map --hash-ids --hash-key-file key in.csv >out &&
	! grep -q "@" out && ! grep -q attrs out
'
test_expect_success 'no key: exit 2 saying where a key comes from' '
	code=0; xo-ingest -p survey --hash-ids </dev/null 2>err || code=$?
	test $code -eq 2 && grep -q "needs a key: --hash-key-file FILE, or XO_HASH_KEY_FILE or XO_HASH_KEY" err
'
test_expect_success 'a key file others can read is refused' '
	key && chmod 644 key &&
	code=0; xo-ingest -p survey --hash-ids --hash-key-file key </dev/null 2>err || code=$?
	test $code -eq 2 && grep -q "key file readable by others (chmod 600 it)" err
'
test_expect_success 'a short key is refused' '
	code=0; XO_HASH_KEY=abc xo-ingest -p survey --hash-ids </dev/null 2>err || code=$?
	test $code -eq 2 && grep -q "the hash key must be 16 to 4096 bytes, not 3" err
'
test_done
