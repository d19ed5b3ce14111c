/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample-entry.c - the Sample package as the host sees it: its descriptor
 * and its two function tables.  The kit (pkg-entry.h) adds the
 * package-wide slots (SpInitialize, SpGetInfo, ...), runs the handshake
 * legs, the per-message calls and the deletes around the callbacks named
 * here (pkg-calls.h), and PKG_MODULE defines the exported
 * SpLsaModeInitialize and SpUserModeInitialize.  Slots left NULL are
 * answered by the host with SEC_E_UNSUPPORTED_FUNCTION.
 */
#include "packages/sample/sample.h"

static const SECPKG_FUNCTION_TABLE sample_lsa_table = {
    .AcquireCredentialsHandle = sample_acquire_credentials_handle,
    .QueryCredentialsAttributes = sample_query_credentials_attributes,
};

static const SECPKG_USER_FUNCTION_TABLE sample_user_table = {
    .InitUserModeContext = sample_init_user_mode_context,
    .ExportContext = sample_export_context,
    .ImportContext = sample_import_context,
};

/* Only what the package really does: no impersonation, no delegation, no
 * datagram or stream mode, not negotiable through SPNEGO. */
const struct pkg_descriptor sample_package = {
    .name = u"Sample",
    .comment = u"libsspi sample package (pre-shared key, HMAC-SHA256, AES-256-GCM)",
    .capabilities = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |
                    SECPKG_FLAG_MUTUAL_AUTH | SECPKG_FLAG_READONLY_WITH_CHECKSUM,
    .version = 1,
    .rpcid = SECPKG_ID_NONE,
    .max_token = SAMPLE_MAX_TOKEN,
    .lsa = &sample_lsa_table,
    .user = &sample_user_table,
    .options = &sample_options,
    .credential_class = &sample_credential_class,
    .context_class = &sample_context_class,
    .initiate = sample_handshake_leg,
    .accept = sample_handshake_leg,
    .messages = &sample_message_ops,
    .describe = sample_describe,
};

PKG_MODULE(&sample_package)
