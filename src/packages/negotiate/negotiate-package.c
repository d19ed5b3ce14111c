/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-package.c - the Negotiate package's descriptor and its SSP/AP
 * tables.  Identity as Windows reports it (negotiate.md section 1):
 * "Negotiate", version 1, RPC id 9, capabilities 0x3BB3, the SPNEGO OID
 * for SecpkgGssInfo.  The exported entry points are in negotiate-entry.c.
 */
#include "config.h"

#include "packages/negotiate/negotiate.h"

/* option.* settings (doc/negotiate.md). */
struct nego_options {
    bool raw_ntlm;
};

static const struct pkg_option_def nego_option_defs[] = {
    PKG_OPTION_BOOL("raw_ntlm", struct nego_options, raw_ntlm),
};

static const struct nego_options nego_defaults = {.raw_ntlm = false};

PKG_OPTIONS(nego_settings, struct nego_options, nego_option_defs, &nego_defaults);

bool nego_option_raw_ntlm(void)
{
    struct nego_options o;
    bool on;

    if (!pkg_options_get(&nego_settings, &o))
        return false;
    on = o.raw_ntlm;
    pkg_options_release(&nego_settings, &o);
    return on;
}

static NTSTATUS nego_initialize(ULONG_PTR package_id, PSECPKG_PARAMETERS parameters)
{
    (void)package_id;
    (void)parameters;
    return STATUS_SUCCESS;
}

/* Accept the host services when they offer what Negotiate calls. */
static NTSTATUS nego_host(const SECPKG_LIBSSPI_HOST_SERVICES *s, ULONG version)
{
    if (s == NULL || version < SECPKG_LIBSSPI_HOST_VERSION_1 ||
        s->Size < sizeof(SECPKG_LIBSSPI_HOST_SERVICES))
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!s->EnumeratePackages || !s->FreeBuffer || !s->AcquireCredentialsHandle ||
        !s->FreeCredentialsHandle || !s->QueryCredentialsAttributes ||
        !s->InitializeSecurityContext || !s->AcceptSecurityContext || !s->CompleteAuthToken ||
        !s->DeleteSecurityContext || !s->QueryContextAttributes || !s->SetContextAttributes ||
        !s->ExportSecurityContext || !s->ImportSecurityContext || !s->MakeSignature ||
        !s->VerifySignature || !s->EncryptMessage || !s->DecryptMessage || !s->GetMessageTarget)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return STATUS_SUCCESS;
}

/* Negotiate never asks for CompleteAuthToken; a caller may still call it. */
static NTSTATUS NTAPI nego_complete_token(LSA_SEC_HANDLE h, PSecBufferDesc in)
{
    (void)in;
    return nego_context_from_handle(h) != NULL ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

static const SECPKG_FUNCTION_TABLE nego_lsa = {
    .AcquireCredentialsHandle = nego_acquire_credentials,
    .QueryCredentialsAttributes = nego_query_credentials,
    .FreeCredentialsHandle = nego_free_credentials,
    .InitLsaModeContext = nego_init_context,
    .AcceptLsaModeContext = nego_accept_context,
    .DeleteContext = nego_delete_context,
    .QueryContextAttributes = nego_query_context,
    .SetContextAttributes = nego_set_context,
};

static const SECPKG_USER_FUNCTION_TABLE nego_user = {
    .MakeSignature = nego_make_signature,
    .VerifySignature = nego_verify_signature,
    .SealMessage = nego_seal_message,
    .UnsealMessage = nego_unseal_message,
    .QueryContextAttributes = nego_query_context,
    .CompleteAuthToken = nego_complete_token,
    .DeleteUserModeContext = nego_delete_user_context,
    .ExportContext = nego_export_context,
    .ImportContext = nego_import_context,
};

static const uint8_t spnego_oid[] = {0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};

const struct pkg_descriptor negotiate_package = {
    .name = u"Negotiate",
    .comment = u"Microsoft Package Negotiator",
    .capabilities = NEGO_CAPABILITIES,
    .version = 1,
    .rpcid = NEGO_RPCID,
    .max_token = NEGO_MAX_TOKEN,
    .lsa = &nego_lsa,
    .user = &nego_user,
    .mech_oid = spnego_oid,
    .mech_oid_len = sizeof(spnego_oid),
    .initialize = nego_initialize,
    .host = nego_host,
    .options = &nego_settings,
};
