/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-harness.c - driving a security package through the public SSPI API
 * in tests (see pkg-harness.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg-harness.h"

SECURITY_STATUS ph_load(const char *name, const char *module)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    PSecPkgInfoA info = NULL;
    char path[4096];

    if (QuerySecurityPackageInfoA((SEC_CHAR *)name, &info) == SEC_E_OK) {
        FreeContextBuffer(info);
        return SEC_E_OK;
    }
    if (dir == NULL)
        return SEC_E_SECPKG_NOT_FOUND;
    snprintf(path, sizeof path, "%s/%s", dir, module);
    return AddSecurityPackageA(path, NULL);
}

/* ---- credentials -------------------------------------------------------------- */

static SECURITY_STATUS acquire_a(const char *package, const struct ph_identity *id, uint32_t use,
                                 CredHandle *cred)
{
    SEC_WINNT_AUTH_IDENTITY_A a = {
        .User = (unsigned char *)id->user,
        .UserLength = (uint32_t)strlen(id->user),
        .Domain = (unsigned char *)(id->domain ? id->domain : ""),
        .DomainLength = (uint32_t)strlen(id->domain ? id->domain : ""),
        .Password = (unsigned char *)(id->password ? id->password : ""),
        .PasswordLength = (uint32_t)strlen(id->password ? id->password : ""),
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };

    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, use, NULL, &a, NULL, NULL, cred,
                                     NULL);
}

static SECURITY_STATUS acquire_w(const char *package, const struct ph_identity *id, bool ex,
                                 uint32_t use, CredHandle *cred)
{
    char16_t *u = tu_u16(id->user), *d = tu_u16(id->domain ? id->domain : "");
    char16_t *p = tu_u16(id->password ? id->password : "");
    SEC_WINNT_AUTH_IDENTITY_W w = {
        .User = u,
        .UserLength = (uint32_t)tu_u16len(u),
        .Domain = d,
        .DomainLength = (uint32_t)tu_u16len(d),
        .Password = p,
        .PasswordLength = (uint32_t)tu_u16len(p),
        .Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE,
    };
    SEC_WINNT_AUTH_IDENTITY_EXW exw = {
        .Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
        .Length = sizeof exw,
        .User = w.User,
        .UserLength = w.UserLength,
        .Domain = w.Domain,
        .DomainLength = w.DomainLength,
        .Password = w.Password,
        .PasswordLength = w.PasswordLength,
        .Flags = w.Flags,
    };

    return AcquireCredentialsHandleW(NULL, tu_u16(package), use, NULL, ex ? (void *)&exw : &w, NULL,
                                     NULL, cred, NULL);
}

SECURITY_STATUS ph_acquire(const char *package, enum ph_form form, const struct ph_identity *id,
                           uint32_t use, CredHandle *cred)
{
    if (id == NULL || id->user == NULL)
        return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, use, NULL, NULL, NULL, NULL,
                                         cred, NULL);
    if (form == PH_FORM_A)
        return acquire_a(package, id, use, cred);
    return acquire_w(package, id, form == PH_FORM_EXW, use, cred);
}

/* ---- handshake ---------------------------------------------------------------- */

/* The first buffer of `d` from index `first` on of type `type`, or NULL. */
static const SecBuffer *find_type(const SecBufferDesc *d, uint32_t first, uint32_t type)
{
    for (uint32_t i = first; i < d->cBuffers; i++)
        if (d->pBuffers[i].BufferType == type)
            return &d->pBuffers[i];
    return NULL;
}

