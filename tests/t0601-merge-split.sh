#!/bin/bash
# xo-merge split runs: link steps per part, one join, label steps per
# part give what one run gives: the same events with the same xids, the
# same profiles, pairs, report, rejects and state, also incrementally.
. "$(dirname "$0")/lib.sh"
D=$TESTDATA/merge
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 not installed"; exit 0; }

# Every event file of testdata/merge: guards, placeholders, traits, bad
# lines (rejected), repeated ids, people without identifiers.
all() {
	cat $D/basic.ndjson $D/guards.ndjson $D/traits.ndjson $D/bad.ndjson $D/day1.ndjson \
		$D/day2.ndjson $D/people.ndjson $D/basic.ndjson >all.ndjson
}
T="-t name=attrs.name -t city=attrs.city:frequent -t segment=attrs.segment:priority=crm,shop"
G="--ignore $D/ignore.txt --max-degree 3 --max-cluster 4"

# one OUT [OPTION]... -- FILE...: a single run, its outputs named OUT.*
one() {
	local out=$1; shift
	local opts=() files
	while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift
	xo-merge "${opts[@]}" --report $out.report --profiles=$out.profiles --pairs=$out.pairs \
		--rejects $out.rejects "$@" >$out.events 2>$out.err || [ $? = 1 ]
}

