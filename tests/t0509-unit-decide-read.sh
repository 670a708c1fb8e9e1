#!/bin/bash
# lib/jscan index, lib/records scanned reading, lib/expr numbers: reading
# and writing records without jansson trees gives what jansson and
# printf gave (tests/unit/decideread.c).
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/decideread"
