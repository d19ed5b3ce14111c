/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-lsa.c - LsaCallAuthenticationPackage messages of the Kerberos
 * package, mapped onto the caller's default ccache (KRB5CCNAME), so that
 * klist-style Windows code ports:
 *   KerbQueryTicketCacheMessage / KerbQueryTicketCacheExMessage
 *       the tickets in the ccache (configuration entries left out)
 *   KerbRetrieveEncodedTicketMessage
 *       a service ticket for TargetName (from the ccache, or from the KDC
 *       unless KERB_RETRIEVE_TICKET_USE_CACHE_ONLY), as KERB_EXTERNAL_TICKET
 *       with the DER ticket and its session key
 *   KerbPurgeTicketCacheMessage
 *       every ticket (empty ServerName and RealmName) or those of one
 *       server; the ccache keeps its principal
 * LogonId is ignored (the caller's own logon session is the ccache).
 *
 * Requests are read as Windows' LSA reads them: at most SubmitBufferLength
 * bytes, and strings inside the submit buffer (pointers are relocated from
 * ClientBufferBase when given).  The response is one block from
 * AllocateClientBuffer (LsaFreeReturnBuffer frees it), strings inside it.
 *
 * Statuses: the call returns STATUS_INVALID_PARAMETER for a malformed
 * request, STATUS_NO_MEMORY, else STATUS_SUCCESS with the outcome in
 * *ProtocolStatus: STATUS_SUCCESS, STATUS_NOT_SUPPORTED (another message),
 * STATUS_NO_SUCH_LOGON_SESSION (no ccache), STATUS_OBJECT_NAME_NOT_FOUND
 * (no such ticket), or the mapped SSPI status of a failed KDC request.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <krb5/krb5.h>

#include "common/utf16.h"
#include "packages/kerberos/kerberos.h"

#define STATUS_OBJECT_NAME_NOT_FOUND_ ((NTSTATUS)0xC0000034)

/* ---- the response block ------------------------------------------------- */

/* A bump allocator over the response block: `need` grows in the sizing
 * pass (base NULL), pieces are carved in the filling pass. */
struct block {
    uint8_t *base;
    size_t need, used;
};

static void *carve(struct block *b, size_t len, size_t align)
{
    size_t at = (b->used + align - 1) & ~(align - 1);

    b->used = at + len;
    if (b->base == NULL) {
        b->need = b->used;
        return NULL;
    }
    return b->base + at;
}

/* A UNICODE_STRING in the block holding the UTF-8 text `s`. */
static void put_ustr(struct block *b, UNICODE_STRING *u, const char *s, size_t len)
{
    size_t n = sspi_utf8_utf16_size(s, len);
    char16_t *w;

    if (n == (size_t)-1)
        n = 0;
    w = carve(b, (n + 1) * sizeof(char16_t), 2);
    if (w == NULL || u == NULL)
        return;
    sspi_utf8_to_utf16_buf(s, len, w, n + 1);
    w[n] = 0;
    u->Length = (USHORT)(n * 2);
    u->MaximumLength = (USHORT)(n * 2 + 2);
    u->Buffer = w;
}

/* ---- requests ------------------------------------------------------------ */

/* A UNICODE_STRING of the request as UTF-8 (malloc), "" for an empty one;
 * NULL if it does not lie inside the submit buffer. */
static char *get_ustr(const UNICODE_STRING *u, const uint8_t *submit, size_t len,
                      const uint8_t *client_base)
{
    const uint8_t *p = (const uint8_t *)u->Buffer;
    size_t out;

    if (u->Length == 0)
        return strdup("");
    if (p == NULL || u->Length % 2 != 0 || u->Length > u->MaximumLength)
        return NULL;
    if (client_base != NULL && p >= client_base && p < client_base + len)
        p = submit + (p - client_base);
    if (p < submit || p > submit + len || (size_t)(submit + len - p) < u->Length)
        return NULL;
    {
        char16_t tmp[512];
        size_t n = u->Length / 2;

        if (n > sizeof(tmp) / sizeof(tmp[0]))
            return NULL;
        memcpy(tmp, p, u->Length); /* the request may be unaligned */
        return sspi_utf16_to_utf8(tmp, n, &out);
    }
}

struct ccache {
    krb5_context k;
    krb5_ccache cc;
};

static NTSTATUS open_ccache(struct ccache *c)
{
    krb5_principal p;

    c->cc = NULL;
    if (krb5_init_context(&c->k) != 0)
        return STATUS_NO_MEMORY;
    if (krb5_cc_default(c->k, &c->cc) != 0 || krb5_cc_get_principal(c->k, c->cc, &p) != 0) {
        if (c->cc != NULL)
            krb5_cc_close(c->k, c->cc);
        krb5_free_context(c->k);
        return STATUS_NO_SUCH_LOGON_SESSION;
    }
    krb5_free_principal(c->k, p);
    return STATUS_SUCCESS;
}

static void close_ccache(struct ccache *c)
{
    krb5_cc_close(c->k, c->cc);
    krb5_free_context(c->k);
}

static int64_t ft(krb5_timestamp t)
{
    return t == 0 ? 0 : krb_filetime((int64_t)(uint32_t)t);
}

/* "name/instance" (no realm) and the realm of a principal, malloc()ed. */
static void split_principal(krb5_context k, krb5_const_principal p, char **name, char **realm)
{
    *name = NULL;
    *realm = NULL;
    if (krb5_unparse_name_flags(k, p, KRB5_PRINCIPAL_UNPARSE_NO_REALM, name) != 0)
        *name = NULL;
    *realm = strndup(p->realm.data, p->realm.length);
}

/* ---- KerbQueryTicketCache(Ex)Message ------------------------------------ */

/* The fields KERB_TICKET_CACHE_INFO and _EX share, from their StartTime on. */
struct ticket_times {
    LARGE_INTEGER StartTime, EndTime, RenewTime;
    LONG EncryptionType;
    ULONG TicketFlags;
};
_Static_assert(sizeof(struct ticket_times) ==
                   sizeof(KERB_TICKET_CACHE_INFO) - offsetof(KERB_TICKET_CACHE_INFO, StartTime),
               "KERB_TICKET_CACHE_INFO tail");
_Static_assert(sizeof(struct ticket_times) == sizeof(KERB_TICKET_CACHE_INFO_EX) -
                                                  offsetof(KERB_TICKET_CACHE_INFO_EX, StartTime),
               "KERB_TICKET_CACHE_INFO_EX tail");

static void put_times(void *at, const krb5_creds *cr)
{
    struct ticket_times t = {
        .StartTime.QuadPart = ft(cr->times.starttime ? cr->times.starttime : cr->times.authtime),
        .EndTime.QuadPart = ft(cr->times.endtime),
        .RenewTime.QuadPart = ft(cr->times.renew_till),
        .EncryptionType = cr->keyblock.enctype,
        .TicketFlags = cr->ticket_flags,
    };
    memcpy(at, &t, sizeof(t));
}

/* A string field from a malloc()ed text that may be NULL. */
static void put_text(struct block *b, UNICODE_STRING *u, const char *s)
{
    put_ustr(b, u, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void fill_tickets(struct ccache *c, struct block *b, bool ex, void *resp)
{
    krb5_cc_cursor cur;
    krb5_creds cr;
    ULONG n = 0;
    KERB_QUERY_TKT_CACHE_RESPONSE *r = resp;
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *rx = resp;
    size_t isz = ex ? sizeof(KERB_TICKET_CACHE_INFO_EX) : sizeof(KERB_TICKET_CACHE_INFO);
    uint8_t *infos;

    if (krb5_cc_start_seq_get(c->k, c->cc, &cur) != 0)
        return;
    /* Count, so the array comes first and the strings after it. */
    while (krb5_cc_next_cred(c->k, c->cc, &cur, &cr) == 0) {
        if (!krb5_is_config_principal(c->k, cr.server))
            n++;
        krb5_free_cred_contents(c->k, &cr);
    }
    krb5_cc_end_seq_get(c->k, c->cc, &cur);
    infos = carve(b, n * isz, 8);
    if (resp != NULL)
        (ex ? &rx->CountOfTickets : &r->CountOfTickets)[0] = n;
    if (krb5_cc_start_seq_get(c->k, c->cc, &cur) != 0)
        return;
    for (ULONG i = 0; i < n && krb5_cc_next_cred(c->k, c->cc, &cur, &cr) == 0;) {
        char *sname, *srealm, *cname, *crealm;

        if (krb5_is_config_principal(c->k, cr.server)) {
            krb5_free_cred_contents(c->k, &cr);
            continue;
        }
        split_principal(c->k, cr.server, &sname, &srealm);
        split_principal(c->k, cr.client, &cname, &crealm);
        if (ex) {
            KERB_TICKET_CACHE_INFO_EX *t = infos ? (void *)(infos + i * isz) : NULL;
            put_text(b, t ? &t->ClientName : NULL, cname);
            put_text(b, t ? &t->ClientRealm : NULL, crealm);
            put_text(b, t ? &t->ServerName : NULL, sname);
            put_text(b, t ? &t->ServerRealm : NULL, srealm);
            if (t != NULL)
                put_times(&t->StartTime, &cr);
        } else {
            KERB_TICKET_CACHE_INFO *t = infos ? (void *)(infos + i * isz) : NULL;
            put_text(b, t ? &t->ServerName : NULL, sname);
            put_text(b, t ? &t->RealmName : NULL, srealm);
            if (t != NULL)
                put_times(&t->StartTime, &cr);
        }
        krb5_free_unparsed_name(c->k, sname);
        krb5_free_unparsed_name(c->k, cname);
        free(srealm);
        free(crealm);
        krb5_free_cred_contents(c->k, &cr);
        i++;
    }
    krb5_cc_end_seq_get(c->k, c->cc, &cur);
}

/* Size the response, allocate it for the client, fill it. */
typedef void (*fill_fn)(void *arg, struct block *b, void *resp);

static NTSTATUS respond(PLSA_CLIENT_REQUEST req, KERB_PROTOCOL_MESSAGE_TYPE type, size_t head,
                        fill_fn fill, void *arg, PVOID *out, PULONG out_len)
{
    struct block b = {NULL, 0, 0};
    void *resp;

    carve(&b, head, 8);
    fill(arg, &b, NULL);
    if (b.need > UINT32_MAX || pkg_lsa == NULL || pkg_lsa->AllocateClientBuffer == NULL ||
        pkg_lsa->AllocateClientBuffer(req, (ULONG)b.need, out) != STATUS_SUCCESS || *out == NULL)
        return STATUS_NO_MEMORY;
    memset(*out, 0, b.need);
    b = (struct block){*out, b.need, 0};
    resp = carve(&b, head, 8);
    if (type != (KERB_PROTOCOL_MESSAGE_TYPE)-1)
        *(KERB_PROTOCOL_MESSAGE_TYPE *)resp = type;
    fill(arg, &b, resp);
    *out_len = (ULONG)b.need;
    return STATUS_SUCCESS;
}

struct tickets_arg {
    struct ccache *c;
    bool ex;
};

static void fill_tickets_cb(void *arg, struct block *b, void *resp)
{
    struct tickets_arg *a = arg;
    fill_tickets(a->c, b, a->ex, resp);
}

/* ---- KerbPurgeTicketCacheMessage ----------------------------------------- */

static NTSTATUS purge(struct ccache *c, const char *server, const char *realm)
{
    krb5_cc_cursor cur;
    krb5_creds cr, *list = NULL;
    size_t n = 0, cap = 0;
    NTSTATUS st = STATUS_SUCCESS;

    if (server[0] == '\0' && realm[0] == '\0') {
        krb5_principal p;

        if (krb5_cc_get_principal(c->k, c->cc, &p) != 0)
            return STATUS_NO_SUCH_LOGON_SESSION;
        krb5_cc_initialize(c->k, c->cc, p);
        krb5_free_principal(c->k, p);
        return STATUS_SUCCESS;
    }
    if (krb5_cc_start_seq_get(c->k, c->cc, &cur) != 0)
        return STATUS_NO_SUCH_LOGON_SESSION;
    while (krb5_cc_next_cred(c->k, c->cc, &cur, &cr) == 0) {
        char *sname, *srealm;
        bool match;

        split_principal(c->k, cr.server, &sname, &srealm);
        match = sname != NULL && srealm != NULL &&
                (server[0] == '\0' || strcmp(sname, server) == 0) &&
                (realm[0] == '\0' || strcmp(srealm, realm) == 0);
        krb5_free_unparsed_name(c->k, sname);
        free(srealm);
        if (match && n == cap) {
            krb5_creds *nl = realloc(list, (cap = cap ? 2 * cap : 8) * sizeof(*list));
            if (nl == NULL)
                match = false;
            else
                list = nl;
        }
        if (match)
            list[n++] = cr;
        else
            krb5_free_cred_contents(c->k, &cr);
    }
    krb5_cc_end_seq_get(c->k, c->cc, &cur);
    if (n == 0)
        st = STATUS_OBJECT_NAME_NOT_FOUND_;
    for (size_t i = 0; i < n; i++) {
        if (krb5_cc_remove_cred(c->k, c->cc, 0, &list[i]) != 0)
            st = STATUS_NOT_SUPPORTED;
        krb5_free_cred_contents(c->k, &list[i]);
    }
    free(list);
    return st;
}

/* ---- KerbRetrieveEncodedTicketMessage ------------------------------------ */

struct ticket_arg {
    krb5_context k;
    krb5_creds *cr;
};

static PKERB_EXTERNAL_NAME put_name(struct block *b, krb5_context k, krb5_const_principal p)
{
    KERB_EXTERNAL_NAME *n;
    int count = p->length > 0 ? p->length : 1;

    n = carve(b, sizeof(KERB_EXTERNAL_NAME) + (size_t)(count - 1) * sizeof(UNICODE_STRING), 8);
    if (n != NULL) {
        n->NameType = (SHORT)p->type;
        n->NameCount = (USHORT)p->length;
    }
    for (int i = 0; i < p->length; i++)
        put_ustr(b, n ? &n->Names[i] : NULL, p->data[i].data, p->data[i].length);
    (void)k;
    return n;
}

static void fill_ticket(void *arg, struct block *b, void *resp)
{
    struct ticket_arg *a = arg;
    KERB_EXTERNAL_TICKET *t = resp ? &((KERB_RETRIEVE_TKT_RESPONSE *)resp)->Ticket : NULL;
    krb5_creds *cr = a->cr;
    uint8_t *key, *enc;

    PKERB_EXTERNAL_NAME sn = put_name(b, a->k, cr->server);
    PKERB_EXTERNAL_NAME cn = put_name(b, a->k, cr->client);
    put_ustr(b, t ? &t->DomainName : NULL, cr->server->realm.data, cr->server->realm.length);
    put_ustr(b, t ? &t->TargetDomainName : NULL, cr->server->realm.data, cr->server->realm.length);
    put_ustr(b, t ? &t->AltTargetDomainName : NULL, cr->client->realm.data,
             cr->client->realm.length);
    key = carve(b, cr->keyblock.length, 1);
    enc = carve(b, cr->ticket.length, 1);
    if (t == NULL)
        return;
    t->ServiceName = sn;
    t->TargetName = sn;
    t->ClientName = cn;
    t->SessionKey.KeyType = cr->keyblock.enctype;
    t->SessionKey.Length = cr->keyblock.length;
    t->SessionKey.Value = key;
    memcpy(key, cr->keyblock.contents, cr->keyblock.length);
    t->TicketFlags = cr->ticket_flags;
    t->KeyExpirationTime.QuadPart = ft(cr->times.endtime);
    t->StartTime.QuadPart = ft(cr->times.starttime ? cr->times.starttime : cr->times.authtime);
    t->EndTime.QuadPart = ft(cr->times.endtime);
    t->RenewUntil.QuadPart = ft(cr->times.renew_till);
    t->EncodedTicketSize = cr->ticket.length;
    t->EncodedTicket = enc;
    memcpy(enc, cr->ticket.data, cr->ticket.length);
}

static NTSTATUS retrieve(struct ccache *c, PLSA_CLIENT_REQUEST req, const char *target,
                         ULONG options, PVOID *out, PULONG out_len, NTSTATUS *proto)
{
    krb5_creds in, *got = NULL;
    krb5_error_code ret;
    NTSTATUS st;

    memset(&in, 0, sizeof(in));
    if (target[0] == '\0' || krb5_parse_name(c->k, target, &in.server) != 0) {
        *proto = STATUS_INVALID_PARAMETER;
        return STATUS_SUCCESS;
    }
    if (krb5_cc_get_principal(c->k, c->cc, &in.client) != 0) {
        krb5_free_principal(c->k, in.server);
        *proto = STATUS_NO_SUCH_LOGON_SESSION;
        return STATUS_SUCCESS;
    }
    ret = krb5_get_credentials(c->k,
                               (options & KERB_RETRIEVE_TICKET_USE_CACHE_ONLY) ? KRB5_GC_CACHED : 0,
                               c->cc, &in, &got);
    krb5_free_cred_contents(c->k, &in);
    if (ret != 0) {
        *proto = ret == KRB5_CC_NOTFOUND || ret == KRB5_CC_NOT_KTYPE
                     ? STATUS_OBJECT_NAME_NOT_FOUND_
                     : krb_status_from_krb5(KRB_OP_INIT, "krb5_get_credentials", c->k, ret);
        return STATUS_SUCCESS;
    }
    struct ticket_arg a = {c->k, got};
    st = respond(req, (KERB_PROTOCOL_MESSAGE_TYPE)-1, sizeof(KERB_RETRIEVE_TKT_RESPONSE),
                 fill_ticket, &a, out, out_len);
    krb5_free_creds(c->k, got);
    *proto = STATUS_SUCCESS;
    return st;
}

/* ---- dispatch ------------------------------------------------------------ */

NTSTATUS NTAPI krb_call_package(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                PNTSTATUS ProtocolStatus)
{
    const uint8_t *sub = ProtocolSubmitBuffer;
    KERB_PROTOCOL_MESSAGE_TYPE type;
    struct ccache c;
    NTSTATUS st = STATUS_SUCCESS, proto;

    if (ProtocolReturnBuffer == NULL || ReturnBufferLength == NULL || ProtocolStatus == NULL ||
        sub == NULL || SubmitBufferLength < sizeof(KERB_PROTOCOL_MESSAGE_TYPE))
        return STATUS_INVALID_PARAMETER;
    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    memcpy(&type, sub, sizeof(type));
    switch (type) {
    case KerbQueryTicketCacheMessage:
    case KerbQueryTicketCacheExMessage:
        if (SubmitBufferLength < sizeof(KERB_QUERY_TKT_CACHE_REQUEST))
            return STATUS_INVALID_PARAMETER;
        break;
    case KerbPurgeTicketCacheMessage:
        if (SubmitBufferLength < sizeof(KERB_PURGE_TKT_CACHE_REQUEST))
            return STATUS_INVALID_PARAMETER;
        break;
    case KerbRetrieveEncodedTicketMessage:
        if (SubmitBufferLength < sizeof(KERB_RETRIEVE_TKT_REQUEST))
            return STATUS_INVALID_PARAMETER;
        break;
    default:
        *ProtocolStatus = STATUS_NOT_SUPPORTED;
        return STATUS_SUCCESS;
    }
    proto = open_ccache(&c);
    if (proto != STATUS_SUCCESS) {
        *ProtocolStatus = proto;
        return proto == STATUS_NO_MEMORY ? proto : STATUS_SUCCESS;
    }
    if (type == KerbQueryTicketCacheMessage || type == KerbQueryTicketCacheExMessage) {
        bool ex = type == KerbQueryTicketCacheExMessage;
        struct tickets_arg a = {&c, ex};

        st = respond(ClientRequest, type,
                     ex ? offsetof(KERB_QUERY_TKT_CACHE_EX_RESPONSE, Tickets)
                        : offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets),
                     fill_tickets_cb, &a, ProtocolReturnBuffer, ReturnBufferLength);
        proto = STATUS_SUCCESS;
    } else {
        const void *base = ClientBufferBase;
        UNICODE_STRING u1, u2;
        char *s1 = NULL, *s2 = NULL;

        if (type == KerbPurgeTicketCacheMessage) {
            KERB_PURGE_TKT_CACHE_REQUEST r;
            memcpy(&r, sub, sizeof(r));
            u1 = r.ServerName;
            u2 = r.RealmName;
            s1 = get_ustr(&u1, sub, SubmitBufferLength, base);
            s2 = get_ustr(&u2, sub, SubmitBufferLength, base);
            if (s1 == NULL || s2 == NULL)
                st = STATUS_INVALID_PARAMETER;
            else
                proto = purge(&c, s1, s2);
        } else {
            KERB_RETRIEVE_TKT_REQUEST r;
            memcpy(&r, sub, sizeof(r));
            u1 = r.TargetName;
            s1 = get_ustr(&u1, sub, SubmitBufferLength, base);
            if (s1 == NULL)
                st = STATUS_INVALID_PARAMETER;
            else
                st = retrieve(&c, ClientRequest, s1, r.CacheOptions, ProtocolReturnBuffer,
                              ReturnBufferLength, &proto);
        }
        free(s1);
        free(s2);
    }
    close_ccache(&c);
    if (st == STATUS_SUCCESS)
        *ProtocolStatus = proto;
    return st;
}
