# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/packaging.mk - checks of what is shipped: the Debian symbols file
# follows the version script (check-debian-symbols.sh), and every source
# file carries its licence line (check-spdx.sh; `sh tests/check-spdx.sh`
# runs it by hand).
TESTS += tests/check-debian-symbols.sh tests/check-spdx.sh
EXTRA_DIST += tests/check-debian-symbols.sh tests/check-spdx.sh
