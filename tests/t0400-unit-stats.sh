#!/bin/bash
# lib/stats: distributions, Welch and z tests, BH, AUC, rounding.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/stats"
