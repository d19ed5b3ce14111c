/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-ntlm-interop: interoperability of libsspi's NTLM package with an
 * independent NTLM implementation, gss-ntlmssp, driven through MIT GSSAPI in
 * the same process.
 *
 * What is proven, in both pairings (libsspi initiator <-> gss-ntlmssp
 * acceptor, gss-ntlmssp initiator <-> libsspi acceptor):
 *   - the NEGOTIATE/CHALLENGE/AUTHENTICATE handshake completes and the
 *     acceptor sees the right user; a wrong password or unknown user fails;
 *   - MakeSignature <-> gss_verify_mic, gss_get_mic <-> VerifySignature,
 *     EncryptMessage <-> gss_unwrap, gss_wrap <-> DecryptMessage, many
 *     messages each way (sequence numbers and RC4 state advance), with the
 *     plaintext compared byte for byte;
 *   - tampered, replayed and reordered messages are rejected by the receiver;
 *   - channel bindings (SECBUFFER_CHANNEL_BINDINGS <-> gss channel bindings
 *     application data) match, and a mismatch fails the handshake;
 *   - on the wire: NTLMv2 with extended session security, 128-bit keys and
 *     key exchange; libsspi's AUTHENTICATE carries a MIC that gss-ntlmssp
 *     verifies (a damaged one is refused); libsspi's CHALLENGE carries the
 *     target info a client needs; a damaged NTLMv2 blob is refused.
 * The "environment" case checks gss-ntlmssp against itself first, so a broken
 * installation shows up as such rather than as a libsspi failure.
 *
 * Wire layout of a sealed message: gss-ntlmssp's gss_wrap token is the
 * 16-byte NTLM signature followed by the sealed data (the same bytes Windows
 * puts in the SECBUFFER_TOKEN and SECBUFFER_DATA buffers of EncryptMessage),
 * so the tests concatenate/split those two buffers.
 *
 * Setup done by main() before any test:
 *   - a scratch directory tests/ntlm-interop.XXXXXX under the current
 *     directory (removed at exit) with:
 *       users        NTLM_USER_FILE for both implementations, lines
 *                    DOMAIN:user:password
 *       gss-mech.conf  an MIT mechanism file naming gssntlmssp.so, used
 *                    through GSS_MECH_CONFIG so /etc/gss/mech.d is not
 *                    needed (INTEROP_GSSNTLMSSP_MODULE overrides the path)
 *       sspi.conf    LIBSSPI_CONFIG: autoload = no, one [module] block with
 *                    $LIBSSPI_TEST_PKGDIR/ntlm/.libs/ntlm.so,
 *                    option.user_file = users and the NetBIOS names
 *   - NETBIOS_DOMAIN_NAME / NETBIOS_COMPUTER_NAME for gss-ntlmssp.
 *
 * Running it by hand from the build directory:
 *   make check TESTS=tests/check-ntlm-interop
 * or, without the test harness:
 *   make src/packages/ntlm/ntlm.la tests/check-ntlm-interop
 *   LIBSSPI_TEST_PKGDIR=$PWD/src/packages ./tests/check-ntlm-interop
 * Useful extras: CK_FORK=no (one process, e.g. under valgrind),
 * CK_RUN_CASE=<tcase> / CK_RUN_SUITE, LIBSSPI_DEBUG=stderr,
 * GSSNTLMSSP_DEBUG=/dev/stderr (gss-ntlmssp's own log),
 * INTEROP_KEEP_DIR=1 (keep the scratch directory).
 * Needs the packages gss-ntlmssp and libkrb5-dev (Debian names) and Check.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sspi.h"
#include "ntsecpkg.h" /* SECPKG_ATTR_LIBSSPI_RESET_CRYPTO */
#include "libsspi.h"

#include "gss-peer.h"

#define INTEROP_DOMAIN  "INTEROP"
#define INTEROP_PACKAGE "NTLM"
#define INTEROP_SIG_LEN 16

/* Users written to the user file: bob's password has a space and '#',
 * carol's is not ASCII. (gss-ntlmssp 1.2 cannot read a ':' in a password.) */
static const struct interop_user {
    const char *user;
    const char *password;
} interop_users[] = {
    {"alice", "Secret123"},
    {"bob", "Pa55 w0rd!#x"},
    {"carol", "P\xc3\xa4ssw\xc3\xb6rd-\xe2\x82\xac"},
};

static char interop_dir[1024];

/*
 * LeakSanitizer hook (used only in sanitizer builds): gss-ntlmssp 1.2, the
 * OpenSSL legacy provider it loads and MIT's plugin loader keep allocations
 * they never free; those are not ours to fix. Leaks in libsspi, the NTLM
 * package or this test are still reported.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:gssntlmssp.so\n"
           "leak:libcrypto.so\n"
           "leak:krb5int_open_plugin\n";
}

/* ------------------------------------------------------------------ */
/* SSPI side                                                            */
/* ------------------------------------------------------------------ */

typedef struct interop_sspi_peer {
    int initiator;
    CredHandle cred;
    int have_cred;
    CtxtHandle ctx;
    int have_ctx;
    uint32_t attrs;
    int complete;
    SECURITY_STATUS status; /* status of the last call */
    unsigned char *cb;      /* SEC_CHANNEL_BINDINGS + data */
    uint32_t cb_len;
    uint32_t max_token;
    uint32_t req; /* ISC_REQ_* / ASC_REQ_* flags */
} interop_sspi_peer;

static const char *interop_status(SECURITY_STATUS s)
{
    static char buf[64];
    const char *name = libsspi_status_name(s);

    snprintf(buf, sizeof(buf), "%s (0x%08x)", name ? name : "?", (unsigned)s);
    return buf;
}

static void interop_sspi_set_cb(interop_sspi_peer *p, const void *app, size_t app_len)
{
    SEC_CHANNEL_BINDINGS *b;

    if (app == NULL)
        return;
    p->cb_len = (uint32_t)(sizeof(SEC_CHANNEL_BINDINGS) + app_len);
    p->cb = calloc(1, p->cb_len);
    ck_assert_ptr_nonnull(p->cb);
    b = (SEC_CHANNEL_BINDINGS *)p->cb;
    b->cbApplicationDataLength = (uint32_t)app_len;
    b->dwApplicationDataOffset = sizeof(SEC_CHANNEL_BINDINGS);
    memcpy(p->cb + sizeof(SEC_CHANNEL_BINDINGS), app, app_len);
}

static void interop_sspi_common(interop_sspi_peer *p)
{
    PSecPkgInfoA info = NULL;
    SECURITY_STATUS s;

    s = QuerySecurityPackageInfoA((SEC_CHAR *)INTEROP_PACKAGE, &info);
    ck_assert_msg(s == SEC_E_OK, "QuerySecurityPackageInfoA(NTLM): %s", interop_status(s));
    ck_assert_ptr_nonnull(info);
    p->max_token = info->cbMaxToken;
    ck_assert_uint_ge(p->max_token, 1024);
    FreeContextBuffer(info);
}

#define INTEROP_ISC_FLAGS                                                                          \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |                         \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define INTEROP_ASC_FLAGS                                                                          \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |                         \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

/* Acquires outbound credentials for user/password in INTEROP_DOMAIN. */
static SECURITY_STATUS interop_sspi_client_init(interop_sspi_peer *p, const char *user,
                                                const char *password, const void *cb, size_t cb_len)
{
    SEC_WINNT_AUTH_IDENTITY_A id;
    TimeStamp expiry;

    memset(p, 0, sizeof(*p));
    p->initiator = 1;
    p->req = INTEROP_ISC_FLAGS;
    interop_sspi_common(p);
    interop_sspi_set_cb(p, cb, cb_len);

    memset(&id, 0, sizeof(id));
    id.User = (unsigned char *)user;
    id.UserLength = (uint32_t)strlen(user);
    id.Domain = (unsigned char *)INTEROP_DOMAIN;
    id.DomainLength = (uint32_t)strlen(INTEROP_DOMAIN);
    id.Password = (unsigned char *)password;
    id.PasswordLength = (uint32_t)strlen(password);
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    p->status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)INTEROP_PACKAGE, SECPKG_CRED_OUTBOUND,
                                          NULL, &id, NULL, NULL, &p->cred, &expiry);
    p->have_cred = (p->status == SEC_E_OK);
    return p->status;
}

/* UTF-8 to UTF-16 (BMP only, enough for the test passwords); malloc()ed,
 * *n gets the length in code units. */
static unsigned short *interop_utf16(const char *s, uint32_t *n)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned short *w = calloc(strlen(s) + 1, sizeof(*w));
    uint32_t k = 0;

    ck_assert_ptr_nonnull(w);
    while (*p) {
        if (*p < 0x80) {
            w[k++] = *p++;
        } else if ((*p & 0xe0) == 0xc0) {
            w[k++] = (unsigned short)((p[0] & 0x1f) << 6 | (p[1] & 0x3f));
            p += 2;
        } else {
            ck_assert_uint_eq(*p & 0xf0, 0xe0);
            w[k++] = (unsigned short)((p[0] & 0x0f) << 12 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f));
            p += 3;
        }
    }
    *n = k;
    return w;
}

/* Like interop_sspi_client_init, through AcquireCredentialsHandleW and a
 * SEC_WINNT_AUTH_IDENTITY_W. */
