/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * handleapi.h - CloseHandle, for the access tokens QuerySecurityContextToken
 * hands out (the Windows header of this name, reduced to what libsspi's
 * handles need).
 *
 * libsspi's CloseHandle closes libsspi's own handles and passes every
 * other handle on to the next CloseHandle in the process (another Windows
 * API emulation such as WinPR), so one program can use both.  Where that
 * other library's CloseHandle is found first, libsspi's tokens still close
 * through it (see libsspi(7), "Access tokens").
 */
#ifndef LIBSSPI_HANDLEAPI_H
#define LIBSSPI_HANDLEAPI_H

#include "sspi-types.h"
#include "errhandlingapi.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef INVALID_HANDLE_VALUE
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)
#endif

BOOL WINAPI CloseHandle(HANDLE hObject);

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_HANDLEAPI_H */
