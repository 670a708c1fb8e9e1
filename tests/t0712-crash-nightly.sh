#!/bin/bash
# Crash safety of scripts/xo-nightly: the whole run (script and tools)
# is killed with SIGKILL just before, and just after, each tool it
# starts. Afterwards the day is either not published or published whole,
# the lock is free, and running the day again publishes exactly what an
# uninterrupted run publishes, with the same contacts in the state, and
# leaves nothing of the killed run behind.
. "$(dirname "$0")/lib.sh"
unset XO_NOW  # the nightly run sets it to the end of its day

# xo-nightly runs the tools it finds beside itself: a copy of it beside
# wrappers that count each tool started and, at the chosen one, kill
# the run's process group before or after the real tool.
mkdir -p "$TEST_ROOT/bin" && cp "$SRC/scripts/xo-nightly" "$TEST_ROOT/bin/" &&
for tool in xo-ingest xo-merge xo-journey xo-score xo-decide xo-report; do
	cat >"$TEST_ROOT/bin/$tool" <<-EOF || exit 1
	#!/bin/bash
	# Tools run side by side (-j 2): the count is taken under a lock.
	n=\$(flock "\$XO_T_COUNT" sh -c 'n=\$((\$(cat "\$1") + 1)); echo \$n >"\$1"; echo \$n' sh "\$XO_T_COUNT")
	[ "\$n" = "\${XO_T_KILL_BEFORE:-}" ] && kill -KILL -- -\$(ps -o pgid= \$\$ | tr -d ' ')
	rc=0; "$XO_BUILD/bin/$tool" "\$@" || rc=\$?
	[ "\$n" = "\${XO_T_KILL_AFTER:-}" ] && kill -KILL -- -\$(ps -o pgid= \$\$ | tr -d ' ')
	exit \$rc
	EOF
	chmod +x "$TEST_ROOT/bin/$tool" || exit 1
done
NIGHTLY=$TEST_ROOT/bin/xo-nightly

conf() { # conf DIR SHARDS
	{ nightly_conf "$1" && echo "shards = $2"; } >"$1.conf"
}
# night DIR [ENV...]: the second night, in its own process group.
night() {
	local d=$1; shift
	echo 0 >count
	env XO_T_COUNT="$PWD/count" "$@" setsid -w "$NIGHTLY" -q -c "$d.conf" -d 2026-03-02 2>>err
}
contacts() { sqlite3 "$1/state/decide.db" "select xid, ts, action, channel, status from contact order by 1, 2, 3"; }
# same DAY-DIR REF-DIR: every output as the reference's (the run log
# holds timings).
same() {
	local f
	for f in "$2"/*; do
		[ "${f##*/}" = run.ndjson ] && continue
		cmp "$f" "$1/${f##*/}" || return 1
	done
}

for jobs in 1 2; do
	# The reference: night one, then night two uninterrupted.
	mkdir -p "$TEST_ROOT/ref$jobs" && cd "$TEST_ROOT/ref$jobs" && conf a "$jobs" &&
	echo 0 >count && XO_T_COUNT=$PWD/count "$NIGHTLY" -q -c a.conf -d 2026-03-01 2>err &&
	cp -a a base && night a && cp -rL a/out/2026-03-02 day2 && contacts a >contacts &&
	N=$(cat count) && cd "$TEST_ROOT" || { echo "Bail out! no reference run"; exit 1; }
	REF=$TEST_ROOT/ref$jobs
	# Split, the run starts more tools side by side: every other one.
	points=$(seq 1 $N) kinds="BEFORE AFTER" which=each
	[ $jobs = 1 ] || points=$(seq 1 2 $N) kinds=AFTER which="every other"
	for when in $kinds; do
		test_expect_success "-j $jobs: killed $(echo $when | tr A-Z a-z) $which of the $N tools it starts, the day run again publishes what one run does" '
			test "$N" -ge 10 &&
			for i in $points; do
				rm -rf a && cp -a "$REF/base" a && sed "s|$REF/a|$PWD/a|g" "$REF/a.conf" >a.conf &&
				code=0; night a XO_T_KILL_'$when'=$i || code=$?
				test $code = 137 || { echo "point $i: status $code"; return 1; }
				if [ -e a/out/2026-03-02 ]; then
					same a/out/2026-03-02 "$REF/day2" || { echo "point $i: published half"; return 1; }
				fi
				night a || { echo "point $i: the next run failed"; cat err; return 1; }
				same a/out/2026-03-02 "$REF/day2" || { echo "point $i: outputs differ"; return 1; }
				contacts a >c && test_cmp "$REF/contacts" c || { echo "point $i: contacts"; return 1; }
				test $(ls a/out/.runs | grep -c ^2026-03-02) = 1 || { echo "point $i: a killed run left"; return 1; }
			done
		'
	done
done

test_done
