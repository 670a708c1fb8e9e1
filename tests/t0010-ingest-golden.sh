#!/bin/bash
# xo-ingest on every testdata export: the events, the rejects, the summary
# and the exit code are compared with expectations checked by hand
# (tests/expect/ingest/NAME.{ndjson,rejects,err}).
#
# What was checked, per file:
#  survey    BOM, CRLF, quoted newline kept as \n, blank line skipped,
#            duplicated row -> identical id, NPS 11 / bad e-mail / empty time
#            rejected, "N/A" read as absent, "+01:00" converted to UTF, an
#            unclosed quote costs its one line and the next row is still read.
#  calls     dispositions mapped by regex (Italian and Spanish too), phones in
#            four forms to E.164 with --default-country IT, "unknown" phone
#            absent, short phone / day-first time / non-numeric Duration rejected.
#  orders    type from Status with a prefix, channel lookup with a default,
#            "1,249.00" read as 1249, 1.5 items rejected, short row rejected.
#  weblog    combined log format, +0100 times, "-" user absent, status typed,
#            "-" bytes as null, bad line and 31 February rejected.
#  social    nested NDJSON paths, handle normalized, bad handle and truncated
#            JSON rejected.
#  survey_it Latin-1, ';', two banner lines, Date + Time in Rome (one in the
#            spring-forward gap), decimal comma, CSAT 1-10 converted, CES labels.
#  chat      TSV without header, epoch milliseconds, extra field rejected.
#  tickets   JSON array, nested requester, whatsapp -> chat, fax -> default.
#  accounts  day-first dates at Rome midnight (CET and CEST), channel names
#            with blanks, 'si' as a boolean, a dropped column.
. "$(dirname "$0")/lib.sh"

golden() {
	local name=$1; shift
	test_expect_success "golden: $name" "
		cd \"\$TESTDATA\" &&
		code=0 &&
		xo-ingest $* -r \"\$OLDPWD/rejects\" >\"\$OLDPWD/out\" 2>\"\$OLDPWD/err\" || code=\$? &&
		cd \"\$OLDPWD\" && echo \"exit \$code\" >>err &&
		test_cmp \"\$EXPECT/ingest/$name.ndjson\" out &&
		test_cmp \"\$EXPECT/ingest/$name.rejects\" rejects &&
		test_cmp \"\$EXPECT/ingest/$name.err\" err
	"
}

golden survey -p survey --default-country IT ingest/survey.csv
golden calls -p calls --default-country IT ingest/calls.csv
golden orders -p orders ingest/orders.csv
golden weblog -p weblog ingest/access.log
golden social -p social ingest/social.ndjson
golden survey_it -m ingest/survey_it.map ingest/survey_it.csv
golden chat -m ingest/chat.map ingest/chat.tsv
golden tickets -m ingest/tickets.map ingest/tickets.json
golden accounts -m ingest/accounts.map ingest/accounts.csv

test_expect_success 'every event is valid JSON with the canonical keys in order' '
	cat "$EXPECT"/ingest/*.ndjson >all &&
	jq -c "keys_unsorted | map(select(. == \"ts\" or . == \"id\" or . == \"source\" or . == \"channel\" or . == \"type\"))" all | sort -u >keys &&
	echo "[\"ts\",\"id\",\"source\",\"channel\",\"type\"]" >want &&
	test_cmp want keys
'

test_expect_success 'the same export ingested twice gives the same ids' '
	xo-ingest -q -p survey --default-country IT "$TESTDATA/ingest/survey.csv" | jq -r .id >a || true
	cat "$TESTDATA/ingest/survey.csv" | xo-ingest -q -p survey --default-country IT | jq -r .id >b || true
	test_cmp a b && test -s a
'

test_expect_success 'a different source gives different ids' '
	xo-ingest -q -p survey -s other --default-country IT "$TESTDATA/ingest/survey.csv" | jq -r .id >b || true
	xo-ingest -q -p survey --default-country IT "$TESTDATA/ingest/survey.csv" | jq -r .id >a || true
	! grep -qxFf a b
'

test_expect_success 'rows read = emitted + rejected, over all files' '
	for f in "$EXPECT"/ingest/*.err; do
		n=${f%.err}
		read=$(sed -n "s/.*: \([0-9]*\) read, .*/\1/p" "$f")
		test "$read" -eq $(( $(wc -l <"$n.ndjson") + $(wc -l <"$n.rejects") ))
	done
'
test_done
