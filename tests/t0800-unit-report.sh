#!/bin/bash
# lib/html, tally, svg ticks, the Graphviz SVG filter and spawn.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/report"
