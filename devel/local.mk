# SPDX-License-Identifier: LGPL-2.1-or-later
# devel/local.mk - maintainer tools: devel/add-spdx.sh adds the licence
# line to files that lack it.
EXTRA_DIST += devel/source-files.sh devel/add-spdx.sh
