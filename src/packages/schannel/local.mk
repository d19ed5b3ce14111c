# SPDX-License-Identifier: LGPL-2.1-or-later
# src/packages/schannel: the Schannel security package (schannel.so): TLS
# 1.2/1.3 on GnuTLS with Windows' stream semantics, on the package kit.  It
# links the certificate-context convenience library of src/wincrypt and the
# kit, never libsspi.so.
# libschannel-internal.la holds everything but the entry points so the
# tests and the fuzz target can reach the internals.
noinst_LTLIBRARIES += src/packages/schannel/libschannel-internal.la
src_packages_schannel_libschannel_internal_la_SOURCES = \
	src/packages/schannel/schannel-pkg.h \
	src/packages/schannel/schannel-obj.c \
	src/packages/schannel/schannel-cred.c \
	src/packages/schannel/schannel-session.c \
	src/packages/schannel/schannel-handshake.c \
	src/packages/schannel/schannel-fiber.c \
	src/packages/schannel/schannel-record.c \
	src/packages/schannel/schannel-message.c \
	src/packages/schannel/schannel-attrs.c
src_packages_schannel_libschannel_internal_la_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS) -fPIC

packages_LTLIBRARIES += src/packages/schannel/schannel.la
src_packages_schannel_schannel_la_SOURCES = src/packages/schannel/schannel-entry.c
src_packages_schannel_schannel_la_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
src_packages_schannel_schannel_la_LIBADD = src/packages/schannel/libschannel-internal.la \
	src/wincrypt/libcertcore.la $(PACKAGE_LIBADD) $(GNUTLS_LIBS)
src_packages_schannel_schannel_la_LDFLAGS = $(PACKAGE_LDFLAGS)
