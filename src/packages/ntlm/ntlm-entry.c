/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-entry.c - the NTLM package as the host sees it: its descriptor and
 * its two function tables.  The kit (pkg-entry.h) supplies the
 * package-wide slots, runs the handshake legs, the per-message calls and
 * the deletes around the callbacks named here (pkg-calls.h), and defines
 * the exported SpLsaModeInitialize / SpUserModeInitialize.
 */
#include "packages/ntlm/ntlm-pkg.h"

static const SECPKG_FUNCTION_TABLE ntlm_lsa_table = {
    .AcquireCredentialsHandle = ntlm_sp_acquire_credentials_handle,
    .QueryCredentialsAttributes = ntlm_sp_query_credentials_attributes,
    .SetContextAttributes = ntlm_sp_set_context_attributes,
};

static const SECPKG_USER_FUNCTION_TABLE ntlm_user_table = {
    .InitUserModeContext = ntlm_sp_init_user_mode_context,
    .ExportContext = ntlm_sp_export_context,
    .ImportContext = ntlm_sp_import_context,
};

/* The NTLMSSP mechanism, 1.3.6.1.4.1.311.2.2.10. */
static const uint8_t ntlm_mech_oid[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
                                        0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};

const struct pkg_descriptor ntlm_package = {
    .name = u"NTLM",
    .comment = u"NTLM Security Package",
    .capabilities = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY |
                    SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED |
                    SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME |
                    SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_LOGON | SECPKG_FLAG_RESTRICTED_TOKENS,
    .version = 1,
    .rpcid = 10, /* RPC_C_AUTHN_WINNT */
    .max_token = NTLM_MAX_TOKEN,
    .lsa = &ntlm_lsa_table,
    .user = &ntlm_user_table,
    .options = &ntlm_settings,
    .credential_class = &ntlm_cred_class,
    .context_class = &ntlm_context_class,
    .initiate = ntlm_client_leg,
    .accept = ntlm_server_leg,
    .messages = &ntlm_message_ops,
    .describe = ntlm_describe,
    .mech_oid = ntlm_mech_oid,
    .mech_oid_len = sizeof ntlm_mech_oid,
};

PKG_MODULE(&ntlm_package)