static SECURITY_STATUS interop_sspi_client_init_w(interop_sspi_peer *p, const char *user,
                                                  const char *password)
{
    static SEC_WCHAR package[] = u"NTLM";
    SEC_WINNT_AUTH_IDENTITY_W id;
    TimeStamp expiry;

    memset(p, 0, sizeof(*p));
    p->initiator = 1;
    p->req = INTEROP_ISC_FLAGS;
    interop_sspi_common(p);

    memset(&id, 0, sizeof(id));
    id.User = interop_utf16(user, &id.UserLength);
    id.Domain = interop_utf16(INTEROP_DOMAIN, &id.DomainLength);
    id.Password = interop_utf16(password, &id.PasswordLength);
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    p->status = AcquireCredentialsHandleW(NULL, package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
                                          NULL, &p->cred, &expiry);
    p->have_cred = (p->status == SEC_E_OK);
    free(id.User);
    free(id.Domain);
    free(id.Password);
    return p->status;
}

/* Acquires inbound credentials; users come from the package's user file. */
static SECURITY_STATUS interop_sspi_server_init(interop_sspi_peer *p, const void *cb, size_t cb_len)
{
    TimeStamp expiry;

    memset(p, 0, sizeof(*p));
    p->initiator = 0;
    p->req = INTEROP_ASC_FLAGS;
    interop_sspi_common(p);
    interop_sspi_set_cb(p, cb, cb_len);
    p->status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)INTEROP_PACKAGE, SECPKG_CRED_INBOUND,
                                          NULL, NULL, NULL, NULL, &p->cred, &expiry);
    p->have_cred = (p->status == SEC_E_OK);
    return p->status;
}

/*
 * One handshake leg through InitializeSecurityContextA or
 * AcceptSecurityContext. *out is malloc()ed (NULL if no token).
 */
static SECURITY_STATUS interop_sspi_step(interop_sspi_peer *p, const void *in, size_t in_len,
                                         void **out, size_t *out_len)
{
    SecBuffer inb[2];
    SecBuffer outb[1];
    SecBufferDesc indesc = {SECBUFFER_VERSION, 0, inb};
    SecBufferDesc outdesc = {SECBUFFER_VERSION, 1, outb};
    /* ISC_REQ_ALLOCATE_MEMORY == ASC_REQ_ALLOCATE_MEMORY, same for RET */
    int alloc = (p->req & ISC_REQ_ALLOCATE_MEMORY) != 0;
    unsigned char *tok = NULL;
    TimeStamp expiry;

    *out = NULL;
    *out_len = 0;
    outb[0].BufferType = SECBUFFER_TOKEN;
    outb[0].cbBuffer = 0;
    outb[0].pvBuffer = NULL;
    if (!alloc) {
        tok = malloc(p->max_token);
        ck_assert_ptr_nonnull(tok);
        outb[0].cbBuffer = p->max_token;
        outb[0].pvBuffer = tok;
    }

    if (in != NULL) {
        inb[0].BufferType = SECBUFFER_TOKEN;
        inb[0].cbBuffer = (uint32_t)in_len;
        inb[0].pvBuffer = (void *)in;
        indesc.cBuffers = 1;
    }
    if (p->cb != NULL && (in != NULL || !p->initiator)) {
        inb[indesc.cBuffers].BufferType = SECBUFFER_CHANNEL_BINDINGS;
        inb[indesc.cBuffers].cbBuffer = p->cb_len;
        inb[indesc.cBuffers].pvBuffer = p->cb;
        indesc.cBuffers++;
    }

    if (p->initiator) {
        p->status = InitializeSecurityContextA(
            &p->cred, p->have_ctx ? &p->ctx : NULL, (SEC_CHAR *)"host/server", p->req, 0,
            SECURITY_NATIVE_DREP, indesc.cBuffers > 0 ? &indesc : NULL, 0, &p->ctx, &outdesc,
            &p->attrs, &expiry);
    } else {
        p->status =
            AcceptSecurityContext(&p->cred, p->have_ctx ? &p->ctx : NULL, &indesc, p->req,
                                  SECURITY_NATIVE_DREP, &p->ctx, &outdesc, &p->attrs, &expiry);
    }
    if (p->status == SEC_E_OK || p->status == SEC_I_CONTINUE_NEEDED)
        p->have_ctx = 1;
    p->complete = (p->status == SEC_E_OK);
    if (SEC_SUCCESS(p->status) && outb[0].cbBuffer > 0) {
        ck_assert_ptr_nonnull(outb[0].pvBuffer);
        ck_assert_uint_le(outb[0].cbBuffer, p->max_token);
        *out = malloc(outb[0].cbBuffer);
        ck_assert_ptr_nonnull(*out);
        memcpy(*out, outb[0].pvBuffer, outb[0].cbBuffer);
        *out_len = outb[0].cbBuffer;
    }
    if (alloc) {
        /* the package allocated the token: attribute and FreeContextBuffer */
        if (SEC_SUCCESS(p->status) && outb[0].cbBuffer > 0)
            ck_assert_msg(p->attrs & ISC_RET_ALLOCATED_MEMORY,
                          "ALLOCATE_MEMORY: attributes 0x%x lack "
                          "ALLOCATED_MEMORY",
                          p->attrs);
        if (outb[0].pvBuffer != NULL)
            FreeContextBuffer(outb[0].pvBuffer);
    }
    free(tok);
    return p->status;
}

/*
 * EncryptMessage on msg; *wire gets signature || sealed data (malloc()ed).
 * token_first picks the order of the two buffers in the SecBufferDesc (the
 * package must find them by type).
 */
static SECURITY_STATUS interop_sspi_seal(interop_sspi_peer *p, const void *msg, size_t len,
                                         int token_first, unsigned char **wire, size_t *wire_len)
{
    SecBuffer b[2];
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, b};
    unsigned char *w = malloc(len + INTEROP_SIG_LEN);
    int t = token_first ? 0 : 1;

    ck_assert_ptr_nonnull(w);
    memcpy(w + INTEROP_SIG_LEN, msg, len);
    memset(w, 0, INTEROP_SIG_LEN);
    b[t].BufferType = SECBUFFER_TOKEN;
    b[t].cbBuffer = INTEROP_SIG_LEN;
    b[t].pvBuffer = w;
    b[1 - t].BufferType = SECBUFFER_DATA;
    b[1 - t].cbBuffer = (uint32_t)len;
    b[1 - t].pvBuffer = w + INTEROP_SIG_LEN;
    p->status = EncryptMessage(&p->ctx, 0, &desc, 0);
    if (p->status == SEC_E_OK) {
        ck_assert_msg(b[t].cbBuffer == INTEROP_SIG_LEN,
                      "EncryptMessage token length %u, expected 16", (unsigned)b[t].cbBuffer);
        ck_assert_uint_eq(b[1 - t].cbBuffer, len);
        ck_assert_ptr_eq(b[1 - t].pvBuffer, w + INTEROP_SIG_LEN);
        if (len >= 8)
            ck_assert_msg(memcmp(w + INTEROP_SIG_LEN, msg, len) != 0,
                          "EncryptMessage left the data in clear");
    }
    *wire = w;
    *wire_len = len + INTEROP_SIG_LEN;
    return p->status;
}

/* DecryptMessage on a signature || sealed data token; *out is malloc()ed. */
static SECURITY_STATUS interop_sspi_unseal(interop_sspi_peer *p, const void *wire, size_t wire_len,
                                           unsigned char **out, size_t *out_len)
{
    SecBuffer b[2];
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, b};
    unsigned char *w = malloc(wire_len);
    uint32_t qop = 0;

    ck_assert_uint_ge(wire_len, INTEROP_SIG_LEN);
    ck_assert_ptr_nonnull(w);
    memcpy(w, wire, wire_len);
    b[0].BufferType = SECBUFFER_TOKEN;
    b[0].cbBuffer = INTEROP_SIG_LEN;
    b[0].pvBuffer = w;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = (uint32_t)(wire_len - INTEROP_SIG_LEN);
    b[1].pvBuffer = w + INTEROP_SIG_LEN;
    p->status = DecryptMessage(&p->ctx, &desc, 0, &qop);
    *out = NULL;
    *out_len = 0;
    if (p->status == SEC_E_OK) {
        *out_len = b[1].cbBuffer;
        *out = malloc(*out_len + 1);
        ck_assert_ptr_nonnull(*out);
        memcpy(*out, b[1].pvBuffer, *out_len);
    }
    free(w);
    return p->status;
}

/* MakeSignature over msg into sig[16]. */
static SECURITY_STATUS interop_sspi_sign(interop_sspi_peer *p, const void *msg, size_t len,
                                         unsigned char sig[INTEROP_SIG_LEN])
{
    SecBuffer b[2];
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, b};
    unsigned char *copy = malloc(len + 1);

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, msg, len);
    b[0].BufferType = SECBUFFER_DATA;
    b[0].cbBuffer = (uint32_t)len;
    b[0].pvBuffer = copy;
    b[1].BufferType = SECBUFFER_TOKEN;
    b[1].cbBuffer = INTEROP_SIG_LEN;
    b[1].pvBuffer = sig;
    p->status = MakeSignature(&p->ctx, 0, &desc, 0);
    if (p->status == SEC_E_OK) {
        ck_assert_uint_eq(b[1].cbBuffer, INTEROP_SIG_LEN);
        ck_assert_msg(memcmp(copy, msg, len) == 0, "MakeSignature modified the data buffer");
    }
    free(copy);
    return p->status;
}

/* VerifySignature of msg against a 16-byte signature. */
static SECURITY_STATUS interop_sspi_verify(interop_sspi_peer *p, const void *msg, size_t len,
                                           const void *sig, size_t sig_len)
{
    SecBuffer b[2];
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, b};
    unsigned char *copy = malloc(len + 1);
    unsigned char *s = malloc(sig_len + 1);
    uint32_t qop = 0;

    ck_assert_ptr_nonnull(copy);
    ck_assert_ptr_nonnull(s);
    memcpy(copy, msg, len);
    memcpy(s, sig, sig_len);
    b[0].BufferType = SECBUFFER_DATA;
    b[0].cbBuffer = (uint32_t)len;
    b[0].pvBuffer = copy;
    b[1].BufferType = SECBUFFER_TOKEN;
    b[1].cbBuffer = (uint32_t)sig_len;
    b[1].pvBuffer = s;
    p->status = VerifySignature(&p->ctx, &desc, 0, &qop);
    free(copy);
    free(s);
    return p->status;
}

