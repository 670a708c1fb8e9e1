#!/bin/bash
# lib/expr: the golden table tests/expr.test (xo-expr(7)).
export XO_NOW=2026-03-15T12:00:00Z TZ=UTC LC_ALL=C
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/expr" "$(dirname "$0")/expr.test"
