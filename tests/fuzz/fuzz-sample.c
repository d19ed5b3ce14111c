/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-sample.c - libFuzzer target for the Sample package's handshake token
 * parsers and its packed-context import, through the public API only.
 * Any status is fine; a crash, leak, out-of-bounds access, a write into the
 * input token, or a broken invariant (abort) is not.
 *
 * Input layout: sel(1) followed by the token.  sel & 3 picks the leg that
 * receives the token:
 *   0  NEGOTIATE: AcceptSecurityContext on a fresh server context
 *   1  CHALLENGE: InitializeSecurityContextA after a real first client leg
 *   2  AUTHENTICATE: AcceptSecurityContext after real legs 1 and 2
 *   3  packed context: ImportSecurityContextA
 * Option bits:
 *   4   legs 0-2: ISC/ASC_REQ_ALLOCATE_MEMORY (the core allocates the output);
 *       leg 3: export the imported context with SECPKG_CONTEXT_EXPORT_DELETE_OLD
 *   8   a SECBUFFER_EMPTY buffer before the input token
 *   16  legs 1-2: after a rejected token, finish with the real token
 *   32  leg 0: the server credential has a 256-character user and no domain
 * Invariants (abort() on violation):
 *   - a fuzzed CHALLENGE or AUTHENTICATE never completes a handshake;
 *   - a rejected token ends the context, as on Windows: the real token no
 *     longer completes it;
 *   - an accepted NEGOTIATE yields a well-formed CHALLENGE;
 *   - an imported context exports back to exactly the imported bytes, and
 *     its session key is the one in the blob.
 *
 * With SAMPLE_FUZZ_CAPTURE=DIR in the environment, initialisation writes
 * seed inputs taken from real handshakes into DIR (the files of
 * tests/fuzz/corpus/sample were made so).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sspi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define LEG_NEGOTIATE    0
#define LEG_CHALLENGE    1
#define LEG_AUTHENTICATE 2
#define LEG_IMPORT       3
#define OPT_ALLOC        4
#define OPT_EMPTY_FIRST  8
#define OPT_FINISH       16
#define OPT_LONG_USER    32

/* Larger than the Sample cbMaxToken. */
#define TOKEN_MAX 2048
#define LONG_NAME 256
/* Packed-context layout (sample-context.c): session key at 176. */
#define PACK_SESSION_KEY 176
#define PACK_KEY_SIZE    32
/* CHALLENGE: 8-byte header, 32-byte nonce, 32-byte proof. */
#define CHALLENGE_SIZE 72

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz-sample: invariant broken at line %d: %s\n", __LINE__, #cond);    \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static CredHandle client_cred, server_cred, long_client_cred, long_server_cred;
static int ready = -1;

static char long_user[LONG_NAME + 1];

static int acquire(const char *user, const char *domain, uint32_t use, CredHandle *cred)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        .User = (unsigned char *)user,
        .UserLength = (uint32_t)strlen(user),
        .Domain = (unsigned char *)domain,
        .DomainLength = (uint32_t)strlen(domain),
        .Password = (unsigned char *)"key",
        .PasswordLength = 3,
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    TimeStamp ts;

    return AcquireCredentialsHandleA(NULL, "Sample", use, NULL, &id, NULL, NULL, cred, &ts) ==
           SEC_E_OK;
}

/* One handshake call with a single input token (or none) and a caller
 * output buffer; *out_len gets the output size. */
static SECURITY_STATUS leg(bool server, CredHandle *cred, CtxtHandle *ctx, CtxtHandle *newctx,
                           const void *in, size_t in_len, uint8_t *out, size_t *out_len)
{
    SecBuffer ib = {(uint32_t)in_len, SECBUFFER_TOKEN, (void *)in};
    SecBuffer ob = {TOKEN_MAX, SECBUFFER_TOKEN, out};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs;
    TimeStamp ts;
    SECURITY_STATUS st;

    if (server)
        st = AcceptSecurityContext(cred, ctx, in != NULL ? &id : NULL, 0, 0, newctx, &od, &attrs,
                                   &ts);
    else
        st = InitializeSecurityContextA(cred, ctx, "fuzz", 0, 0, 0, in != NULL ? &id : NULL, 0,
                                        newctx, &od, &attrs, &ts);
    *out_len = ob.cbBuffer;
    return st;
}