static void interop_sspi_peer_free(interop_sspi_peer *p)
{
    if (p->have_ctx)
        DeleteSecurityContext(&p->ctx);
    if (p->have_cred)
        FreeCredentialsHandle(&p->cred);
    free(p->cb);
    memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------------ */
/* Handshake drivers                                                    */
/* ------------------------------------------------------------------ */

enum interop_result {
    INTEROP_OK = 0,
    INTEROP_INITIATOR_FAILED,
    INTEROP_ACCEPTOR_FAILED,
    INTEROP_STUCK,
};

static const char *interop_result_name(enum interop_result r)
{
    switch (r) {
    case INTEROP_OK:
        return "completed";
    case INTEROP_INITIATOR_FAILED:
        return "initiator failed";
    case INTEROP_ACCEPTOR_FAILED:
        return "acceptor failed";
    case INTEROP_STUCK:
        return "no progress";
    }
    return "?";
}

/* Copies of the handshake messages of the last session, in wire order
 * (NEGOTIATE, CHALLENGE, AUTHENTICATE), for the wire-level checks. */
static struct {
    unsigned char *msg[4];
    size_t len[4];
    unsigned count;
} interop_wire;

static void interop_wire_reset(void)
{
    unsigned i;

    for (i = 0; i < interop_wire.count; i++)
        free(interop_wire.msg[i]);
    memset(&interop_wire, 0, sizeof(interop_wire));
}

/* When set, called on each handshake message (index, bytes, length) before
 * it is delivered; used to damage the AUTHENTICATE in flight. */
static void (*interop_wire_hook)(unsigned, unsigned char *, size_t);

static void interop_wire_record(const void *tok, size_t len)
{
    unsigned char *copy;

    if (interop_wire.count >= 4)
        return;
    copy = malloc(len + 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, tok, len);
    interop_wire.msg[interop_wire.count] = copy;
    interop_wire.len[interop_wire.count] = len;
    interop_wire.count++;
}

/* libsspi initiator -> gss-ntlmssp acceptor. */
static enum interop_result interop_handshake_sspi_gss(interop_sspi_peer *c, interop_gss_peer *s)
{
    void *tok = NULL;
    size_t tok_len = 0;
    int round;

    interop_wire_reset();
    for (round = 0; round < 4; round++) {
        void *out = NULL;
        size_t out_len = 0;
        SECURITY_STATUS st;
        OM_uint32 maj;

        st = interop_sspi_step(c, tok, tok_len, &out, &out_len);
        free(tok);
        tok = NULL;
        if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
            free(out);
            return INTEROP_INITIATOR_FAILED;
        }
        if (out_len == 0)
            return (c->complete && s->complete) ? INTEROP_OK : INTEROP_STUCK;
        interop_wire_record(out, out_len);
        if (interop_wire_hook != NULL)
            interop_wire_hook(interop_wire.count - 1, out, out_len);
        maj = interop_gss_step(s, out, out_len, &tok, &tok_len);
        free(out);
        if (GSS_ERROR(maj)) {
            free(tok);
            return INTEROP_ACCEPTOR_FAILED;
        }
        if (tok_len > 0)
            interop_wire_record(tok, tok_len);
        if (s->complete && c->complete) {
            free(tok);
            return tok_len == 0 ? INTEROP_OK : INTEROP_STUCK;
        }
    }
    free(tok);
    return INTEROP_STUCK;
}

/* gss-ntlmssp initiator -> libsspi acceptor. */
static enum interop_result interop_handshake_gss_sspi(interop_gss_peer *c, interop_sspi_peer *s)
{
    void *tok = NULL;
    size_t tok_len = 0;
    int round;

    interop_wire_reset();
    for (round = 0; round < 4; round++) {
        void *out = NULL;
        size_t out_len = 0;
        SECURITY_STATUS st;
        OM_uint32 maj;

        maj = interop_gss_step(c, tok, tok_len, &out, &out_len);
        free(tok);
        tok = NULL;
        if (GSS_ERROR(maj)) {
            free(out);
            return INTEROP_INITIATOR_FAILED;
        }
        if (out_len == 0)
            return (c->complete && s->complete) ? INTEROP_OK : INTEROP_STUCK;
        interop_wire_record(out, out_len);
        if (interop_wire_hook != NULL)
            interop_wire_hook(interop_wire.count - 1, out, out_len);
        st = interop_sspi_step(s, out, out_len, &tok, &tok_len);
        free(out);
        if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
            free(tok);
            return INTEROP_ACCEPTOR_FAILED;
        }
        if (tok_len > 0)
            interop_wire_record(tok, tok_len);
        if (s->complete && c->complete) {
            free(tok);
            return tok_len == 0 ? INTEROP_OK : INTEROP_STUCK;
        }
    }
    free(tok);
    return INTEROP_STUCK;
}

#define INTEROP_GSS_FLAGS                                                                          \
    (GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |                  \
     GSS_C_SEQUENCE_FLAG)

/* A complete, asserted libsspi-client/gss-server session. */
static void interop_setup_sspi_gss(interop_sspi_peer *c, interop_gss_peer *s, int acquire,
                                   const char *user, const char *password)
{
    enum interop_result r;
    SECURITY_STATUS st;
    OM_uint32 maj;
    char *name;
    char expect[256];

    st = interop_sspi_client_init(c, user, password, NULL, 0);
    ck_assert_msg(st == SEC_E_OK, "AcquireCredentialsHandleA(OUTBOUND): %s", interop_status(st));
    maj = interop_gss_server_init(s, acquire, NULL, 0);
    ck_assert_msg(maj == GSS_S_COMPLETE, "gss acceptor creds: %s", interop_gss_error(s));
    r = interop_handshake_sspi_gss(c, s);
    ck_assert_msg(r == INTEROP_OK, "handshake libsspi->gss-ntlmssp: %s; libsspi %s; gss %s",
                  interop_result_name(r), interop_status(c->status), interop_gss_error(s));
    ck_assert_msg(c->attrs & ISC_RET_CONFIDENTIALITY, "ISC attributes 0x%x lack CONFIDENTIALITY",
                  c->attrs);
    ck_assert_msg(c->attrs & ISC_RET_INTEGRITY, "ISC attributes 0x%x lack INTEGRITY", c->attrs);
    ck_assert_msg(s->ret_flags & GSS_C_CONF_FLAG, "gss acceptor flags 0x%x lack CONF",
                  s->ret_flags);
    ck_assert_msg(s->ret_flags & GSS_C_INTEG_FLAG, "gss acceptor flags 0x%x lack INTEG",
                  s->ret_flags);
    name = interop_gss_src_name(s);
    ck_assert_ptr_nonnull(name);
    snprintf(expect, sizeof(expect), "%s\\%s", INTEROP_DOMAIN, user);
    ck_assert_msg(strcasecmp(name, expect) == 0, "gss-ntlmssp saw initiator '%s', expected '%s'",
                  name, expect);
    free(name);
}

/* A complete, asserted gss-client/libsspi-server session. */
static void interop_setup_gss_sspi(interop_gss_peer *c, interop_sspi_peer *s, int from_file,
                                   const char *user, const char *password)
{
    SecPkgContext_NamesA names;
    enum interop_result r;
    SECURITY_STATUS st;
    OM_uint32 maj;
    char principal[256];

    snprintf(principal, sizeof(principal), "%s\\%s", INTEROP_DOMAIN, user);
    maj = interop_gss_client_init(c, principal, from_file ? NULL : password, "host@server",
                                  INTEROP_GSS_FLAGS, NULL, 0);
    ck_assert_msg(maj == GSS_S_COMPLETE, "gss initiator creds: %s", interop_gss_error(c));
    st = interop_sspi_server_init(s, NULL, 0);
    ck_assert_msg(st == SEC_E_OK, "AcquireCredentialsHandleA(INBOUND): %s", interop_status(st));
    r = interop_handshake_gss_sspi(c, s);
    ck_assert_msg(r == INTEROP_OK, "handshake gss-ntlmssp->libsspi: %s; gss %s; libsspi %s",
                  interop_result_name(r), interop_gss_error(c), interop_status(s->status));
    ck_assert_msg(s->attrs & ASC_RET_CONFIDENTIALITY, "ASC attributes 0x%x lack CONFIDENTIALITY",
                  s->attrs);
    ck_assert_msg(s->attrs & ASC_RET_INTEGRITY, "ASC attributes 0x%x lack INTEGRITY", s->attrs);
    ck_assert_msg(c->ret_flags & GSS_C_CONF_FLAG, "gss initiator flags 0x%x lack CONF",
                  c->ret_flags);

    memset(&names, 0, sizeof(names));
    st = QueryContextAttributesA(&s->ctx, SECPKG_ATTR_NAMES, &names);
    ck_assert_msg(st == SEC_E_OK, "QueryContextAttributesA(NAMES): %s", interop_status(st));
    ck_assert_ptr_nonnull(names.sUserName);
    ck_assert_msg(strcasecmp((const char *)names.sUserName, principal) == 0,
                  "libsspi acceptor saw '%s', expected '%s'", (const char *)names.sUserName,
                  principal);
    FreeContextBuffer(names.sUserName);
}

