#!/bin/bash
# lib/ndjson and lib/jsonarr: long lines, bad lines, hostile nesting.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/ndjson"
