/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-cred.c - Negotiate credentials: one sibling credential per
 * package that can take part (negotiate-mechs.c), acquired with the
 * caller's principal and identity.  A sibling that cannot give a
 * credential (no ticket cache, no keytab, no identity for NTLM) is left
 * out; the acquisition succeeds when at least one sibling gave one, as on
 * Windows.
 *
 * The sibling credentials live in a reference-counted block shared by the
 * credential handle and every context made from it, so a handshake can
 * still switch mechanism after the caller freed the credential or when a
 * continuation leg passes no credential (Windows allows both).
 *
 * Status choices for bad input: neither INBOUND nor OUTBOUND ->
 * SEC_E_UNKNOWN_CREDENTIALS (as NTLM); a malformed identity or PackageList
 * -> what the identity parser says (SEC_E_INVALID_PARAMETER ...); no
 * sibling left -> the first sibling's failure, or SEC_E_NO_CREDENTIALS
 * when none was even tried.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "packages/negotiate/negotiate.h"

static void cred_destroy(void *object)
{
    struct nego_cred *c = object;

    nego_creds_unref(c->shared);
    c->shared = NULL;
}

const struct pkg_class nego_cred_class = {
    .magic = 0x4e434352u, /* "NCCR" */
    .size = sizeof(struct nego_cred),
    .destroy = cred_destroy,
};

struct nego_creds *nego_creds_ref(struct nego_creds *c)
{
    if (c != NULL)
        atomic_fetch_add_explicit(&c->refs, 1, memory_order_relaxed);
    return c;
}

void nego_creds_unref(struct nego_creds *c)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();

    if (c == NULL || atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (uint32_t i = 0; i < c->count; i++) {
        if (svc != NULL)
            svc->FreeCredentialsHandle(&c->creds[i]);
        free(c->mechs[i].name);
    }
    free(c);
}

int nego_creds_find(const struct nego_creds *c, struct nego_view oid)
{
    for (uint32_t i = 0; i < c->count; i++)
        if (nego_mech_matches(&c->mechs[i], oid))
            return (int)i;
    return -1;
}

/* A NUL-terminated copy of a UNICODE_STRING (NULL for none or empty). */
static SECURITY_STATUS principal_copy(const UNICODE_STRING *u, char16_t **out)
{
    *out = NULL;
    if (u == NULL || u->Buffer == NULL || u->Length == 0)
        return SEC_E_OK;
    size_t n = u->Length / sizeof(char16_t);
    *out = malloc((n + 1) * sizeof(char16_t));
    if (*out == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(*out, u->Buffer, n * sizeof(char16_t));
    (*out)[n] = 0;
    return SEC_E_OK;
}

/* The PackageList of an EX identity, or an empty list. */
static SECURITY_STATUS read_package_list(const void *auth, struct nego_package_list *list)
{
    struct pkg_identity id;
    SECURITY_STATUS st = pkg_identity_parse(auth, false, &id);

    if (st == SEC_E_OK)
        st = nego_package_list_parse(id.id.package_list.s, id.id.package_list.len, list);
    pkg_identity_clear(&id);
    return st;
}

/* Ask every candidate sibling for a credential; keep those that give one. */
static SECURITY_STATUS acquire_siblings(struct nego_creds *nc, struct nego_mech *mechs,
                                        uint32_t count, const char16_t *principal, ULONG use,
                                        PLUID logon_id, PVOID auth_data)
{
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();
    SECURITY_STATUS first_failure = SEC_E_NO_CREDENTIALS;
    bool failed = false;

    nc->expiry = PKG_NEVER;
    for (uint32_t i = 0; i < count && nc->count < NEGO_MAX_MECHS_PER_CRED; i++) {
        CredHandle h;
        TimeStamp exp = {0};
        SECURITY_STATUS st = svc->AcquireCredentialsHandle(mechs[i].name, principal, use, logon_id,
                                                           auth_data, &h, &exp);
        if (st != SEC_E_OK) {
            if (!failed)
                first_failure = st;
            failed = true;
            continue;
        }
        nc->creds[nc->count] = h;
        nc->mechs[nc->count] = mechs[i];
        mechs[i].name = NULL; /* moved */
        if (exp.QuadPart > 0 && exp.QuadPart < nc->expiry)
            nc->expiry = exp.QuadPart;
        nc->count++;
    }
    return nc->count > 0 ? SEC_E_OK : first_failure;
}

NTSTATUS NTAPI nego_acquire_credentials(PUNICODE_STRING principal, ULONG use, PLUID logon_id,
                                        PVOID auth_data, PVOID get_key, PVOID get_key_arg,
                                        PLSA_SEC_HANDLE cred, PTimeStamp expiry)
{
    struct nego_package_list list;
    struct nego_mech *mechs = NULL;
    uint32_t count = 0;
    char16_t *who = NULL;
    struct nego_creds *nc = NULL;
    SECURITY_STATUS st;

    (void)get_key;
    (void)get_key_arg;
    if (cred == NULL)
        return STATUS_INVALID_PARAMETER;
    if (pkg_credential_use(use) == 0)
        return SEC_E_UNKNOWN_CREDENTIALS;
    if (nego_services() == NULL)
        return SEC_E_INTERNAL_ERROR;
    st = read_package_list(auth_data, &list);
    if (st == SEC_E_OK)
        st = principal_copy(principal, &who);
    if (st == SEC_E_OK)
        st = nego_mechs_enumerate(&list, &mechs, &count);
    if (st == SEC_E_OK) {
        nc = calloc(1, sizeof(*nc));
        st = nc == NULL ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_OK;
    }
    if (st == SEC_E_OK) {
        atomic_init(&nc->refs, 1);
        nc->use = pkg_credential_use(use);
        st = acquire_siblings(nc, mechs, count, who, use, logon_id, auth_data);
    }
    struct nego_cred *c = NULL;
    if (st == SEC_E_OK) {
        c = pkg_object_new(&nego_cred_class, PKG_SIDE_LSA);
        st = c == NULL ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_OK;
    }
    nego_mechs_free(mechs, count);
    free(who);
    if (st != SEC_E_OK) {
        nego_creds_unref(nc);
        return st;
    }
    c->shared = nc;
    if (expiry != NULL)
        expiry->QuadPart = nc->expiry;
    *cred = pkg_object_handle(c);
    return SEC_E_OK;
}

NTSTATUS NTAPI nego_free_credentials(LSA_SEC_HANDLE cred)
{
    return pkg_delete_side(&nego_cred_class, cred, PKG_SIDE_LSA);
}

/* SECPKG_CRED_ATTR_NAMES and the rest: the first sibling's answer. */
NTSTATUS NTAPI nego_query_credentials(LSA_SEC_HANDLE cred, ULONG attribute, PVOID buffer)
{
    struct nego_cred *c = pkg_object_from_handle(&nego_cred_class, cred, PKG_SIDE_LSA);
    const SECPKG_LIBSSPI_HOST_SERVICES *svc = nego_services();

    if (c == NULL)
        return SEC_E_INVALID_HANDLE;
    if (buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    if (svc == NULL || c->shared->count == 0)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return svc->QueryCredentialsAttributes(&c->shared->creds[0], attribute, buffer);
}
