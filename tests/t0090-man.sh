#!/bin/bash
# Every man page is mdoc that mandoc -Tlint finds no warning in, and every
# tool has its page.
. "$(dirname "$0")/lib.sh"

for page in "$SRC"/man/*.[1-9]; do
	test_expect_success "lint: ${page##*/}" "mandoc -Tlint -W warning '$page'"
done
for tool in "$SRC"/cmd/*.c "$SRC"/scripts/xo-*; do
	name=$(basename "$tool" .c)
	test_expect_success "man page for $name" "test -f '$SRC/man/$name.1'"
done
test_done
