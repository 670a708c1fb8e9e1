#!/bin/bash
# Every fuzz harness replays its seed corpus (made from testdata/) and
# every input that ever crashed it (tests/fuzz/regress/NAME/), under the
# build being tested (ASan+UBSan in the second run of make check).
. "$(dirname "$0")/lib.sh"

(cd "$SRC" && scripts/fuzz-seeds "$TEST_ROOT/seeds") || exit 1
for replayer in "$XO_BUILD"/fuzz/replay-*; do
	name=${replayer##*/replay-}
	test_expect_success "fuzz harness $name replays its seeds and regressions" "
		mkdir -p seeds && cp -r '$TEST_ROOT/seeds/$name' seeds/ 2>/dev/null || mkdir -p seeds/$name
		'$replayer' seeds/$name \$(ls -d '$SRC/tests/fuzz/regress/$name' 2>/dev/null) >out &&
		grep -q '^replayed [1-9]' out
	"
done
test_done
