# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/headers.mk - checks of the installed headers: struct layouts
# (check-layout, a Check suite) and stand-alone compilation as C and C++
# (check-headers.sh, which reads CC and CXX from the test environment).
check_PROGRAMS += tests/check-layout
tests_check_layout_SOURCES = tests/check-layout.c
tests_check_layout_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_layout_LDADD = $(CHECK_LIBS)

TESTS += tests/check-layout tests/check-headers.sh

EXTRA_DIST += \
	tests/check-headers.sh \
	tests/headers/porter-client.c \
	tests/headers/skeleton-package.c \
	tests/headers/wincred-names.c \
	tests/headers/windows-opening.c
