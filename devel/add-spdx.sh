#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# add-spdx.sh - give every source, header, script and build file the line
#     SPDX-License-Identifier: LGPL-2.1-or-later
# in its own comment syntax, as the first line (the second after a #!
# line).  Files that already carry an SPDX-License-Identifier in their
# first SPDX_LINES lines are left alone, so running it again changes
# nothing.
#
# Usage: devel/add-spdx.sh [--check] [FILE...]
#   FILEs are paths relative to the top of the tree; without any, every
#   file devel/source-files.sh lists.  Files that need no line (documents,
#   data, fuzz corpora) are skipped.  --check changes nothing: it lists the
#   files lacking the line and exits 1 if there are any.  A file that names
#   another licence in an SPDX line is reported, never changed.
set -eu
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"

ID='SPDX-License-Identifier: LGPL-2.1-or-later'
SPDX_LINES=5

check=no
if [ "${1:-}" = --check ]; then
    check=yes
    shift
fi

# comment_style FILE: print "c" (/* */), "hash" (#) or "asn" (--) for a
# file that must carry the line, nothing for one that need not.
comment_style() {
    case $1 in
    tests/fuzz/corpus/*) return ;;
    *.c | *.h | *.c.in | *.h.in) echo c ;;
    *.asn | *.asn.in) echo asn ;;
    # A version script (ld reads # comments); not a libtool -export-symbols
    # list, which is bare names, one a line.
    *.sym) if grep -q '{' "$1"; then echo hash; fi ;;
    *.sh | *.am | *.mk | *.ac | *.in | *.supp | *.conf) echo hash ;;
    *)
        # Any other script, whatever its name (.ci/run, debian/rules).
        if [ "$(head -c 2 "$1")" = '#!' ]; then echo hash; fi ;;
    esac
}

has_id() {
    head -n "$SPDX_LINES" "$1" | grep -q "$ID"
}

has_other_id() {
    head -n "$SPDX_LINES" "$1" | grep -q 'SPDX-License-Identifier:'
}

# insert FILE STYLE: write the line in, keeping the file's mode and inode.
insert() {
    case $2 in
    c) line="/* $ID */" ;;
    asn) line="-- $ID" ;;
    *) line="# $ID" ;;
    esac
    tmp=$(mktemp "${TMPDIR:-/tmp}/add-spdx.XXXXXX")
    if [ "$(head -c 2 "$1")" = '#!' ]; then
        { head -n 1 "$1"; printf '%s\n' "$line"; tail -n +2 "$1"; } >"$tmp"
    else
        { printf '%s\n' "$line"; cat "$1"; } >"$tmp"
    fi
    cat "$tmp" >"$1"
    rm -f "$tmp"
}

if [ $# -eq 0 ]; then
    # One path per line; split on newlines only, no globbing.
    files=$(sh devel/source-files.sh "$top")
    IFS='
'
    set -f
    # shellcheck disable=SC2086
    set -- $files
    set +f
    unset IFS
fi

missing=0 added=0 checked=0
for f in "$@"; do
    f=${f#./}
    [ -f "$f" ] || { echo "add-spdx: $f: no such file" >&2; exit 2; }
    style=$(comment_style "$f")
    [ -n "$style" ] || continue
    checked=$((checked + 1))
    has_id "$f" && continue
    if has_other_id "$f"; then
        echo "other licence: $f"
        missing=$((missing + 1))
    elif [ $check = yes ]; then
        echo "missing: $f"
        missing=$((missing + 1))
    else
        insert "$f" "$style"
        echo "added: $f"
        added=$((added + 1))
    fi
done

if [ $check = yes ]; then
    echo "add-spdx: $checked files checked, $missing without an SPDX-License-Identifier line"
    [ $missing -eq 0 ]
else
    echo "add-spdx: $checked files checked, line added to $added"
    [ $missing -eq 0 ]
fi
