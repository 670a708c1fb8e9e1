#!/bin/bash
# lib/idgraph, lib/idnorm, lib/xidassign: graph, guards, xids.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/idgraph"
