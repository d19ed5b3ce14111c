/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secext.h - names of the calling user and of this computer in the
 * formats of the Windows header of this name (also installed as
 * <SecExt.h>): EXTENDED_NAME_FORMAT, GetUserNameExA/W and
 * GetComputerObjectNameA/W.  Errors are reported through GetLastError
 * (<errhandlingapi.h>).  The A forms use UTF-8.
 *
 * Where the names come from on POSIX (the user's passwd entry, the
 * `domain` and `realm` settings of sspi.conf, the Kerberos default
 * credential cache and keytab) is described in libsspi(7).
 */
#ifndef LIBSSPI_SECEXT_H
#define LIBSSPI_SECEXT_H

#include "sspi-types.h"
#include "errhandlingapi.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LIBSSPI_EXTENDED_NAME_FORMAT_DEFINED
#define LIBSSPI_EXTENDED_NAME_FORMAT_DEFINED 1
typedef enum {
    NameUnknown = 0,
    NameFullyQualifiedDN = 1,
    NameSamCompatible = 2,
    NameDisplay = 3,
    NameUniqueId = 6,
    NameCanonical = 7,
    NameUserPrincipal = 8,
    NameCanonicalEx = 9,
    NameServicePrincipal = 10,
    NameDnsDomain = 12,
    NameGivenName = 13,
    NameSurname = 14
} EXTENDED_NAME_FORMAT,
    *PEXTENDED_NAME_FORMAT;
#endif

BOOLEAN SEC_ENTRY GetUserNameExA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer, PULONG nSize);
BOOLEAN SEC_ENTRY GetUserNameExW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer,
                                 PULONG nSize);
BOOLEAN SEC_ENTRY GetComputerObjectNameA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer,
                                         PULONG nSize);
BOOLEAN SEC_ENTRY GetComputerObjectNameW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer,
                                         PULONG nSize);

#ifdef UNICODE
#define GetUserNameEx         GetUserNameExW
#define GetComputerObjectName GetComputerObjectNameW
#else
#define GetUserNameEx         GetUserNameExA
#define GetComputerObjectName GetComputerObjectNameA
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_SECEXT_H */
