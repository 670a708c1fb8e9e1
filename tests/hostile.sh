# Hostile inputs for the t070x tests, sourced after lib.sh. Generated in
# the scratch directory (never committed: some are 10 MB).
#
#   hostile_mix GOOD WRONG OUT
#       writes OUT: its odd lines are the lines of the file GOOD in turn
#       (records the tool must use), its even lines hostile, in order:
#      2  JSON nested 100,000 deep
#      4  invalid UTF-8 in a string
#      6  a NUL byte in a string
#      8  a number too large for a double (1e400)
#     10  an integer too large for 64 bits (in a member of its own)
#     12  a 10 MB line of garbage
#     14  a good record with a 10 MB member (must be used, not rejected)
#     16  the line WRONG: a record with members of the wrong type
#     17  a good record cut short, with no newline (a truncated file)
#   HOSTILE_BAD="2 4 6 8 10 12 16 17"   lines every tool rejects (a tool
#                                       that ignores the member of line
#                                       10 may take it)
#   good_events N OUT     N good events (with an xid, as after xo-merge)
#   deep N                N opening and N closing brackets
#   mb N CHAR             N MiB of CHAR

mb() { head -c $(($1 * 1048576)) /dev/zero | tr '\0' "$2"; }
deep() { head -c "$1" /dev/zero | tr '\0' '['; head -c "$1" /dev/zero | tr '\0' ']'; }
good_events() {
	for i in $(seq 1 "$1"); do
		printf '{"ts":"2026-03-01T10:%02d:00Z","id":"e%d","source":"web","channel":"web","type":"web.visit","ids":{"email":"u%d@mail.it"},"cx":{"nps":%d},"text":"ok %d","xid":"x000000000000000%d"}\n' \
			"$i" "$i" "$i" $((i % 11)) "$i" $((i % 3))
	done >"$2"
}
HOSTILE_BAD="2 4 6 8 10 12 16 17"
hostile_mix() {
	local good=$1 wrong=$2 n
	n=$(wc -l <"$good")
	line() { sed -n "$(( ($1 - 1) % n + 1 ))p" "$good"; }
	{
		line 1
		printf '{"ts":"2026-03-01T10:00:00Z","id":"deep","a":%s}\n' "$(deep 100000)"
		line 2
		printf '{"ts":"2026-03-01T10:00:00Z","id":"utf","xid":"x1","channel":"we\377\376b"}\n'
		line 3
		printf '{"ts":"2026-03-01T10:00:00Z","id":"n\000ul","xid":"x1","channel":"web"}\n'
		line 4
		printf '{"ts":"2026-03-01T10:00:00Z","id":"big","xid":"x1","cx":{"nps":1e400}}\n'
		line 5
		printf '{"n":123456789012345678901234567890,' && line 6 | cut -c2-
		line 7
		mb 10 x; echo
		line 8
		printf '{"pad":"' && mb 10 y && printf '",' && line 9 | cut -c2-
		line 10
		printf '%s\n' "$wrong"
		line 11 | head -c 40
	} >"$3"
}

# rejected_lines REJECTS: the line numbers in a reject stream, one line.
rejected_lines() { jq -r .line "$1" | sort -n | tr '\n' ' ' | sed 's/ $//'; }
# Every line of FILE is a whole JSON value (nothing half-written).
all_json() { jq -c . "$1" >/dev/null; }