static void interop_check_sizes(interop_sspi_peer *p)
{
    SecPkgContext_Sizes sizes;
    SECURITY_STATUS st;

    memset(&sizes, 0, sizeof(sizes));
    st = QueryContextAttributesA(&p->ctx, SECPKG_ATTR_SIZES, &sizes);
    ck_assert_msg(st == SEC_E_OK, "QueryContextAttributesA(SIZES): %s", interop_status(st));
    ck_assert_uint_eq(sizes.cbMaxSignature, INTEROP_SIG_LEN);
    ck_assert_uint_eq(sizes.cbSecurityTrailer, INTEROP_SIG_LEN);
}

/* ------------------------------------------------------------------ */
/* Wire-level checks of the handshake messages ([MS-NLMP] 2.2.1)        */
/* ------------------------------------------------------------------ */

#define NTLMSSP_NEGOTIATE_SIGN                     0x00000010u
#define NTLMSSP_NEGOTIATE_SEAL                     0x00000020u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO              0x00800000u
#define NTLMSSP_NEGOTIATE_128                      0x20000000u
#define NTLMSSP_NEGOTIATE_KEY_EXCH                 0x40000000u
#define INTEROP_STRONG_FLAGS                                                                       \
    (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |                                             \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128 |                          \
     NTLMSSP_NEGOTIATE_KEY_EXCH)

#define MSV_AV_NB_DOMAIN_NAME   2
#define MSV_AV_FLAGS            6
#define MSV_AV_TIMESTAMP        7
#define MSV_AV_CHANNEL_BINDINGS 10

static uint32_t interop_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t interop_le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Message number i of the last handshake, checked to be NTLMSSP type t. */
static const unsigned char *interop_wire_msg(unsigned i, uint32_t type, size_t *len)
{
    const unsigned char *m;

    ck_assert_msg(interop_wire.count > i, "handshake has only %u messages", interop_wire.count);
    m = interop_wire.msg[i];
    *len = interop_wire.len[i];
    ck_assert_uint_ge(*len, 12);
    ck_assert_mem_eq(m, "NTLMSSP\0", 8);
    ck_assert_uint_eq(interop_le32(m + 8), type);
    return m;
}

/* A (len, maxlen, offset) field at off in m, bounds-checked. */
static const unsigned char *interop_field(const unsigned char *m, size_t len, size_t off,
                                          size_t *flen)
{
    uint32_t o;

    ck_assert_uint_ge(len, off + 8);
    *flen = interop_le16(m + off);
    o = interop_le32(m + off + 4);
    ck_assert_uint_le((size_t)o + *flen, len);
    return m + o;
}

/* The value of AV pair id in an AV_PAIR list, or NULL. */
static const unsigned char *interop_av(const unsigned char *av, size_t len, uint16_t id,
                                       size_t *vlen)
{
    size_t pos = 0;

    while (pos + 4 <= len) {
        uint16_t aid = interop_le16(av + pos);
        uint16_t alen = interop_le16(av + pos + 2);

        ck_assert_uint_le(pos + 4 + alen, len);
        if (aid == 0)
            break;
        if (aid == id) {
            *vlen = alen;
            return av + pos + 4;
        }
        pos += 4 + (size_t)alen;
    }
    return NULL;
}

/*
 * Checks the AUTHENTICATE of the last handshake: NTLMv2 response and the
 * strong sign/seal flags. want_mic: a MIC must be announced in MsvAvFlags
 * (bit 0x2) and present at offset 72 (payload starting at 88 or later); the
 * acceptor verified it, or the handshake would have failed. want_cb:
 * MsvAvChannelBindings must be a non-zero hash.
 */
static void interop_check_authenticate(int want_mic, int want_cb)
{
    const unsigned char *m, *nt, *v;
    size_t len, nt_len, vlen, k, first = SIZE_MAX;
    uint32_t flags;
    static const unsigned char zero[16];

    m = interop_wire_msg(2, 3, &len);
    ck_assert_uint_ge(len, 64);
    flags = interop_le32(m + 60);
    ck_assert_msg((flags & INTEROP_STRONG_FLAGS) == INTEROP_STRONG_FLAGS,
                  "AUTHENTICATE flags 0x%08x lack some of 0x%08x", flags, INTEROP_STRONG_FLAGS);
    nt = interop_field(m, len, 20, &nt_len);
    ck_assert_msg(nt_len > 24, "NT response of %zu bytes is not NTLMv2", nt_len);
    ck_assert_uint_ge(nt_len, 16 + 28);
    ck_assert_uint_eq(nt[16], 1); /* RespType */
    ck_assert_uint_eq(nt[17], 1); /* HiRespType */
    if (want_mic) {
        /* lowest payload offset of the six fields = end of the header */
        for (k = 12; k <= 52; k += 8) {
            size_t flen = interop_le16(m + k);
            size_t off = interop_le32(m + k + 4);

            if (flen > 0 && off < first)
                first = off;
        }
        ck_assert_msg(first >= 88,
                      "AUTHENTICATE payload starts at %zu: no "
                      "room for a MIC",
                      first);
        v = interop_av(nt + 44, nt_len - 44, MSV_AV_FLAGS, &vlen);
        ck_assert_msg(v != NULL && vlen == 4, "no MsvAvFlags in the NTLMv2 blob");
        ck_assert_msg(interop_le32(v) & 0x2, "MsvAvFlags 0x%x: no MIC announced", interop_le32(v));
        ck_assert_msg(memcmp(m + 72, zero, 16) != 0, "MIC field is zero");
    }
    v = interop_av(nt + 44, nt_len - 44, MSV_AV_CHANNEL_BINDINGS, &vlen);
    if (want_cb) {
        ck_assert_msg(v != NULL && vlen == 16, "no MsvAvChannelBindings");
        ck_assert_msg(memcmp(v, zero, 16) != 0, "MsvAvChannelBindings is all zero");
    }
}

/* Checks the CHALLENGE of the last handshake (sent by libsspi): target
 * info with the NetBIOS domain and a timestamp (so clients add a MIC). */
static void interop_check_challenge(void)
{
    static const unsigned char dom16[] = "I\0N\0T\0E\0R\0O\0P\0";
    const unsigned char *m, *ti, *v;
    size_t len, ti_len, vlen;
    uint32_t flags;

    m = interop_wire_msg(1, 2, &len);
    ck_assert_uint_ge(len, 48);
    flags = interop_le32(m + 20);
    ck_assert_msg(flags & NTLMSSP_NEGOTIATE_TARGET_INFO, "CHALLENGE flags 0x%08x lack TARGET_INFO",
                  flags);
    ck_assert_msg((flags & INTEROP_STRONG_FLAGS) == INTEROP_STRONG_FLAGS,
                  "CHALLENGE flags 0x%08x lack some of 0x%08x", flags, INTEROP_STRONG_FLAGS);
    ti = interop_field(m, len, 40, &ti_len);
    v = interop_av(ti, ti_len, MSV_AV_NB_DOMAIN_NAME, &vlen);
    ck_assert_msg(v != NULL, "no MsvAvNbDomainName in CHALLENGE");
    ck_assert_msg(vlen == sizeof(dom16) - 1 && memcmp(v, dom16, vlen) == 0,
                  "MsvAvNbDomainName is not INTEROP");
    v = interop_av(ti, ti_len, MSV_AV_TIMESTAMP, &vlen);
    ck_assert_msg(v != NULL && vlen == 8, "no MsvAvTimestamp in CHALLENGE");
}

/* libsspi client: strong flags and a MIC that gss-ntlmssp accepted. */
START_TEST(test_wire_sspi_client)
{
    interop_sspi_peer c;
    interop_gss_peer s;
    size_t len;
    const unsigned char *m;
    uint32_t flags;

    interop_setup_sspi_gss(&c, &s, 0, "alice", "Secret123");
    ck_assert_uint_eq(interop_wire.count, 3);
    m = interop_wire_msg(0, 1, &len);
    ck_assert_uint_ge(len, 16);
    flags = interop_le32(m + 12);
    ck_assert_msg((flags & INTEROP_STRONG_FLAGS) == INTEROP_STRONG_FLAGS,
                  "NEGOTIATE flags 0x%08x lack some of 0x%08x", flags, INTEROP_STRONG_FLAGS);
    interop_check_authenticate(1, 0);
    interop_sspi_peer_free(&c);
    interop_gss_peer_free(&s);
    interop_wire_reset();
}
END_TEST

/* gss-ntlmssp client: libsspi's CHALLENGE carries what a client needs. */
START_TEST(test_wire_gss_client)
{
    interop_gss_peer c;
    interop_sspi_peer s;

    interop_setup_gss_sspi(&c, &s, 0, "alice", "Secret123");
    ck_assert_uint_eq(interop_wire.count, 3);
    interop_check_challenge();
    /* gss-ntlmssp 1.2 sends no MIC, so there is none to check */
    interop_check_authenticate(0, 0);
    interop_gss_peer_free(&c);
    interop_sspi_peer_free(&s);
    interop_wire_reset();
}
END_TEST

/* Flips a bit of the MIC of the AUTHENTICATE message. */
static void interop_hook_mic(unsigned index, unsigned char *m, size_t len)
{
    if (index == 2 && len > 88)
        m[72 + 5] ^= 0x01;
}

/* Flips a bit inside the NTLMv2 blob (client challenge) of the
 * AUTHENTICATE message; the NTProofStr covers it. */
static void interop_hook_blob(unsigned index, unsigned char *m, size_t len)
{
    size_t nt_len, off;

    if (index != 2 || len < 28)
        return;
    nt_len = interop_le16(m + 20);
    off = interop_le32(m + 24);
    if (nt_len >= 44 && off + nt_len <= len)
        m[off + 16 + 16 + 3] ^= 0x01;
}

/* A damaged MIC in libsspi's AUTHENTICATE is refused by gss-ntlmssp: proves
 * gss-ntlmssp verifies the MIC libsspi computes. */
