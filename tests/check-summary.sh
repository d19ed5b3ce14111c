#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-summary.sh - add up the Check summary lines of every test log so a
# `make check` run ends with one line saying how many checks ran.
checks=0 failures=0 errors=0
for log in "$@"; do
    [ -f "$log" ] || continue
    for line in $(sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1:\2:\3/p' "$log"); do
        c=${line%%:*}; rest=${line#*:}; f=${rest%%:*}; e=${rest#*:}
        checks=$((checks + c)); failures=$((failures + f)); errors=$((errors + e))
    done
done
if [ "$checks" -gt 0 ]; then
    pct=$(( (checks - failures - errors) * 100 / checks ))
else
    pct=0
fi
echo "All Check suites: $pct%: Checks: $checks, Failures: $failures, Errors: $errors"
[ "$failures" -eq 0 ] && [ "$errors" -eq 0 ]
