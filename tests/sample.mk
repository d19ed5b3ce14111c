# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/sample.mk - the Sample package through the public API.
check_PROGRAMS += tests/check-sample
TESTS += tests/check-sample
tests_check_sample_SOURCES = tests/check-sample.c
tests_check_sample_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_sample_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_sample_LDADD = $(TESTUTIL_LIBS)
EXTRA_tests_check_sample_DEPENDENCIES = src/packages/sample/sample.la
