# SPDX-License-Identifier: LGPL-2.1-or-later
# src/common: helpers shared by the core and the packages (PIC, not installed).
noinst_LTLIBRARIES += src/common/libcommon.la
src_common_libcommon_la_SOURCES = src/common/utf16.h src/common/utf16.c \
	src/common/identity.h src/common/identity.c \
	src/common/escape.h src/common/escape.c
