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
