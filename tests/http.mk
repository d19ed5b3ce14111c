# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/http.mk - the `--http` wire parsing of the sspi command
# (src/tools/tool-http-wire.c): a fuzz target and its replay over the seed
# corpus in every `make check`.
check_PROGRAMS += tests/fuzz/replay-http
TESTS += tests/fuzz/replay-http
tests_fuzz_replay_http_SOURCES = tests/fuzz/fuzz-http.c tests/fuzz/replay.c \
	src/tools/tool-http-wire.c
tests_fuzz_replay_http_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"http"'

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-http
tests_fuzz_fuzz_http_SOURCES = tests/fuzz/fuzz-http.c src/tools/tool-http-wire.c
tests_fuzz_fuzz_http_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_http_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
endif

if ENABLE_INTEROP
if HAVE_KRB5
# HTTP Negotiate end to end with a real KDC: curl --negotiate and
# `sspi client --http` against `sspi server --http`, and `sspi client
# --http` against an HTTP server on MIT's SPNEGO (tests/spnego-http-server).
check_PROGRAMS += tests/spnego-http-server
tests_spnego_http_server_SOURCES = tests/interop/spnego-http-server.c \
	tests/interop/spnego-peer.c tests/interop/spnego-peer.h \
	tests/interop/peer-util.c tests/interop/peer-util.h
tests_spnego_http_server_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/interop
tests_spnego_http_server_CFLAGS = $(AM_CFLAGS) $(GSSAPI_CFLAGS)
tests_spnego_http_server_LDADD = $(GSSAPI_LIBS)
TESTS += tests/negotiate-http.sh
endif
endif
EXTRA_DIST += tests/negotiate-http.sh
