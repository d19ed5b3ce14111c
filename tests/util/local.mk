# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/util: libtestutil.la, the helpers the Check suites share (status
# assertions, hex, UTF-16 strings) and the package harness and conformance
# battery (tests/pkg-harness.h, tests/pkg-conformance.h).  A convenience
# library: each program pulls in only the objects it uses.
check_LTLIBRARIES += tests/util/libtestutil.la
tests_util_libtestutil_la_SOURCES = \
	tests/util/testutil.h tests/util/tu-status.c tests/util/tu-hex.c tests/util/tu-text.c \
	tests/pkg-harness.h tests/pkg-harness.c \
	tests/pkg-conformance.h tests/pkg-conformance.c
tests_util_libtestutil_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_util_libtestutil_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)

# What a suite that uses it links and how it finds the headers.
TESTUTIL_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
TESTUTIL_LIBS = tests/util/libtestutil.la src/core/libsspi.la $(CHECK_LIBS) $(PTHREAD_LIBS)

# The package conformance battery, once per package.
check_PROGRAMS += tests/check-sample-conformance tests/check-ntlm-conformance
TESTS += tests/check-sample-conformance tests/check-ntlm-conformance
tests_check_sample_conformance_SOURCES = tests/check-sample-conformance.c
tests_check_sample_conformance_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_sample_conformance_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_sample_conformance_LDADD = $(TESTUTIL_LIBS)
EXTRA_tests_check_sample_conformance_DEPENDENCIES = src/packages/sample/sample.la
tests_check_ntlm_conformance_SOURCES = tests/check-ntlm-conformance.c
tests_check_ntlm_conformance_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_ntlm_conformance_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_ntlm_conformance_LDADD = $(TESTUTIL_LIBS)
EXTRA_tests_check_ntlm_conformance_DEPENDENCIES = src/packages/ntlm/ntlm.la

# The package kit on its own (no libsspi core): a module of two packages.
check_PROGRAMS += tests/check-pkg-kit
TESTS += tests/check-pkg-kit
tests_check_pkg_kit_SOURCES = tests/check-pkg-kit.c
tests_check_pkg_kit_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_pkg_kit_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_pkg_kit_LDADD = $(PACKAGE_LIBADD) tests/util/libtestutil.la $(CHECK_LIBS)
