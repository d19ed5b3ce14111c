# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/packaging.mk - checks of what is shipped: every source file carries
# its licence line (check-spdx.sh; run it by hand until every file has it).
EXTRA_DIST += tests/check-spdx.sh
