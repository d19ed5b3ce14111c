# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/fuzz/sample.mk: the Sample package's handshake and import fuzz
# target (tests/fuzz/fuzz-sample.c): a replay program run by `make check`
# over tests/fuzz/corpus/sample, and the libFuzzer build.
check_PROGRAMS += tests/fuzz/replay-sample
TESTS += tests/fuzz/replay-sample
tests_fuzz_replay_sample_SOURCES = tests/fuzz/fuzz-sample.c tests/fuzz/replay.c
tests_fuzz_replay_sample_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"sample"'
tests_fuzz_replay_sample_LDADD = src/core/libsspi.la
EXTRA_tests_fuzz_replay_sample_DEPENDENCIES = src/packages/sample/sample.la

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-sample
tests_fuzz_fuzz_sample_SOURCES = tests/fuzz/fuzz-sample.c
tests_fuzz_fuzz_sample_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_sample_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_sample_LDADD = src/core/libsspi.la
endif
