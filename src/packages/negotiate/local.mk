# src/packages/negotiate/local.mk - the Negotiate (SPNEGO) security package.
# libnegotiate-internal.la holds everything but the exported entry points so
# tests and fuzz targets can call the codec and the state machine directly.
noinst_LTLIBRARIES += src/packages/negotiate/libnegotiate-internal.la
src_packages_negotiate_libnegotiate_internal_la_SOURCES = \
	src/packages/negotiate/negotiate-spnego.h \
	src/packages/negotiate/negotiate-asn1-tab.c \
	src/packages/negotiate/negotiate-der.c \
	src/packages/negotiate/negotiate-spnego.c \
	src/packages/negotiate/negotiate-sniff.c
src_packages_negotiate_libnegotiate_internal_la_CFLAGS = $(AM_CFLAGS) $(LIBTASN1_CFLAGS) -fPIC
src_packages_negotiate_libnegotiate_internal_la_LIBADD = $(LIBTASN1_LIBS) $(PTHREAD_LIBS)

EXTRA_DIST += src/packages/negotiate/negotiate-spnego.asn
