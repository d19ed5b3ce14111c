#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# gen-debian-symbols.sh - write the Debian symbols file of libsspi from the
# version script src/core/libsspi.sym: one "name@NODE version" line per
# exported name, plus each version node itself.  A name already in the
# current debian/libsspiN.symbols keeps its version there (the release that
# first exported it); a new name gets the release in configure.ac's
# AC_INIT.  The soname comes from LIBSSPI_LT_VERSION (current - age).
#
# Usage: devel/gen-debian-symbols.sh [-w]
#   Prints the file; -w writes it to debian/libsspiN.symbols instead.
#   tests/check-debian-symbols.sh fails when the two differ.
set -eu
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
sym=$top/src/core/libsspi.sym
ac=$top/configure.ac

lt=$(sed -n 's/^LIBSSPI_LT_VERSION=\([0-9]*:[0-9]*:[0-9]*\).*/\1/p' "$ac")
release=$(sed -n 's/^AC_INIT(\[libsspi\], *\[\([^]]*\)\].*/\1/p' "$ac")
[ -n "$lt" ] || { echo "gen-debian-symbols: no LIBSSPI_LT_VERSION in $ac" >&2; exit 2; }
[ -n "$release" ] || { echo "gen-debian-symbols: no AC_INIT version in $ac" >&2; exit 2; }
current=${lt%%:*}
age=${lt##*:}
major=$((current - age))
out=$top/debian/libsspi$major.symbols

# "name@NODE" for every global name of every version node, and each node.
exported=$(sed -e 's/#.*//' "$sym" | tr ';' '\n' | awk '
    /^[ \t]*$/ { next }
    {
        for (i = 1; i <= NF; i++) {
            w = $i
            if (w ~ /^[A-Za-z_][A-Za-z0-9_.]*$/ && $(i + 1) == "{") { node = w; print node "@" node; i++; continue }
            if (w == "{") continue
            if (w == "global:") { global = 1; continue }
            if (w == "local:") { global = 0; continue }
            if (w ~ /^}/) { node = ""; global = 0; break }
            if (global && node != "") {
                if (w ~ /[*?\[]/) { print "pattern " w > "/dev/stderr"; exit 3 }
                print w "@" node
            }
        }
    }' | LC_ALL=C sort -u)
[ -n "$exported" ] || { echo "gen-debian-symbols: no names found in $sym" >&2; exit 2; }

generate() {
    echo "libsspi.so.$major libsspi$major #MINVER#"
    echo "* Build-Depends-Package: libsspi-dev"
    for s in $exported; do
        v=
        [ -f "$out" ] && v=$(awk -v s="$s" '$1 == s { print $2; exit }' "$out")
        echo " $s ${v:-$release}"
    done
}

if [ "${1:-}" = -w ]; then
    generate >"$out.tmp"
    mv -f "$out.tmp" "$out"
    echo "wrote $out"
else
    generate
fi
