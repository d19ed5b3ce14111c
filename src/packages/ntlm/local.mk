# SPDX-License-Identifier: LGPL-2.1-or-later
# src/packages/ntlm/local.mk - the NTLM security package.
# libntlm-internal.la holds the whole package, entry points included, so
# the tests can call internal functions; ntlm.la is the plugin made of it
# (exporting only the two entry points, src/packages/package.mk).
noinst_LTLIBRARIES += src/packages/ntlm/libntlm-internal.la
src_packages_ntlm_libntlm_internal_la_SOURCES = \
	src/packages/ntlm/ntlm.h \
	src/packages/ntlm/ntlm-pkg.h \
	src/packages/ntlm/ntlm-crypto.c \
	src/packages/ntlm/ntlm-msg.c \
	src/packages/ntlm/ntlm-sign-core.c \
	src/packages/ntlm/ntlm-userfile.c \
	src/packages/ntlm/ntlm-buf.c \
	src/packages/ntlm/ntlm-config.c \
	src/packages/ntlm/ntlm-cred.c \
	src/packages/ntlm/ntlm-context.c \
	src/packages/ntlm/ntlm-client.c \
	src/packages/ntlm/ntlm-server.c \
	src/packages/ntlm/ntlm-sign.c \
	src/packages/ntlm/ntlm-entry.c
src_packages_ntlm_libntlm_internal_la_CFLAGS = $(AM_CFLAGS) -fPIC

# What a program that calls the package directly links.
NTLM_INTERNAL_LIBS = src/packages/ntlm/libntlm-internal.la src/crypto/libsspicrypto.la \
	$(PACKAGE_LIBADD)

packages_LTLIBRARIES += src/packages/ntlm/ntlm.la
src_packages_ntlm_ntlm_la_SOURCES =
src_packages_ntlm_ntlm_la_LIBADD = $(NTLM_INTERNAL_LIBS)
src_packages_ntlm_ntlm_la_LDFLAGS = $(PACKAGE_LDFLAGS)

EXTRA_DIST += doc/ntlm.md