SECURITY_STATUS ph_leg(struct ph_party *p, bool accept, const struct ph_handshake_opts *o,
                       const void *in, uint32_t len, uint8_t *out, struct ph_leg_result *r)
{
    SecBuffer ib[3] = {{len, SECBUFFER_TOKEN, (void *)in}};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, ib};
    uint8_t *mine = o->allocate ? NULL : malloc(PH_MAX_TOKEN);
    SecBuffer ob = {o->allocate ? 0 : PH_MAX_TOKEN, SECBUFFER_TOKEN, mine};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t req = accept ? o->asc_req : o->isc_req;
    CtxtHandle before = p->ctx;
    const SecBuffer *b;
    SECURITY_STATUS st;

    *r = (struct ph_leg_result){0, 0, 0};
    if (!o->allocate && mine == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (o->allocate)
        req |= ISC_REQ_ALLOCATE_MEMORY; /* == ASC_REQ_ALLOCATE_MEMORY */
    if (o->stream)
        ib[id.cBuffers++] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    if (o->bindings != NULL)
        ib[id.cBuffers++] =
            (SecBuffer){(uint32_t)o->bindings_len, SECBUFFER_CHANNEL_BINDINGS, (void *)o->bindings};
    if (accept)
        st = AcceptSecurityContext(&p->cred, p->has_ctx ? &p->ctx : NULL, &id, req,
                                   SECURITY_NATIVE_DREP, &p->ctx, &od, &p->attrs, &p->expiry);
    else
        st = InitializeSecurityContextA(
            &p->cred, p->has_ctx ? &p->ctx : NULL, (SEC_CHAR *)o->target, req, 0,
            SECURITY_NATIVE_DREP, in != NULL ? &id : NULL, 0, &p->ctx, &od, &p->attrs, &p->expiry);
    if (p->has_ctx && memcmp(&before, &p->ctx, sizeof before) != 0)
        p->same_handle = false;
    if (!p->has_ctx && SEC_SUCCESS(st))
        p->has_ctx = p->same_handle = true;
    if ((b = find_type(&id, 1, SECBUFFER_EXTRA)) != NULL)
        r->extra = b->cbBuffer;
    if ((b = find_type(&id, 1, SECBUFFER_MISSING)) != NULL)
        r->missing = b->cbBuffer;
    if (SEC_SUCCESS(st) && ob.cbBuffer > PH_MAX_TOKEN)
        st = SEC_E_INTERNAL_ERROR;
    else if (SEC_SUCCESS(st) && ob.cbBuffer > 0) {
        if (out != NULL)
            memcpy(out, ob.pvBuffer, ob.cbBuffer);
        r->out_len = ob.cbBuffer;
    }
    if (o->allocate && ob.pvBuffer != NULL)
        FreeContextBuffer(ob.pvBuffer);
    free(mine);
    return st;
}

/* ---- the exchange ---------------------------------------------------------------- */

static int opener(const struct ph_exchange *x)
{
    return x->o.acceptor_first ? 1 : 0;
}

/* The end's first call, which takes no input. */
static bool opening(const struct ph_exchange *x, int e)
{
    return e == opener(x) && !x->started[e];
}

static bool can_act(const struct ph_exchange *x, int e)
{
    const struct ph_inbox *b = &x->in[e];

    if (x->failed != SEC_E_OK)
        return false;
    return opening(x, e) || (b->len > 0 && (!b->waiting || b->len > b->avail));
}

/* How many received bytes end e has been handed by its next call: all
 * of them, or in pieces of `chunk`, one more piece whenever the end has
 * used up what it had or waits for more. */
static uint32_t avail_next(const struct ph_exchange *x, int e)
{
    const struct ph_inbox *b = &x->in[e];
    uint32_t n = b->avail;

    if (!x->o.stream || x->o.chunk == 0)
        return b->len;
    if (n == 0 || b->waiting)
        n = b->len - n > x->o.chunk ? n + x->o.chunk : b->len;
    return n;
}

int ph_exchange_next(const struct ph_exchange *x, const uint8_t **in, uint32_t *len)
{
    for (int k = 0; k < 2; k++) {
        int e = x->turn ^ k;

        if (!can_act(x, e))
            continue;
        if (in != NULL)
            *in = opening(x, e) ? NULL : x->in[e].data;
        if (len != NULL)
            *len = opening(x, e) ? 0 : avail_next(x, e);
        return e;
    }
    return -1;
}

/* Bytes one end has received and not yet consumed: a few tokens at most. */
#define PH_INBOX (4 * PH_MAX_TOKEN)

