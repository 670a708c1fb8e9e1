#!/bin/bash
# xo-journey(1) and xo-journey(5): lint clean, and --help agrees with the
# manual (every option in one is in the other).
. "$(dirname "$0")/lib.sh"

test_expect_success 'mandoc -Tlint is clean' '
	command -v mandoc >/dev/null || { echo "# no mandoc: skipped"; exit 0; }
	mandoc -Tlint -W warning "$SRC/man/xo-journey.1" "$SRC/man/xo-journey.5" >lint 2>&1 || true &&
	test_cmp /dev/null lint
'

test_expect_success '--help and the manual name the same options' '
	xo-journey --help | grep -o -- "--[a-z][a-z-]*" | sort -u >help &&
	sed -n "/^\\.Sh OPTIONS/,/^\\.Sh TOKENS/p" "$SRC/man/xo-journey.1" |
		grep -o "Fl -[a-z][a-z-]*" | sed "s/^Fl -/--/" | sort -u >man &&
	test_cmp help man
'

test_expect_success 'the defaults in --help are those in the manual' '
	xo-journey --help >help &&
	grep -F "(30m)" help && grep -F "(7d)" help && grep -F "(30d)" help &&
	grep -F "^(phone|email|chat|sms|social|messaging|whatsapp|letter):" help &&
	grep -F "^(phone|email|chat|sms|social|messaging|whatsapp|letter):" "$SRC/man/xo-journey.1" &&
	grep -F "^(phone|email|chat|sms|social|messaging|whatsapp|letter):" "$SRC/man/xo-journey.5"
'

test_done
