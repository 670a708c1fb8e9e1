# Test helpers, sourced by every tests/tNNNN-*.sh. Output is TAP, for prove.
#
#   test_expect_success 'what it shows' '
#           xo-ingest --preset survey in.csv >actual &&
#           test_cmp "$EXPECT/survey.ndjson" actual
#   '
#   test_expect_code 2 'bad option' 'xo-ingest --nope'
#   test_done
#
# Each test body runs in a subshell inside a fresh scratch directory with
# the build under test ($XO_BUILD/bin) first on PATH. $SRC is the source
# tree, $TESTDATA its testdata/, $EXPECT tests/expect/, $SHARED ../shared.

set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
XO_BUILD=${XO_BUILD:-$SRC/build}
TESTDATA=$SRC/testdata
EXPECT=$SRC/tests/expect
SHARED=$(cd "$SRC/.." && pwd)/shared
PATH="$XO_BUILD/bin:$SRC/scripts:$PATH"
export SRC XO_BUILD TESTDATA EXPECT SHARED PATH
# Fixed clock, zone and locale so that outputs are reproducible.
export XO_NOW=2026-03-15T12:00:00Z TZ=UTC LC_ALL=C XO_NO_PROGRESS=1
TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/xo-test.XXXXXX")
trap 'rm -rf "$TEST_ROOT"' EXIT
# A home of the test's own, as git's tests have: nothing the user keeps
# there (~/.parallel, ...) changes a result, and CI may set no HOME.
export HOME="$TEST_ROOT/home"
mkdir "$HOME"
test_count=0
test_failed=0

say_result() {
	test_count=$((test_count + 1))
	if [ "$1" = ok ]; then
		echo "ok $test_count - $2"
	else
		echo "not ok $test_count - $2"
		test_failed=$((test_failed + 1))
		# On stderr, where prove shows it even when not verbose.
		{
			echo "# ${0##*/}: not ok $test_count - $2"
			tail -n 60 "$TEST_ROOT/log.$test_count" 2>/dev/null | sed 's/^/#   /'
		} >&2
	fi
}

# Run a test body in a subshell in its own scratch directory; its
# output goes to a log shown only when the test fails.
run_body() {
	local dir="$TEST_ROOT/$(($test_count + 1)).d"
	mkdir -p "$dir"
	(cd "$dir" && set -e && eval "$1") >"$TEST_ROOT/log.$(($test_count + 1))" 2>&1
}

test_expect_success() {
	if run_body "$2"; then
		say_result ok "$1"
	else
		say_result fail "$1"
	fi
}

# test_expect_code CODE 'what' 'command': the command exits with CODE.
test_expect_code() {
	local want=$1 got=0
	run_body "$3" || got=$?
	if [ "$got" = "$want" ]; then
		say_result ok "$2"
	else
		echo "exit code $got, expected $want" >>"$TEST_ROOT/log.$(($test_count + 1))"
		say_result fail "$2"
	fi
}

# test_cmp EXPECTED ACTUAL: byte-identical, with a diff when not.
test_cmp() {
	diff -u "$1" "$2"
}

# nightly_conf [DIR]: an xo-nightly configuration for the nights of
# testdata/nightly, with outputs and state under DIR (default: here).
# Lines added after it override its keys.
nightly_conf() {
	local d=$PWD${1:+/$1}
	cat <<-EOF
	inbox = $TESTDATA/nightly/inbox
	outdir = $d/out
	statedir = $d/state
	rules = $TESTDATA/decide/example.rules
	max-reject = 50
	export calls.*.csv = -p calls --default-country IT
	export survey.*.csv = -p survey --default-country IT
	export orders.*.csv = -p orders
	export access.*.log = -p weblog
	EOF
}

# wait_until CMD...: runs CMD every 0.05 s until it succeeds, for up
# to 60 s; fails if it never does. For what another process does in
# the background: no test waits a fixed time, nor forever.
wait_until() {
	for _ in $(seq 1200); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# has_lines FILE N: FILE has N lines or more (for wait_until).
has_lines() {
	[ "$(wc -l <"$1")" -ge "$2" ]
}

# code_of CMD...: prints the exit code of CMD (output discarded).
code_of() {
	local rc=0
	"$@" >/dev/null 2>&1 || rc=$?
	echo $rc
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}
