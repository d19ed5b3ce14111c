/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wincred-names.c - with a wincred.h seen first (_WINCRED_H_ defined),
 * LSA_SECPKG_FUNCTION_TABLE names slots 41-43 and 51-52 Credi* instead of
 * DummyFunction1..5; the layout must not change.  Compiled by
 * check-headers.sh.
 */
#define _WINCRED_H_
#include <sspi-types.h>

/* Minimal stand-ins for what a real wincred.h provides. */
typedef struct _CREDENTIALW {
    DWORD Flags;
    DWORD Type;
    LPWSTR TargetName;
} CREDENTIALW, *PCREDENTIALW;
typedef struct _CREDENTIAL_TARGET_INFORMATIONW {
    LPWSTR TargetName;
} CREDENTIAL_TARGET_INFORMATIONW, *PCREDENTIAL_TARGET_INFORMATIONW;

#include <sspi.h>
#include <ntsecpkg.h>

#include <stddef.h>

#define SLOT_IS(m, i) ((offsetof(LSA_SECPKG_FUNCTION_TABLE, m) == 8 * (i)) ? 1 : -1)

typedef char wincred_check_size[sizeof(LSA_SECPKG_FUNCTION_TABLE) == 528 ? 1 : -1];
typedef char wincred_check_41[SLOT_IS(CrediRead, 41)];
typedef char wincred_check_42[SLOT_IS(CrediReadDomainCredentials, 42)];
typedef char wincred_check_43[SLOT_IS(CrediFreeCredentials, 43)];
typedef char wincred_check_51[SLOT_IS(CrediWrite, 51)];
typedef char wincred_check_52[SLOT_IS(CrediUnmarshalandDecodeString, 52)];
typedef char wincred_check_53[SLOT_IS(DummyFunction6, 53)];
typedef char wincred_check_65[SLOT_IS(SetSecpkgFailureReason, 65)];

int wincred_names_compiled(void);
int wincred_names_compiled(void)
{
    return (int)sizeof(ENCRYPTED_CREDENTIALW);
}
