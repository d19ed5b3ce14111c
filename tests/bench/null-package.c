/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * null-package.c - a minimal SSP/AP plugin for the dispatch benchmark.
 *
 * Package "BenchNull": credentials and contexts are counters, the handshake
 * completes in one leg (InitLsaModeContext and AcceptLsaModeContext return
 * STATUS_SUCCESS at once and map the context), and the user-mode message
 * functions return STATUS_SUCCESS without touching the buffers, so a
 * benchmark through libsspi measures the library's dispatch cost only.
 */
#include <stdatomic.h>
#include <string.h>

#include "sspi.h"
#include "ntsecpkg.h"

#define NULL_EXPORT __attribute__((visibility("default")))

static atomic_uintptr_t next_handle = 1;

static NTSTATUS NTAPI null_initialize(ULONG_PTR id, PSECPKG_PARAMETERS params,
                                      PLSA_SECPKG_FUNCTION_TABLE lsa)
{
    (void)id;
    (void)params;
    (void)lsa;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI null_get_info(PSecPkgInfoW info)
{
    static SEC_WCHAR name[] = u"BenchNull";
    static SEC_WCHAR comment[] = u"dispatch benchmark package (does nothing)";

    info->fCapabilities = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION;
    info->wVersion = 1;
    info->wRPCID = SECPKG_ID_NONE;
    info->cbMaxToken = 16;
    info->Name = name;
    info->Comment = comment;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI null_acquire(PUNICODE_STRING principal, ULONG use, PLUID logon, PVOID auth,
                                   PVOID getkey, PVOID arg, PLSA_SEC_HANDLE cred, PTimeStamp expiry)
{
    (void)principal;
    (void)use;
    (void)logon;
    (void)auth;
    (void)getkey;
    (void)arg;
    *cred = atomic_fetch_add(&next_handle, 1);
    if (expiry != NULL)
        expiry->QuadPart = INT64_MAX;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI null_free_cred(LSA_SEC_HANDLE cred)
{
    (void)cred;
    return STATUS_SUCCESS;
}

static NTSTATUS one_leg(PLSA_SEC_HANDLE ctx, PSecBufferDesc out, PULONG attrs, PTimeStamp expiry,
                        PBOOLEAN mapped, PSecBuffer data)
{
    *ctx = atomic_fetch_add(&next_handle, 1);
    if (out != NULL)
        for (ULONG i = 0; i < out->cBuffers; i++)
            if ((out->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_TOKEN)
                out->pBuffers[i].cbBuffer = 0;
    *attrs = 0;
    if (expiry != NULL)
        expiry->QuadPart = INT64_MAX;
    *mapped = TRUE;
    data->cbBuffer = 0;
    data->pvBuffer = NULL;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI null_init_ctx(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PUNICODE_STRING target,
                                    ULONG req, ULONG drep, PSecBufferDesc in,
                                    PLSA_SEC_HANDLE new_ctx, PSecBufferDesc out, PULONG attrs,
                                    PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer data)
{
    (void)cred;
    (void)ctx;
    (void)target;
    (void)req;
    (void)drep;
    (void)in;
    return one_leg(new_ctx, out, attrs, expiry, mapped, data);
}

static NTSTATUS NTAPI null_accept_ctx(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PSecBufferDesc in,
                                      ULONG req, ULONG drep, PLSA_SEC_HANDLE new_ctx,
                                      PSecBufferDesc out, PULONG attrs, PTimeStamp expiry,
                                      PBOOLEAN mapped, PSecBuffer data)
{
    (void)cred;
    (void)ctx;
    (void)req;
    (void)drep;
    (void)in;
    return one_leg(new_ctx, out, attrs, expiry, mapped, data);
}

static NTSTATUS NTAPI null_delete(LSA_SEC_HANDLE ctx)
{
    (void)ctx;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI null_instance_init(ULONG version, PSECPKG_DLL_FUNCTIONS fns, PVOID *user)
{
    (void)version;
    (void)fns;
    (void)user;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI null_init_user(LSA_SEC_HANDLE ctx, PSecBuffer packed)
{
    (void)ctx;
    (void)packed;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI null_sign(LSA_SEC_HANDLE ctx, ULONG qop, PSecBufferDesc msg, ULONG seq)
{
    (void)ctx;
    (void)qop;
    (void)msg;
    (void)seq;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI null_verify(LSA_SEC_HANDLE ctx, PSecBufferDesc msg, ULONG seq, PULONG qop)
{
    (void)ctx;
    (void)msg;
    (void)seq;
    if (qop != NULL)
        *qop = 0;
    return STATUS_SUCCESS;
}

static SECPKG_FUNCTION_TABLE lsa_table = {
    .Initialize = null_initialize,
    .GetInfo = null_get_info,
    .AcquireCredentialsHandle = null_acquire,
    .FreeCredentialsHandle = null_free_cred,
    .InitLsaModeContext = null_init_ctx,
    .AcceptLsaModeContext = null_accept_ctx,
    .DeleteContext = null_delete,
};

static SECPKG_USER_FUNCTION_TABLE user_table = {
    .InstanceInit = null_instance_init,
    .InitUserModeContext = null_init_user,
    .MakeSignature = null_sign,
    .VerifySignature = null_verify,
    .SealMessage = null_sign,
    .UnsealMessage = null_verify,
    .DeleteUserModeContext = null_delete,
};

NULL_EXPORT NTSTATUS SEC_ENTRY SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                                   PSECPKG_FUNCTION_TABLE *ppTables,
                                                   PULONG pcTables)
{
    (void)LsaVersion;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &lsa_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

NULL_EXPORT NTSTATUS SEC_ENTRY SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                                    PSECPKG_USER_FUNCTION_TABLE *ppTables,
                                                    PULONG pcTables)
{
    (void)LsaVersion;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = &user_table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}
