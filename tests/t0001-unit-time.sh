#!/bin/bash
# lib/xtime and lib/tz: each time form, zones, gaps and overlaps.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/time"
