/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-table.c - InitSecurityInterfaceW/A: the complete SSPI dispatch
 * tables, as Windows hands them out: dwVersion 1
 * (SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION) while every slot through
 * QueryCredentialsAttributesEx is filled; Reserved3/Reserved4 hold
 * EncryptMessage/DecryptMessage (their historic SealMessage/UnsealMessage);
 * Reserved2 and Reserved8 stay NULL.
 */
#include "core/api-internal.h"

static const SecurityFunctionTableW table_w = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
    .EnumerateSecurityPackagesW = EnumerateSecurityPackagesW,
    .QueryCredentialsAttributesW = QueryCredentialsAttributesW,
    .AcquireCredentialsHandleW = AcquireCredentialsHandleW,
    .FreeCredentialsHandle = FreeCredentialsHandle,
    .Reserved2 = NULL,
    .InitializeSecurityContextW = InitializeSecurityContextW,
    .AcceptSecurityContext = AcceptSecurityContext,
    .CompleteAuthToken = CompleteAuthToken,
    .DeleteSecurityContext = DeleteSecurityContext,
    .ApplyControlToken = ApplyControlToken,
    .QueryContextAttributesW = QueryContextAttributesW,
    .ImpersonateSecurityContext = ImpersonateSecurityContext,
    .RevertSecurityContext = RevertSecurityContext,
    .MakeSignature = MakeSignature,
    .VerifySignature = VerifySignature,
    .FreeContextBuffer = FreeContextBuffer,
    .QuerySecurityPackageInfoW = QuerySecurityPackageInfoW,
    .Reserved3 = (void *)EncryptMessage,
    .Reserved4 = (void *)DecryptMessage,
    .ExportSecurityContext = ExportSecurityContext,
    .ImportSecurityContextW = ImportSecurityContextW,
    .AddCredentialsW = AddCredentialsW,
    .Reserved8 = NULL,
    .QuerySecurityContextToken = QuerySecurityContextToken,
    .EncryptMessage = EncryptMessage,
    .DecryptMessage = DecryptMessage,
    .SetContextAttributesW = SetContextAttributesW,
    .SetCredentialsAttributesW = SetCredentialsAttributesW,
    .ChangeAccountPasswordW = ChangeAccountPasswordW,
    .QueryContextAttributesExW = QueryContextAttributesExW,
    .QueryCredentialsAttributesExW = QueryCredentialsAttributesExW,
};

static const SecurityFunctionTableA table_a = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION,
    .EnumerateSecurityPackagesA = EnumerateSecurityPackagesA,
    .QueryCredentialsAttributesA = QueryCredentialsAttributesA,
    .AcquireCredentialsHandleA = AcquireCredentialsHandleA,
    .FreeCredentialHandle = FreeCredentialsHandle,
    .Reserved2 = NULL,
    .InitializeSecurityContextA = InitializeSecurityContextA,
    .AcceptSecurityContext = AcceptSecurityContext,
    .CompleteAuthToken = CompleteAuthToken,
    .DeleteSecurityContext = DeleteSecurityContext,
    .ApplyControlToken = ApplyControlToken,
    .QueryContextAttributesA = QueryContextAttributesA,
    .ImpersonateSecurityContext = ImpersonateSecurityContext,
    .RevertSecurityContext = RevertSecurityContext,
    .MakeSignature = MakeSignature,
    .VerifySignature = VerifySignature,
    .FreeContextBuffer = FreeContextBuffer,
    .QuerySecurityPackageInfoA = QuerySecurityPackageInfoA,
    .Reserved3 = (void *)EncryptMessage,
    .Reserved4 = (void *)DecryptMessage,
    .ExportSecurityContext = ExportSecurityContext,
    .ImportSecurityContextA = ImportSecurityContextA,
    .AddCredentialsA = AddCredentialsA,
    .Reserved8 = NULL,
    .QuerySecurityContextToken = QuerySecurityContextToken,
    .EncryptMessage = EncryptMessage,
    .DecryptMessage = DecryptMessage,
    .SetContextAttributesA = SetContextAttributesA,
    .SetCredentialsAttributesA = SetCredentialsAttributesA,
    .ChangeAccountPasswordA = ChangeAccountPasswordA,
    .QueryContextAttributesExA = QueryContextAttributesExA,
    .QueryCredentialsAttributesExA = QueryCredentialsAttributesExA,
};

/* InitSecurityInterfaceW: the library's W dispatch table (static; the
 * caller must not modify it).  Loads the registry first. */
PSecurityFunctionTableW SEC_ENTRY InitSecurityInterfaceW(void)
{
    sspi_registry_init();
    return (PSecurityFunctionTableW)&table_w;
}

/* InitSecurityInterfaceA: the A dispatch table. */
PSecurityFunctionTableA SEC_ENTRY InitSecurityInterfaceA(void)
{
    sspi_registry_init();
    return (PSecurityFunctionTableA)&table_a;
}
