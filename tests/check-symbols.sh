#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-symbols.sh - the dynamic symbols libsspi.so defines must be exactly
# the global list of the version script src/core/libsspi.sym: nothing
# missing, nothing extra (internal helpers stay hidden); and no dynamic
# relocation may name one of them, so the function tables and every
# internal call bind to libsspi's own definitions even when another
# library in the process exports the same names.
set -u
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
sym="$srcdir/src/core/libsspi.sym"
lib="$builddir/src/core/.libs/libsspi.so"

if ! command -v nm >/dev/null 2>&1; then
    echo "SKIP: nm not found"
    exit 77
fi
[ -f "$sym" ] || { echo "FAIL: $sym not found"; exit 1; }
[ -f "$lib" ] || { echo "FAIL: $lib not found"; exit 1; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Names between "global:" and "local:", one per line, without ';' or comments.
sed -n '/global:/,/local:/p' "$sym" | sed -e 's/#.*//' -e 's/global://' -e 's/local:.*//' \
    -e 's/[;[:space:]]//g' | grep -v '^$' | LC_ALL=C sort -u >"$tmp/expected"

# Defined dynamic symbols, without the version node (the LIBSSPI_1 marker
# itself is an absolute symbol, not a function or object, so it is dropped).
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sed 's/@.*//' |
    LC_ALL=C sort -u >"$tmp/actual"

if [ ! -s "$tmp/expected" ]; then
    echo "FAIL: no symbols found in $sym"
    exit 1
fi
if ! cmp -s "$tmp/expected" "$tmp/actual"; then
    echo "FAIL: exported symbols differ from $sym"
    echo "missing from the library (<) / not in the version script (>):"
    diff "$tmp/expected" "$tmp/actual" | grep '^[<>]'
    exit 1
fi
if command -v readelf >/dev/null 2>&1; then
    readelf -rW "$lib" | awk 'NF >= 5 && $3 ~ /^R_/ { print $5 }' | sed 's/@.*//' |
        LC_ALL=C sort -u >"$tmp/relocated"
    LC_ALL=C comm -12 "$tmp/expected" "$tmp/relocated" >"$tmp/interposable"
    if [ -s "$tmp/interposable" ]; then
        echo "FAIL: dynamic relocations against exported names (interposable):"
        sed 's/^/  /' "$tmp/interposable"
        exit 1
    fi
else
    echo "note: readelf not found; relocation check skipped"
fi
echo "PASS: $(wc -l <"$tmp/expected") symbols match $sym; none is relocated"
exit 0
