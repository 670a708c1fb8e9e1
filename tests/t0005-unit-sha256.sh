#!/bin/bash
# lib/sha256 (FIPS 180-4, RFC 4231 vectors) and lib/pseudo (--hash-ids).
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/sha256"
