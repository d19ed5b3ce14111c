# SPDX-License-Identifier: LGPL-2.1-or-later
# src/packages/negotiate/local.mk - the Negotiate (SPNEGO) security package.
# libnegotiate-internal.la holds everything but the exported entry points so
# tests and fuzz targets can call the codec and the state machines directly;
# negotiate.la is the plugin.
noinst_LTLIBRARIES += src/packages/negotiate/libnegotiate-internal.la
src_packages_negotiate_libnegotiate_internal_la_SOURCES = \
	src/packages/negotiate/negotiate-spnego.h \
	src/packages/negotiate/negotiate-der.c \
	src/packages/negotiate/negotiate-spnego.c \
	src/packages/negotiate/negotiate-sniff.c \
	src/packages/negotiate/negotiate.h \
	src/packages/negotiate/negotiate-package.c \
	src/packages/negotiate/negotiate-mechs.c \
	src/packages/negotiate/negotiate-cred.c \
	src/packages/negotiate/negotiate-inner.c \
	src/packages/negotiate/negotiate-init.c \
	src/packages/negotiate/negotiate-accept.c \
	src/packages/negotiate/negotiate-context.c
src_packages_negotiate_libnegotiate_internal_la_CFLAGS = $(AM_CFLAGS) -fPIC
src_packages_negotiate_libnegotiate_internal_la_LIBADD = $(PTHREAD_LIBS)

# The reference codec on libtasn1 and the ASN.1 module (negotiate-spnego.asn,
# compiled by asn1Parser into the committed negotiate-asn1-tab.c): the
# tests and fuzz targets hold the package's codec to it.
noinst_LTLIBRARIES += src/packages/negotiate/libnegotiate-ref.la
src_packages_negotiate_libnegotiate_ref_la_SOURCES = \
	src/packages/negotiate/negotiate-spnego-ref.h \
	src/packages/negotiate/negotiate-spnego-ref.c \
	src/packages/negotiate/negotiate-asn1-tab.c
src_packages_negotiate_libnegotiate_ref_la_CFLAGS = $(AM_CFLAGS) $(LIBTASN1_CFLAGS)
src_packages_negotiate_libnegotiate_ref_la_LIBADD = $(LIBTASN1_LIBS) $(PTHREAD_LIBS)

packages_LTLIBRARIES += src/packages/negotiate/negotiate.la
src_packages_negotiate_negotiate_la_SOURCES = src/packages/negotiate/negotiate-entry.c
src_packages_negotiate_negotiate_la_LDFLAGS = $(PACKAGE_LDFLAGS)
src_packages_negotiate_negotiate_la_LIBADD = src/packages/negotiate/libnegotiate-internal.la \
	$(PACKAGE_LIBADD)

EXTRA_DIST += src/packages/negotiate/negotiate-spnego.asn