START_TEST(test_wire_sspi_client_bad_mic)
{
    interop_sspi_peer c;
    interop_gss_peer s;
    enum interop_result r;

    ck_assert_int_eq(interop_sspi_client_init(&c, "alice", "Secret123", NULL, 0), SEC_E_OK);
    ck_assert_uint_eq(interop_gss_server_init(&s, 0, NULL, 0), GSS_S_COMPLETE);
    interop_wire_hook = interop_hook_mic;
    r = interop_handshake_sspi_gss(&c, &s);
    interop_wire_hook = NULL;
    ck_assert_msg(r == INTEROP_ACCEPTOR_FAILED, "gss-ntlmssp accepted a damaged MIC: %s",
                  interop_result_name(r));
    interop_sspi_peer_free(&c);
    interop_gss_peer_free(&s);
    interop_wire_reset();
}
END_TEST

/* A damaged NTLMv2 blob from gss-ntlmssp is refused by libsspi. */
START_TEST(test_wire_gss_client_bad_blob)
{
    interop_gss_peer c;
    interop_sspi_peer s;
    enum interop_result r;
    OM_uint32 maj;

    maj = interop_gss_client_init(&c, INTEROP_DOMAIN "\\alice", "Secret123", "host@server",
                                  INTEROP_GSS_FLAGS, NULL, 0);
    ck_assert_msg(maj == GSS_S_COMPLETE, "%s", interop_gss_error(&c));
    ck_assert_int_eq(interop_sspi_server_init(&s, NULL, 0), SEC_E_OK);
    interop_wire_hook = interop_hook_blob;
    r = interop_handshake_gss_sspi(&c, &s);
    interop_wire_hook = NULL;
    ck_assert_msg(r == INTEROP_ACCEPTOR_FAILED, "libsspi accepted a damaged NTLMv2 response: %s",
                  interop_result_name(r));
    ck_assert_msg(s.status == SEC_E_LOGON_DENIED,
                  "AcceptSecurityContext: %s, expected SEC_E_LOGON_DENIED",
                  interop_status(s.status));
    interop_gss_peer_free(&c);
    interop_sspi_peer_free(&s);
    interop_wire_reset();
}
END_TEST

/* ------------------------------------------------------------------ */
/* Per-message exchanges                                                */
/* ------------------------------------------------------------------ */

/* Deterministic message number i of len bytes. */
static unsigned char *interop_message(unsigned i, size_t len)
{
    unsigned char *m = malloc(len + 1);
    size_t k;

    ck_assert_ptr_nonnull(m);
    for (k = 0; k < len; k++)
        m[k] = (unsigned char)((i * 131u + k * 7u + (k >> 8)) & 0xff);
    return m;
}

static const size_t interop_sizes[] = {
    1, 2, 15, 16, 17, 64, 100, 255, 256, 1000, 1500, 4096, 7, 33, 65536,
};
#define INTEROP_NSIZES (sizeof(interop_sizes) / sizeof(interop_sizes[0]))

static void interop_seal_sspi_to_gss(interop_sspi_peer *sp, interop_gss_peer *gp, unsigned i)
{
    size_t len = interop_sizes[i % INTEROP_NSIZES];
    unsigned char *msg = interop_message(i, len);
    unsigned char *wire;
    size_t wire_len;
    void *plain;
    size_t plain_len;
    SECURITY_STATUS st;
    OM_uint32 maj;

    st = interop_sspi_seal(sp, msg, len, i & 1, &wire, &wire_len);
    ck_assert_msg(st == SEC_E_OK, "EncryptMessage #%u (%zu bytes): %s", i, len, interop_status(st));
    maj = interop_gss_unwrap(gp, wire, wire_len, &plain, &plain_len);
    ck_assert_msg(maj == GSS_S_COMPLETE, "gss_unwrap of EncryptMessage #%u (%zu bytes): %s", i, len,
                  interop_gss_error(gp));
    ck_assert_uint_eq(plain_len, len);
    ck_assert_msg(memcmp(plain, msg, len) == 0,
                  "gss_unwrap of EncryptMessage #%u: plaintext differs", i);
    free(plain);
    free(wire);
    free(msg);
}

static void interop_seal_gss_to_sspi(interop_gss_peer *gp, interop_sspi_peer *sp, unsigned i)
{
    size_t len = interop_sizes[(i + 5) % INTEROP_NSIZES];
    unsigned char *msg = interop_message(i + 1000, len);
    void *wire;
    size_t wire_len;
    unsigned char *plain;
    size_t plain_len;
    SECURITY_STATUS st;
    OM_uint32 maj;

    maj = interop_gss_wrap(gp, msg, len, &wire, &wire_len);
    ck_assert_msg(maj == GSS_S_COMPLETE, "gss_wrap #%u: %s", i, interop_gss_error(gp));
    ck_assert_uint_eq(wire_len, len + INTEROP_SIG_LEN);
    st = interop_sspi_unseal(sp, wire, wire_len, &plain, &plain_len);
    ck_assert_msg(st == SEC_E_OK, "DecryptMessage of gss_wrap #%u (%zu bytes): %s", i, len,
                  interop_status(st));
    ck_assert_uint_eq(plain_len, len);
    ck_assert_msg(memcmp(plain, msg, len) == 0, "DecryptMessage of gss_wrap #%u: plaintext differs",
                  i);
    free(plain);
    free(wire);
    free(msg);
}

static void interop_sign_sspi_to_gss(interop_sspi_peer *sp, interop_gss_peer *gp, unsigned i)
{
    size_t len = interop_sizes[(i + 3) % INTEROP_NSIZES];
    unsigned char *msg = interop_message(i + 2000, len);
    unsigned char sig[INTEROP_SIG_LEN];
    SECURITY_STATUS st;
    OM_uint32 maj;

    st = interop_sspi_sign(sp, msg, len, sig);
    ck_assert_msg(st == SEC_E_OK, "MakeSignature #%u: %s", i, interop_status(st));
    maj = interop_gss_verify_mic(gp, msg, len, sig, sizeof(sig));
    ck_assert_msg(maj == GSS_S_COMPLETE, "gss_verify_mic of MakeSignature #%u (%zu bytes): %s", i,
                  len, interop_gss_error(gp));
    free(msg);
}

static void interop_sign_gss_to_sspi(interop_gss_peer *gp, interop_sspi_peer *sp, unsigned i)
{
    size_t len = interop_sizes[(i + 7) % INTEROP_NSIZES];
    unsigned char *msg = interop_message(i + 3000, len);
    void *mic;
    size_t mic_len;
    SECURITY_STATUS st;
    OM_uint32 maj;

    maj = interop_gss_get_mic(gp, msg, len, &mic, &mic_len);
    ck_assert_msg(maj == GSS_S_COMPLETE, "gss_get_mic #%u: %s", i, interop_gss_error(gp));
    ck_assert_uint_eq(mic_len, INTEROP_SIG_LEN);
    st = interop_sspi_verify(sp, msg, len, mic, mic_len);
    ck_assert_msg(st == SEC_E_OK, "VerifySignature of gss_get_mic #%u (%zu bytes): %s", i, len,
                  interop_status(st));
    free(mic);
    free(msg);
}

/*
 * count rounds of traffic in both directions, interleaving signatures and
 * sealed messages (they share one sequence counter per direction) and
 * sometimes sending several messages in a row one way so the two
 * directions' counters drift apart.
 */
