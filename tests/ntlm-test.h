/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-test.h - helpers for tests and fuzz targets that drive the NTLM
 * package's ntlm_sp_* functions directly (no libsspi core): stand-in LSA
 * and DLL service tables backed by malloc, credentials, and one
 * handshake leg at a time.
 */
#ifndef LIBSSPI_TESTS_NTLM_TEST_H
#define LIBSSPI_TESTS_NTLM_TEST_H

#include <stdlib.h>
#include <string.h>

#include "packages/ntlm/ntlm-pkg.h"

/* The module's exported entry points (ntlm-entry.c, PKG_MODULE). */
NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables);
NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                    PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables);

static PVOID NTAPI nt_test_alloc(ULONG n)
{
    return calloc(1, n ? n : 1);
}

static VOID NTAPI nt_test_free(PVOID p)
{
    free(p);
}

static LSA_SECPKG_FUNCTION_TABLE nt_test_lsa;
static SECPKG_DLL_FUNCTIONS nt_test_dll;

/* The package's two tables, as SpLsaModeInitialize / SpUserModeInitialize
 * give them (the kit's slots filled in). */
static PSECPKG_FUNCTION_TABLE nt_lsa;
static PSECPKG_USER_FUNCTION_TABLE nt_user;

static inline void nt_test_tables(void)
{
    ULONG ver, n;

    nt_test_lsa.AllocateLsaHeap = nt_test_alloc;
    nt_test_lsa.FreeLsaHeap = nt_test_free;
    nt_test_dll.AllocateHeap = nt_test_alloc;
    nt_test_dll.FreeHeap = nt_test_free;
    if (SpLsaModeInitialize(SECPKG_INTERFACE_VERSION, &ver, &nt_lsa, &n) != STATUS_SUCCESS ||
        SpUserModeInitialize(SECPKG_INTERFACE_VERSION, &ver, &nt_user, &n) != STATUS_SUCCESS ||
        nt_lsa->Initialize(1, NULL, &nt_test_lsa) != STATUS_SUCCESS ||
        nt_user->InstanceInit(SECPKG_INTERFACE_VERSION, &nt_test_dll, NULL) != STATUS_SUCCESS)
        abort();
}

/* Credentials for `user`/`domain`/`pw` (UTF-8), or inbound-only when user
 * is NULL.  Returns 0 on failure. */
static inline LSA_SEC_HANDLE nt_test_cred(const char *user, const char *domain, const char *pw)
{
    LSA_SEC_HANDLE h = 0;
    SEC_WINNT_AUTH_IDENTITY_A id = {0};

    if (!user) {
        if (ntlm_sp_acquire_credentials_handle(NULL, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                               &h, NULL) != SEC_E_OK)
            return 0;
        return h;
    }
    id.User = (unsigned char *)user;
    id.UserLength = (uint32_t)strlen(user);
    id.Domain = (unsigned char *)domain;
    id.DomainLength = (uint32_t)strlen(domain);
    id.Password = (unsigned char *)pw;
    id.PasswordLength = (uint32_t)strlen(pw);
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    if (ntlm_sp_acquire_credentials_handle(NULL, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &h,
                                           NULL) != SEC_E_OK)
        return 0;
    return h;
}

struct nt_test_tok {
    uint8_t data[4096];
    uint32_t len;
};

/* The context attributes the last nt_test_isc / nt_test_asc returned. */
static ULONG nt_test_last_attrs;

/* One ISC leg.  `in` NULL for the first leg.  On completion the context
 * is mapped (SpInitUserModeContext) so per-message calls work. */
static inline SECURITY_STATUS nt_test_isc(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE *ctx,
                                          const uint8_t *in, size_t inlen, uint32_t req,
                                          struct nt_test_tok *out)
{
    SecBuffer ib = {(uint32_t)inlen, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {sizeof out->data, SECBUFFER_TOKEN, out->data};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs = 0;
    TimeStamp ts;
    BOOLEAN mapped = 0;
    SecBuffer cd = {0};
    LSA_SEC_HANDLE newh = 0;
    SECURITY_STATUS st;

    st = nt_lsa->InitLsaModeContext(cred, *ctx, NULL, req, 0, in ? &id : NULL, &newh, &od, &attrs,
                                    &ts, &mapped, &cd);
    out->len = ob.cbBuffer;
    nt_test_last_attrs = attrs;
    if (newh)
        *ctx = newh;
    if (st == SEC_E_OK && mapped) {
        st = ntlm_sp_init_user_mode_context(*ctx, &cd);
        free(cd.pvBuffer);
    }
    return st;
}

/* One ASC leg; as nt_test_isc.  `cb` is an optional channel bindings block. */
static inline SECURITY_STATUS nt_test_asc(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE *ctx,
                                          const uint8_t *in, size_t inlen, uint32_t req,
                                          struct nt_test_tok *out)
{
    SecBuffer ib = {(uint32_t)inlen, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {sizeof out->data, SECBUFFER_TOKEN, out->data};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs = 0;
    TimeStamp ts;
    BOOLEAN mapped = 0;
    SecBuffer cd = {0};
    LSA_SEC_HANDLE newh = 0;
    SECURITY_STATUS st;

    st = nt_lsa->AcceptLsaModeContext(cred, *ctx, &id, req, 0, &newh, &od, &attrs, &ts, &mapped,
                                      &cd);
    out->len = ob.cbBuffer;
    nt_test_last_attrs = attrs;
    if (newh)
        *ctx = newh;
    if (st == SEC_E_OK && mapped) {
        st = ntlm_sp_init_user_mode_context(*ctx, &cd);
        free(cd.pvBuffer);
    }
    return st;
}

/* Delete both sides of a context made by the helpers (0 is ignored). */
static inline void nt_test_delete(LSA_SEC_HANDLE ctx)
{
    if (!ctx)
        return;
    nt_user->DeleteUserModeContext(ctx);
    nt_lsa->DeleteContext(ctx);
}

#endif
