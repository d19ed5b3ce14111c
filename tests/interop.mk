# tests/interop.mk - interoperability of the NTLM package with gss-ntlmssp
# (through MIT GSSAPI); included only when configure found krb5-gssapi.
# The program needs the NTLM plugin built (src/packages/ntlm/ntlm.la) and
# gss-ntlmssp installed; see the top comment of check-ntlm-interop.c.
check_PROGRAMS += tests/check-ntlm-interop
TESTS += tests/check-ntlm-interop
tests_check_ntlm_interop_SOURCES = \
	tests/interop/check-ntlm-interop.c \
	tests/interop/gss-peer.c \
	tests/interop/gss-peer.h
tests_check_ntlm_interop_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GSSAPI_CFLAGS)
tests_check_ntlm_interop_LDADD = src/core/libsspi.la $(CHECK_LIBS) $(GSSAPI_LIBS)
