#!/bin/bash
# lib/csvin: CSV edge cases and recovery from bad quoting.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/csv"
