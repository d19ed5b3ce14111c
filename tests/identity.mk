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
