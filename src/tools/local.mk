# SPDX-License-Identifier: LGPL-2.1-or-later
# src/tools/local.mk - the `sspi` command (see doc/sspi.1).

bin_PROGRAMS += src/tools/sspi

src_tools_sspi_SOURCES = \
	src/tools/sspi.c \
	src/tools/tool.h \
	src/tools/tool-util.c \
	src/tools/tool-session.c \
	src/tools/tool-packages.c \
	src/tools/json.c \
	src/tools/json.h \
	src/tools/cmd-list.c \
	src/tools/cmd-info.c \
	src/tools/cmd-loopback.c \
	src/tools/tool-net.c \
	src/tools/tool-stream.c \
	src/tools/tool-pki.h \
	src/tools/tool-pki.c \
	src/tools/tool-stream-local.c \
	src/tools/tool-http-wire.c \
	src/tools/tool-http.c \
	src/tools/cmd-server.c \
	src/tools/cmd-client.c \
	src/tools/cmd-bench.c \
	src/tools/cmd-status.c \
	src/tools/cmd-realm.c
src_tools_sspi_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
src_tools_sspi_LDADD = src/core/libsspi.la src/common/libcommon.la $(GNUTLS_LIBS) $(PTHREAD_LIBS)

# The throwaway Kerberos realm for demos and tests (doc/kerberos.md).
bin_SCRIPTS += src/tools/sspi-test-realm
EXTRA_DIST += src/tools/sspi-test-realm.in
DISTCLEANFILES += src/tools/sspi-test-realm