# split N OUT [OPTION]... -- FILE...: N link steps (--part i/N), the
# join with OPTIONs, N label steps; their outputs put together in order.
split() {
	local n=$1 out=$2; shift 2
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift
	local trait_opts=() i
	for ((i = 0; i < ${#opts[@]}; i++)); do
		[ "${opts[$i]}" = -t ] && trait_opts+=(-t "${opts[$((i + 1))]}")
	done
	for ((i = 0; i < n; i++)); do
		xo-merge --links --part $i/$n "${trait_opts[@]}" --rejects $out.rejects.$i "$@" \
			>$out.links.$i 2>>$out.link.err || [ $? = 1 ]
	done
	for ((i = 0; i < n; i++)); do echo $out.links.$i; done >$out.list
	xo-merge --join --map $out.map "${opts[@]}" --report $out.report --profiles=$out.profiles \
		--pairs=$out.pairs $(cat $out.list) 2>$out.err || [ $? = 1 ]
	for ((i = 0; i < n; i++)); do
		xo-merge -q --label $out.map --part $i/$n "$@" || [ $? = 1 ]
	done >$out.events
	for ((i = 0; i < n; i++)); do cat $out.rejects.$i; done >$out.rejects
}

same() { # same A B: every output of runs A and B is the same, stderr too
	for f in events profiles pairs report rejects; do
		test_cmp $1.$f $2.$f || { echo "$f differs"; return 1; }
	done
	grep -v ": rejected: " $1.err >$1.summary || true
	test_cmp $1.summary $2.err &&
	grep ": rejected: " $1.err >$1.rejected || true
	grep ": rejected: " $2.link.err >$2.rejected || true
	test_cmp $1.rejected $2.rejected
}

# The state, all of it but the command lines of the runs.
dump() {
	for t in ident link customer merge merge_member detach seen_event record profile; do
		echo "== $t"
		sqlite3 $1 "select * from $t"
	done
	sqlite3 $1 "select id, started, finished, events, new_events, merges from run"
}

# Checked by hand: 84 lines that are not blank (14 + 20 + 7 + 11 + 4 + 2 +
# 12 + 14), 8 of them bad (bad.ndjson); basic.ndjson twice and its own
# repeated line make 15 repeated ids.
test_expect_success 'four parts: the events, profiles, pairs, report and rejects of one run' '
	all && one a $T $G -- all.ndjson && split 4 b $T $G -- all.ndjson && same a b &&
	test $(wc -l <b.events) -eq 76 &&
	grep -q "^xo-merge: 84 events (8 rejected, 15 repeated ids)" b.err &&
	test $(jq -s "map(select(.guard)) | length" b.report) -gt 5
'

test_expect_success 'one to seven parts, an empty file, a last line without newline' '
	all && : >empty.ndjson && printf "%s" "$(tail -1 $D/day2.ndjson)" >nonl.ndjson &&
	one a $T -- empty.ndjson all.ndjson nonl.ndjson empty.ndjson &&
	for n in 1 2 3 5 7; do
		split $n b$n $T -- empty.ndjson all.ndjson nonl.ndjson empty.ndjson && same a b$n || exit 1
	done
'

# Day 1, then days 2 and 1 again: a merge, events counted before, the
# profiles of the touched customers; then the merge is split again.
test_expect_success 'incremental runs over a state: the same xids, merges, profiles and state' '
	one a1 --state a.db $T -- $D/day1.ndjson && split 4 b1 --state b.db $T -- $D/day1.ndjson &&
	same a1 b1 &&
	one a2 --state a.db $T -- $D/day2.ndjson $D/day1.ndjson &&
	split 4 b2 --state b.db $T -- $D/day2.ndjson $D/day1.ndjson && same a2 b2 &&
	grep -q "\"merge\":1," b2.report && grep -q "1 merge, 0 detached, 4 events counted before" b2.err &&
	dump a.db >a.dump && dump b.db >b.dump && test_cmp a.dump b.dump &&
	all && one a3 --state a.db --split 1 -- all.ndjson && split 3 b3 --state b.db --split 1 -- all.ndjson &&
	same a3 b3 && dump a.db >a.dump && dump b.db >b.dump && test_cmp a.dump b.dump &&
	test "$(sqlite3 b.db "select count(*) from run")" = 3
'

test_expect_success 'a join with --dry-run changes nothing' '
	split 2 b1 --state b.db -- $D/day1.ndjson && cp b.db before.db &&
	split 2 b2 --state b.db --dry-run -- $D/day2.ndjson &&
	dump before.db >want && dump b.db >got && test_cmp want got
'

test_expect_success 'parts from standard input, cut by GNU parallel --pipe' '
	command -v parallel >/dev/null || exit 0
	all && one a -- all.ndjson &&
	parallel --pipe -k -N 9 xo-merge -q --links <all.ndjson >links 2>/dev/null || true
	test $(grep -c "^{\"xo-links\":1," links) -eq $(( ($(wc -l <all.ndjson) + 8) / 9 )) &&
	xo-merge -q --join --map map --report b.report --profiles=b.profiles --pairs=b.pairs links || [ $? = 1 ]
	parallel --pipe -k -N 5 xo-merge -q --label map <all.ndjson >b.events 2>/dev/null || true
	for f in events profiles pairs report; do test_cmp a.$f b.$f || exit 1; done
'

test_expect_success 'link records from standard input, the join reads them twice' '
	all && one a -- all.ndjson && xo-merge -q --links all.ndjson >links || [ $? = 1 ]
	xo-merge -q --join --map map --report b.report --profiles=b.profiles --pairs=b.pairs <links || [ $? = 1 ]
	xo-merge -q --label map <all.ndjson >b.events || [ $? = 1 ]
	for f in events profiles pairs report; do test_cmp a.$f b.$f || exit 1; done
'

test_expect_success '--shard splits the labelled events by customer, --key puts the xid first' '
	all && one a -- all.ndjson && split 1 b -- all.ndjson && test "$(stat -c %a b.map)" = 600 &&
	for i in 0 1 2; do xo-merge -q --label b.map --shard $i/3 all.ndjson >s$i || [ $? = 1 ]; done &&
	cat s0 s1 s2 | sort >got && sort a.events >want && test_cmp want got &&
	for i in 0 1 2; do jq -r .xid s$i | sort -u; done | sort | uniq -d >twice && test ! -s twice &&
	xo-journey --shard 1/3 a.events | jq -r .xid | sort >want &&
	jq -r .xid s1 | sort -u >got && test_cmp want got &&
	{ xo-merge -q --label b.map --key all.ndjson || [ $? = 1 ]; } >keyed &&
	cut -f2- keyed >events && test_cmp a.events events &&
	awk -F "\t" "{ print \$1 }" keyed >k && jq -r .xid a.events >x && test_cmp x k
'

test_expect_success 'an event that has an xid already: replaced where it was' '
	printf "%s\n" "{\"ts\":\"2026-03-01T10:00:00Z\",\"xid\":\"old\",\"id\":\"e1\",\"ids\":{\"email\":\"A@B.IT\"},\"n\":1}" \
		"{\"ts\":\"2026-03-01T11:00:00Z\",\"id\":\"e2\",\"ids\":{\"email\":\"a@b.it\"}}" >in &&
	xo-merge -q in >want && split 2 b -- in && test_cmp want b.events &&
	jq -r "keys_unsorted | join(\",\")" b.events | head -1 | grep -qx "ts,xid,id,ids,n"
'

test_expect_success 'bad link records and maps stop the run, naming file and line' '
	all && xo-merge -q --links --part 0/2 all.ndjson >l0 && { xo-merge -q --links --part 1/2 all.ndjson >l1 || true; } &&
	head -n -1 l1 >cut && code=0; xo-merge -q --join l0 cut 2>err || code=$?
	test $code = 3 && grep -q "cut: a part without its end: was a link step cut short?" err &&
	{ head -3 l1; tail -1 l1; } >short && code=0; xo-merge -q --join short 2>err || code=$?
	test $code = 3 && grep -q "short:4: the part has 2 event records, its end says" err &&
	echo "{\"id\":1}" >junk && code=0; xo-merge -q --join junk 2>err || code=$?
	test $code = 3 && grep -q "junk:1: not a link record of xo-merge --links" err &&
	code=0; xo-merge -q --join -t city=attrs.city l0 l1 2>err || code=$?
	test $code = 2 && grep -q "l0:1: the link step had other traits than this join" err &&
	xo-merge -q --join --map map l0 &&
	code=0; xo-merge -q --label map all.ndjson >/dev/null 2>err || code=$?
	test $code = 3 && grep -q "all.ndjson:[0-9]*: event \"[0-9a-f]*\" is not in map: was it among the join" err &&
	code=0; xo-merge -q --label all.ndjson all.ndjson 2>err || code=$?
	test $code = 2 && grep -q "all.ndjson: not an identifier map of xo-merge --join (no map header)" err &&
	head -c 100 map >short.map && code=0; xo-merge -q --label short.map all.ndjson 2>err || code=$?
	test $code = 2 && grep -q "its size does not match its header" err
'

test_expect_success 'usage: options in the wrong step, --part on standard input' '
	for args in "--links --state s.db" "--links --profiles" "--label m -t a=b" "--label m --report r" \
		"--join --rejects r" "--join --part 0/2" "--part 0/2" "--shard 0/2" "--key" \
		"--join --spec $D/people.spec" "--links --join" "--links --part 2/2" "--label m --shard x"; do
		code=0; xo-merge $args </dev/null >/dev/null 2>err || code=$?
		test $code = 2 || { echo "$args: $code"; cat err; exit 1; }
	done &&
	code=0; xo-merge --links --part 0/2 - <$D/basic.ndjson 2>err || code=$?
	test $code = 2 && grep -q "part needs files, not standard input" err &&
	xo-merge --help | grep -q -- "--label MAP" && xo-merge --links -k email,phone $D/basic.ndjson >/dev/null
'

test_expect_success 'progress on a terminal for each step, never into a file or pipe' '
	command -v script >/dev/null || exit 0
	for i in $(seq 1 3000); do echo "{\"ts\":\"2026-03-01T10:00:00Z\",\"id\":\"e$i\",\"ids\":{\"customer\":\"C$((i % 700))\"}}"; done >p.ndjson &&
	unset XO_NO_PROGRESS && export XO_PROGRESS_MS=0 &&
	script -qec "xo-merge -q p.ndjson >/dev/null" /dev/null >one.tty &&
	script -qec "xo-merge -q --links --part 0/1 p.ndjson >links" /dev/null >links.tty &&
	script -qec "xo-merge -q --join --map map links" /dev/null >join.tty &&
	script -qec "xo-merge -q --label map p.ndjson >/dev/null" /dev/null >label.tty &&
	for t in one links join label; do grep -q "xo-merge: 2048 records" $t.tty || { echo $t; cat -v $t.tty | head -c 500; exit 1; }; done &&
	grep -q "%  ETA" links.tty && grep -q "%  ETA" label.tty &&
	xo-merge --links p.ndjson 2>err >/dev/null && ! grep -q "records .*/s" err &&
	xo-merge --label map p.ndjson 2>err >/dev/null && ! grep -q "records .*/s" err
'
test_done
