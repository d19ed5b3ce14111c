# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/fuzz: libFuzzer targets (built with --enable-fuzzing and clang) and,
# in every build, replay programs that run each target over its seed corpus.
EXTRA_DIST += tests/fuzz/corpus

check_PROGRAMS += tests/fuzz/replay-message
TESTS += tests/fuzz/replay-message
tests_fuzz_replay_message_SOURCES = tests/fuzz/fuzz-message.c tests/fuzz/replay.c
tests_fuzz_replay_message_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"message"'
tests_fuzz_replay_message_LDADD = src/core/libsspi.la

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-message
tests_fuzz_fuzz_message_SOURCES = tests/fuzz/fuzz-message.c
tests_fuzz_fuzz_message_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_message_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_message_LDADD = src/core/libsspi.la
endif

check_PROGRAMS += tests/fuzz/replay-config
TESTS += tests/fuzz/replay-config
tests_fuzz_replay_config_SOURCES = tests/fuzz/fuzz-config.c tests/fuzz/replay.c src/core/config.c \
	src/core/config-accounts.c
tests_fuzz_replay_config_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"config"'

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz-config.c src/core/config.c \
	src/core/config-accounts.c
tests_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
endif

check_PROGRAMS += tests/fuzz/replay-elf
TESTS += tests/fuzz/replay-elf
tests_fuzz_replay_elf_SOURCES = tests/fuzz/fuzz-elf.c tests/fuzz/replay.c src/core/elf-probe.c
tests_fuzz_replay_elf_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"elf"'

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-elf
tests_fuzz_fuzz_elf_SOURCES = tests/fuzz/fuzz-elf.c src/core/elf-probe.c
tests_fuzz_fuzz_elf_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_elf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
endif

check_PROGRAMS += tests/fuzz/replay-identity
TESTS += tests/fuzz/replay-identity
tests_fuzz_replay_identity_SOURCES = tests/fuzz/fuzz-identity.c tests/fuzz/replay.c
tests_fuzz_replay_identity_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"identity"'
tests_fuzz_replay_identity_LDADD = src/common/libcommon.la

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-identity
tests_fuzz_fuzz_identity_SOURCES = tests/fuzz/fuzz-identity.c
tests_fuzz_fuzz_identity_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_identity_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_identity_LDADD = src/common/libcommon.la
endif

# Schannel: handshake legs and records (tests/fuzz/fuzz-schannel.c).
check_PROGRAMS += tests/fuzz/replay-schannel
TESTS += tests/fuzz/replay-schannel
tests_fuzz_replay_schannel_SOURCES = tests/fuzz/fuzz-schannel.c tests/fuzz/replay.c
tests_fuzz_replay_schannel_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"schannel"'
tests_fuzz_replay_schannel_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_fuzz_replay_schannel_LDADD = tests/schannel/libtlstest.la src/core/libsspi.la $(GNUTLS_LIBS)
EXTRA_tests_fuzz_replay_schannel_DEPENDENCIES = src/packages/schannel/schannel.la

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-schannel
tests_fuzz_fuzz_schannel_SOURCES = tests/fuzz/fuzz-schannel.c
tests_fuzz_fuzz_schannel_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_schannel_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_schannel_LDADD = tests/schannel/libtlstest.la src/core/libsspi.la $(GNUTLS_LIBS)
endif
