# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench.mk - the dispatch benchmark (a program, not a test) and the
# UTF-16 helper tests.

# A do-nothing SSP/AP plugin: measures libsspi's own per-message cost.
check_LTLIBRARIES += tests/bench/null-package.la
tests_bench_null_package_la_SOURCES = tests/bench/null-package.c
tests_bench_null_package_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere

# Built by `make check`, run by hand: tests/bench/bench-dispatch [-n N]
check_PROGRAMS += tests/bench/bench-dispatch
tests_bench_bench_dispatch_SOURCES = tests/bench/bench-dispatch.c
tests_bench_bench_dispatch_LDADD = src/core/libsspi.la $(PTHREAD_LIBS)
EXTRA_tests_bench_bench_dispatch_DEPENDENCIES = tests/bench/null-package.la

check_PROGRAMS += tests/check-utf16
TESTS += tests/check-utf16
tests_check_utf16_SOURCES = tests/check-utf16.c
tests_check_utf16_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_utf16_LDADD = src/common/libcommon.la $(CHECK_LIBS)

# The handle table on its own (handle.c compiled in): encoding checks,
# generations, kinds, reference counts, concurrent churn.
check_PROGRAMS += tests/check-handle-table
TESTS += tests/check-handle-table
tests_check_handle_table_SOURCES = tests/check-handle-table.c src/core/handle.c
tests_check_handle_table_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_handle_table_LDADD = $(CHECK_LIBS) $(PTHREAD_LIBS)
