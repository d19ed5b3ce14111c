# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/kerberos.mk - the Kerberos package against a real MIT KDC started
# by the test (src/tools/sspi-test-realm) and MIT's GSSAPI as the peer.
# Skips (77) when krb5-kdc/krb5-admin-server/krb5-user are not installed.
check_PROGRAMS += tests/check-kerberos
TESTS += tests/check-kerberos
tests_check_kerberos_SOURCES = tests/interop/check-kerberos.c tests/interop/krb-test.c \
	tests/interop/krb-test.h
tests_check_kerberos_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_check_kerberos_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(KRB5_CFLAGS)
tests_check_kerberos_LDADD = src/core/libsspi.la $(CHECK_LIBS) $(KRB5_LIBS) -ldl $(PTHREAD_LIBS)
EXTRA_tests_check_kerberos_DEPENDENCIES = src/packages/kerberos/kerberos.la src/tools/sspi-test-realm

# Built by `make check`, run by hand: tests/bench/bench-kerberos [-n N]
check_PROGRAMS += tests/bench/bench-kerberos
tests_bench_bench_kerberos_SOURCES = tests/bench/bench-kerberos.c tests/interop/krb-test.c \
	tests/interop/krb-test.h tests/bench/alloc-count.c tests/bench/alloc-count.h
tests_bench_bench_kerberos_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_bench_bench_kerberos_CFLAGS = $(AM_CFLAGS) $(KRB5_CFLAGS)
tests_bench_bench_kerberos_LDADD = src/core/libsspi.la src/crypto/libsspicrypto.la $(KRB5_LIBS)
EXTRA_tests_bench_bench_kerberos_DEPENDENCIES = src/packages/kerberos/kerberos.la

# The fuzz target of the package's own token handling (RFC 4121 tokens);
# replayed over its seed corpus in every `make check`.
check_PROGRAMS += tests/fuzz/replay-kerberos-cfx
TESTS += tests/fuzz/replay-kerberos-cfx
tests_fuzz_replay_kerberos_cfx_SOURCES = tests/fuzz/fuzz-kerberos-cfx.c tests/fuzz/replay.c \
	src/packages/kerberos/kerberos-cfx.c
tests_fuzz_replay_kerberos_cfx_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"kerberos-cfx"'
tests_fuzz_replay_kerberos_cfx_LDADD = src/crypto/libsspicrypto.la

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-kerberos-cfx
tests_fuzz_fuzz_kerberos_cfx_SOURCES = tests/fuzz/fuzz-kerberos-cfx.c \
	src/packages/kerberos/kerberos-cfx.c
tests_fuzz_fuzz_kerberos_cfx_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_kerberos_cfx_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_kerberos_cfx_LDADD = src/crypto/libsspicrypto.la
endif

# The package conformance battery with a Kerberos driver (its own realm).
check_PROGRAMS += tests/check-kerberos-conformance
TESTS += tests/check-kerberos-conformance
tests_check_kerberos_conformance_SOURCES = tests/check-kerberos-conformance.c \
	tests/interop/krb-test.c tests/interop/krb-test.h
tests_check_kerberos_conformance_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_kerberos_conformance_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(KRB5_CFLAGS)
tests_check_kerberos_conformance_LDADD = $(TESTUTIL_LIBS) $(KRB5_LIBS)
EXTRA_tests_check_kerberos_conformance_DEPENDENCIES = src/packages/kerberos/kerberos.la \
	src/tools/sspi-test-realm
