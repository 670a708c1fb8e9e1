#!/bin/bash
# xo-report as a Unix tool: help, version, usage errors, unreadable and
# bad inputs, its own rejects, atomic output, a closed pipe, Graphviz
# failing or hanging, run directories.
. "$(dirname "$0")/lib.sh"
RUN=$TESTDATA/report/run
H=$TESTDATA/report/hostile

test_expect_success '--help on stdout, exit 0; --version' '
	xo-report --help >out && grep -q "^Usage: xo-report" out &&
	xo-report -V >out && grep -q "^xo-report (xo) " out
'

test_expect_success 'every option of --help is in the man page, and back' '
	xo-report --help | sed -n "s/^ \{2,\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p" | sort -u >help &&
	sed -n "s/^\.It .*Fl -\([a-z][a-z-]*\).*/--\1/p" "$SRC/man/xo-report.1" | sort -u >man &&
	test "$(wc -l <help)" -gt 20 &&
	test_cmp help man
'

test_expect_code 2 'an unknown option is a usage error' 'xo-report --nope'
test_expect_code 2 'an operand is a usage error' 'xo-report metrics.ndjson'
test_expect_code 2 '--high-risk must be a probability' 'xo-report --high-risk 1.5'
test_expect_code 2 '--top must be at least 1' 'xo-report --top 0'
test_expect_code 2 '--risk-field must be a path' 'xo-report --risk-field "a[" --predictions /dev/null'

test_expect_success 'an input named as the output is refused, and left alone' '
	cp "$RUN/paths.ndjson" p.ndjson &&
	test "$(code_of xo-report --paths p.ndjson -o p.ndjson)" = 2 &&
	cmp p.ndjson "$RUN/paths.ndjson" &&
	test "$(code_of xo-report --paths p.ndjson -r ./p.ndjson)" = 2 &&
	cmp p.ndjson "$RUN/paths.ndjson"
'

test_expect_success 'an unreadable input: exit 3, the page is still written and says why' '
	{ xo-report --paths nowhere.ndjson --metrics "$RUN/metrics.ndjson" -o page.html 2>err; test $? = 3; } &&
	grep -q "nowhere.ndjson: No such file or directory" err &&
	grep -q "id=\"nodata-paths\">No data: <code>nowhere.ndjson</code> could not be read (No such file or directory)" page.html &&
	grep -q "id=\"card-nps\".*>18.75<" page.html
'

test_expect_code 3 'a run directory that does not exist' 'xo-report -d no-such-dir -o page.html'

test_expect_success 'no inputs: every section says No data, exit 0' '
	xo-report -o page.html 2>err &&
	grep -q "no inputs" err &&
	for s in metrics journey-map paths funnel drivers risk calibration decisions review rejects; do
		grep -q "id=\"nodata-$s\">No data: no --" page.html || { echo "no nodata-$s"; exit 1; }
	done &&
	grep -q "id=\"card-nps\".*>no data<" page.html
'

test_expect_success 'lines that cannot be used: exit 1, in the rejects file with file and line' '
	{ xo-report --metrics "$H/metrics.ndjson" --predictions "$H/predictions.ndjson" \
		-r rej.ndjson -o page.html 2>err; test $? = 1; } &&
	jq -r "\"\\(.file | sub(\".*/\"; \"\")):\\(.line): \\(.reason)\"" rej.ndjson >got &&
	cat >want <<-\EOT &&
	metrics.ndjson:3: invalid JSON at column 3: invalid token near '"'"'not'"'"'
	metrics.ndjson:4: nps.n is not a number
	metrics.ndjson:5: no nps, csat or ces: not a row of xo-score metrics
	metrics.ndjson:6: expected a JSON object
	predictions.ndjson:2: prediction.p is not a probability from 0 to 1
	predictions.ndjson:3: prediction.p is not a probability from 0 to 1
	EOT
	test_cmp want got &&
	jq -e -s "map(select(.line == 3 and (.file | endswith(\"metrics.ndjson\"))))[0].raw == \"not json at all\"" rej.ndjson &&
	grep -q "metrics.ndjson:4: rejected: nps.n is not a number" err &&
	grep -q "6 lines of the inputs could not be used" page.html
'

test_expect_success 'a record without a prediction is counted, not rejected' '
	printf "%s\n" "{\"xid\":\"A\",\"prediction\":{\"p\":0.75}}" "{\"xid\":\"B\"}" \
		"{\"xid\":\"C\",\"prediction\":{\"p\":0.7}}" >p.ndjson &&
	xo-report -q --predictions p.ndjson >page.html &&
	# 0.75 and 0.7 are both high risk (from 0.7 on); B has none
	grep -q "2 customers scored; mean probability 0.725; 2 at high risk (100.0%); 1 records without a probability" page.html
'

