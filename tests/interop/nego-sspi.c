/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nego-sspi.c - the libsspi side of the Negotiate interoperability tests
 * (see nego-sspi.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nego-sspi.h"

SECURITY_STATUS nego_sspi_client(struct nego_sspi *s, const char *user, const char *domain,
                                 const char *password, const char *package_list, const char *target)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(SEC_WINNT_AUTH_IDENTITY_EXA),
                                      .User = (unsigned char *)user,
                                      .UserLength = user ? (ULONG)strlen(user) : 0,
                                      .Domain = (unsigned char *)domain,
                                      .DomainLength = domain ? (ULONG)strlen(domain) : 0,
                                      .Password = (unsigned char *)password,
                                      .PasswordLength = password ? (ULONG)strlen(password) : 0,
                                      .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
                                      .PackageList = (unsigned char *)package_list,
                                      .PackageListLength =
                                          package_list ? (ULONG)strlen(package_list) : 0};
    bool with_id = user != NULL || package_list != NULL;
    TimeStamp ts;

    memset(s, 0, sizeof(*s));
    s->req = NEGO_REQ_FLAGS;
    s->target = target;
    return s->status = AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL,
                                                 with_id ? &id : NULL, NULL, NULL, &s->cred, &ts);
}

SECURITY_STATUS nego_sspi_server(struct nego_sspi *s, const char *package_list)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(SEC_WINNT_AUTH_IDENTITY_EXA),
                                      .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
                                      .PackageList = (unsigned char *)package_list,
                                      .PackageListLength =
                                          package_list ? (ULONG)strlen(package_list) : 0};
    TimeStamp ts;

    memset(s, 0, sizeof(*s));
    s->server = true;
    s->req = NEGO_ASC_FLAGS;
    return s->status =
               AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL,
                                         package_list ? &id : NULL, NULL, NULL, &s->cred, &ts);
}

