# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/interop.mk - interoperability of the NTLM package with independent
# implementations: gss-ntlmssp through MIT GSSAPI (check-ntlm-interop), and
# Samba's ntlm_auth and curl as separate programs (check-ntlm-peers).
# Included only when configure found krb5-gssapi.  The programs need the
# NTLM plugin built (src/packages/ntlm/ntlm.la) and those peers installed;
# see the top comment of each program.
check_PROGRAMS += tests/check-ntlm-interop
TESTS += tests/check-ntlm-interop
tests_check_ntlm_interop_SOURCES = \
	tests/interop/check-ntlm-interop.c \
	tests/interop/gss-peer.c \
	tests/interop/gss-peer.h
tests_check_ntlm_interop_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GSSAPI_CFLAGS)
tests_check_ntlm_interop_LDADD = src/core/libsspi.la $(CHECK_LIBS) $(GSSAPI_LIBS)

# check-ntlm-peers: the NTLM acceptor against Samba's ntlm_auth and curl,
# run as separate programs (Debian packages winbind and curl; see the top
# comment of check-ntlm-peers.c).
check_PROGRAMS += tests/check-ntlm-peers
TESTS += tests/check-ntlm-peers
tests_check_ntlm_peers_SOURCES = \
	tests/interop/check-ntlm-peers.c \
	tests/interop/peer-http.c \
	tests/interop/peer-http.h \
	tests/interop/peer-util.c \
	tests/interop/peer-util.h
tests_check_ntlm_peers_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -pthread
tests_check_ntlm_peers_LDADD = src/core/libsspi.la $(CHECK_LIBS) -lpthread
