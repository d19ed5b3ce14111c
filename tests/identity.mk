# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/identity.mk - identities: the shared parser, what packages receive
# as pAuthData, and the Sspi* identity functions.  Uses the core suites'
# helpers (tests/core.mk) and the real NTLM and Sample packages.
identity_util = tests/identity-util.c tests/identity-util.h $(coretests_util)
identity_deps = src/packages/ntlm/ntlm.la src/packages/sample/sample.la

check_PROGRAMS += tests/check-identity
TESTS += tests/check-identity
tests_check_identity_SOURCES = tests/check-identity.c $(identity_util)
tests_check_identity_CFLAGS = $(coretests_cflags)
tests_check_identity_LDADD = src/common/libcommon.la $(coretests_ldadd)
EXTRA_tests_check_identity_DEPENDENCIES = $(identity_deps)

check_PROGRAMS += tests/check-sspi-identity
TESTS += tests/check-sspi-identity
tests_check_sspi_identity_SOURCES = tests/check-sspi-identity.c $(identity_util)
tests_check_sspi_identity_CFLAGS = $(coretests_cflags)
tests_check_sspi_identity_LDADD = src/common/libcommon.la $(coretests_ldadd)

# MockIdentity: LSA CallPackage slots and chosen client names.
check_LTLIBRARIES += tests/mock/mock-identity.la
tests_mock_mock_identity_la_SOURCES = tests/mock/mock-identity.c tests/mock/mock-identity.h \
	$(coretests_mock_common)
tests_mock_mock_identity_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_identity_la_LDFLAGS = $(coretests_mock_ldflags)

check_PROGRAMS += tests/check-lsa
TESTS += tests/check-lsa
tests_check_lsa_SOURCES = tests/check-lsa.c $(coretests_util)
tests_check_lsa_CFLAGS = $(coretests_cflags)
tests_check_lsa_LDADD = $(coretests_ldadd)

check_PROGRAMS += tests/check-secext
TESTS += tests/check-secext
tests_check_secext_SOURCES = tests/check-secext.c $(coretests_util)
tests_check_secext_CFLAGS = $(coretests_cflags) $(CORE_KRB5_CFLAGS)
tests_check_secext_LDADD = src/common/libcommon.la $(coretests_ldadd) $(CORE_KRB5_LIBS)

# A stand-in for WinPR: CloseHandle, GetLastError, SetLastError.
check_LTLIBRARIES += tests/mock/mock-winpr.la
tests_mock_mock_winpr_la_SOURCES = tests/mock/mock-winpr.c
tests_mock_mock_winpr_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_winpr_la_LDFLAGS = $(coretests_mock_ldflags)

check_PROGRAMS += tests/check-impersonate
TESTS += tests/check-impersonate
tests_check_impersonate_SOURCES = tests/check-impersonate.c $(identity_util)
tests_check_impersonate_CFLAGS = $(coretests_cflags)
tests_check_impersonate_LDADD = $(coretests_ldadd)
EXTRA_tests_check_impersonate_DEPENDENCIES = $(identity_deps)
