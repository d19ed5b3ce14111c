/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stub-sspi.c - a shared library that exports every name of libsspi's
 * version script, as another SSPI implementation in the same process
 * would (an RDP stack, a Wine-built library).  Each function counts its
 * calls and returns STUB_STATUS; check-isolation links it ahead of a
 * libsspi it dlopen()s and proves that libsspi never binds to these.
 *
 * The functions are declared without parameters on purpose: the stub
 * never reads its arguments, whatever the caller passes.
 */
#include <stdint.h>

#define STUB_EXPORT __attribute__((visibility("default")))
#define STUB_STATUS ((int32_t)0x8badf00d)

STUB_EXPORT unsigned long stub_sspi_calls;

#define STUB(name)                                                                                 \
    STUB_EXPORT int32_t name(void);                                                                \
    int32_t name(void)                                                                             \
    {                                                                                              \
        stub_sspi_calls++;                                                                         \
        return STUB_STATUS;                                                                        \
    }

STUB(AcceptSecurityContext)
STUB(AcquireCredentialsHandleA)
STUB(AcquireCredentialsHandleW)
STUB(AddCredentialsA)
STUB(AddCredentialsW)
STUB(AddSecurityPackageA)
STUB(AddSecurityPackageW)
STUB(ApplyControlToken)
STUB(ChangeAccountPasswordA)
STUB(ChangeAccountPasswordW)
STUB(CompleteAuthToken)
STUB(DecryptMessage)
STUB(DeleteSecurityContext)
STUB(DeleteSecurityPackageA)
STUB(DeleteSecurityPackageW)
STUB(EncryptMessage)
STUB(EnumerateSecurityPackagesA)
STUB(EnumerateSecurityPackagesW)
STUB(ExportSecurityContext)
STUB(FreeContextBuffer)
STUB(FreeCredentialsHandle)
STUB(ImpersonateSecurityContext)
STUB(ImportSecurityContextA)
STUB(ImportSecurityContextW)
STUB(InitializeSecurityContextA)
STUB(InitializeSecurityContextW)
STUB(MakeSignature)
STUB(QueryContextAttributesA)
STUB(QueryContextAttributesExA)
STUB(QueryContextAttributesExW)
STUB(QueryContextAttributesW)
STUB(QueryCredentialsAttributesA)
STUB(QueryCredentialsAttributesExA)
STUB(QueryCredentialsAttributesExW)
STUB(QueryCredentialsAttributesW)
STUB(QuerySecurityContextToken)
STUB(QuerySecurityPackageInfoA)
STUB(QuerySecurityPackageInfoW)
STUB(RevertSecurityContext)
STUB(SetContextAttributesA)
STUB(SetContextAttributesW)
STUB(SetCredentialsAttributesA)
STUB(SetCredentialsAttributesW)
STUB(VerifySignature)
STUB(libsspi_query_packages)
STUB(libsspi_reload_config)
STUB(libsspi_status_message)
STUB(libsspi_status_name)
STUB(libsspi_version)

/* The stub's own tables would be another implementation's: never asked
 * for by the test, which takes libsspi's from the libsspi handle. */
STUB_EXPORT void *InitSecurityInterfaceA(void);
void *InitSecurityInterfaceA(void)
{
    stub_sspi_calls++;
    return (void *)0;
}

STUB_EXPORT void *InitSecurityInterfaceW(void);
void *InitSecurityInterfaceW(void)
{
    stub_sspi_calls++;
    return (void *)0;
}