SECURITY_STATUS nego_sspi_step(struct nego_sspi *s, const void *in, size_t in_len, void **out,
                               size_t *out_len)
{
    SecBuffer ib = {(ULONG)in_len, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    TimeStamp ts;

    if (s->server)
        s->status = AcceptSecurityContext(&s->cred, s->have_ctx ? &s->ctx : NULL, &id,
                                          s->req | ASC_REQ_ALLOCATE_MEMORY, SECURITY_NATIVE_DREP,
                                          &s->ctx, &od, &s->attr, &ts);
    else
        s->status =
            InitializeSecurityContextA(&s->cred, s->have_ctx ? &s->ctx : NULL, (char *)s->target,
                                       s->req | ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP,
                                       in ? &id : NULL, 0, &s->ctx, &od, &s->attr, &ts);
    if (SEC_SUCCESS(s->status))
        s->have_ctx = true;
    *out = NULL;
    *out_len = 0;
    if (ob.pvBuffer != NULL && ob.cbBuffer > 0) {
        *out = malloc(ob.cbBuffer);
        ck_assert_ptr_nonnull(*out);
        memcpy(*out, ob.pvBuffer, ob.cbBuffer);
        *out_len = ob.cbBuffer;
    }
    if (ob.pvBuffer != NULL)
        FreeContextBuffer(ob.pvBuffer);
    return s->status;
}

void nego_sspi_free(struct nego_sspi *s)
{
    if (s->have_ctx)
        DeleteSecurityContext(&s->ctx);
    FreeCredentialsHandle(&s->cred);
    memset(s, 0, sizeof(*s));
}

static void keep_reply(struct nego_result *r, const void *tok, size_t len)
{
    if (r->reply_len > 0 || len == 0)
        return;
    r->reply_len = len < sizeof(r->reply) ? len : sizeof(r->reply);
    memcpy(r->reply, tok, r->reply_len);
}

struct nego_result nego_run_sspi_to_mit(struct nego_sspi *c, struct spnego_peer *g,
                                        nego_tamper_fn tamper)
{
    struct nego_result r = {.sspi = SEC_I_CONTINUE_NEEDED, .gss = GSS_S_CONTINUE_NEEDED};
    void *tok = NULL, *back = NULL;
    size_t len = 0, blen = 0;

    r.sspi = nego_sspi_step(c, NULL, 0, &tok, &len);
    while (SEC_SUCCESS(r.sspi) && r.legs < 10 && len > 0) {
        if (tamper)
            tamper(tok, len, r.legs);
        r.gss = spnego_step(g, tok, len, &back, &blen);
        r.legs++;
        free(tok);
        tok = NULL;
        len = 0;
        keep_reply(&r, back, blen);
        if (GSS_ERROR(r.gss) || blen == 0)
            break;
        /* MIT's last word (its MIC) may follow our completion. */
        bool last = r.sspi == SEC_E_OK && r.gss == GSS_S_COMPLETE;
        r.sspi = nego_sspi_step(c, back, blen, &tok, &len);
        free(back);
        back = NULL;
        if (last || (r.sspi == SEC_E_OK && len == 0))
            break;
    }
    free(tok);
    free(back);
    return r;
}

struct nego_result nego_run_mit_to_sspi(struct spnego_peer *g, struct nego_sspi *s,
                                        nego_tamper_fn tamper)
{
    struct nego_result r = {.sspi = SEC_I_CONTINUE_NEEDED, .gss = GSS_S_CONTINUE_NEEDED};
    void *tok = NULL, *back = NULL;
    size_t len = 0, blen = 0;

    r.gss = spnego_step(g, NULL, 0, &tok, &len);
    while (!GSS_ERROR(r.gss) && len > 0 && r.legs < 10) {
        if (tamper)
            tamper(tok, len, r.legs);
        r.sspi = nego_sspi_step(s, tok, len, &back, &blen);
        r.legs++;
        free(tok);
        tok = NULL;
        len = 0;
        keep_reply(&r, back, blen);
        if (!SEC_SUCCESS(r.sspi) || blen == 0)
            break;
        r.gss = spnego_step(g, back, blen, &tok, &len);
        free(back);
        back = NULL;
    }
    free(tok);
    free(back);
    return r;
}

struct nego_result nego_run_sspi_to_sspi(struct nego_sspi *c, struct nego_sspi *s,
                                         nego_tamper_fn tamper)
{
    struct nego_result r = {.sspi2 = SEC_I_CONTINUE_NEEDED};
    void *tok = NULL, *back = NULL;
    size_t len = 0, blen = 0;

    r.sspi = nego_sspi_step(c, NULL, 0, &tok, &len);
    while (SEC_SUCCESS(r.sspi) && len > 0 && r.legs < 10) {
        if (tamper)
            tamper(tok, len, r.legs);
        r.sspi2 = nego_sspi_step(s, tok, len, &back, &blen);
        r.legs++;
        free(tok);
        tok = NULL;
        len = 0;
        keep_reply(&r, back, blen);
        if (!SEC_SUCCESS(r.sspi2) || blen == 0)
            break;
        if (tamper)
            tamper(back, blen, r.legs);
        r.sspi = nego_sspi_step(c, back, blen, &tok, &len);
        r.legs++;
        free(back);
        back = NULL;
    }
    free(tok);
    free(back);
    return r;
}

void nego_sspi_negotiated(struct nego_sspi *s, const char *package)
{
    SecPkgContext_NegotiationInfoA ni;

    ck_assert_int_eq(QueryContextAttributesA(&s->ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_str_eq(ni.PackageInfo->Name, package);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(ni.PackageInfo);
}

static void sizes_of(struct nego_sspi *s, SecPkgContext_Sizes *sz)
{
    ck_assert_int_eq(QueryContextAttributesA(&s->ctx, SECPKG_ATTR_SIZES, sz), SEC_E_OK);
}

/* MakeSignature -> gss_verify_mic, and gss_get_mic -> VerifySignature. */
static void signatures_with_mit(struct nego_sspi *s, struct spnego_peer *g, int i)
{
    SecPkgContext_Sizes sz;
    char msg[64];
    uint8_t sig[128];
    void *mic;
    size_t mlen;
    ULONG qop;

    sizes_of(s, &sz);
    int n = snprintf(msg, sizeof(msg), "message %d from libsspi", i);
    SecBuffer b[2] = {{(ULONG)n, SECBUFFER_DATA, msg}, {sz.cbMaxSignature, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_int_eq(MakeSignature(&s->ctx, 0, &d, 0), SEC_E_OK);
    ck_assert_msg(spnego_verify_mic(g, msg, (size_t)n, sig, b[1].cbBuffer) == GSS_S_COMPLETE,
                  "gss_verify_mic %d: %s", i, spnego_error(g));

    n = snprintf(msg, sizeof(msg), "message %d from MIT", i);
    ck_assert_int_eq(spnego_get_mic(g, msg, (size_t)n, &mic, &mlen), GSS_S_COMPLETE);
    SecBuffer v[2] = {{(ULONG)n, SECBUFFER_DATA, msg}, {(ULONG)mlen, SECBUFFER_TOKEN, mic}};
    SecBufferDesc vd = {SECBUFFER_VERSION, 2, v};
    ck_assert_int_eq(VerifySignature(&s->ctx, &vd, 0, &qop), SEC_E_OK);
    free(mic);
}

/* EncryptMessage -> gss_unwrap of TOKEN|DATA, and gss_wrap ->
 * DecryptMessage: Kerberos as one SECBUFFER_STREAM, NTLM split after its
 * 16-byte signature. */
static void sealing_with_mit(struct nego_sspi *s, struct spnego_peer *g, bool kerberos, int i)
{
    SecPkgContext_Sizes sz;
    uint8_t buf[512];
    char text[64];
    void *plain, *wrapped;
    size_t plen, wlen;
    int conf;
    ULONG qop;

    sizes_of(s, &sz);
    ck_assert_uint_le(sz.cbSecurityTrailer, 256);
    int n = snprintf(text, sizeof(text), "sealed %d from libsspi", i);
    memcpy(buf + sz.cbSecurityTrailer, text, (size_t)n);
    SecBuffer b[3] = {{sz.cbSecurityTrailer, SECBUFFER_TOKEN, buf},
                      {(ULONG)n, SECBUFFER_DATA, buf + sz.cbSecurityTrailer},
                      {0, SECBUFFER_PADDING, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 3, b};
    ck_assert_int_eq(EncryptMessage(&s->ctx, 0, &d, 0), SEC_E_OK);
    memmove(buf + b[0].cbBuffer, b[1].pvBuffer, b[1].cbBuffer);
    ck_assert_msg(spnego_unwrap(g, buf, b[0].cbBuffer + b[1].cbBuffer, &plain, &plen, &conf) ==
                      GSS_S_COMPLETE,
                  "gss_unwrap %d: %s", i, spnego_error(g));
    ck_assert_uint_eq(plen, (size_t)n);
    ck_assert_mem_eq(plain, text, (size_t)n);
    ck_assert_int_eq(conf, 1);
    free(plain);

    n = snprintf(text, sizeof(text), "sealed %d from MIT", i);
    ck_assert_int_eq(spnego_wrap(g, true, text, (size_t)n, &wrapped, &wlen), GSS_S_COMPLETE);
    if (kerberos) {
        SecBuffer u[2] = {{(ULONG)wlen, SECBUFFER_STREAM, wrapped}, {0, SECBUFFER_DATA, NULL}};
        SecBufferDesc ud = {SECBUFFER_VERSION, 2, u};
        ck_assert_int_eq(DecryptMessage(&s->ctx, &ud, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(u[1].cbBuffer, (ULONG)n);
        ck_assert_mem_eq(u[1].pvBuffer, text, (size_t)n);
    } else {
        ck_assert_uint_gt(wlen, sz.cbSecurityTrailer);
        SecBuffer u[2] = {{sz.cbSecurityTrailer, SECBUFFER_TOKEN, wrapped},
                          {(ULONG)(wlen - sz.cbSecurityTrailer), SECBUFFER_DATA,
                           (uint8_t *)wrapped + sz.cbSecurityTrailer}};
        SecBufferDesc ud = {SECBUFFER_VERSION, 2, u};
        ck_assert_int_eq(DecryptMessage(&s->ctx, &ud, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(u[1].cbBuffer, (ULONG)n);
        ck_assert_mem_eq(u[1].pvBuffer, text, (size_t)n);
    }
    free(wrapped);
}

void nego_pair_with_mit(struct nego_sspi *s, struct spnego_peer *g, bool kerberos, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        signatures_with_mit(s, g, i);
        sealing_with_mit(s, g, kerberos, i);
    }
}

/* One signed and one sealed message from a to b. */
static void one_way(struct nego_sspi *a, struct nego_sspi *b, int i)
{
    SecPkgContext_Sizes sz;
    uint8_t sig[128], tok[256], pad[64];
    char msg[64], plain[64];
    ULONG qop;

    sizes_of(a, &sz);
    ck_assert_uint_le(sz.cbMaxSignature, sizeof(sig));
    ck_assert_uint_le(sz.cbSecurityTrailer, sizeof(tok));
    ck_assert_uint_le(sz.cbBlockSize, sizeof(pad));
    int n = snprintf(msg, sizeof(msg), "message %d", i);
    SecBuffer sb[2] = {{(ULONG)n, SECBUFFER_DATA, msg}, {sz.cbMaxSignature, SECBUFFER_TOKEN, sig}};
    SecBufferDesc sd = {SECBUFFER_VERSION, 2, sb};
    ck_assert_int_eq(MakeSignature(&a->ctx, 0, &sd, 0), SEC_E_OK);
    ck_assert_int_eq(VerifySignature(&b->ctx, &sd, 0, &qop), SEC_E_OK);

    memcpy(plain, msg, (size_t)n);
    SecBuffer eb[3] = {{sz.cbSecurityTrailer, SECBUFFER_TOKEN, tok},
                       {(ULONG)n, SECBUFFER_DATA, msg},
                       {sz.cbBlockSize, SECBUFFER_PADDING, pad}};
    SecBufferDesc ed = {SECBUFFER_VERSION, 3, eb};
    ck_assert_int_eq(EncryptMessage(&a->ctx, 0, &ed, 0), SEC_E_OK);
    ck_assert_int_eq(DecryptMessage(&b->ctx, &ed, 0, &qop), SEC_E_OK);
    ck_assert_mem_eq(eb[1].pvBuffer, plain, (size_t)n);
}

void nego_pair_sspi(struct nego_sspi *a, struct nego_sspi *b, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        one_way(a, b, i);
        one_way(b, a, i);
    }
}

/* One DER header at p (up to end): tag, content start and length. */
static bool der_header(const uint8_t *p, const uint8_t *end, uint8_t *tag, const uint8_t **body,
                       size_t *len)
{
    size_t n = 0;

    if (end - p < 2)
        return false;
    *tag = p[0];
    if (p[1] < 0x80) {
        n = p[1];
        p += 2;
    } else {
        size_t k = p[1] & 0x7f;
        if (k == 0 || k > 3 || (size_t)(end - p) < 2 + k)
            return false;
        for (size_t i = 0; i < k; i++)
            n = n << 8 | p[2 + i];
        p += 2 + k;
    }
    if ((size_t)(end - p) < n)
        return false;
    *body = p;
    *len = n;
    return true;
}

bool nego_resp_supported_mech(const void *tok, size_t len, const uint8_t **oid, size_t *oid_len)
{
    const uint8_t *p = tok, *end = p + len, *body, *seq;
    size_t n, sn;
    uint8_t tag;

    if (!der_header(p, end, &tag, &body, &n) || tag != 0xa1 ||
        !der_header(body, body + n, &tag, &seq, &sn) || tag != 0x30)
        return false;
    for (p = seq, end = seq + sn; p < end; p = body + n) {
        if (!der_header(p, end, &tag, &body, &n))
            return false;
        if (tag == 0xa1) {
            const uint8_t *o;
            size_t on;
            if (!der_header(body, body + n, &tag, &o, &on) || tag != 0x06)
                return false;
            *oid = o;
            *oid_len = on;
            return true;
        }
    }
    return false;
}
