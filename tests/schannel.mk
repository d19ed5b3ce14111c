# tests/schannel.mk - the Schannel package: loopback and bad-input suite,
# interop against gnutls-serv/gnutls-cli/openssl, the fuzz-corpus replay.
noinst_LTLIBRARIES += tests/schannel/libtlstest.la
tests_schannel_libtlstest_la_SOURCES = tests/schannel/tls-test.h tests/schannel/tls-test.c
tests_schannel_libtlstest_la_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_schannel_libtlstest_la_LIBADD = src/core/libsspi.la $(GNUTLS_LIBS)

check_PROGRAMS += tests/check-schannel
TESTS += tests/check-schannel
tests_check_schannel_SOURCES = tests/check-schannel.c
tests_check_schannel_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS)
tests_check_schannel_LDADD = tests/schannel/libtlstest.la src/core/libsspi.la $(CHECK_LIBS) \
	$(GNUTLS_LIBS)
