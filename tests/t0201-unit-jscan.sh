#!/bin/bash
# lib/jscan: the fast scanner says OK only where jansson agrees.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/jscan"
