/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * windows-opening.c - the include block Windows security packages and
 * SSPI programs usually open with, with only the <windows.h> line taken
 * out: WIN32_NO_STATUS around it, <ntstatus.h> for STATUS_*, SECURITY_WIN32,
 * <sspi.h>, <ntsecapi.h>, <ntsecpkg.h>, and <winerror.h> for SEC_E_*.
 */
#define WIN32_NO_STATUS
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#define SECURITY_WIN32
#include <sspi.h>
#include <ntsecapi.h>
#include <ntsecpkg.h>
#include <winerror.h>

NTSTATUS opening_status(SECURITY_STATUS s);

NTSTATUS opening_status(SECURITY_STATUS s)
{
    if (s == SEC_E_LOGON_DENIED)
        return STATUS_LOGON_FAILURE;
    if (s == SEC_E_OK && ERROR_SUCCESS == 0 && NO_ERROR == 0)
        return STATUS_SUCCESS;
    return NT_SUCCESS(s) ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}
