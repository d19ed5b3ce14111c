# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/negotiate.mk - tests of the Negotiate package.
check_PROGRAMS += tests/check-negotiate-spnego
TESTS += tests/check-negotiate-spnego
tests_check_negotiate_spnego_SOURCES = tests/check-negotiate-spnego.c
tests_check_negotiate_spnego_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_negotiate_spnego_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_negotiate_spnego_LDADD = src/packages/negotiate/libnegotiate-internal.la \
	src/packages/negotiate/libnegotiate-ref.la tests/util/libtestutil.la $(PACKAGE_LIBADD) \
	$(CHECK_LIBS) $(PTHREAD_LIBS)

# Fuzz targets: the libFuzzer builds need --enable-fuzzing; the replay
# programs run each target over its seed corpus (and every truncation of
# each seed) in every `make check`.  Corpora: tests/fuzz/corpus/negotiate-*.
NEGOTIATE_FUZZ_LIBS = src/packages/negotiate/libnegotiate-internal.la \
	src/packages/negotiate/libnegotiate-ref.la $(PACKAGE_LIBADD)

check_PROGRAMS += tests/fuzz/replay-negotiate-spnego tests/fuzz/replay-negotiate-sniff
TESTS += tests/fuzz/replay-negotiate-spnego tests/fuzz/replay-negotiate-sniff
tests_fuzz_replay_negotiate_spnego_SOURCES = tests/fuzz/fuzz-negotiate-spnego.c tests/fuzz/replay.c
tests_fuzz_replay_negotiate_spnego_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"negotiate-spnego"'
tests_fuzz_replay_negotiate_spnego_LDADD = $(NEGOTIATE_FUZZ_LIBS)
tests_fuzz_replay_negotiate_sniff_SOURCES = tests/fuzz/fuzz-negotiate-sniff.c tests/fuzz/replay.c
tests_fuzz_replay_negotiate_sniff_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS_NAME='"negotiate-sniff"'
tests_fuzz_replay_negotiate_sniff_LDADD = $(NEGOTIATE_FUZZ_LIBS)

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-negotiate-spnego tests/fuzz/fuzz-negotiate-sniff
tests_fuzz_fuzz_negotiate_spnego_SOURCES = tests/fuzz/fuzz-negotiate-spnego.c
tests_fuzz_fuzz_negotiate_spnego_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_negotiate_spnego_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_negotiate_spnego_LDADD = $(NEGOTIATE_FUZZ_LIBS)
tests_fuzz_fuzz_negotiate_sniff_SOURCES = tests/fuzz/fuzz-negotiate-sniff.c
tests_fuzz_fuzz_negotiate_sniff_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_negotiate_sniff_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_negotiate_sniff_LDADD = $(NEGOTIATE_FUZZ_LIBS)
endif

# The package's initiator and acceptor against scripted siblings.
check_PROGRAMS += tests/check-negotiate-machine
TESTS += tests/check-negotiate-machine
tests_check_negotiate_machine_SOURCES = tests/check-negotiate-machine.c \
	tests/negotiate-fake.c tests/negotiate-fake.h
tests_check_negotiate_machine_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_check_negotiate_machine_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_negotiate_machine_LDADD = src/packages/negotiate/libnegotiate-internal.la \
	$(PACKAGE_LIBADD) $(CHECK_LIBS) $(PTHREAD_LIBS)

if ENABLE_INTEROP
# The package against MIT SPNEGO with gss-ntlmssp (and a real KDC for the
# Kerberos cases), through the public API.
check_PROGRAMS += tests/check-negotiate-interop
TESTS += tests/check-negotiate-interop
tests_check_negotiate_interop_SOURCES = tests/interop/check-negotiate-interop.c \
	tests/interop/nego-sspi.c tests/interop/nego-sspi.h \
	tests/interop/spnego-peer.c tests/interop/spnego-peer.h \
	tests/interop/gss-peer.c tests/interop/gss-peer.h
tests_check_negotiate_interop_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/interop
tests_check_negotiate_interop_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GSSAPI_CFLAGS)
tests_check_negotiate_interop_LDADD = src/core/libsspi.la $(CHECK_LIBS) $(GSSAPI_LIBS)
EXTRA_tests_check_negotiate_interop_DEPENDENCIES = src/packages/negotiate/negotiate.la \
	src/packages/ntlm/ntlm.la