static void interop_traffic(interop_sspi_peer *sp, interop_gss_peer *gp, unsigned count)
{
    unsigned i;

    for (i = 0; i < count; i++) {
        interop_seal_sspi_to_gss(sp, gp, i);
        interop_sign_gss_to_sspi(gp, sp, i);
        interop_seal_gss_to_sspi(gp, sp, i);
        interop_sign_sspi_to_gss(sp, gp, i);
        if (i % 3 == 0)
            interop_seal_sspi_to_gss(sp, gp, i + 100);
        if (i % 4 == 1) {
            interop_seal_gss_to_sspi(gp, sp, i + 200);
            interop_sign_gss_to_sspi(gp, sp, i + 200);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

/* The environment itself: gss-ntlmssp talks to itself in this process. */
START_TEST(test_gss_self)
{
    interop_gss_peer c, s;
    void *tok = NULL;
    size_t tok_len = 0;
    void *w, *u;
    size_t wl, ul;
    int round;
    OM_uint32 maj;

    maj = interop_gss_client_init(&c, INTEROP_DOMAIN "\\alice", "Secret123", "host@server",
                                  INTEROP_GSS_FLAGS, NULL, 0);
    ck_assert_msg(maj == GSS_S_COMPLETE, "gss initiator creds: %s", interop_gss_error(&c));
    maj = interop_gss_server_init(&s, 0, NULL, 0);
    ck_assert_msg(maj == GSS_S_COMPLETE, "%s", interop_gss_error(&s));
    for (round = 0; round < 3 && !s.complete; round++) {
        void *out;
        size_t out_len;

        maj = interop_gss_step(&c, tok, tok_len, &out, &out_len);
        free(tok);
        ck_assert_msg(!GSS_ERROR(maj), "gss init: %s", interop_gss_error(&c));
        maj = interop_gss_step(&s, out, out_len, &tok, &tok_len);
        free(out);
        ck_assert_msg(!GSS_ERROR(maj), "gss accept: %s", interop_gss_error(&s));
    }
    free(tok);
    ck_assert(c.complete && s.complete);

    maj = interop_gss_wrap(&c, "hello", 5, &w, &wl);
    ck_assert_uint_eq(maj, GSS_S_COMPLETE);
    ck_assert_uint_eq(wl, 5 + INTEROP_SIG_LEN);
    /* signature first: version 1, then checksum, then sequence number 0 */
    ck_assert_mem_eq(w, "\x01\x00\x00\x00", 4);
    ck_assert_mem_eq((unsigned char *)w + 12, "\x00\x00\x00\x00", 4);
    maj = interop_gss_unwrap(&s, w, wl, &u, &ul);
    ck_assert_uint_eq(maj, GSS_S_COMPLETE);
    ck_assert_uint_eq(ul, 5);
    ck_assert_mem_eq(u, "hello", 5);
    free(w);
    free(u);
    interop_gss_peer_free(&c);
    interop_gss_peer_free(&s);
}
END_TEST

/* libsspi client -> gss-ntlmssp server; _i: 0 no acceptor cred, 1 acquired. */
START_TEST(test_sspi_client_gss_server)
{
    interop_sspi_peer c;
    interop_gss_peer s;

    interop_setup_sspi_gss(&c, &s, _i, "alice", "Secret123");
    interop_check_sizes(&c);
    interop_traffic(&c, &s, 40);
    interop_sspi_peer_free(&c);
    interop_gss_peer_free(&s);
}
END_TEST

/* gss-ntlmssp client -> libsspi server; _i: 0 password creds, 1 from the
 * user file. */
START_TEST(test_gss_client_sspi_server)
{
    interop_gss_peer c;
    interop_sspi_peer s;

    interop_setup_gss_sspi(&c, &s, _i, "alice", "Secret123");
    interop_check_sizes(&s);
    interop_traffic(&s, &c, 40);
    interop_gss_peer_free(&c);
    interop_sspi_peer_free(&s);
}
END_TEST

/* Other users of the file: punctuation and non-ASCII passwords. */
START_TEST(test_other_users)
{
    const struct interop_user *u = &interop_users[1 + _i];
    interop_sspi_peer sc, ss;
    interop_gss_peer gs, gc;

    interop_setup_sspi_gss(&sc, &gs, 0, u->user, u->password);
    interop_traffic(&sc, &gs, 3);
    interop_sspi_peer_free(&sc);
    interop_gss_peer_free(&gs);

    interop_setup_gss_sspi(&gc, &ss, 0, u->user, u->password);
    interop_traffic(&ss, &gc, 3);
    interop_gss_peer_free(&gc);
    interop_sspi_peer_free(&ss);
}
END_TEST

/* Wrong password / unknown user, libsspi client: gss-ntlmssp must refuse. */
START_TEST(test_sspi_client_bad_creds)
{
    interop_sspi_peer c;
    interop_gss_peer s;
    enum interop_result r;
    SECURITY_STATUS st;

    st = interop_sspi_client_init(&c, _i == 0 ? "alice" : "mallory",
                                  _i == 0 ? "Secret124" : "Secret123", NULL, 0);
    ck_assert_msg(st == SEC_E_OK, "AcquireCredentialsHandleA: %s", interop_status(st));
    ck_assert_uint_eq(interop_gss_server_init(&s, 0, NULL, 0), GSS_S_COMPLETE);
    r = interop_handshake_sspi_gss(&c, &s);
    ck_assert_msg(r == INTEROP_ACCEPTOR_FAILED, "expected gss-ntlmssp to refuse, got: %s (gss %s)",
                  interop_result_name(r), interop_gss_error(&s));
    ck_assert(!s.complete);
    interop_sspi_peer_free(&c);
    interop_gss_peer_free(&s);
}
END_TEST

/* Wrong password / unknown user, gss-ntlmssp client: libsspi must refuse
 * with SEC_E_LOGON_DENIED. */
START_TEST(test_gss_client_bad_creds)
{
    interop_gss_peer c;
    interop_sspi_peer s;
    enum interop_result r;
    OM_uint32 maj;

    maj = interop_gss_client_init(
        &c, _i == 0 ? INTEROP_DOMAIN "\\alice" : INTEROP_DOMAIN "\\mallory",
        _i == 0 ? "Secret124" : "Secret123", "host@server", INTEROP_GSS_FLAGS, NULL, 0);
    ck_assert_msg(maj == GSS_S_COMPLETE, "%s", interop_gss_error(&c));
    ck_assert_int_eq(interop_sspi_server_init(&s, NULL, 0), SEC_E_OK);
    r = interop_handshake_gss_sspi(&c, &s);
    ck_assert_msg(r == INTEROP_ACCEPTOR_FAILED, "expected libsspi to refuse, got: %s (libsspi %s)",
                  interop_result_name(r), interop_status(s.status));
    ck_assert_msg(s.status == SEC_E_LOGON_DENIED,
                  "AcceptSecurityContext: %s, expected SEC_E_LOGON_DENIED",
                  interop_status(s.status));
    interop_gss_peer_free(&c);
    interop_sspi_peer_free(&s);
}
END_TEST

/*
 * Damaged traffic is refused by the receiver. _i picks the case:
 *   0 EncryptMessage, one data bit flipped      -> gss_unwrap fails
 *   1 EncryptMessage, signature checksum flipped -> gss_unwrap fails
 *   2 MakeSignature, data changed               -> gss_verify_mic fails
 *   3 EncryptMessage replayed                   -> gss_unwrap fails
 *   4 gss_wrap, one data bit flipped            -> DecryptMessage fails
 *   5 gss_wrap, signature checksum flipped      -> DecryptMessage fails
 *   6 gss_get_mic, data changed                 -> VerifySignature fails
 *   7 gss_wrap replayed                         -> DecryptMessage fails
 *   8 gss_get_mic, two messages swapped         -> VerifySignature fails
 * Cases 0-3 test gss-ntlmssp receiving from libsspi, 4-8 libsspi receiving
 * from gss-ntlmssp; each runs in both pairings (libsspi as client and as
 * server). A failed check advances the receiver's RC4 state, so each case
 * ends its session.
 */
static void interop_tamper_case(interop_sspi_peer *sp, interop_gss_peer *gp, int which)
{
    static const char text[] = "the quick brown fox jumps over the lazy dog";
    size_t len = sizeof(text) - 1;
    SECURITY_STATUS st;
    OM_uint32 maj;

    switch (which) {
    case 0:
    case 1:
    case 3: {
        unsigned char *wire;
        size_t wire_len;
        void *plain = NULL;
        size_t plain_len;

        st = interop_sspi_seal(sp, text, len, 0, &wire, &wire_len);
        ck_assert_int_eq(st, SEC_E_OK);
        if (which == 0) {
            wire[INTEROP_SIG_LEN + 3] ^= 0x10;
        } else if (which == 1) {
            wire[6] ^= 0x01;
        } else {
            maj = interop_gss_unwrap(gp, wire, wire_len, &plain, &plain_len);
            ck_assert_msg(maj == GSS_S_COMPLETE, "%s", interop_gss_error(gp));
            free(plain);
            plain = NULL;
        }
        maj = interop_gss_unwrap(gp, wire, wire_len, &plain, &plain_len);
        ck_assert_msg(GSS_ERROR(maj), "gss_unwrap accepted a damaged/replayed message");
        free(plain);
        free(wire);
        break;
    }
    case 2: {
        unsigned char sig[INTEROP_SIG_LEN];
        char copy[sizeof(text)];

        st = interop_sspi_sign(sp, text, len, sig);
        ck_assert_int_eq(st, SEC_E_OK);
        memcpy(copy, text, sizeof(text));
        copy[0] = 'T';
        maj = interop_gss_verify_mic(gp, copy, len, sig, sizeof(sig));
        ck_assert_msg(maj == GSS_S_BAD_SIG, "gss_verify_mic of altered data: %s",
                      interop_gss_error(gp));
        break;
    }
    case 4:
    case 5:
    case 7: {
        void *wire;
        size_t wire_len;
        unsigned char *plain = NULL;
        size_t plain_len;

        maj = interop_gss_wrap(gp, text, len, &wire, &wire_len);
        ck_assert_uint_eq(maj, GSS_S_COMPLETE);
        if (which == 4) {
            ((unsigned char *)wire)[INTEROP_SIG_LEN + 3] ^= 0x10;
        } else if (which == 5) {
            ((unsigned char *)wire)[6] ^= 0x01;
        } else {
            st = interop_sspi_unseal(sp, wire, wire_len, &plain, &plain_len);
            ck_assert_msg(st == SEC_E_OK, "DecryptMessage: %s", interop_status(st));
            free(plain);
            plain = NULL;
        }
        st = interop_sspi_unseal(sp, wire, wire_len, &plain, &plain_len);
        if (which == 7) {
            ck_assert_msg(st == SEC_E_MESSAGE_ALTERED || st == SEC_E_OUT_OF_SEQUENCE,
                          "DecryptMessage of a replayed message: %s", interop_status(st));
        } else {
            ck_assert_msg(st == SEC_E_MESSAGE_ALTERED, "DecryptMessage of a damaged message: %s",
                          interop_status(st));
        }
        free(plain);
        free(wire);
        break;
    }
    case 6: {
        void *mic;
        size_t mic_len;
        char copy[sizeof(text)];

        maj = interop_gss_get_mic(gp, text, len, &mic, &mic_len);
        ck_assert_uint_eq(maj, GSS_S_COMPLETE);
        memcpy(copy, text, sizeof(text));
        copy[len - 1] = 'G';
        st = interop_sspi_verify(sp, copy, len, mic, mic_len);
        ck_assert_msg(st == SEC_E_MESSAGE_ALTERED, "VerifySignature of altered data: %s",
                      interop_status(st));
        free(mic);
        break;
    }
    case 8: {
        void *mic1, *mic2;
        size_t l1, l2;

        ck_assert_uint_eq(interop_gss_get_mic(gp, "one", 3, &mic1, &l1), GSS_S_COMPLETE);
        ck_assert_uint_eq(interop_gss_get_mic(gp, "two", 3, &mic2, &l2), GSS_S_COMPLETE);
        st = interop_sspi_verify(sp, "two", 3, mic2, l2);
        ck_assert_msg(st == SEC_E_MESSAGE_ALTERED || st == SEC_E_OUT_OF_SEQUENCE,
                      "VerifySignature of an out-of-order message: %s", interop_status(st));
        free(mic1);
        free(mic2);
        break;
    }
    default:
        ck_abort_msg("no tamper case %d", which);
    }
}

START_TEST(test_tamper_sspi_client)
{
    interop_sspi_peer c;
    interop_gss_peer s;

    interop_setup_sspi_gss(&c, &s, 0, "alice", "Secret123");
    interop_traffic(&c, &s, 2);
    interop_tamper_case(&c, &s, _i);
    interop_sspi_peer_free(&c);
    interop_gss_peer_free(&s);
}
END_TEST

START_TEST(test_tamper_gss_client)
{
    interop_gss_peer c;
    interop_sspi_peer s;

    interop_setup_gss_sspi(&c, &s, 0, "alice", "Secret123");
    interop_traffic(&s, &c, 2);
    interop_tamper_case(&s, &c, _i);
    interop_gss_peer_free(&c);
    interop_sspi_peer_free(&s);
}
END_TEST

/* tls-server-end-point style application data for channel bindings. */
static const char interop_cb_a[] =
    "tls-server-end-point:\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"
    "\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
    "\x1e\x1f\x20";
static const char interop_cb_b[] =
    "tls-server-end-point:\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"
    "\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
    "\x1e\x1f\x21";
#define INTEROP_CB_LEN (sizeof(interop_cb_a) - 1)

/*
 * Channel bindings, libsspi client -> gss-ntlmssp server. _i:
 *   0 same bindings both sides   -> success, gss reports CHANNEL_BOUND
 *   1 different bindings         -> gss-ntlmssp refuses
 *   2 client only                -> success (acceptor does not check)
 */
START_TEST(test_cb_sspi_client)
{
    interop_sspi_peer c;
    interop_gss_peer s;
    enum interop_result r;
    const char *scb = _i == 0 ? interop_cb_a : _i == 1 ? interop_cb_b : NULL;

    ck_assert_int_eq(
        interop_sspi_client_init(&c, "alice", "Secret123", interop_cb_a, INTEROP_CB_LEN), SEC_E_OK);
    ck_assert_uint_eq(interop_gss_server_init(&s, 0, scb, scb ? INTEROP_CB_LEN : 0),
                      GSS_S_COMPLETE);
    r = interop_handshake_sspi_gss(&c, &s);
    if (_i == 1) {
        ck_assert_msg(r == INTEROP_ACCEPTOR_FAILED, "mismatched bindings: %s (gss %s)",
                      interop_result_name(r), interop_gss_error(&s));
    } else {
        ck_assert_msg(r == INTEROP_OK,
                      "bindings case %d: %s; libsspi %s; "
                      "gss %s",
                      _i, interop_result_name(r), interop_status(c.status), interop_gss_error(&s));
        interop_check_authenticate(1, 1);
        if (_i == 0)
            ck_assert_msg(s.ret_flags & GSS_C_CHANNEL_BOUND_FLAG,
                          "gss-ntlmssp did not report the context as "
                          "channel-bound (flags 0x%x)",
                          s.ret_flags);
        interop_traffic(&c, &s, 2);
    }
    interop_sspi_peer_free(&c);
    interop_gss_peer_free(&s);
}
END_TEST

/*
 * Channel bindings, gss-ntlmssp client -> libsspi server. _i:
 *   0 same bindings both sides   -> success
 *   1 different bindings         -> SEC_E_BAD_BINDINGS
 *   2 client only                -> success (acceptor has none to check)
 */
START_TEST(test_cb_gss_client)
{
    interop_gss_peer c;
    interop_sspi_peer s;
    enum interop_result r;
    const char *scb = _i == 0 ? interop_cb_a : _i == 1 ? interop_cb_b : NULL;
    OM_uint32 maj;

    maj = interop_gss_client_init(&c, INTEROP_DOMAIN "\\alice", "Secret123", "host@server",
                                  INTEROP_GSS_FLAGS, interop_cb_a, INTEROP_CB_LEN);
    ck_assert_msg(maj == GSS_S_COMPLETE, "%s", interop_gss_error(&c));
    ck_assert_int_eq(interop_sspi_server_init(&s, scb, scb ? INTEROP_CB_LEN : 0), SEC_E_OK);
    r = interop_handshake_gss_sspi(&c, &s);
    if (_i == 1) {
        ck_assert_msg(r == INTEROP_ACCEPTOR_FAILED, "mismatched bindings: %s (libsspi %s)",
                      interop_result_name(r), interop_status(s.status));
        ck_assert_msg(s.status == SEC_E_BAD_BINDINGS,
                      "AcceptSecurityContext: %s, expected SEC_E_BAD_BINDINGS",
                      interop_status(s.status));
    } else {
        ck_assert_msg(r == INTEROP_OK,
                      "bindings case %d: %s; gss %s; "
                      "libsspi %s",
                      _i, interop_result_name(r), interop_gss_error(&c), interop_status(s.status));
        interop_traffic(&s, &c, 2);
    }
    interop_gss_peer_free(&c);
    interop_sspi_peer_free(&s);
}
END_TEST

/* Only signatures, both directions, count rounds. */
static void interop_sign_traffic(interop_sspi_peer *sp, interop_gss_peer *gp, unsigned count)
{
    unsigned i;

    for (i = 0; i < count; i++) {
        interop_sign_sspi_to_gss(sp, gp, i);
        interop_sign_gss_to_sspi(gp, sp, i);
        if (i % 3 == 0)
            interop_sign_sspi_to_gss(sp, gp, i + 100);
    }
}

/*
 * Integrity without confidentiality, libsspi client: no SEAL asked for,
 * signatures still interoperate (with key exchange the checksum is RC4
 * sealed even without NTLMSSP_NEGOTIATE_SEAL, [MS-NLMP] 3.4.4.2).
 */
START_TEST(test_sign_only_sspi_client)
{
    interop_sspi_peer c;
    interop_gss_peer s;
    enum interop_result r;

    ck_assert_int_eq(interop_sspi_client_init(&c, "alice", "Secret123", NULL, 0), SEC_E_OK);
    c.req =
        ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION;
    ck_assert_uint_eq(interop_gss_server_init(&s, 0, NULL, 0), GSS_S_COMPLETE);
    r = interop_handshake_sspi_gss(&c, &s);
    ck_assert_msg(r == INTEROP_OK,
                  "sign-only handshake: %s; libsspi %s; "
                  "gss %s",
                  interop_result_name(r), interop_status(c.status), interop_gss_error(&s));
    ck_assert_msg(c.attrs & ISC_RET_INTEGRITY, "ISC attributes 0x%x lack INTEGRITY", c.attrs);
    interop_sign_traffic(&c, &s, 20);
    interop_sspi_peer_free(&c);
    interop_gss_peer_free(&s);
}
END_TEST

/* Integrity without confidentiality, gss-ntlmssp client. */
START_TEST(test_sign_only_gss_client)
{
    interop_gss_peer c;
    interop_sspi_peer s;
    enum interop_result r;
    OM_uint32 maj;

    maj = interop_gss_client_init(&c, INTEROP_DOMAIN "\\alice", "Secret123", "host@server",
                                  GSS_C_INTEG_FLAG, NULL, 0);
    ck_assert_msg(maj == GSS_S_COMPLETE, "%s", interop_gss_error(&c));
    ck_assert_int_eq(interop_sspi_server_init(&s, NULL, 0), SEC_E_OK);
    s.req = ASC_REQ_INTEGRITY | ASC_REQ_CONNECTION;
    r = interop_handshake_gss_sspi(&c, &s);
    ck_assert_msg(r == INTEROP_OK,
                  "sign-only handshake: %s; gss %s; "
                  "libsspi %s",
                  interop_result_name(r), interop_gss_error(&c), interop_status(s.status));
    ck_assert_msg(s.attrs & ASC_RET_INTEGRITY, "ASC attributes 0x%x lack INTEGRITY", s.attrs);
    interop_sign_traffic(&s, &c, 20);
    interop_gss_peer_free(&c);
    interop_sspi_peer_free(&s);
}
END_TEST

static SECURITY_STATUS interop_sspi_reset(interop_sspi_peer *p, uint32_t direction)
{
    return SetContextAttributesW(&p->ctx, SECPKG_ATTR_LIBSSPI_RESET_CRYPTO, &direction,
                                 sizeof(direction));
}

/*
 * SetContextAttributes(SECPKG_ATTR_LIBSSPI_RESET_CRYPTO) against
 * gss-ntlmssp's GSS_NTLMSSP_RESET_CRYPTO option, which SPNEGO uses after a
 * mechListMIC: once both ends restart a direction's RC4 state, sealed
 * traffic that way still decrypts, signatures and the other direction are
 * unaffected; when only one end restarts, the other cannot decrypt.
 * _i: 0 libsspi client, 1 libsspi server.
 */
START_TEST(test_reset_crypto)
{
    interop_sspi_peer sp;
    interop_gss_peer gp;
    unsigned char *wire;
    size_t wire_len;
    void *plain;
    size_t plain_len;
    unsigned i;

    if (_i == 0)
        interop_setup_sspi_gss(&sp, &gp, 0, "alice", "Secret123");
    else
        interop_setup_gss_sspi(&gp, &sp, 0, "alice", "Secret123");
    interop_traffic(&sp, &gp, 3);

    ck_assert_int_eq(interop_sspi_reset(&sp, 0), SEC_E_OK);
    ck_assert_msg(interop_gss_reset_crypto(&gp, 1) == GSS_S_COMPLETE, "%s", interop_gss_error(&gp));
    for (i = 0; i < 4; i++)
        interop_seal_sspi_to_gss(&sp, &gp, 300 + i);
    ck_assert_msg(interop_gss_reset_crypto(&gp, 0) == GSS_S_COMPLETE, "%s", interop_gss_error(&gp));
    ck_assert_int_eq(interop_sspi_reset(&sp, 1), SEC_E_OK);
    for (i = 0; i < 4; i++)
        interop_seal_gss_to_sspi(&gp, &sp, 400 + i);
    interop_traffic(&sp, &gp, 2);

    /* Only libsspi restarts: gss-ntlmssp no longer decrypts. */
    ck_assert_int_eq(interop_sspi_reset(&sp, 0), SEC_E_OK);
    ck_assert_int_eq(interop_sspi_seal(&sp, "after one reset", 15, 0, &wire, &wire_len), SEC_E_OK);
    ck_assert_msg(interop_gss_unwrap(&gp, wire, wire_len, &plain, &plain_len) != GSS_S_COMPLETE,
                  "gss_unwrap accepted a message sealed with a restarted key stream");
    free(wire);
    interop_sspi_peer_free(&sp);
    interop_gss_peer_free(&gp);
}
END_TEST

/* The W entry points with a SEC_WINNT_AUTH_IDENTITY_W: user _i. */
START_TEST(test_wide_identity)
{
    const struct interop_user *u = &interop_users[_i];
    interop_sspi_peer c;
    interop_gss_peer s;
    enum interop_result r;
    SECURITY_STATUS st;

    st = interop_sspi_client_init_w(&c, u->user, u->password);
    ck_assert_msg(st == SEC_E_OK, "AcquireCredentialsHandleW: %s", interop_status(st));
    ck_assert_uint_eq(interop_gss_server_init(&s, 0, NULL, 0), GSS_S_COMPLETE);
    r = interop_handshake_sspi_gss(&c, &s);
    ck_assert_msg(r == INTEROP_OK,
                  "handshake (W identity, %s): %s; "
                  "libsspi %s; gss %s",
                  u->user, interop_result_name(r), interop_status(c.status), interop_gss_error(&s));
    interop_traffic(&c, &s, 3);
    interop_sspi_peer_free(&c);
    interop_gss_peer_free(&s);
}
END_TEST

/* Output tokens allocated by the package (ISC/ASC_REQ_ALLOCATE_MEMORY),
 * _i: 0 libsspi client, 1 libsspi server. */
START_TEST(test_allocate_memory)
{
    interop_sspi_peer sp;
    interop_gss_peer gp;
    enum interop_result r;

    if (_i == 0) {
        ck_assert_int_eq(interop_sspi_client_init(&sp, "alice", "Secret123", NULL, 0), SEC_E_OK);
        sp.req |= ISC_REQ_ALLOCATE_MEMORY;
        ck_assert_uint_eq(interop_gss_server_init(&gp, 0, NULL, 0), GSS_S_COMPLETE);
        r = interop_handshake_sspi_gss(&sp, &gp);
    } else {
        ck_assert_uint_eq(interop_gss_client_init(&gp, INTEROP_DOMAIN "\\alice", "Secret123",
                                                  "host@server", INTEROP_GSS_FLAGS, NULL, 0),
                          GSS_S_COMPLETE);
        ck_assert_int_eq(interop_sspi_server_init(&sp, NULL, 0), SEC_E_OK);
        sp.req |= ASC_REQ_ALLOCATE_MEMORY;
        r = interop_handshake_gss_sspi(&gp, &sp);
    }
    ck_assert_msg(r == INTEROP_OK,
                  "handshake with ALLOCATE_MEMORY: %s; "
                  "libsspi %s; gss %s",
                  interop_result_name(r), interop_status(sp.status), interop_gss_error(&gp));
    interop_traffic(&sp, &gp, 3);
    interop_sspi_peer_free(&sp);
    interop_gss_peer_free(&gp);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Setup                                                                */
/* ------------------------------------------------------------------ */

static int interop_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int ret = -1;

    if (f == NULL)
        goto out;
    if (fputs(text, f) < 0) {
        fclose(f);
        goto out;
    }
    if (fclose(f) == 0)
        ret = 0;
out:
    return ret;
}

static int interop_prepare(void)
{
    const char *pkgdir = getenv("LIBSSPI_TEST_PKGDIR");
    char path[2048], module[1024], tmpl[64], text[8192], err[512];
    char *abs = NULL;
    size_t i, used = 0;
    int ret = -1;

    if (pkgdir == NULL || *pkgdir == '\0') {
        fprintf(stderr, "LIBSSPI_TEST_PKGDIR is not set (run through "
                        "make check or set it to <builddir>/src/packages)\n");
        goto out;
    }
    if (strlen(pkgdir) > sizeof(module) - 32) {
        fprintf(stderr, "LIBSSPI_TEST_PKGDIR is too long\n");
        goto out;
    }
    snprintf(module, sizeof(module), "%s/ntlm/.libs/ntlm.so", pkgdir);
    if (access(module, R_OK) != 0) {
        fprintf(stderr, "%s: %s\n", module, strerror(errno));
        goto out;
    }

    snprintf(tmpl, sizeof(tmpl), "%s",
             access("tests", W_OK) == 0 ? "tests/ntlm-interop.XXXXXX" : "ntlm-interop.XXXXXX");
    if (mkdtemp(tmpl) == NULL) {
        fprintf(stderr, "mkdtemp %s: %s\n", tmpl, strerror(errno));
        goto out;
    }
    abs = realpath(tmpl, NULL);
    if (abs == NULL || strlen(abs) >= sizeof(interop_dir) - 32) {
        rmdir(tmpl);
        goto out;
    }
    memcpy(interop_dir, abs, strlen(abs) + 1);

    /* user file shared by both implementations */
    text[0] = '\0';
    for (i = 0; i < sizeof(interop_users) / sizeof(interop_users[0]); i++)
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s:%s:%s\n", INTEROP_DOMAIN,
                                 interop_users[i].user, interop_users[i].password);
    snprintf(path, sizeof(path), "%s/users", interop_dir);
    if (interop_write_file(path, text) != 0)
        goto out;
    if (setenv("NTLM_USER_FILE", path, 1) != 0)
        goto out;

    /* libsspi configuration: only the NTLM package, with that user file */
    snprintf(text, sizeof(text),
             "# written by check-ntlm-interop\n"
             "autoload = no\n"
             "dropin_dir = none\n"
             "check_permissions = no\n"
             "[module]\n"
             "module = %s\n"
             "option.user_file = %s\n"
             "option.netbios_domain = %s\n"
             "option.netbios_computer = SSPIHOST\n",
             module, path, INTEROP_DOMAIN);
    snprintf(path, sizeof(path), "%s/sspi.conf", interop_dir);
    if (interop_write_file(path, text) != 0)
        goto out;
    if (setenv("LIBSSPI_CONFIG", path, 1) != 0)
        goto out;

    /* gss-ntlmssp: mechanism registration and NetBIOS names */
    snprintf(path, sizeof(path), "%s/gss-mech.conf", interop_dir);
    if (interop_gss_setup_mech(path, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    if (setenv("NETBIOS_DOMAIN_NAME", INTEROP_DOMAIN, 1) != 0 ||
        setenv("NETBIOS_COMPUTER_NAME", "GSSHOST", 1) != 0)
        goto out;
    ret = 0;
out:
    free(abs);
    return ret;
}

static void interop_cleanup(void)
{
    static const char *const files[] = {"users", "sspi.conf", "gss-mech.conf"};
    char path[2048];
    size_t i;

    if (interop_dir[0] == '\0' || getenv("INTEROP_KEEP_DIR") != NULL)
        return;
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", interop_dir, files[i]);
        unlink(path);
    }
    rmdir(interop_dir);
}

static Suite *interop_suite(void)
{
    Suite *s = suite_create("ntlm-interop");
    TCase *tc;

    tc = tcase_create("environment");
    tcase_add_test(tc, test_gss_self);
    suite_add_tcase(s, tc);

    tc = tcase_create("sspi-client");
    tcase_add_loop_test(tc, test_sspi_client_gss_server, 0, 2);
    tcase_add_loop_test(tc, test_sspi_client_bad_creds, 0, 2);
    tcase_add_loop_test(tc, test_tamper_sspi_client, 0, 9);
    tcase_add_loop_test(tc, test_cb_sspi_client, 0, 3);
    suite_add_tcase(s, tc);

    tc = tcase_create("sspi-server");
    tcase_add_loop_test(tc, test_gss_client_sspi_server, 0, 2);
    tcase_add_loop_test(tc, test_gss_client_bad_creds, 0, 2);
    tcase_add_loop_test(tc, test_tamper_gss_client, 0, 9);
    tcase_add_loop_test(tc, test_cb_gss_client, 0, 3);
    suite_add_tcase(s, tc);

    tc = tcase_create("wire");
    tcase_add_test(tc, test_wire_sspi_client);
    tcase_add_test(tc, test_wire_gss_client);
    tcase_add_test(tc, test_wire_sspi_client_bad_mic);
    tcase_add_test(tc, test_wire_gss_client_bad_blob);
    suite_add_tcase(s, tc);

    tc = tcase_create("variants");
    tcase_add_test(tc, test_sign_only_sspi_client);
    tcase_add_test(tc, test_sign_only_gss_client);
    tcase_add_loop_test(tc, test_wide_identity, 0, 3);
    tcase_add_loop_test(tc, test_allocate_memory, 0, 2);
    tcase_add_loop_test(tc, test_reset_crypto, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("users");
    tcase_add_loop_test(tc, test_other_users, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (interop_prepare() != 0) {
        interop_cleanup();
        fprintf(stderr, "check-ntlm-interop: setup failed\n");
        return EXIT_FAILURE;
    }
    sr = srunner_create(interop_suite());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    interop_cleanup();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