static int setup(void)
{
    const char *dir = getenv("LIBSSPI_TEST_PKGDIR");
    char path[4096];

    memset(long_user, 'u', LONG_NAME);
    long_user[LONG_NAME] = 0;
    snprintf(path, sizeof(path), "%s/sample/.libs/sample.so", dir != NULL ? dir : "src/packages");
    (void)AddSecurityPackageA(path, NULL);
    if (!acquire("fuzz", "D", SECPKG_CRED_OUTBOUND, &client_cred) ||
        !acquire("fuzz", "D", SECPKG_CRED_INBOUND, &server_cred) ||
        !acquire(long_user, "", SECPKG_CRED_OUTBOUND, &long_client_cred) ||
        !acquire(long_user, "", SECPKG_CRED_INBOUND, &long_server_cred)) {
        fprintf(stderr, "fuzz-sample: cannot load %s or acquire credentials\n", path);
        return 0;
    }
    return 1;
}

/* ---- Seed capture ------------------------------------------------------ */

static void write_seed(const char *dir, const char *name, uint8_t sel, const uint8_t *tok,
                       size_t len)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        return;
    }
    fputc(sel, f);
    fwrite(tok, 1, len, f);
    fclose(f);
}

static void export_seed(const char *dir, const char *name, uint8_t sel, CtxtHandle *ctx)
{
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};

    if (ExportSecurityContext(ctx, 0, &packed, NULL) != SEC_E_OK)
        return;
    write_seed(dir, name, sel, packed.pvBuffer, packed.cbBuffer);
    FreeContextBuffer(packed.pvBuffer);
}

/* Run a full handshake between `cc` and `sc` and write its tokens (and the
 * exported contexts) as seeds named `prefix`-*. */
static void capture(const char *dir, const char *prefix, CredHandle *cc, CredHandle *sc,
                    uint8_t extra)
{
    uint8_t neg[TOKEN_MAX], chal[TOKEN_MAX], auth[TOKEN_MAX], none[TOKEN_MAX];
    size_t nlen, clen, alen, olen;
    CtxtHandle cctx, sctx;
    char name[256];

    if (leg(false, cc, NULL, &cctx, NULL, 0, neg, &nlen) != SEC_I_CONTINUE_NEEDED)
        return;
    if (leg(true, sc, NULL, &sctx, neg, nlen, chal, &clen) != SEC_I_CONTINUE_NEEDED) {
        DeleteSecurityContext(&cctx);
        return;
    }
    if (leg(false, NULL, &cctx, &cctx, chal, clen, auth, &alen) == SEC_E_OK &&
        leg(true, NULL, &sctx, &sctx, auth, alen, none, &olen) == SEC_E_OK) {
        snprintf(name, sizeof(name), "%s-negotiate", prefix);
        write_seed(dir, name, LEG_NEGOTIATE | extra, neg, nlen);
        snprintf(name, sizeof(name), "%s-negotiate-options", prefix);
        write_seed(dir, name, LEG_NEGOTIATE | OPT_ALLOC | OPT_EMPTY_FIRST | extra, neg, nlen);
        snprintf(name, sizeof(name), "%s-negotiate-truncated", prefix);
        write_seed(dir, name, LEG_NEGOTIATE | extra, neg, nlen - 1);
        snprintf(name, sizeof(name), "%s-challenge", prefix);
        write_seed(dir, name, LEG_CHALLENGE, chal, clen);
        snprintf(name, sizeof(name), "%s-challenge-finish", prefix);
        write_seed(dir, name, LEG_CHALLENGE | OPT_FINISH | OPT_ALLOC, chal, clen);
        snprintf(name, sizeof(name), "%s-challenge-header", prefix);
        write_seed(dir, name, LEG_CHALLENGE | OPT_FINISH, chal, 8);
        snprintf(name, sizeof(name), "%s-authenticate", prefix);
        write_seed(dir, name, LEG_AUTHENTICATE, auth, alen);
        snprintf(name, sizeof(name), "%s-authenticate-finish", prefix);
        write_seed(dir, name, LEG_AUTHENTICATE | OPT_FINISH | OPT_EMPTY_FIRST, auth, alen);
        snprintf(name, sizeof(name), "%s-import-client", prefix);
        export_seed(dir, name, LEG_IMPORT, &cctx);
        snprintf(name, sizeof(name), "%s-import-server-delete-old", prefix);
        export_seed(dir, name, LEG_IMPORT | OPT_ALLOC, &sctx);
    }
    DeleteSecurityContext(&cctx);
    DeleteSecurityContext(&sctx);
}

/* ---- The legs ---------------------------------------------------------- */

/* Hand the fuzzed token to one handshake call.  The token is passed in
 * place: libFuzzer reports a write into it. */
