# Fault injection for the crash-safety tests (t071x), sourced after
# lib.sh: builds tests/killat.c into $TEST_ROOT/killat.so and gives
#   at_fault kill|full N CMD...   run CMD with the Nth file-changing call
#                                 killing it (SIGKILL) or failing ENOSPC
#   fault_points CMD...           how many such calls CMD makes
#   dump DB                       the database's content as SQL text
# Nothing here needs root; sqlite3 and a C compiler must be installed.
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 not installed"; exit 0; }
KILLAT=$TEST_ROOT/killat.so
${CC:-cc} -shared -fPIC -O1 -o "$KILLAT" "$SRC/tests/killat.c" -ldl ||
	{ echo "Bail out! cannot build tests/killat.c"; exit 1; }
# ASan wants to be first in the library list; the injector only wraps
# libc calls, so the order does not matter here.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

at_fault() {
	local what=$1 n=$2
	shift 2
	case $what in
	kill) LD_PRELOAD=$KILLAT XO_FAULT_KILL_AT=$n "$@" ;;
	full) LD_PRELOAD=$KILLAT XO_FAULT_FULL_AT=$n "$@" ;;
	esac
}

fault_points() {
	local f
	f=$(mktemp "$TEST_ROOT/count.XXXXXX")
	LD_PRELOAD=$KILLAT XO_FAULT_COUNT=$f "$@" >/dev/null 2>&1 || true
	cat "$f"
	rm -f "$f"
}

# A killed writer may leave a WAL behind: sqlite3 reads it as the next
# run would (committed transactions in, the rest out).
dump() {
	sqlite3 "$1" .dump
}
