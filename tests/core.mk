# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/core.mk - the core test suites (loader, handles, API, dispatch,
# exported symbols) and the mock packages they load.
#
# Each mock is a real shared object built by libtool (-rpath makes libtool
# produce tests/mock/.libs/<name>.so); mocks never link libsspi and export
# only their entry points and `mock_state` (-fvisibility=hidden).

coretests_mock_cflags = $(AM_CFLAGS) -fvisibility=hidden
coretests_mock_ldflags = $(AM_LDFLAGS) -module -avoid-version -shared -rpath /nowhere
# The mocks read identities with the packages' shared parser.
coretests_mock_common = tests/mock/mock-common.c tests/mock/mock-common.h tests/mock/mock-state.h \
	src/common/identity.c src/common/utf16.c

check_LTLIBRARIES += \
	tests/mock/mock-good.la \
	tests/mock/mock-old-version.la \
	tests/mock/mock-odd-version.la \
	tests/mock/mock-new-version.la \
	tests/mock/mock-short-table.la \
	tests/mock/mock-no-entry.la \
	tests/mock/mock-init-fails.la \
	tests/mock/mock-instance-fails.la \
	tests/mock/mock-lsa-init-fails.la \
	tests/mock/mock-null-tables.la \
	tests/mock/mock-null-count.la \
	tests/mock/mock-multi.la \
	tests/mock/mock-user-only.la \
	tests/mock/mock-provider.la \
	tests/mock/mock-provider-null.la \
	tests/mock/mock-provider-noname.la \
	tests/mock/mock-provider-deep.la \
	tests/mock/mock-reenter.la \
	tests/mock/mock-evil.la \
	tests/mock/mock-wrapper.la \
	tests/mock/mock-garbage.la \
	tests/mock/mock-dup-name.la

tests_mock_mock_good_la_SOURCES = tests/mock/mock-good.c $(coretests_mock_common)
tests_mock_mock_good_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_good_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_old_version_la_SOURCES = tests/mock/mock-old-version.c $(coretests_mock_common)
tests_mock_mock_old_version_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_old_version_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_odd_version_la_SOURCES = tests/mock/mock-old-version.c $(coretests_mock_common)
tests_mock_mock_odd_version_la_CPPFLAGS = $(AM_CPPFLAGS) -DMOCK_PACKAGE_VERSION=0x00030000
tests_mock_mock_odd_version_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_odd_version_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_new_version_la_SOURCES = tests/mock/mock-new-version.c $(coretests_mock_common)
tests_mock_mock_new_version_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_new_version_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_short_table_la_SOURCES = tests/mock/mock-short-table.c $(coretests_mock_common)
tests_mock_mock_short_table_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_short_table_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_no_entry_la_SOURCES = tests/mock/mock-no-entry.c $(coretests_mock_common)
tests_mock_mock_no_entry_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_no_entry_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_init_fails_la_SOURCES = tests/mock/mock-init-fails.c $(coretests_mock_common)
tests_mock_mock_init_fails_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_init_fails_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_instance_fails_la_SOURCES = tests/mock/mock-instance-fails.c $(coretests_mock_common)
tests_mock_mock_instance_fails_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_instance_fails_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_lsa_init_fails_la_SOURCES = tests/mock/mock-lsa-init-fails.c $(coretests_mock_common)
tests_mock_mock_lsa_init_fails_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_lsa_init_fails_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_null_tables_la_SOURCES = tests/mock/mock-null-tables.c $(coretests_mock_common)
tests_mock_mock_null_tables_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_null_tables_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_null_count_la_SOURCES = tests/mock/mock-null-tables.c $(coretests_mock_common)
tests_mock_mock_null_count_la_CPPFLAGS = $(AM_CPPFLAGS) -DMOCK_NULL_COUNT=1
tests_mock_mock_null_count_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_null_count_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_multi_la_SOURCES = tests/mock/mock-multi.c $(coretests_mock_common)
tests_mock_mock_multi_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_multi_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_user_only_la_SOURCES = tests/mock/mock-user-only.c $(coretests_mock_common)
tests_mock_mock_user_only_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_user_only_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_provider_la_SOURCES = tests/mock/mock-provider.c $(coretests_mock_common)
tests_mock_mock_provider_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_provider_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_provider_null_la_SOURCES = tests/mock/mock-provider.c $(coretests_mock_common)
tests_mock_mock_provider_null_la_CPPFLAGS = $(AM_CPPFLAGS) -DMOCK_PROVIDER_BROKEN=1
tests_mock_mock_provider_null_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_provider_null_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_provider_noname_la_SOURCES = tests/mock/mock-provider.c $(coretests_mock_common)
tests_mock_mock_provider_noname_la_CPPFLAGS = $(AM_CPPFLAGS) -DMOCK_PROVIDER_BROKEN=2
tests_mock_mock_provider_noname_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_provider_noname_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_provider_deep_la_SOURCES = tests/mock/mock-provider.c $(coretests_mock_common)
tests_mock_mock_provider_deep_la_CPPFLAGS = $(AM_CPPFLAGS) -DMOCK_PROVIDER_DEEP=1
tests_mock_mock_provider_deep_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_provider_deep_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_reenter_la_SOURCES = tests/mock/mock-reenter.c $(coretests_mock_common)
tests_mock_mock_reenter_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_reenter_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_evil_la_SOURCES = tests/mock/mock-evil.c $(coretests_mock_common)
tests_mock_mock_evil_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_evil_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_wrapper_la_SOURCES = tests/mock/mock-wrapper.c $(coretests_mock_common)
tests_mock_mock_wrapper_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_wrapper_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_garbage_la_SOURCES = tests/mock/mock-garbage.c $(coretests_mock_common)
tests_mock_mock_garbage_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_garbage_la_LDFLAGS = $(coretests_mock_ldflags)

