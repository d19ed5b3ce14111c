/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-entry.c - the Schannel module on the package kit: two packages
 * with the same tables, as Windows' schannel.dll has them, "Microsoft
 * Unified Security Protocol Provider" (UNISP_NAME) and "Schannel", RPC id
 * 14, cbMaxToken 16384, and their settings.
 *
 * Settings (`option.KEY = VALUE` in the module's configuration block):
 *   cert_file, key_file   default server certificate and key (key_file may
 *                         be a pkcs11: URI, with the PIN in it: wiped
 *                         from memory when released) for inbound
 *                         credentials that name no certificate
 *   ca_file               more trusted roots, beside the system store
 *   cert_dir              the "MY" store of SCH_CRED_FORMAT_CERT_HASH(_STORE)
 *                         credentials (default: LIBSSPI_CERT_DIR, else
 *                         $(sysconfdir)/libsspi/certs, as CertOpenStore's)
 *   tls13_post_handshake  "internal" (default: NewSessionTicket and
 *                         KeyUpdate are handled inside DecryptMessage) or
 *                         "renegotiate" (DecryptMessage answers
 *                         SEC_I_RENEGOTIATE for them, as Windows 11 does)
 *   session_tickets       yes (default) or no: the server issues no tickets
 *   record_layer          "inplace" (default: application records of AEAD
 *                         suites are protected in the caller's buffers) or
 *                         "gnutls" (every record through GnuTLS's record
 *                         layer, copying; for comparison and as a fallback)
 * A credential takes the settings in force when it is acquired.
 */
#include <stdlib.h>

#include "packages/schannel/schannel-pkg.h"

static const char *const schan_post_names[] = {"internal", "renegotiate", NULL};
static const char *const schan_record_names[] = {"inplace", "gnutls", NULL};
static const struct schan_options schan_defaults = {.session_tickets = true};
static const struct pkg_option_def schan_defs[] = {
    PKG_OPTION_PATH("cert_file", struct schan_options, cert_file),
    PKG_OPTION_SECRET("key_file", struct schan_options, key_file),
    PKG_OPTION_PATH("ca_file", struct schan_options, ca_file),
    PKG_OPTION_PATH("cert_dir", struct schan_options, cert_dir),
    PKG_OPTION_ENUM("tls13_post_handshake", struct schan_options, post_handshake, schan_post_names),
    PKG_OPTION_BOOL("session_tickets", struct schan_options, session_tickets),
    PKG_OPTION_ENUM("record_layer", struct schan_options, record_layer, schan_record_names),
};
PKG_OPTIONS(schan_settings, struct schan_options, schan_defs, &schan_defaults);

/* GnuTLS's global state: reference counted by GnuTLS, taken once per package. */
static NTSTATUS schan_initialize(ULONG_PTR package_id, PSECPKG_PARAMETERS parameters)
{
    return gnutls_global_init() < 0 ? STATUS_INTERNAL_ERROR : STATUS_SUCCESS;
}

static const SECPKG_FUNCTION_TABLE schan_lsa_table = {
    .AcquireCredentialsHandle = schan_acquire_credentials_handle,
    .QueryCredentialsAttributes = schan_query_credentials_attributes,
    .FreeCredentialsHandle = schan_free_credentials_handle,
    .InitLsaModeContext = schan_init_lsa_mode_context,
    .AcceptLsaModeContext = schan_accept_lsa_mode_context,
    .DeleteContext = schan_delete_context,
    .ApplyControlToken = schan_apply_control_token,
    .QueryContextAttributes = schan_query_lsa_context_attributes,
};

static const SECPKG_USER_FUNCTION_TABLE schan_user_table = {
    .InitUserModeContext = schan_init_user_mode_context,
    .SealMessage = schan_seal_message,
    .UnsealMessage = schan_unseal_message,
    .QueryContextAttributes = schan_query_context_attributes,
    .DeleteUserModeContext = schan_delete_user_mode_context,
    .ImportContext = schan_import_context,
};

#define SCHAN_DESCRIPTOR(package_name)                                                             \
    {                                                                                              \
        .name = package_name, .comment = u"Schannel Security Package (TLS 1.2/1.3 on GnuTLS)",     \
        .capabilities = SCHAN_CAPABILITIES, .version = SCHAN_VERSION, .rpcid = UNISP_RPC_ID,       \
        .max_token = SCHAN_MAX_TOKEN, .lsa = &schan_lsa_table, .user = &schan_user_table,          \
        .options = &schan_settings, .initialize = schan_initialize,                                \
    }

static const struct pkg_descriptor schan_unisp = SCHAN_DESCRIPTOR(UNISP_NAME_W);
static const struct pkg_descriptor schan_schannel = SCHAN_DESCRIPTOR(SCHANNEL_NAME_W);

PKG_MODULE(&schan_unisp, &schan_schannel)
