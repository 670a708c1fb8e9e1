#!/bin/bash
# lib/strsim: Jaro-Winkler, Levenshtein, OSA, token sets, Soundex.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/strsim"
