# SPDX-License-Identifier: LGPL-2.1-or-later
# src/packages/kerberos/local.mk - the Kerberos security package (MIT krb5
# GSSAPI for the protocol, crypto.h for the per-message path).
# libkerberos-internal.la holds everything but the exported entry points so
# tests and the fuzzer can call internal functions; kerberos.la is the plugin.
if HAVE_KRB5
noinst_LTLIBRARIES += src/packages/kerberos/libkerberos-internal.la
src_packages_kerberos_libkerberos_internal_la_SOURCES = \
	src/packages/kerberos/kerberos.h \
	src/packages/kerberos/kerberos-cfx.h \
	src/packages/kerberos/kerberos-cfx.c \
	src/packages/kerberos/kerberos-status.c \
	src/packages/kerberos/kerberos-names.c \
	src/packages/kerberos/kerberos-cred.c \
	src/packages/kerberos/kerberos-context.c \
	src/packages/kerberos/kerberos-message.c \
	src/packages/kerberos/kerberos-attrs.c \
	src/packages/kerberos/kerberos-lsa.c
src_packages_kerberos_libkerberos_internal_la_CFLAGS = $(AM_CFLAGS) $(KRB5_CFLAGS) -fPIC

packages_LTLIBRARIES += src/packages/kerberos/kerberos.la
src_packages_kerberos_kerberos_la_SOURCES = src/packages/kerberos/kerberos-entry.c
src_packages_kerberos_kerberos_la_CFLAGS = $(AM_CFLAGS) $(KRB5_CFLAGS)
src_packages_kerberos_kerberos_la_LIBADD = src/packages/kerberos/libkerberos-internal.la \
	src/crypto/libsspicrypto.la $(KRB5_LIBS) $(PACKAGE_LIBADD)
src_packages_kerberos_kerberos_la_LDFLAGS = $(PACKAGE_LDFLAGS)
endif
EXTRA_DIST += doc/kerberos.md
