#!/bin/bash
# The GNU parallel commands of README's Scale-out section, on one machine
# and across "hosts" (":" and folders of this machine reached through a
# stand-in for ssh), give what one process gives.
. "$(dirname "$0")/lib.sh"
command -v parallel >/dev/null || { echo "1..0 # SKIP GNU parallel not installed"; exit 0; }
export XO_NOW=2026-03-02T00:00:00Z
ASOF=2026-03-02T00:00:00Z

# A day of exports (scripts/nightly/gen-exports, 20000 rows), its events,
# and what one process makes of them.
setup() {
	"$SRC/scripts/nightly/gen-exports" 20000 2026-03-01 in &&
	{ xo-ingest -q -p calls --default-country IT in/calls.*.csv
	  xo-ingest -q -p survey --default-country IT in/survey.*.csv
	  xo-ingest -q -p orders in/orders.*.csv
	  xo-ingest -q -p weblog in/access.*.log; } >events.ndjson &&
	xo-merge -q --state one.db --profiles=one.profiles --report one.report events.ndjson >one.merged &&
	xo-journey -q --as-of $ASOF one.merged | xo-score context -q | sort >one.scores
}

# A stand-in for ssh: host H is the folder hosts/H, its home. Like sshd,
# it sets HOME and SHELL: parallel's remote side runs each job with
# $SHELL, and cron or CI may start the tests without one.
fake_ssh() {
	mkdir -p hosts/h1 hosts/h2
	cat >ssh <<-EOF
	#!/bin/bash
	while [ \$# -gt 0 ]; do
		case \$1 in -o|-l|-p|-i) shift 2 ;; -*) shift ;; *) break ;; esac
	done
	host=\$1; shift; [ "\${1:-}" = -- ] && shift
	cd "$PWD/hosts/\$host" && export HOME="$PWD/hosts/\$host" SHELL=/bin/bash &&
	exec bash -c "\$*"
	EOF
	chmod +x ssh
}

test_expect_success 'one machine: link, join, label and shards as README shows' '
	setup &&
	parallel xo-merge -q --links --part {}/4 events.ndjson ">" links.{} ::: 0 1 2 3 &&
	xo-merge -q --join --state merge.db --profiles=profiles.ndjson \
		--report merges.ndjson --map map links.0 links.1 links.2 links.3 &&
	parallel -k xo-merge -q --label map --part {}/4 events.ndjson ::: 0 1 2 3 >merged.ndjson &&
	parallel xo-merge -q --label map --shard {}/4 events.ndjson \
		"|" xo-journey -q --as-of $ASOF "|" xo-score context -q \
		">" scores.{} ::: 0 1 2 3 &&
	test_cmp one.merged merged.ndjson && test_cmp one.profiles profiles.ndjson &&
	test_cmp one.report merges.ndjson &&
	cat scores.0 scores.1 scores.2 scores.3 | sort >scores && test_cmp one.scores scores &&
	test $(wc -l <scores) -gt 3000
'

# across HOSTS [SSH-OPTION]: README's commands across hosts, blocks of
# 300 kB so that there are several.
across() {
	local hosts=$1; shift
	rm -f merge.db &&
	parallel "$@" --pipe -k --block 300k -S $hosts xo-merge -q --links <events.ndjson >links.ndjson &&
	test $(grep -c "^{\"xo-links\":1," links.ndjson) -gt 3 &&
	xo-merge -q --join --state merge.db --profiles=profiles.ndjson --map map links.ndjson &&
	parallel "$@" --pipe -k --block 300k -S $hosts --basefile map --cleanup \
		xo-merge -q --label map <events.ndjson >merged.ndjson &&
	test_cmp one.merged merged.ndjson && test_cmp one.profiles profiles.ndjson &&
	rm -f scores.* &&
	parallel "$@" -S $hosts --env XO_NOW --basefile map --basefile events.ndjson \
		--return scores.{} --cleanup \
		xo-merge -q --label map --shard {}/8 events.ndjson \
		"|" xo-journey -q --as-of $ASOF "|" xo-score context -q \
		">" scores.{} ::: 0 1 2 3 4 5 6 7 &&
	cat scores.? | sort >scores && test_cmp one.scores scores &&
	parallel "$@" --pipe -k --block 300k -S $hosts --basefile map --cleanup \
		xo-merge -q --label map --key \
		<events.ndjson |
	  parallel "$@" --pipe --shard 1 --colsep "\t" -S $hosts --env XO_NOW \
		"cut -f2- | xo-journey -q --as-of $ASOF | xo-score context -q" >shuffled &&
	sort shuffled >scores && test_cmp one.scores scores
}

test_expect_success 'across hosts: this machine as ":"' '
	setup && across 2/: 2>err && ! grep -v "ignored as there are no remote" err
'

test_expect_success 'across hosts: two folders reached through ssh, files sent and brought back' '
	setup && fake_ssh && across 1/h1,1/h2 --ssh "$PWD/ssh" &&
	test -z "$(find hosts -mindepth 2)"
'
test_done