if HAVE_KRB5
# Kerberos in play: a real KDC (src/tools/sspi-test-realm), MIT SPNEGO
# with gss-ntlmssp, libsspi on both sides.  Skips without the KDC tools.
check_PROGRAMS += tests/check-negotiate-krb
TESTS += tests/check-negotiate-krb
tests_check_negotiate_krb_SOURCES = tests/interop/check-negotiate-krb.c \
	tests/interop/nego-sspi.c tests/interop/nego-sspi.h \
	tests/interop/spnego-peer.c tests/interop/spnego-peer.h \
	tests/interop/gss-peer.c tests/interop/gss-peer.h \
	tests/interop/krb-test.c tests/interop/krb-test.h
tests_check_negotiate_krb_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/tests/interop
tests_check_negotiate_krb_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(KRB5_CFLAGS) $(GSSAPI_CFLAGS)
tests_check_negotiate_krb_LDADD = src/core/libsspi.la $(CHECK_LIBS) $(KRB5_LIBS) $(GSSAPI_LIBS)
EXTRA_tests_check_negotiate_krb_DEPENDENCIES = src/packages/negotiate/negotiate.la \
	src/packages/ntlm/ntlm.la src/packages/kerberos/kerberos.la src/tools/sspi-test-realm
endif
endif

# A third-party negotiable package (its own OID), for check-negotiate-package.
check_LTLIBRARIES += tests/mock/mock-negotiable.la
tests_mock_mock_negotiable_la_SOURCES = tests/mock/mock-negotiable.c
tests_mock_mock_negotiable_la_LDFLAGS = $(PACKAGE_LDFLAGS) -rpath /nowhere
tests_mock_mock_negotiable_la_LIBADD = src/crypto/libsspicrypto.la $(PACKAGE_LIBADD)

# The package through the public API, with NTLM and the mock as siblings.
check_PROGRAMS += tests/check-negotiate-package
TESTS += tests/check-negotiate-package
tests_check_negotiate_package_SOURCES = tests/check-negotiate-package.c
tests_check_negotiate_package_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_negotiate_package_LDADD = src/core/libsspi.la $(CHECK_LIBS) $(PTHREAD_LIBS)
EXTRA_tests_check_negotiate_package_DEPENDENCIES = src/packages/negotiate/negotiate.la \
	src/packages/ntlm/ntlm.la tests/mock/mock-negotiable.la

if ENABLE_INTEROP
# Built by `make check`, run by hand: tests/bench/bench-negotiate [-n N]
# [--kerberos SPN] -- Negotiate beside the inner package and beside MIT.
check_PROGRAMS += tests/bench/bench-negotiate
tests_bench_bench_negotiate_SOURCES = tests/bench/bench-negotiate.c
tests_bench_bench_negotiate_CFLAGS = $(AM_CFLAGS) $(GSSAPI_CFLAGS)
tests_bench_bench_negotiate_LDADD = src/core/libsspi.la $(GSSAPI_LIBS) $(PTHREAD_LIBS)
EXTRA_tests_bench_bench_negotiate_DEPENDENCIES = src/packages/negotiate/negotiate.la \
	src/packages/ntlm/ntlm.la
endif

# FreeRDP 2 with libsspi as its SSPI (tests/rdp): a preloadable shim.
check_LTLIBRARIES += tests/rdp/winpr-sspi-shim.la
tests_rdp_winpr_sspi_shim_la_SOURCES = tests/rdp/winpr-sspi-shim.c
tests_rdp_winpr_sspi_shim_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-rpath /nowhere
tests_rdp_winpr_sspi_shim_la_LIBADD = $(LIBADD_DL)
# xfreerdp and freerdp-shadow-cli authenticating through it (skips without
# FreeRDP 2 and Xvfb: Debian freerdp2-x11 freerdp2-shadow-x11 xvfb).
TESTS += tests/rdp/negotiate-rdp.sh
EXTRA_DIST += tests/rdp/negotiate-rdp.sh

# The package conformance battery (tests/pkg-conformance.h) for Negotiate.
check_PROGRAMS += tests/check-negotiate-conformance
TESTS += tests/check-negotiate-conformance
tests_check_negotiate_conformance_SOURCES = tests/check-negotiate-conformance.c
tests_check_negotiate_conformance_CPPFLAGS = $(TESTUTIL_CPPFLAGS)
tests_check_negotiate_conformance_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_negotiate_conformance_LDADD = $(TESTUTIL_LIBS)
EXTRA_tests_check_negotiate_conformance_DEPENDENCIES = src/packages/negotiate/negotiate.la \
	src/packages/ntlm/ntlm.la
