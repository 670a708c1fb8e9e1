#!/bin/bash
# lib/buf: JSON string escaping, integers, printf.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/buf"