static SECURITY_STATUS fuzz_leg(bool server, CredHandle *cred, CtxtHandle *ctx, CtxtHandle *newctx,
                                uint8_t sel, const uint8_t *tok, size_t len, SecBuffer *out_token)
{
    static uint8_t out[TOKEN_MAX];
    SecBuffer ib[2] = {{0, SECBUFFER_EMPTY, NULL}, {(uint32_t)len, SECBUFFER_TOKEN, (void *)tok}};
    SecBuffer ob = {TOKEN_MAX, SECBUFFER_TOKEN, out};
    bool alloc = (sel & OPT_ALLOC) != 0;
    SecBufferDesc id = {SECBUFFER_VERSION, 2, ib}, od = {SECBUFFER_VERSION, 1, &ob};
    uint32_t attrs = 0;
    TimeStamp ts;
    SECURITY_STATUS st;

    if ((sel & OPT_EMPTY_FIRST) == 0) {
        id.cBuffers = 1;
        id.pBuffers = &ib[1];
    }
    if (alloc) {
        ob.cbBuffer = 0;
        ob.pvBuffer = NULL;
    }
    if (server)
        st = AcceptSecurityContext(cred, ctx, &id, alloc ? ASC_REQ_ALLOCATE_MEMORY : 0, 0, newctx,
                                   &od, &attrs, &ts);
    else
        st = InitializeSecurityContextA(cred, ctx, "fuzz", alloc ? ISC_REQ_ALLOCATE_MEMORY : 0, 0,
                                        0, &id, 0, newctx, &od, &attrs, &ts);
    *out_token = ob;
    return st;
}

static void free_output(SecBuffer *b, uint8_t sel)
{
    if ((sel & OPT_ALLOC) && b->pvBuffer != NULL)
        FreeContextBuffer(b->pvBuffer);
    b->pvBuffer = NULL;
}

