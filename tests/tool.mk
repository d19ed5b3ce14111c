# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/tool.mk - tests of the `sspi` command: check-tool runs the built
# src/tools/sspi (through its libtool wrapper) and checks exit codes,
# text and --json output, and a server/client run on 127.0.0.1.
check_PROGRAMS += tests/check-tool
TESTS += tests/check-tool
tests_check_tool_SOURCES = tests/check-tool.c
tests_check_tool_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_tool_LDADD = $(CHECK_LIBS)
