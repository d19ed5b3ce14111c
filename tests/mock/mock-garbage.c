/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-garbage.c - a module whose packages answer with nonsense.
 *
 *   "MockGarbage"     loads normally, then every call returns a status that
 *                     is neither an NTSTATUS nor a SEC_* value (positive
 *                     0x12345678, negative 0xDEADBEEF, -1 ...).  The library
 *                     must hand these back unchanged and never crash.
 *   (no name)         SpGetInfo returns success with a NULL Name: refused.
 *   "MockGarbageBig"  an otherwise normal package that claims
 *                     cbMaxToken 0xFFFFFFFF and every capability bit.
 */
#include <string.h>

#include "mock-common.h"

#define GARBAGE_POS    ((NTSTATUS)0x12345678)
#define GARBAGE_NEG    ((NTSTATUS)0xDEADBEEFu)
#define GARBAGE_MINUS1 ((NTSTATUS)-1)
#define GARBAGE_CRED   ((LSA_SEC_HANDLE)0xbad0)
#define GARBAGE_CTX    ((LSA_SEC_HANDLE)0xc0ffee)

static const struct mock_pkg_desc garbage_desc[] = {
    {u"MockGarbage", u"answers nonsense", SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY, 1,
     SECPKG_ID_NONE, 64, STATUS_SUCCESS},
    {NULL, NULL, SECPKG_FLAG_INTEGRITY, 1, SECPKG_ID_NONE, 64, STATUS_SUCCESS},
    {u"MockGarbageBig", u"absurd token size", 0xffffffffu, 0xffff, 0xffff, 0xffffffffu,
     STATUS_SUCCESS},
};

static NTSTATUS g_ach(PUNICODE_STRING a, ULONG b, PLUID c, PVOID d, PVOID e, PVOID f,
                      PLSA_SEC_HANDLE cred, PTimeStamp h)
{
    (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)h;
    *cred = GARBAGE_CRED;
    return STATUS_SUCCESS;
}

static NTSTATUS g_free_cred(LSA_SEC_HANDLE a)
{
    (void)a;
    return GARBAGE_POS;
}

static NTSTATUS g_query_cred(LSA_SEC_HANDLE a, ULONG b, PVOID c)
{
    (void)a, (void)b, (void)c;
    return GARBAGE_NEG;
}

/* Target "ok" completes a context in one call (not mapped); anything else
 * fails with garbage and leaves every output alone. */
static NTSTATUS g_init_lsa(LSA_SEC_HANDLE a, LSA_SEC_HANDLE b, PUNICODE_STRING target, ULONG d,
                           ULONG e, PSecBufferDesc f, PLSA_SEC_HANDLE newctx, PSecBufferDesc out,
                           PULONG attrs, PTimeStamp j, PBOOLEAN mapped, PSecBuffer l)
{
    (void)a, (void)b, (void)d, (void)e, (void)f, (void)j, (void)l;
    if (target == NULL || target->Length != 4 || memcmp(target->Buffer, u"ok", 4) != 0)
        return GARBAGE_NEG;
    if (out != NULL && out->pBuffers != NULL && out->cBuffers > 0)
        out->pBuffers[0].cbBuffer = 0;
    *newctx = GARBAGE_CTX;
    *attrs = 0;
    *mapped = FALSE;
    return STATUS_SUCCESS;
}

static NTSTATUS g_accept_lsa(LSA_SEC_HANDLE a, LSA_SEC_HANDLE b, PSecBufferDesc c, ULONG d, ULONG e,
                             PLSA_SEC_HANDLE f, PSecBufferDesc g, PULONG h, PTimeStamp i,
                             PBOOLEAN j, PSecBuffer k)
{
    (void)a, (void)b, (void)c, (void)d, (void)e, (void)f, (void)g, (void)h, (void)i, (void)j,
        (void)k;
    return GARBAGE_NEG;
}

static NTSTATUS g_delete_ctx(LSA_SEC_HANDLE a)
{
    (void)a;
    return GARBAGE_NEG;
}

static NTSTATUS g_qca(LSA_SEC_HANDLE a, ULONG b, PVOID c)
{
    (void)a, (void)b, (void)c;
    return GARBAGE_POS;
}

static NTSTATUS g_sign(LSA_SEC_HANDLE a, ULONG b, PSecBufferDesc c, ULONG d)
{
    (void)a, (void)b, (void)c, (void)d;
    return GARBAGE_POS;
}

static NTSTATUS g_verify(LSA_SEC_HANDLE a, PSecBufferDesc b, ULONG c, PULONG d)
{
    (void)a, (void)b, (void)c, (void)d;
    return GARBAGE_NEG;
}

static NTSTATUS g_seal(LSA_SEC_HANDLE a, ULONG b, PSecBufferDesc c, ULONG d)
{
    (void)a, (void)b, (void)c, (void)d;
    return GARBAGE_MINUS1;
}

static NTSTATUS g_unseal(LSA_SEC_HANDLE a, PSecBufferDesc b, ULONG c, PULONG d)
{
    (void)a, (void)b, (void)c, (void)d;
    return GARBAGE_NEG;
}

static NTSTATUS g_user_delete(LSA_SEC_HANDLE a)
{
    (void)a;
    return GARBAGE_POS;
}

static SECPKG_FUNCTION_TABLE garbage_lsa[3];
static SECPKG_USER_FUNCTION_TABLE garbage_user[3];

/* LSA-mode entry point: three tables: nonsense statuses, no name, absurd cbMaxToken. */
MOCK_EXPORT NTSTATUS SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                         PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.lsa_init_calls++;
    mock_setup(garbage_desc, 3);
    for (uint32_t i = 0; i < 3; i++)
        mock_fill_lsa_v1(i, &garbage_lsa[i], false);
    garbage_lsa[0].AcquireCredentialsHandle = g_ach;
    garbage_lsa[0].FreeCredentialsHandle = g_free_cred;
    garbage_lsa[0].QueryCredentialsAttributes = g_query_cred;
    garbage_lsa[0].InitLsaModeContext = g_init_lsa;
    garbage_lsa[0].AcceptLsaModeContext = g_accept_lsa;
    garbage_lsa[0].DeleteContext = g_delete_ctx;
    garbage_lsa[0].QueryContextAttributes = g_qca;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = garbage_lsa;
    *pcTables = 3;
    return STATUS_SUCCESS;
}

/* User-mode entry point: three user tables; the first answers nonsense. */
MOCK_EXPORT NTSTATUS SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                          PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    mock_state.user_init_calls++;
    mock_setup(garbage_desc, 3);
    for (uint32_t i = 0; i < 3; i++)
        mock_fill_user_v1(i, &garbage_user[i]);
    garbage_user[0].MakeSignature = g_sign;
    garbage_user[0].VerifySignature = g_verify;
    garbage_user[0].SealMessage = g_seal;
    garbage_user[0].UnsealMessage = g_unseal;
    garbage_user[0].QueryContextAttributes = g_qca;
    garbage_user[0].DeleteUserModeContext = g_user_delete;
    garbage_user[0].InitUserModeContext = NULL;
    garbage_user[0].ExportContext = NULL;
    garbage_user[0].ImportContext = NULL;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = garbage_user;
    *pcTables = 3;
    return STATUS_SUCCESS;
}
