#!/bin/bash
# xo-ingest under hostile patterns and a memory checker: user regexes that
# backtrack catastrophically hit PCRE2's limits and reject the record
# instead of hanging; a sample of runs is clean under valgrind.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a [type] regex that backtracks forever: record rejected, run goes on' '
	cat >m.map <<-\EOF &&
	[event]
	channel = web
	type-field = what
	[type]
	/^(a+)+$/ = web.a
	* = web.other
	[time]
	field = t
	EOF
	printf "t,what\n2026-03-01T10:00:00Z,aaaa\n2026-03-01T10:00:00Z,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n2026-03-01T10:00:00Z,b\n" >in.csv &&
	code=0; xo-ingest -m m.map -r rej in.csv >out 2>err || code=$?
	test $code -eq 1 &&
	jq -r .type out >types && printf "web.a\nweb.other\n" >want && test_cmp want types &&
	jq -r .reason rej >reason &&
	echo "type \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\": regex match limit hit" >want && test_cmp want reason
'
test_expect_success 'a log pattern that backtracks forever: line rejected with the limit named' '
	cat >log.map <<-\EOF &&
	[input]
	format = log
	pattern = ^(?<a>(x+x+)+)(y|z)$
	[event]
	channel = web
	type = web.hit
	[time]
	default = 2026-03-01T00:00:00Z
	EOF
	printf "xxy\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxw\n" >in.log &&
	code=0; xo-ingest -m log.map -r rej in.log >out 2>err || code=$?
	test $code -eq 1 && test $(wc -l <out) -eq 1 &&
	grep -q "in.log:2: rejected: regex match limit hit (catastrophic backtracking?)" err
'

vg() {
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect "$@"
}
if [ -z "${XO_SANITIZED:-}" ] && command -v valgrind >/dev/null; then
	for args in "-p survey --default-country IT ingest/survey.csv" \
		    "-p calls --default-country IT ingest/calls.csv" \
		    "-p weblog ingest/access.log" "-p social ingest/social.ndjson" \
		    "-m ingest/survey_it.map ingest/survey_it.csv" \
		    "-m ingest/tickets.map ingest/tickets.json" "-m ingest/chat.map ingest/chat.tsv"; do
		test_expect_success "valgrind clean: xo-ingest $args" "
			cd \"\$TESTDATA\" && code=0 &&
			vg xo-ingest -q $args -r /dev/null >/dev/null || code=\$? &&
			test \$code -eq 1
		"
	done
fi
test_expect_success 'make install puts tools and man pages under PREFIX' '
	if [ -n "${XO_SANITIZED:-}" ]; then exit 0; fi
	make -s -C "$SRC" install PREFIX="$PWD/inst" BUILD="$XO_BUILD" >/dev/null &&
	test -x inst/bin/xo-ingest && test -f inst/share/man/man1/xo-ingest.1 &&
	test -f inst/share/man/man5/xo-map.5 && test -f inst/share/man/man7/xo.7 &&
	inst/bin/xo-ingest --version
'
test_done
