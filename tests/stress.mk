# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/stress.mk - concurrency stress through the public API.
check_PROGRAMS += tests/check-stress
TESTS += tests/check-stress
tests_check_stress_SOURCES = tests/check-stress.c
tests_check_stress_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_stress_LDADD = src/core/libsspi.la $(CHECK_LIBS) $(PTHREAD_LIBS)

# Secret wiping: interposes free(), so not with sanitizer runtimes.
if !ENABLE_SANITIZERS
check_PROGRAMS += tests/check-wipe
TESTS += tests/check-wipe
tests_check_wipe_SOURCES = tests/check-wipe.c
tests_check_wipe_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_wipe_LDADD = src/core/libsspi.la $(CHECK_LIBS)
endif
