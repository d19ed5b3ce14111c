# SPDX-License-Identifier: LGPL-2.1-or-later
# src/core: libsspi.so, the SSPI entry points, handles and the package host.
lib_LTLIBRARIES += src/core/libsspi.la
src_core_libsspi_la_SOURCES = \
	src/core/core.h \
	src/core/handle.h src/core/handle.c \
	src/core/memory.c \
	src/core/api-internal.h \
	src/core/api-common.c \
	src/core/api-attributes.c \
	src/core/dispatch.h src/core/dispatch-sspap.c src/core/dispatch-provider.c \
	src/core/api-credentials.c \
	src/core/api-context.c \
	src/core/api-message.c \
	src/core/api-package.c \
	src/core/api-table.c \
	src/core/registry.c \
	src/core/loader.h src/core/loader.c \
	src/core/loader-provider.c \
	src/core/elf-probe.c \
	src/core/lsa-services.c \
	src/core/host-services.c \
	src/core/config.h src/core/config.c \
	src/core/config-accounts.h src/core/config-accounts.c \
	src/core/trace.c \
	src/core/status.c \
	src/core/extras.c \
	src/core/identity-core.h \
	src/core/client-memory.c \
	src/core/identity-key.c \
	src/core/identity-pack.c \
	src/core/identity-in.c \
	src/core/api-sspi-identity.c \
	src/core/accounts.h src/core/accounts.c src/core/accounts-krb5.c \
	src/core/lasterror.h src/core/lasterror.c \
	src/core/token.h src/core/token.c \
	src/core/impersonate.c \
	src/core/api-secext.c \
	src/core/api-lsa.c src/core/api-lsa-sessions.c
src_core_libsspi_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(LIBSSPI_LT_VERSION) -no-undefined \
	$(SYMBOLIC_LDFLAGS) -Wl,-z,nodelete -Wl,--version-script=$(srcdir)/src/core/libsspi.sym
src_core_libsspi_la_CFLAGS = $(AM_CFLAGS) $(CORE_KRB5_CFLAGS)
src_core_libsspi_la_LIBADD = src/wincrypt/libwincrypt.la src/common/libcommon.la \
	src/crypto/libsspicrypto.la $(CORE_KRB5_LIBS) $(PTHREAD_LIBS)
EXTRA_src_core_libsspi_la_DEPENDENCIES = src/core/libsspi.sym
EXTRA_DIST += src/core/libsspi.sym
