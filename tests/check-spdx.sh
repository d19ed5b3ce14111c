#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-spdx.sh - every source, header, script and build file carries
# "SPDX-License-Identifier: LGPL-2.1-or-later" near its top; the files that
# lack it are listed.  `devel/add-spdx.sh` adds the line where it is missing.
#
# Environment: top_srcdir (default: the directory above this script).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export top_srcdir

if out=$(sh "$top_srcdir/devel/add-spdx.sh" --check); then
    echo "PASS: ${out##*
}"
    exit 0
fi
echo "$out"
echo "FAIL: run devel/add-spdx.sh to add the missing lines"
exit 1
