# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/config.mk - unit tests of the configuration parser (src/core/config.c,
# compiled into the test program).
check_PROGRAMS += tests/check-config
TESTS += tests/check-config
tests_check_config_SOURCES = tests/check-config.c src/core/config.h src/core/config.c \
	src/core/config-accounts.h src/core/config-accounts.c
tests_check_config_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_config_LDADD = $(CHECK_LIBS)
