# SPDX-License-Identifier: LGPL-2.1-or-later
# doc/local.mk - manual pages and the guides.
dist_man_MANS += doc/sspi.1 doc/sspi.conf.5 doc/libsspi.7
EXTRA_DIST += doc/porting.md doc/writing-packages.md doc/schannel.md doc/negotiate.md
