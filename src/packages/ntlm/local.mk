# src/packages/ntlm/local.mk - the NTLM security package.
# libntlm-internal.la holds everything but the exported entry points so the
# tests can call internal functions; ntlm.la is the plugin.
noinst_LTLIBRARIES += src/packages/ntlm/libntlm-internal.la
src_packages_ntlm_libntlm_internal_la_SOURCES = \
	src/packages/ntlm/ntlm.h \
	src/packages/ntlm/ntlm-pkg.h \
	src/packages/ntlm/ntlm-crypto.c \
	src/packages/ntlm/ntlm-msg.c \
	src/packages/ntlm/ntlm-sign-core.c \
	src/packages/ntlm/ntlm-userfile.c \
	src/packages/ntlm/ntlm-util.c \
	src/packages/ntlm/ntlm-config.c \
	src/packages/ntlm/ntlm-cred.c \
	src/packages/ntlm/ntlm-context.c \
	src/packages/ntlm/ntlm-client.c \
	src/packages/ntlm/ntlm-server.c \
	src/packages/ntlm/ntlm-sign.c
src_packages_ntlm_libntlm_internal_la_CFLAGS = $(AM_CFLAGS) -fPIC

packages_LTLIBRARIES += src/packages/ntlm/ntlm.la
src_packages_ntlm_ntlm_la_SOURCES = src/packages/ntlm/ntlm-entry.c
src_packages_ntlm_ntlm_la_LIBADD = src/packages/ntlm/libntlm-internal.la \
	src/crypto/libsspicrypto.la src/common/libcommon.la $(PTHREAD_LIBS)
src_packages_ntlm_ntlm_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-export-symbols-regex '^(SpLsaModeInitialize|SpUserModeInitialize)$$'

EXTRA_DIST += doc/ntlm.md
