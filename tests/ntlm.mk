# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/ntlm.mk - tests of the NTLM package.
check_PROGRAMS += tests/check-ntlm-vectors
TESTS += tests/check-ntlm-vectors
tests_check_ntlm_vectors_SOURCES = tests/check-ntlm-vectors.c
tests_check_ntlm_vectors_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_ntlm_vectors_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_ntlm_vectors_LDADD = $(NTLM_INTERNAL_LIBS) tests/util/libtestutil.la $(CHECK_LIBS)

check_PROGRAMS += tests/check-ntlm-loopback
TESTS += tests/check-ntlm-loopback
tests_check_ntlm_loopback_SOURCES = tests/check-ntlm-loopback.c
tests_check_ntlm_loopback_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_ntlm_loopback_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_ntlm_loopback_LDADD = $(TESTUTIL_LIBS)
EXTRA_tests_check_ntlm_loopback_DEPENDENCIES = src/packages/ntlm/ntlm.la

check_PROGRAMS += tests/check-ntlm-package
TESTS += tests/check-ntlm-package
tests_check_ntlm_package_SOURCES = tests/check-ntlm-package.c tests/ntlm-test.h
tests_check_ntlm_package_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_ntlm_package_LDADD = $(NTLM_INTERNAL_LIBS) $(CHECK_LIBS) $(PTHREAD_LIBS)

# Fuzz targets: the libFuzzer builds need --enable-fuzzing; the replay
# program runs every target over its seed corpus in each `make check`.
# (The seed corpora under tests/fuzz/corpus/ntlm-* are distributed with
# tests/fuzz/corpus.)
EXTRA_DIST += tests/ntlm-users.txt
NTLM_FUZZ_LIBS = $(NTLM_INTERNAL_LIBS)

check_PROGRAMS += tests/fuzz/ntlm-fuzz-replay
TESTS += tests/fuzz/ntlm-fuzz-replay
tests_fuzz_ntlm_fuzz_replay_SOURCES = tests/fuzz/ntlm-fuzz-replay.c \
	tests/fuzz/fuzz-ntlm-negotiate.c tests/fuzz/fuzz-ntlm-challenge.c \
	tests/fuzz/fuzz-ntlm-authenticate.c tests/fuzz/fuzz-ntlm-av-pairs.c
tests_fuzz_ntlm_fuzz_replay_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -DNTLM_FUZZ_REPLAY
tests_fuzz_ntlm_fuzz_replay_LDADD = $(NTLM_FUZZ_LIBS)

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-ntlm-negotiate tests/fuzz/fuzz-ntlm-challenge \
	tests/fuzz/fuzz-ntlm-authenticate tests/fuzz/fuzz-ntlm-av-pairs
tests_fuzz_fuzz_ntlm_negotiate_SOURCES = tests/fuzz/fuzz-ntlm-negotiate.c
tests_fuzz_fuzz_ntlm_negotiate_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_fuzz_fuzz_ntlm_negotiate_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_ntlm_negotiate_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_ntlm_negotiate_LDADD = $(NTLM_FUZZ_LIBS)
tests_fuzz_fuzz_ntlm_challenge_SOURCES = tests/fuzz/fuzz-ntlm-challenge.c
tests_fuzz_fuzz_ntlm_challenge_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_fuzz_fuzz_ntlm_challenge_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_ntlm_challenge_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_ntlm_challenge_LDADD = $(NTLM_FUZZ_LIBS)
tests_fuzz_fuzz_ntlm_authenticate_SOURCES = tests/fuzz/fuzz-ntlm-authenticate.c
tests_fuzz_fuzz_ntlm_authenticate_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_fuzz_fuzz_ntlm_authenticate_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_ntlm_authenticate_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_ntlm_authenticate_LDADD = $(NTLM_FUZZ_LIBS)
tests_fuzz_fuzz_ntlm_av_pairs_SOURCES = tests/fuzz/fuzz-ntlm-av-pairs.c
tests_fuzz_fuzz_ntlm_av_pairs_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_ntlm_av_pairs_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_ntlm_av_pairs_LDADD = $(NTLM_FUZZ_LIBS)
endif

# Built by `make check`, run by hand: tests/bench/bench-ntlm [-n N]
check_PROGRAMS += tests/bench/bench-ntlm
tests_bench_bench_ntlm_SOURCES = tests/bench/bench-ntlm.c tests/bench/alloc-count.c \
	tests/bench/alloc-count.h
tests_bench_bench_ntlm_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_bench_bench_ntlm_LDADD = src/core/libsspi.la src/crypto/libsspicrypto.la $(PTHREAD_LIBS)
EXTRA_tests_bench_bench_ntlm_DEPENDENCIES = src/packages/ntlm/ntlm.la
