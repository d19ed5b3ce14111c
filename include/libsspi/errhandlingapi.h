/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * errhandlingapi.h - the per-thread Win32 error of the Windows header of
 * this name: GetLastError and SetLastError, which GetUserNameEx,
 * GetComputerObjectName and CloseHandle report through.  Included by
 * <secext.h> and <handleapi.h>.
 *
 * Programs that also use another Windows API emulation (WinPR) may get
 * these declarations from it as well; they are compatible, and libsspi
 * sets the error where that library's GetLastError reads it too.
 */
#ifndef LIBSSPI_ERRHANDLINGAPI_H
#define LIBSSPI_ERRHANDLINGAPI_H

#include "sspi-types.h"
#include "winerror.h"

#ifdef __cplusplus
extern "C" {
#endif

DWORD WINAPI GetLastError(void);
void WINAPI SetLastError(DWORD dwErrCode);

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_ERRHANDLINGAPI_H */
