# SPDX-License-Identifier: LGPL-2.1-or-later
# src/packages/sample: the Sample security package (sample.so), the example
# SSP/AP for package authors.  Installed in $(packagesdir); built on the
# package kit and the crypto convenience library, never on libsspi.so.
packages_LTLIBRARIES += src/packages/sample/sample.la
src_packages_sample_sample_la_SOURCES = src/packages/sample/sample.h \
	src/packages/sample/sample-entry.c src/packages/sample/sample-credentials.c \
	src/packages/sample/sample-handshake.c src/packages/sample/sample-context.c \
	src/packages/sample/sample-pack.c src/packages/sample/sample-message.c
src_packages_sample_sample_la_LDFLAGS = $(PACKAGE_LDFLAGS)
src_packages_sample_sample_la_LIBADD = src/crypto/libsspicrypto.la $(PACKAGE_LIBADD)