static SECURITY_STATUS inbox_add(struct ph_inbox *b, const uint8_t *p, uint32_t n)
{
    if (b->data == NULL && (b->data = malloc(PH_INBOX)) == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (n > PH_INBOX - b->len)
        return SEC_E_INTERNAL_ERROR;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return SEC_E_OK;
}

/* A call on `used` bytes left `extra` of them at the end unconsumed. */
static SECURITY_STATUS inbox_consume(struct ph_inbox *b, uint32_t used, uint32_t extra)
{
    uint32_t n = used - extra;

    if (extra > used)
        return SEC_E_INTERNAL_ERROR;
    if (n > 0)
        memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->avail = extra;
    b->waiting = false;
    return SEC_E_OK;
}

/* SEC_E_INCOMPLETE_MESSAGE on `used` bytes: a stream end waits for bytes
 * its peer has already sent (its output is whole), so MISSING may not ask
 * for more than that. */
static SECURITY_STATUS wait_for_more(struct ph_exchange *x, int e, uint32_t used, uint32_t missing)
{
    struct ph_inbox *b = &x->in[e];

    if (missing == 0 || missing > b->len - used)
        return SEC_E_INTERNAL_ERROR;
    b->avail = used;
    b->waiting = true;
    return SEC_E_INCOMPLETE_MESSAGE;
}

static SECURITY_STATUS exchange_leg(struct ph_exchange *x, int e, const uint8_t *in, uint32_t len)
{
    uint8_t *out = malloc(PH_MAX_TOKEN);
    struct ph_leg_result r;
    SECURITY_STATUS st, ok;

    if (out == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    st = ph_leg(x->end[e], e == 1, &x->o, in, len, out, &r);
    if (st == SEC_E_INCOMPLETE_MESSAGE && x->o.stream) {
        st = wait_for_more(x, e, len, r.missing);
    } else if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        /* A leg after the first that neither reads nor writes goes nowhere. */
        bool idle = x->started[e] && r.out_len == 0 && r.extra == len && st != SEC_E_OK;

        ok = idle ? SEC_E_INTERNAL_ERROR : inbox_consume(&x->in[e], len, r.extra);
        if (ok == SEC_E_OK)
            ok = inbox_add(&x->in[e ^ 1], out, r.out_len);
        x->started[e] = true;
        x->legs[e]++;
        x->done[e] = st == SEC_E_OK;
        if (ok != SEC_E_OK)
            st = ok;
    }
    free(out);
    return st;
}

/* Bytes for an end whose handshake is complete: records for DecryptMessage
 * that carry no data (stream), or a token nobody reads (message). */
static SECURITY_STATUS exchange_post(struct ph_exchange *x, int e, uint32_t len)
{
    SecBuffer b[4] = {{len, SECBUFFER_DATA, x->in[e].data},
                      {0, SECBUFFER_EMPTY, NULL},
                      {0, SECBUFFER_EMPTY, NULL},
                      {0, SECBUFFER_EMPTY, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    const SecBuffer *f;
    uint32_t qop;
    SECURITY_STATUS st;

    if (!x->o.stream)
        return SEC_E_INTERNAL_ERROR;
    st = DecryptMessage(&x->end[e]->ctx, &d, 0, &qop);
    if (st == SEC_E_INCOMPLETE_MESSAGE)
        return wait_for_more(x, e, len,
                             (f = find_type(&d, 0, SECBUFFER_MISSING)) ? f->cbBuffer : 0);
    if (st != SEC_E_OK)
        return st;
    if ((f = find_type(&d, 0, SECBUFFER_DATA)) != NULL && f->cbBuffer != 0)
        return SEC_E_INTERNAL_ERROR;
    f = find_type(&d, 0, SECBUFFER_EXTRA);
    return inbox_consume(&x->in[e], len, f != NULL ? f->cbBuffer : 0);
}

void ph_exchange_init(struct ph_exchange *x, struct ph_party *client, struct ph_party *server,
                      const struct ph_handshake_opts *o)
{
    memset(x, 0, sizeof *x);
    x->end[0] = client;
    x->end[1] = server;
    if (o != NULL)
        x->o = *o;
    x->turn = opener(x);
    x->failed = SEC_E_OK;
}

static bool exchange_complete(const struct ph_exchange *x)
{
    return x->done[0] && x->done[1] && x->in[0].len == 0 && x->in[1].len == 0;
}

SECURITY_STATUS ph_exchange_step(struct ph_exchange *x)
{
    const uint8_t *in;
    uint32_t len;
    int e = ph_exchange_next(x, &in, &len);
    SECURITY_STATUS st;

    if (e < 0) {
        if (x->failed == SEC_E_OK && !exchange_complete(x))
            x->failed = SEC_E_INTERNAL_ERROR; /* nobody can act */
        return x->failed;
    }
    x->turn = e ^ 1;
    st = x->done[e] ? exchange_post(x, e, len) : exchange_leg(x, e, in, len);
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED && st != SEC_E_INCOMPLETE_MESSAGE)
        x->failed = st;
    return st;
}

SECURITY_STATUS ph_exchange_run(struct ph_exchange *x)
{
    for (long i = 0; i < 1000000; i++) {
        SECURITY_STATUS st = ph_exchange_step(x);

        if (x->failed != SEC_E_OK)
            return x->failed;
        if (st == SEC_E_OK && exchange_complete(x))
            return SEC_E_OK;
    }
    return SEC_E_INTERNAL_ERROR;
}

void ph_exchange_free(struct ph_exchange *x)
{
    free(x->in[0].data);
    free(x->in[1].data);
    x->in[0] = x->in[1] = (struct ph_inbox){NULL, 0, 0, false};
}

SECURITY_STATUS ph_handshake(struct ph_party *client, struct ph_party *server,
                             const struct ph_handshake_opts *o)
{
    struct ph_exchange x;
    SECURITY_STATUS st;

    ph_exchange_init(&x, client, server, o);
    st = ph_exchange_run(&x);
    ph_exchange_free(&x);
    return st;
}

SECURITY_STATUS ph_party_end(struct ph_party *p)
{
    SECURITY_STATUS st = SEC_E_OK, fs;

    if (p->has_ctx)
        st = DeleteSecurityContext(&p->ctx);
    p->has_ctx = false;
    fs = FreeCredentialsHandle(&p->cred);
    return st != SEC_E_OK ? st : fs;
}

SECURITY_STATUS ph_pair_open(struct ph_pair *p, const char *package,
                             const struct ph_identity *client, const struct ph_identity *server,
                             const struct ph_handshake_opts *o)
{
    SECURITY_STATUS st;

    memset(p, 0, sizeof *p);
    st = ph_acquire(package, PH_FORM_W, client, SECPKG_CRED_OUTBOUND, &p->client.cred);
    if (st != SEC_E_OK)
        return st;
    st = ph_acquire(package, PH_FORM_W, server, SECPKG_CRED_INBOUND, &p->server.cred);
    if (st != SEC_E_OK) {
        FreeCredentialsHandle(&p->client.cred);
        return st;
    }
    st = ph_handshake(&p->client, &p->server, o);
    if (st != SEC_E_OK)
        ph_pair_close(p);
    return st;
}

SECURITY_STATUS ph_pair_close(struct ph_pair *p)
{
    SECURITY_STATUS a = ph_party_end(&p->client), b = ph_party_end(&p->server);

    return a != SEC_E_OK ? a : b;
}

/* ---- messages ------------------------------------------------------------------- */

void ph_msg_fix(struct ph_msg *m)
{
    if (m->layout == PH_LAYOUT_STREAM) {
        m->b[0].pvBuffer = m->header;
        m->b[1].pvBuffer = m->data;
        m->b[2].pvBuffer = m->trailer;
    } else {
        m->b[0].pvBuffer = m->data;
        m->b[1].pvBuffer = m->trailer;
    }
    m->d.pBuffers = m->b;
}

void ph_msg_init(struct ph_msg *m, enum ph_layout layout, const void *data, size_t len, size_t head,
                 size_t tail)
{
    memset(m, 0, sizeof *m);
    m->layout = layout;
    m->len = len < PH_MAX_DATA ? len : PH_MAX_DATA;
    if (len > 0)
        memcpy(m->data, data, m->len);
    if (head > PH_MAX_TRAILER)
        head = PH_MAX_TRAILER;
    if (tail > PH_MAX_TRAILER)
        tail = PH_MAX_TRAILER;
    if (layout == PH_LAYOUT_STREAM) {
        m->b[0] = (SecBuffer){(uint32_t)head, SECBUFFER_STREAM_HEADER, NULL};
        m->b[1] = (SecBuffer){(uint32_t)m->len, SECBUFFER_DATA, NULL};
        m->b[2] = (SecBuffer){(uint32_t)tail, SECBUFFER_STREAM_TRAILER, NULL};
        m->b[3] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
        m->d = (SecBufferDesc){SECBUFFER_VERSION, 4, m->b};
    } else {
        m->b[0] = (SecBuffer){(uint32_t)m->len, SECBUFFER_DATA, NULL};
        m->b[1] = (SecBuffer){(uint32_t)tail, SECBUFFER_TOKEN, NULL};
        m->d = (SecBufferDesc){SECBUFFER_VERSION, 2, m->b};
    }
    ph_msg_fix(m);
}

void ph_msg_stream_in(struct ph_msg *in, const struct ph_msg *sent)
{
    size_t n = sent->b[0].cbBuffer + sent->b[1].cbBuffer + sent->b[2].cbBuffer;

    memset(in, 0, sizeof *in);
    in->layout = PH_LAYOUT_STREAM;
    if (n > PH_MAX_DATA)
        n = PH_MAX_DATA;
    memcpy(in->data, sent->header, sent->b[0].cbBuffer);
    memcpy(in->data + sent->b[0].cbBuffer, sent->data, sent->b[1].cbBuffer);
    memcpy(in->data + sent->b[0].cbBuffer + sent->b[1].cbBuffer, sent->trailer,
           sent->b[2].cbBuffer);
    in->len = n;
    in->b[0] = (SecBuffer){(uint32_t)n, SECBUFFER_DATA, in->data};
    for (int i = 1; i < 4; i++)
        in->b[i] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    in->d = (SecBufferDesc){SECBUFFER_VERSION, 4, in->b};
}

/* The trailer room a package asks for (SIZES), or the stream sizes. */
static SECURITY_STATUS msg_room(CtxtHandle *h, enum ph_layout layout, bool sign, size_t *head,
                                size_t *tail)
{
    SecPkgContext_Sizes sz;
    SecPkgContext_StreamSizes ss;
    SECURITY_STATUS st;

    if (layout == PH_LAYOUT_STREAM) {
        st = QueryContextAttributesA(h, SECPKG_ATTR_STREAM_SIZES, &ss);
        *head = ss.cbHeader;
        *tail = ss.cbTrailer;
        return st;
    }
    st = QueryContextAttributesA(h, SECPKG_ATTR_SIZES, &sz);
    *head = 0;
    *tail = sign ? sz.cbMaxSignature : sz.cbSecurityTrailer;
    return st;
}

SECURITY_STATUS ph_sign_verify(CtxtHandle *from, CtxtHandle *to, const void *data, size_t len)
{
    struct ph_msg *m = malloc(sizeof *m);
    size_t head, tail;
    uint32_t qop = 77;
    SECURITY_STATUS st;

    if (m == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    st = msg_room(from, PH_LAYOUT_TOKEN, true, &head, &tail);
    if (st == SEC_E_OK) {
        ph_msg_init(m, PH_LAYOUT_TOKEN, data, len, head, tail);
        st = MakeSignature(from, 0, &m->d, 0);
    }
    if (st == SEC_E_OK)
        st = VerifySignature(to, &m->d, 0, &qop);
    if (st == SEC_E_OK && (qop != 0 || (len > 0 && memcmp(m->data, data, len) != 0)))
        st = SEC_E_INTERNAL_ERROR;
    free(m);
    return st;
}

SECURITY_STATUS ph_seal_unseal(CtxtHandle *from, CtxtHandle *to, enum ph_layout layout,
                               const void *data, size_t len)
{
    struct ph_msg *m = malloc(sizeof *m), *in = malloc(sizeof *in);
    struct ph_msg *got = layout == PH_LAYOUT_STREAM ? in : m;
    size_t head, tail;
    uint32_t qop = 77;
    SECURITY_STATUS st = m && in ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;

    if (st == SEC_E_OK)
        st = msg_room(from, layout, false, &head, &tail);
    if (st == SEC_E_OK) {
        ph_msg_init(m, layout, data, len, head, tail);
        st = EncryptMessage(from, 0, &m->d, 0);
    }
    /* Not encrypted.  Only from 8 bytes on: a short ciphertext equals its
     * plaintext by chance (one byte in 256 runs). */
    if (st == SEC_E_OK && len >= 8 && memcmp(m->data, data, len) == 0)
        st = SEC_E_INTERNAL_ERROR;
    if (st == SEC_E_OK && layout == PH_LAYOUT_STREAM)
        ph_msg_stream_in(in, m);
    if (st == SEC_E_OK)
        st = DecryptMessage(to, &got->d, 0, &qop);
    if (st == SEC_E_OK) {
        const SecBuffer *b = &got->b[0];
        for (int i = 0; i < 4 && layout == PH_LAYOUT_STREAM; i++)
            if (got->b[i].BufferType == SECBUFFER_DATA)
                b = &got->b[i];
        if (qop != 0 || b->cbBuffer != len || (len > 0 && memcmp(b->pvBuffer, data, len) != 0))
            st = SEC_E_INTERNAL_ERROR;
    }
    free(m);
    free(in);
    return st;
}

SECURITY_STATUS ph_export_import(const char *package, CtxtHandle *h, uint32_t flags,
                                 CtxtHandle *imported)
{
    SecBuffer blob = {0, SECBUFFER_EMPTY, NULL};
    void *token = NULL;
    SECURITY_STATUS st = ExportSecurityContext(h, flags, &blob, &token);

    if (st != SEC_E_OK)
        return st;
    st = ImportSecurityContextA((SEC_CHAR *)package, &blob, NULL, imported);
    FreeContextBuffer(blob.pvBuffer);
    return st;
}

void ph_fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}