test_expect_success 'prediction and decision lines are checked whole, though few members are built' '
	printf "%s\n" "{\"xid\":\"A\",\"prediction\":{\"p\":0.5},\"steps\":[1,2,}" \
		"{\"xid\":\"B\",\"prediction\":{\"p\":0.25,\"top\":[{\"feature\":\"plan\",\"value\":\"basic\"}]}}" >p.ndjson &&
	printf "%s\n" "{\"xid\":\"A\",\"decisions\":[],\"trace\":{\"x\":tru}}" \
		"{\"xid\":\"B\",\"decisions\":[{\"action\":\"call\"}],\"trace\":{}}" >d.ndjson &&
	{ xo-report --predictions p.ndjson --decisions d.ndjson -r rej.ndjson -o page.html 2>err; test $? = 1; } &&
	jq -r "\"\\(.file):\\(.line): \\(.reason)\"" rej.ndjson >got &&
	printf "%s\n" "p.ndjson:1: invalid JSON at column 48: invalid number" \
		"d.ndjson:1: invalid JSON at column 40: invalid literal" >want &&
	test_cmp want got &&
	grep -q "1 customers scored; mean probability 0.25; 0 at high risk" page.html &&
	grep -q "<td class=\"t\">B</td><td class=\"n\">0.25</td><td class=\"t\">plan=basic</td>" page.html &&
	grep -q "1 customers decided, 1 with a decision; 1 decisions" page.html
'

test_expect_success 'the output is written atomically: a failed write leaves the old page' '
	echo old >page.html &&
	{ xo-report --paths "$RUN/paths.ndjson" -o no-dir/page.html 2>err; test $? = 4; } &&
	grep -q "no-dir/page.html" err &&
	test "$(cat page.html)" = old
'

test_expect_success 'a reader that goes away ends the run quietly' '
	xo-report -d "$RUN" --dot /nonexistent/dot 2>err | head -c 100 >/dev/null &&
	! grep -q "rror" err
'

test_expect_success 'dot failing on a bad map: exit 1, its message in the page' '
	printf "digraph { a -> }\n" >bad.dot &&
	{ xo-report --journey-dot bad.dot -o page.html 2>err; test $? = 1; } &&
	grep -q "journey map not drawn" err &&
	grep -q "id=\"nodata-journey-map\">The journey map bad.dot could not be drawn: dot: exited with status 1: Error: bad.dot: syntax error in line 1" page.html
'

test_expect_success 'dot that hangs is stopped at --dot-timeout' '
	printf "#!/bin/sh\nexec sleep 30\n" >slowdot && chmod +x slowdot &&
	{ xo-report --journey-dot "$RUN/journey.dot" --dot ./slowdot --dot-timeout 1 -o page.html 2>err; test $? = 1; } &&
	grep -q "could not be drawn: ./slowdot: stopped after 1 s" page.html
'

test_expect_success 'a run directory: its own page and rejects are not read back' '
	cp -r "$RUN" run && chmod -R u+w run &&
	xo-report -q -d run --dot /nonexistent/dot -o run/report.html -r run/rejects-report.ndjson &&
	xo-report -q -d run --dot /nonexistent/dot -o run/report.html -r run/rejects-report.ndjson &&
	! grep -q "rejects-report" run/report.html &&
	grep -q "<td class=\"t\">run/rejects-calls.ndjson</td>" run/report.html
'

test_expect_success '--drivers OUTCOME=FILE names the chart; any other prefix is a file name' '
	xo-report -q --drivers churn="$RUN/drivers-churn.ndjson" >page.html &&
	grep -q "<figcaption>Drivers of churn</figcaption>" page.html &&
	grep -q "impact on the churn rate (percentage points)" page.html &&
	cp "$RUN/drivers-nps.ndjson" "x=y.ndjson" &&
	xo-report -q --drivers "x=y.ndjson" >page.html &&
	grep -q "<figcaption>Drivers of x=y.ndjson</figcaption>" page.html
'

test_expect_success 'the review queue as --export NDJSON is counted by verdict' '
	printf "%s\n" "{\"review_id\":1,\"verdict\":\"approved\"}" "{\"review_id\":2,\"verdict\":\"changed\"}" >exp.ndjson &&
	xo-report -q --review exp.ndjson >page.html &&
	grep -q "Review queue: 0 pending, 1 approved, 1 changed." page.html
'

test_expect_success 'the calibration table from xo-score train -f json' '
	jq -c "{trained, holdout, fit_seconds: 0.01}" "$RUN/model.json" >train.json &&
	xo-report -q --calibration train.json >page.html &&
	grep -q "id=\"chart-calibration\"" page.html &&
	grep -q "<td class=\"n\">115</td><td class=\"n\">48</td><td class=\"n\">0.805</td>" page.html
'
test_done
