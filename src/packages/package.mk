# SPDX-License-Identifier: LGPL-2.1-or-later
# src/packages/package.mk - what every package plugin shares: the link
# flags of a dlopen()ed module that exports only the two SSP/AP entry
# points (src/packages/package.sym), and the kit it is built on.  A
# package's local.mk uses them as
#   <pkg>_la_LDFLAGS = $(PACKAGE_LDFLAGS)
#   <pkg>_la_LIBADD = ... $(PACKAGE_LIBADD)
PACKAGE_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared -no-undefined \
	-export-symbols $(top_srcdir)/src/packages/package.sym
PACKAGE_LIBADD = src/packages/kit/libsspi-pkgkit.la src/common/libcommon.la $(PTHREAD_LIBS)
EXTRA_DIST += src/packages/package.sym