tests_mock_mock_dup_name_la_SOURCES = tests/mock/mock-dup-name.c $(coretests_mock_common)
tests_mock_mock_dup_name_la_CFLAGS = $(coretests_mock_cflags)
tests_mock_mock_dup_name_la_LDFLAGS = $(coretests_mock_ldflags)

# The suites.  Each links the public library only.
coretests_programs = tests/check-loader tests/check-handles tests/check-api tests/check-dispatch \
	tests/check-host-services
coretests_util = tests/test-util.c tests/test-util.h
coretests_cflags = $(AM_CFLAGS) $(CHECK_CFLAGS) -I$(top_srcdir)/tests
coretests_ldadd = $(TESTUTIL_LIBS)

check_PROGRAMS += $(coretests_programs)
TESTS += $(coretests_programs) tests/check-symbols.sh

tests_check_loader_SOURCES = tests/check-loader.c $(coretests_util)
tests_check_loader_CFLAGS = $(coretests_cflags)
tests_check_loader_LDADD = $(coretests_ldadd)

tests_check_handles_SOURCES = tests/check-handles.c $(coretests_util)
tests_check_handles_CFLAGS = $(coretests_cflags)
tests_check_handles_LDADD = $(coretests_ldadd)

tests_check_api_SOURCES = tests/check-api.c $(coretests_util)
tests_check_api_CFLAGS = $(coretests_cflags)
tests_check_api_LDADD = $(coretests_ldadd)

tests_check_host_services_SOURCES = tests/check-host-services.c $(coretests_util)
tests_check_host_services_CFLAGS = $(coretests_cflags)
tests_check_host_services_LDADD = $(coretests_ldadd)

tests_check_dispatch_SOURCES = tests/check-dispatch.c $(coretests_util)
tests_check_dispatch_CFLAGS = $(coretests_cflags)
tests_check_dispatch_LDADD = $(coretests_ldadd)

# Allocation counting interposes malloc(): not with sanitizer runtimes, and
# not part of `make memcheck`.
if !ENABLE_SANITIZERS
check_PROGRAMS += tests/check-noalloc
TESTS += tests/check-noalloc
tests_check_noalloc_SOURCES = tests/check-noalloc.c tests/alloc-count.h tests/alloc-count.c \
	$(coretests_util)
tests_check_noalloc_CFLAGS = $(coretests_cflags)
tests_check_noalloc_LDADD = $(coretests_ldadd)
endif

EXTRA_DIST += tests/check-symbols.sh

# Symbol isolation: a program that links a stub exporting every SSPI name
# and dlopen()s libsspi afterwards (it does not link libsspi itself).
check_LTLIBRARIES += tests/isolation/libsspistub.la
tests_isolation_libsspistub_la_SOURCES = tests/isolation/stub-sspi.c
tests_isolation_libsspistub_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
tests_isolation_libsspistub_la_LDFLAGS = $(AM_LDFLAGS) -avoid-version -rpath /nowhere

check_PROGRAMS += tests/check-isolation
TESTS += tests/check-isolation
tests_check_isolation_SOURCES = tests/check-isolation.c
tests_check_isolation_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_isolation_LDADD = tests/isolation/libsspistub.la $(CHECK_LIBS) $(PTHREAD_LIBS)
EXTRA_tests_check_isolation_DEPENDENCIES = src/core/libsspi.la $(check_LTLIBRARIES)

# The loader on its own: loader, ELF probe and LSA services compiled in,
# the registry replaced by a fake host in the test, the services that reach
# other packages or caller memory (CallPackage, impersonation, the
# fault-tolerant copies) by stubs (no libsspi).
check_PROGRAMS += tests/check-loader-alone
TESTS += tests/check-loader-alone
tests_check_loader_alone_SOURCES = tests/check-loader-alone.c \
	src/core/loader.c src/core/loader-provider.c src/core/elf-probe.c \
	src/core/lsa-services.c src/core/memory.c src/core/status.c src/core/trace.c \
	src/core/config.c src/core/config-accounts.c
tests_check_loader_alone_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_loader_alone_LDADD = src/common/libcommon.la $(CHECK_LIBS) $(PTHREAD_LIBS)
