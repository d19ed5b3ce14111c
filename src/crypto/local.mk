# SPDX-License-Identifier: LGPL-2.1-or-later
# src/crypto: the only code that includes nettle.
noinst_LTLIBRARIES += src/crypto/libsspicrypto.la
src_crypto_libsspicrypto_la_SOURCES = src/crypto/crypto.h src/crypto/crypto.c \
	src/crypto/crypto-krb5.c
src_crypto_libsspicrypto_la_CFLAGS = $(AM_CFLAGS) $(NETTLE_CFLAGS)
src_crypto_libsspicrypto_la_LIBADD = $(NETTLE_LIBS)
