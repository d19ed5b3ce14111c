# src/packages/sample: the Sample security package (sample.so), the example
# SSP/AP for package authors.  Installed in $(packagesdir); it links only the
# crypto and common (identity parser) convenience libraries, never libsspi.so.
packages_LTLIBRARIES += src/packages/sample/sample.la
src_packages_sample_sample_la_SOURCES = \
	src/packages/sample/sample.h \
	src/packages/sample/sample-entry.c \
	src/packages/sample/sample-credentials.c \
	src/packages/sample/sample-handshake.c \
	src/packages/sample/sample-context.c \
	src/packages/sample/sample-message.c
src_packages_sample_sample_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-export-symbols-regex '^(SpLsaModeInitialize|SpUserModeInitialize)$$'
src_packages_sample_sample_la_LIBADD = src/crypto/libsspicrypto.la src/common/libcommon.la
