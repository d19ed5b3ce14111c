# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/schannel.mk - the Schannel package: loopback and bad-input suite,
# interop against gnutls-serv/gnutls-cli/openssl, keys in a PKCS#11 token,
# the fuzz-corpus replay.
noinst_LTLIBRARIES += tests/schannel/libtlstest.la
tests_schannel_libtlstest_la_SOURCES = tests/schannel/tls-test.h tests/schannel/tls-test.c \
	src/tools/tool-pki.h src/tools/tool-pki.c
tests_schannel_libtlstest_la_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_schannel_libtlstest_la_LIBADD = src/core/libsspi.la $(GNUTLS_LIBS)

check_PROGRAMS += tests/check-schannel
TESTS += tests/check-schannel
tests_check_schannel_SOURCES = tests/check-schannel.c
tests_check_schannel_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS)
tests_check_schannel_LDADD = tests/schannel/libtlstest.la src/core/libsspi.la $(CHECK_LIBS) \
	$(GNUTLS_LIBS) $(PTHREAD_LIBS)

# Interop: needs gnutls-bin and openssl (exit 77 without them).
check_PROGRAMS += tests/check-schannel-interop
TESTS += tests/check-schannel-interop
tests_check_schannel_interop_SOURCES = tests/interop/check-schannel-interop.c \
	tests/schannel/tls-peers.h tests/schannel/tls-peers.c
tests_check_schannel_interop_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS)
tests_check_schannel_interop_LDADD = tests/schannel/libtlstest.la src/core/libsspi.la \
	$(CHECK_LIBS) $(GNUTLS_LIBS)

# Keys kept in a PKCS#11 token: a private SoftHSM token, gnutls-bin and
# openssl peers.  Never skipped: without softhsm2 it fails (exit 99).
check_PROGRAMS += tests/schannel/check-schannel-pkcs11
TESTS += tests/schannel/check-schannel-pkcs11
tests_schannel_check_schannel_pkcs11_SOURCES = tests/schannel/check-schannel-pkcs11.c \
	tests/schannel/tls-peers.h tests/schannel/tls-peers.c
tests_schannel_check_schannel_pkcs11_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS)
tests_schannel_check_schannel_pkcs11_LDADD = tests/schannel/libtlstest.la src/core/libsspi.la \
	$(CHECK_LIBS) $(GNUTLS_LIBS) $(PTHREAD_LIBS)

# Built by `make check`, run by hand: tests/bench/bench-schannel [-n N] [-h N]
check_PROGRAMS += tests/bench/bench-schannel
tests_bench_bench_schannel_SOURCES = tests/bench/bench-schannel.c tests/alloc-count.c
tests_bench_bench_schannel_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_bench_bench_schannel_LDADD = tests/schannel/libtlstest.la src/core/libsspi.la $(GNUTLS_LIBS)
if HAVE_OPENSSL
tests_bench_bench_schannel_CFLAGS += $(OPENSSL_CFLAGS) -DHAVE_OPENSSL_BENCH
tests_bench_bench_schannel_LDADD += $(OPENSSL_LIBS)
endif

# EncryptMessage / DecryptMessage allocate nothing, either direction, on
# both protocols (allocation counting: not with sanitizers).
if !ENABLE_SANITIZERS
check_PROGRAMS += tests/check-schannel-noalloc
TESTS += tests/check-schannel-noalloc
tests_check_schannel_noalloc_SOURCES = tests/check-schannel-noalloc.c tests/alloc-count.c
tests_check_schannel_noalloc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS)
tests_check_schannel_noalloc_LDADD = tests/schannel/libtlstest.la src/core/libsspi.la \
	$(CHECK_LIBS) $(GNUTLS_LIBS)
endif

# The package conformance battery (tests/pkg-conformance.h) for Schannel:
# stream messages and handshakes, the package's defaults.
check_PROGRAMS += tests/check-schannel-conformance
TESTS += tests/check-schannel-conformance
tests_check_schannel_conformance_SOURCES = tests/check-schannel-conformance.c \
	src/tools/tool-pki.h src/tools/tool-pki.c
tests_check_schannel_conformance_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_schannel_conformance_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS)
tests_check_schannel_conformance_LDADD = $(TESTUTIL_LIBS) $(GNUTLS_LIBS)
EXTRA_tests_check_schannel_conformance_DEPENDENCIES = src/packages/schannel/schannel.la

# <wincrypt.h>: certificate contexts, stores, PKCS#12.
check_PROGRAMS += tests/check-wincrypt
TESTS += tests/check-wincrypt
tests_check_wincrypt_SOURCES = tests/check-wincrypt.c src/tools/tool-pki.h src/tools/tool-pki.c
tests_check_wincrypt_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS)
tests_check_wincrypt_LDADD = src/core/libsspi.la $(CHECK_LIBS) $(GNUTLS_LIBS)
