# SPDX-License-Identifier: LGPL-2.1-or-later
# include/local.mk - installed public headers (under $(includedir)/libsspi).
libsspiinclude_HEADERS += \
	include/libsspi/sspi-types.h \
	include/libsspi/sspi-status.h \
	include/libsspi/sspi.h \
	include/libsspi/security.h \
	include/libsspi/ntsecapi.h \
	include/libsspi/ntsecpkg.h \
	include/libsspi/libsspi.h \
	include/libsspi/ntstatus.h \
	include/libsspi/winerror.h \
	include/libsspi/wincrypt.h \
	include/libsspi/schannel.h \
	include/libsspi/errhandlingapi.h \
	include/libsspi/handleapi.h \
	include/libsspi/secext.h \
	include/libsspi/SecExt.h
