#!/bin/bash
# lib/ident: e-mail, phone (E.164) and handle normalization.
exec "${XO_BUILD:-$(dirname "$0")/../build}/unit/ident"
