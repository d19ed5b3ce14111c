#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-headers.sh - compile every installed header on its own, as C99,
# C11 and C++ (with and without UNICODE), plus a Windows-style client and
# a skeleton security package written against them.  Compile-only: no
# library is linked.
#
# Environment: CC and CXX (default cc and c++), top_srcdir (default: the
# directory above this script).

CC=${CC:-cc}
CXX=${CXX:-c++}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
hdrdir=$top_srcdir/include/libsspi
srcdir=$top_srcdir/tests/headers

HEADERS="sspi-types.h sspi-status.h sspi.h security.h ntsecapi.h ntsecpkg.h libsspi.h ntstatus.h winerror.h
         wincrypt.h schannel.h errhandlingapi.h handleapi.h secext.h SecExt.h"
CWARN="-Wall -Wextra -Werror -pedantic -Wundef -Wshadow -Wstrict-prototypes"
CXXWARN="-Wall -Wextra -Werror -pedantic -Wundef -Wshadow"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-headers.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

pass=0 fail=0 skip=0

# run DESCRIPTION COMMAND...: run a compile, report PASS/FAIL with its output.
run() {
    desc=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then
        pass=$((pass + 1))
        echo "PASS: $desc"
    else
        fail=$((fail + 1))
        echo "FAIL: $desc"
        echo "  command: $*"
        sed 's/^/  | /' "$tmp/out"
    fi
}

have_cxx=yes
if ! echo 'int main() { return 0; }' | $CXX -x c++ -fsyntax-only - >/dev/null 2>&1; then
    have_cxx=no
    echo "note: C++ compiler '$CXX' not usable; C++ checks skipped"
fi

cxx() {
    desc=$1
    shift
    if [ "$have_cxx" = yes ]; then
        run "$desc" "$@"
    else
        skip=$((skip + 1))
        echo "SKIP: $desc"
    fi
}

# ---- Each header alone (included twice, to exercise its guard).
for h in $HEADERS; do
    printf '#include <%s>\n#include <%s>\nint header_test_anchor;\n' "$h" "$h" >"$tmp/alone.c"
    for std in c99 c11; do
        run "$h alone, $std" $CC -std=$std $CWARN -I"$hdrdir" -fsyntax-only "$tmp/alone.c"
    done
    run "$h alone, c11, UNICODE" $CC -std=c11 -DUNICODE $CWARN -I"$hdrdir" -fsyntax-only "$tmp/alone.c"
    for std in c++11 c++17; do
        cxx "$h alone, $std" $CXX -std=$std $CXXWARN -I"$hdrdir" -fsyntax-only -x c++ "$tmp/alone.c"
    done
    cxx "$h alone, c++11, UNICODE" $CXX -std=c++11 -DUNICODE $CXXWARN -I"$hdrdir" -fsyntax-only -x c++ "$tmp/alone.c"
done

# ---- Things that are wrong on LP64 or with a 32-bit wchar_t.
bad=$(cd "$hdrdir" && grep -nE 'L"|wchar_t' $HEADERS)
if [ -z "$bad" ]; then
    pass=$((pass + 1)); echo "PASS: no L\"\" literals or wchar_t in headers"
else
    fail=$((fail + 1)); echo "FAIL: L\"\" literal or wchar_t in headers"; echo "$bad" | sed 's/^/  | /'
fi
bad=$(cd "$hdrdir" && grep -nwE 'long' $HEADERS | grep -v 'long long')
if [ -z "$bad" ]; then
    pass=$((pass + 1)); echo "PASS: no C long/unsigned long in headers"
else
    fail=$((fail + 1)); echo "FAIL: C long used in headers"; echo "$bad" | sed 's/^/  | /'
fi

# ---- A Windows-style client using the generic names.
for std in c99 c11; do
    run "porter-client.c, $std" $CC -std=$std $CWARN -I"$hdrdir" -fsyntax-only "$srcdir/porter-client.c"
done
run "porter-client.c, c11, UNICODE" $CC -std=c11 -DUNICODE $CWARN -I"$hdrdir" -fsyntax-only "$srcdir/porter-client.c"
for std in c++11 c++17; do
    cxx "porter-client.c, $std" $CXX -std=$std $CXXWARN -I"$hdrdir" -fsyntax-only -x c++ "$srcdir/porter-client.c"
    cxx "porter-client.c, $std, UNICODE" $CXX -std=$std -DUNICODE $CXXWARN -I"$hdrdir" -fsyntax-only -x c++ "$srcdir/porter-client.c"
done

# ---- A skeleton SSP/AP; -Wmissing-prototypes proves the entry points are declared.
for std in c99 c11; do
    run "skeleton-package.c, $std" $CC -std=$std $CWARN -Wmissing-prototypes -I"$hdrdir" -fsyntax-only "$srcdir/skeleton-package.c"
done
run "skeleton-package.c, c11, UNICODE" $CC -std=c11 -DUNICODE $CWARN -Wmissing-prototypes -I"$hdrdir" -fsyntax-only "$srcdir/skeleton-package.c"
for std in c++11 c++17; do
    cxx "skeleton-package.c, $std" $CXX -std=$std $CXXWARN -Wmissing-declarations -I"$hdrdir" -fsyntax-only -x c++ "$srcdir/skeleton-package.c"
done
cxx "skeleton-package.c, c++11, UNICODE" $CXX -std=c++11 -DUNICODE $CXXWARN -Wmissing-declarations -I"$hdrdir" -fsyntax-only -x c++ "$srcdir/skeleton-package.c"

# ---- The usual Windows opening (WIN32_NO_STATUS, <ntstatus.h>, <winerror.h>).
for std in c99 c11; do
    run "windows-opening.c, $std" $CC -std=$std $CWARN -Wmissing-prototypes -I"$hdrdir" -fsyntax-only "$srcdir/windows-opening.c"
done
run "windows-opening.c, c11, UNICODE" $CC -std=c11 -DUNICODE $CWARN -I"$hdrdir" -fsyntax-only "$srcdir/windows-opening.c"
cxx "windows-opening.c, c++11" $CXX -std=c++11 $CXXWARN -Wmissing-declarations -I"$hdrdir" -fsyntax-only -x c++ "$srcdir/windows-opening.c"

# ---- Credential-manager slot names (_WINCRED_H_) keep the same layout.
run "wincred-names.c, c11" $CC -std=c11 $CWARN -I"$hdrdir" -fsyntax-only "$srcdir/wincred-names.c"
cxx "wincred-names.c, c++11" $CXX -std=c++11 $CXXWARN -I"$hdrdir" -fsyntax-only -x c++ "$srcdir/wincred-names.c"

echo "check-headers: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
