# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/crypto.mk - known-answer tests of src/crypto.
check_PROGRAMS += tests/check-crypto
TESTS += tests/check-crypto
tests_check_crypto_SOURCES = tests/check-crypto.c
tests_check_crypto_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_crypto_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_crypto_LDADD = src/crypto/libsspicrypto.la tests/util/libtestutil.la $(CHECK_LIBS)
