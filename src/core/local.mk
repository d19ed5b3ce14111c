# src/core: libsspi.so, the SSPI entry points, handles and the package host.
lib_LTLIBRARIES += src/core/libsspi.la
src_core_libsspi_la_SOURCES = \
	src/core/core.h \
	src/core/handle.h src/core/handle.c \
	src/core/memory.c \
	src/core/api-internal.h \
	src/core/api-common.c \
	src/core/api-credentials.c \
	src/core/api-context.c \
	src/core/api-message.c \
	src/core/api-package.c \
	src/core/api-table.c \
	src/core/registry.c \
	src/core/loader.h src/core/loader.c \
	src/core/loader-provider.c \
	src/core/lsa-services.c \
	src/core/config.h src/core/config.c \
	src/core/trace.c \
	src/core/status.c \
	src/core/extras.c
src_core_libsspi_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(LIBSSPI_LT_VERSION) -no-undefined \
	-Wl,--version-script=$(srcdir)/src/core/libsspi.sym
src_core_libsspi_la_LIBADD = src/wincrypt/libwincrypt.la src/common/libcommon.la $(PTHREAD_LIBS)
EXTRA_src_core_libsspi_la_DEPENDENCIES = src/core/libsspi.sym
EXTRA_DIST += src/core/libsspi.sym
