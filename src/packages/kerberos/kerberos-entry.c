/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-entry.c - the Kerberos package as the host sees it: its
 * descriptor, its two function tables and its settings.  The kit
 * (pkg-entry.h) adds SpInitialize, SpGetInfo, SpShutdown,
 * Sp{Get,Set}ExtendedInformation and SpInstanceInit; GetExtendedInformation
 * (SecpkgGssInfo) answers the Kerberos mechanism OID so Negotiate finds the
 * package.
 *
 * Settings (option.* lines of the package's module block):
 *   option.keytab = PATH            acceptor keytab (else KRB5_KTNAME or
 *                                   the default keytab)
 *   option.message_crypto = nettle  per-message path: built-in AES (default)
 *                         | mit     or MIT's gss_*_iov
 */
#include "config.h"

#include <stdlib.h>

#include "packages/kerberos/kerberos.h"

struct krb_settings {
    char *keytab;
    int message_crypto; /* 0 nettle, 1 mit */
};

static const char *const crypto_names[] = {"nettle", "mit", NULL};
static const struct krb_settings krb_defaults = {NULL, 0};
static const struct pkg_option_def krb_defs[] = {
    PKG_OPTION_PATH("keytab", struct krb_settings, keytab),
    PKG_OPTION_ENUM("message_crypto", struct krb_settings, message_crypto, crypto_names),
};
PKG_OPTIONS(krb_options, struct krb_settings, krb_defs, &krb_defaults);

char *krb_option_keytab(void)
{
    struct krb_settings s;
    char *k;

    if (!pkg_options_get(&krb_options, &s))
        return NULL;
    k = s.keytab;
    s.keytab = NULL;
    pkg_options_release(&krb_options, &s);
    return k;
}

bool krb_option_mit_messages(void)
{
    struct krb_settings s;
    bool mit;

    if (!pkg_options_get(&krb_options, &s))
        return false;
    mit = s.message_crypto == 1;
    pkg_options_release(&krb_options, &s);
    return mit;
}

void *krb_alloc(size_t len)
{
    return pkg_alloc(pkg_lsa != NULL ? PKG_MODE_LSA : PKG_MODE_USER, len);
}

void krb_free(void *p)
{
    pkg_free(pkg_lsa != NULL ? PKG_MODE_LSA : PKG_MODE_USER, p);
}

static const SECPKG_FUNCTION_TABLE krb_lsa_table = {
    .CallPackage = krb_call_package,
    .CallPackageUntrusted = krb_call_package,
    .AcquireCredentialsHandle = krb_acquire_credentials_handle,
    .QueryCredentialsAttributes = krb_query_credentials_attributes,
    .FreeCredentialsHandle = krb_free_credentials_handle,
    .InitLsaModeContext = krb_init_lsa_mode_context,
    .AcceptLsaModeContext = krb_accept_lsa_mode_context,
    .DeleteContext = krb_delete_context,
    .QueryContextAttributes = krb_query_context_attributes,
};

static const SECPKG_USER_FUNCTION_TABLE krb_user_table = {
    .MakeSignature = krb_make_signature,
    .VerifySignature = krb_verify_signature,
    .SealMessage = krb_seal_message,
    .UnsealMessage = krb_unseal_message,
    .QueryContextAttributes = krb_query_context_attributes,
    .DeleteUserModeContext = krb_delete_user_mode_context,
    .ExportContext = krb_export_context,
    .ImportContext = krb_import_context,
};

static const uint8_t krb_oid_der[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                      0xf7, 0x12, 0x01, 0x02, 0x02};

/* What Windows' Kerberos package reports (reference kerberos.md 1). */
const struct pkg_descriptor krb_package = {
    .name = KRB_PACKAGE_NAME,
    .comment = KRB_PACKAGE_COMMENT,
    .capabilities = KRB_CAPABILITIES,
    .version = KRB_PACKAGE_VERSION,
    .rpcid = KRB_RPCID,
    .max_token = KRB_MAX_TOKEN,
    .lsa = &krb_lsa_table,
    .user = &krb_user_table,
    .options = &krb_options,
    .mech_oid = krb_oid_der,
    .mech_oid_len = sizeof(krb_oid_der),
};

PKG_MODULE(&krb_package)