static void fuzz_negotiate(uint8_t sel, const uint8_t *tok, size_t len)
{
    CredHandle *cred = (sel & OPT_LONG_USER) ? &long_server_cred : &server_cred;
    CtxtHandle sctx;
    SecBuffer out;
    SECURITY_STATUS st = fuzz_leg(true, cred, NULL, &sctx, sel, tok, len, &out);

    if (st == SEC_I_CONTINUE_NEEDED) {
        SecPkgContext_NamesA names = {NULL};
        const uint8_t *c = out.pvBuffer;

        CHECK(out.cbBuffer == CHALLENGE_SIZE && c != NULL);
        CHECK(memcmp(c, "SMPL\x01\x02", 6) == 0 && c[6] == CHALLENGE_SIZE && c[7] == 0);
        if (QueryContextAttributesA(&sctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK)
            FreeContextBuffer(names.sUserName);
        DeleteSecurityContext(&sctx);
    }
    free_output(&out, sel);
}

/* A handshake in progress, with the real tokens sent so far. */
struct session {
    CtxtHandle cctx, sctx;
    bool have_sctx;
    uint8_t neg[TOKEN_MAX], chal[TOKEN_MAX];
    size_t nlen, clen;
};

/* The client side after its real first leg, and optionally the server side
 * after the real second leg.  Returns false (nothing left to free) if a
 * real leg fails. */
static bool session_start(struct session *s, bool with_server)
{
    s->have_sctx = false;
    if (leg(false, &client_cred, NULL, &s->cctx, NULL, 0, s->neg, &s->nlen) !=
        SEC_I_CONTINUE_NEEDED)
        return false;
    if (!with_server)
        return true;
    if (leg(true, &server_cred, NULL, &s->sctx, s->neg, s->nlen, s->chal, &s->clen) !=
        SEC_I_CONTINUE_NEEDED) {
        DeleteSecurityContext(&s->cctx);
        return false;
    }
    s->have_sctx = true;
    return true;
}

static void session_end(struct session *s)
{
    DeleteSecurityContext(&s->cctx);
    if (s->have_sctx)
        DeleteSecurityContext(&s->sctx);
}

static void fuzz_challenge(uint8_t sel, const uint8_t *tok, size_t len)
{
    struct session s;
    SecBuffer out;
    SECURITY_STATUS st;

    if (!session_start(&s, false))
        return;
    st = fuzz_leg(false, NULL, &s.cctx, &s.cctx, sel, tok, len, &out);
    free_output(&out, sel);
    CHECK(st != SEC_E_OK);
    if ((sel & OPT_FINISH) && (st == SEC_E_INVALID_TOKEN || st == SEC_E_LOGON_DENIED)) {
        uint8_t auth[TOKEN_MAX];
        size_t alen;

        if (leg(true, &server_cred, NULL, &s.sctx, s.neg, s.nlen, s.chal, &s.clen) ==
            SEC_I_CONTINUE_NEEDED) {
            s.have_sctx = true;
            CHECK(leg(false, NULL, &s.cctx, &s.cctx, s.chal, s.clen, auth, &alen) != SEC_E_OK);
        }
    }
    session_end(&s);
}

static void fuzz_authenticate(uint8_t sel, const uint8_t *tok, size_t len)
{
    struct session s;
    SecBuffer out;
    SECURITY_STATUS st;

    if (!session_start(&s, true))
        return;
    st = fuzz_leg(true, NULL, &s.sctx, &s.sctx, sel, tok, len, &out);
    free_output(&out, sel);
    CHECK(st != SEC_E_OK);
    if ((sel & OPT_FINISH) && (st == SEC_E_INVALID_TOKEN || st == SEC_E_LOGON_DENIED)) {
        uint8_t auth[TOKEN_MAX], none[TOKEN_MAX];
        size_t alen, olen;

        CHECK(leg(false, NULL, &s.cctx, &s.cctx, s.chal, s.clen, auth, &alen) == SEC_E_OK);
        CHECK(leg(true, NULL, &s.sctx, &s.sctx, auth, alen, none, &olen) != SEC_E_OK);
    }
    session_end(&s);
}

static void fuzz_import(uint8_t sel, const uint8_t *tok, size_t len)
{
    SecBuffer in = {(uint32_t)len, SECBUFFER_TOKEN, (void *)tok};
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    SecPkgContext_Sizes sizes;
    SecPkgContext_NamesA names = {NULL};
    SecPkgContext_SessionKey key = {0, NULL};
    SecPkgContext_Lifespan life;
    uint8_t msg[16] = "fuzz-sample msg", trailer[TOKEN_MAX];
    SecBuffer mb[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {TOKEN_MAX, SECBUFFER_TOKEN, trailer}};
    SecBufferDesc md = {SECBUFFER_VERSION, 2, mb};
    CtxtHandle ctx;
    uint32_t qop;
    SECURITY_STATUS st;

    if (ImportSecurityContextA("Sample", &in, NULL, &ctx) != SEC_E_OK)
        return;

    (void)QueryContextAttributesA(&ctx, SECPKG_ATTR_SIZES, &sizes);
    (void)QueryContextAttributesA(&ctx, SECPKG_ATTR_LIFESPAN, &life);
    if (QueryContextAttributesA(&ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK)
        FreeContextBuffer(names.sUserName);
    st = QueryContextAttributesA(&ctx, SECPKG_ATTR_SESSION_KEY, &key);
    CHECK(st == SEC_E_OK && key.SessionKeyLength == PACK_KEY_SIZE);
    CHECK(memcmp(key.SessionKey, tok + PACK_SESSION_KEY, PACK_KEY_SIZE) == 0);
    FreeContextBuffer(key.SessionKey);

    /* Export before any message moves the counters: same bytes back. */
    st = ExportSecurityContext(&ctx, (sel & OPT_ALLOC) ? SECPKG_CONTEXT_EXPORT_DELETE_OLD : 0,
                               &packed, NULL);
    CHECK(st == SEC_E_OK);
    CHECK(packed.cbBuffer == len && memcmp(packed.pvBuffer, tok, len) == 0);
    FreeContextBuffer(packed.pvBuffer);
    if (sel & OPT_ALLOC) {
        /* The old handle is closed. */
        CHECK(MakeSignature(&ctx, 0, &md, 0) == SEC_E_INVALID_HANDLE);
        return;
    }

    (void)MakeSignature(&ctx, 0, &md, 0);
    mb[1].cbBuffer = TOKEN_MAX;
    (void)EncryptMessage(&ctx, 0, &md, 0);
    mb[1].cbBuffer = TOKEN_MAX;
    (void)VerifySignature(&ctx, &md, 0, &qop);
    DeleteSecurityContext(&ctx);
}

/* libFuzzer (and replay.c) call this once: load the plugin, acquire the
 * credentials, and write the seeds if SAMPLE_FUZZ_CAPTURE names a
 * directory.  Always returns 0. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = getenv("SAMPLE_FUZZ_CAPTURE");

    (void)argc;
    (void)argv;
    if (ready < 0)
        ready = setup();
    if (ready == 1 && dir != NULL && *dir != 0) {
        capture(dir, "short", &client_cred, &server_cred, 0);
        capture(dir, "long", &long_client_cred, &long_server_cred, OPT_LONG_USER);
    }
    return 0;
}

/* One input (layout at the top of the file); frees everything it creates,
 * aborts on a broken invariant, always returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ready < 0)
        ready = setup();
    if (ready != 1 || size < 1)
        return 0;
    switch (data[0] & 3) {
    case LEG_NEGOTIATE:
        fuzz_negotiate(data[0], data + 1, size - 1);
        break;
    case LEG_CHALLENGE:
        fuzz_challenge(data[0], data + 1, size - 1);
        break;
    case LEG_AUTHENTICATE:
        fuzz_authenticate(data[0], data + 1, size - 1);
        break;
    default:
        fuzz_import(data[0], data + 1, size - 1);
        break;
    }
    return 0;
}
