# SPDX-License-Identifier: LGPL-2.1-or-later
# src/packages/kit: the package kit (libsspi-pkgkit.la), a PIC convenience
# library linked into every package and never into libsspi.so.
noinst_LTLIBRARIES += src/packages/kit/libsspi-pkgkit.la
src_packages_kit_libsspi_pkgkit_la_SOURCES = \
	src/packages/kit/kit.h \
	src/packages/kit/pkg-entry.h src/packages/kit/pkg-entry.c \
	src/packages/kit/pkg-handle.h src/packages/kit/pkg-handle.c \
	src/packages/kit/pkg-calls.h src/packages/kit/pkg-calls-internal.h src/packages/kit/pkg-calls.c \
	src/packages/kit/pkg-identity.h src/packages/kit/pkg-identity.c \
	src/packages/kit/pkg-buffers.h src/packages/kit/pkg-buffers.c \
	src/packages/kit/pkg-attrs.h src/packages/kit/pkg-attrs.c \
	src/packages/kit/pkg-pack.h src/packages/kit/pkg-pack.c \
	src/packages/kit/pkg-options.h src/packages/kit/pkg-options.c \
	src/packages/kit/pkg-time.h src/packages/kit/pkg-time.c
src_packages_kit_libsspi_pkgkit_la_CFLAGS = $(AM_CFLAGS) -fPIC
src_packages_kit_libsspi_pkgkit_la_LIBADD = $(PTHREAD_LIBS)
# It uses src/common (the identity parser, UTF-16); a package links both
# through $(PACKAGE_LIBADD) (src/packages/package.mk).
