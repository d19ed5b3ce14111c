# SPDX-License-Identifier: LGPL-2.1-or-later
# src/wincrypt: the <wincrypt.h> certificate API on GnuTLS.  cert-core (the
# context layout of cert-private.h, loading files and the certificate
# directory, keys kept in PKCS#11 tokens) is a convenience library linked
# into libsspi.so and into the Schannel package; the Cert* functions
# themselves are exported by libsspi.so only.
noinst_LTLIBRARIES += src/wincrypt/libcertcore.la src/wincrypt/libwincrypt.la
src_wincrypt_libcertcore_la_SOURCES = src/wincrypt/cert-private.h src/wincrypt/cert-core.c \
	src/wincrypt/cert-load.c src/wincrypt/cert-token.c
src_wincrypt_libcertcore_la_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
src_wincrypt_libcertcore_la_LIBADD = $(GNUTLS_LIBS)

src_wincrypt_libwincrypt_la_SOURCES = \
	src/wincrypt/wincrypt-internal.h \
	src/wincrypt/cert-api.c \
	src/wincrypt/cert-store.c
src_wincrypt_libwincrypt_la_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
src_wincrypt_libwincrypt_la_LIBADD = src/wincrypt/libcertcore.la \
	$(GNUTLS_LIBS) $(PTHREAD_LIBS)
