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

struct ph_token {
    uint8_t data[PH_MAX_DATA * 4];
    uint32_t len;
};

/* One leg of `p` with input `in` (NULL/empty on the very first leg). */
static SECURITY_STATUS leg(struct ph_party *p, bool accept, const struct ph_handshake_opts *o,
                           const struct ph_token *in, struct ph_token *out)
{
    SecBuffer ib[3] = {{in ? in->len : 0, SECBUFFER_TOKEN, in ? (void *)in->data : NULL}};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, ib};
    SecBuffer ob = {o->allocate ? 0 : sizeof out->data, SECBUFFER_TOKEN,
                    o->allocate ? NULL : out->data};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t req = accept ? o->asc_req : o->isc_req;
    CtxtHandle before = p->ctx;
    SECURITY_STATUS st;

    if (o->allocate)
        req |= ISC_REQ_ALLOCATE_MEMORY; /* == ASC_REQ_ALLOCATE_MEMORY */
    if (o->empty_input)
        ib[id.cBuffers++] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
    if (o->bindings != NULL)
        ib[id.cBuffers++] =
            (SecBuffer){(uint32_t)o->bindings_len, SECBUFFER_CHANNEL_BINDINGS, (void *)o->bindings};
    if (accept)
        st = AcceptSecurityContext(&p->cred, p->has_ctx ? &p->ctx : NULL, &id, req,
                                   SECURITY_NATIVE_DREP, &p->ctx, &od, &p->attrs, &p->expiry);
    else
        st = InitializeSecurityContextA(&p->cred, p->has_ctx ? &p->ctx : NULL,
                                        (SEC_CHAR *)o->target, req, 0, SECURITY_NATIVE_DREP,
                                        in ? &id : NULL, 0, &p->ctx, &od, &p->attrs, &p->expiry);
    if (p->has_ctx && memcmp(&before, &p->ctx, sizeof before) != 0)
        p->same_handle = false;
    if (!p->has_ctx && SEC_SUCCESS(st))
        p->has_ctx = p->same_handle = true;
    out->len = 0;
    if (SEC_SUCCESS(st) && ob.cbBuffer > sizeof out->data)
        st = SEC_E_INTERNAL_ERROR;
    else if (SEC_SUCCESS(st) && ob.cbBuffer > 0)
        memcpy(out->data, ob.pvBuffer, ob.cbBuffer), out->len = ob.cbBuffer;
    if (o->allocate && ob.pvBuffer != NULL)
        FreeContextBuffer(ob.pvBuffer);
    return st;
}

SECURITY_STATUS ph_handshake(struct ph_party *client, struct ph_party *server,
                             const struct ph_handshake_opts *o)
{
    static const struct ph_handshake_opts none;
    struct ph_token *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    bool first = true;

    if (o == NULL)
        o = &none;
    if (a == NULL || b == NULL) {
        free(a);
        free(b);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    for (int i = 0; i < 10 && (cs != SEC_E_OK || ss != SEC_E_OK); i++) {
        if (cs != SEC_E_OK) {
            cs = leg(client, false, o, first ? NULL : b, a);
            first = false;
            if (!SEC_SUCCESS(cs))
                break;
        }
        if (ss != SEC_E_OK && (a->len > 0 || cs != SEC_E_OK)) {
            ss = leg(server, true, o, a, b);
            if (!SEC_SUCCESS(ss))
                break;
        }
        if (cs == SEC_E_OK && ss == SEC_I_CONTINUE_NEEDED && b->len == 0)
            break;
    }
    free(a);
    free(b);
    if (!SEC_SUCCESS(cs))
        return cs;
    if (!SEC_SUCCESS(ss))
        return ss;
    return cs == SEC_E_OK && ss == SEC_E_OK ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
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
