#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-debian-symbols.sh - the Debian symbols file of libsspi lists exactly
# the names of the version script src/core/libsspi.sym, under the soname
# LIBSSPI_LT_VERSION gives, and the Debian changelog names the release of
# configure.ac: devel/gen-debian-symbols.sh regenerates the file (keeping
# each name's first version) and must reproduce it byte for byte.
#
# Environment: top_srcdir (default: the directory above this script).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export top_srcdir
fail=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-debian-symbols.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! sh "$top_srcdir/devel/gen-debian-symbols.sh" >"$tmp/expected"; then
    echo "FAIL: devel/gen-debian-symbols.sh failed"
    exit 1
fi
file=$top_srcdir/debian/$(sed -n '1s/^[^ ]* \([^ ]*\) .*/\1/p' "$tmp/expected").symbols
if [ ! -f "$file" ]; then
    echo "FAIL: ${file#"$top_srcdir"/} is missing (soname changed? run devel/gen-debian-symbols.sh -w"
    echo "      and rename the library package in debian/control)"
    fail=1
elif cmp -s "$tmp/expected" "$file"; then
    echo "PASS: ${file#"$top_srcdir"/} matches src/core/libsspi.sym ($(grep -c '^ ' "$file") symbols)"
else
    echo "FAIL: ${file#"$top_srcdir"/} differs from src/core/libsspi.sym; run devel/gen-debian-symbols.sh -w"
    diff "$file" "$tmp/expected" | sed 's/^/  | /'
    fail=1
fi

release=$(sed -n 's/^AC_INIT(\[libsspi\], *\[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
deb=$(sed -n '1s/^libsspi (\([^)]*\)).*/\1/p' "$top_srcdir/debian/changelog")
deb_upstream=${deb#*:}
deb_upstream=${deb_upstream%-*}
if [ "$deb_upstream" = "$release" ]; then
    echo "PASS: debian/changelog is at release $release"
else
    echo "FAIL: debian/changelog is at $deb, configure.ac at $release (add a changelog entry)"
    fail=1
fi
exit $fail
