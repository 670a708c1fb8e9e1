#!/bin/bash
# lib/jscan, intern, arena, jsonw: the JSON scanner and the tables of
# xo-journey (tests/unit/jscan.c).
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/jscan"
