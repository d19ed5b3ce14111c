/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-negotiate-machine.c - the Negotiate package's initiator and
 * acceptor against scripted siblings (negotiate-fake.c): optimistic
 * Kerberos, NTLM with mechListMICs both ways and the RC4 resets, fallback
 * before sending, request-mic re-selection, the Microsoft OID echo,
 * PackageList filtering, server-initiated NegTokenInit2, raw first tokens,
 * a third-party negotiable package, rejects, tampered MICs, and every
 * truncation and bit flip of every token of an exchange.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "negotiate-fake.h"
#include "packages/negotiate/negotiate.h"

#define TOK_MAX 4096

struct tok {
    uint8_t data[TOK_MAX];
    size_t len;
};

struct peer {
    LSA_SEC_HANDLE cred, ctx;
    bool initiator;
    ULONG attr;
};

static SECURITY_STATUS acquire(struct peer *p, bool initiator, void *auth)
{
    TimeStamp ts;

    memset(p, 0, sizeof(*p));
    p->initiator = initiator;
    return fake.lsa->AcquireCredentialsHandle(
        NULL, initiator ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND, NULL, auth, NULL, NULL,
        &p->cred, &ts);
}

/* One leg: `in` may be NULL (no input at all). */
static SECURITY_STATUS leg(struct peer *p, const struct tok *in, struct tok *out)
{
    SecBuffer ib = {in ? (ULONG)in->len : 0, SECBUFFER_TOKEN, in ? (void *)in->data : NULL};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {TOK_MAX, SECBUFFER_TOKEN, out->data};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    LSA_SEC_HANDLE newh = p->ctx;
    TimeStamp ts;
    BOOLEAN mapped = 0;
    SecBuffer cdata = {0};
    SECURITY_STATUS st;

    if (p->initiator) {
        UNICODE_STRING target = {12, 14, (PWSTR)u"host/x"};
        st = fake.lsa->InitLsaModeContext(p->cred, p->ctx, &target, ISC_REQ_INTEGRITY, 0,
                                          in ? &id : NULL, &newh, &od, &p->attr, &ts, &mapped,
                                          &cdata);
    } else {
        st = fake.lsa->AcceptLsaModeContext(p->cred, p->ctx, in ? &id : NULL, ASC_REQ_INTEGRITY, 0,
                                            &newh, &od, &p->attr, &ts, &mapped, &cdata);
    }
    ck_assert_int_eq(mapped, 0);
    if (SEC_SUCCESS(st)) {
        if (p->ctx != 0)
            ck_assert_uint_eq(newh, p->ctx); /* one handle for the whole exchange */
        p->ctx = newh;
    }
    out->len = SEC_SUCCESS(st) ? ob.cbBuffer : 0;
    return st;
}

static void peer_free(struct peer *p)
{
    if (p->ctx)
        ck_assert_int_eq(fake.lsa->DeleteContext(p->ctx), SEC_E_OK);
    if (p->cred)
        ck_assert_int_eq(fake.lsa->FreeCredentialsHandle(p->cred), SEC_E_OK);
    p->ctx = p->cred = 0;
}

/* The transcript of an exchange. */
struct run {
    struct tok toks[12];
    SECURITY_STATUS st[12];
    int n;
    SECURITY_STATUS client, server;
};

/* Client and server in turn until both are done or one fails. */
static void exchange(struct peer *c, struct peer *s, struct run *r)
{
    struct tok *t;
    bool client_turn = true;

    memset(r, 0, sizeof(*r));
    r->client = r->server = SEC_I_CONTINUE_NEEDED;
    while (r->n < 12) {
        t = &r->toks[r->n];
        const struct tok *in = r->n ? &r->toks[r->n - 1] : NULL;
        if (client_turn) {
            r->client = r->st[r->n] = leg(c, in, t);
        } else {
            r->server = r->st[r->n] = leg(s, in, t);
        }
        r->n++;
        if (!SEC_SUCCESS(r->st[r->n - 1]))
            return;
        if (t->len == 0)
            return;
        if (r->client == SEC_E_OK && r->server == SEC_E_OK)
            return;
        client_turn = !client_turn;
    }
}

static struct nego_token decode(const struct tok *t)
{
    struct nego_token d;
    SECURITY_STATUS st = t->data[0] == 0x60 ? nego_decode_initial(t->data, t->len, &d)
                                            : nego_decode_next(t->data, t->len, &d);
    ck_assert_int_eq(st, SEC_E_OK);
    return d;
}

static void setup(void)
{
    fake_reset();
    fake_load();
}

static void negotiation_info(struct peer *p, const char16_t *name, ULONG state)
{
    SecPkgContext_NegotiationInfoW ni = {0};

    ck_assert_int_eq(fake.user->QueryContextAttributes(p->ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni),
                     SEC_E_OK);
    ck_assert_ptr_nonnull(ni.PackageInfo);
    size_t n = 0;
    while (name[n])
        n++;
    ck_assert_mem_eq(ni.PackageInfo->Name, name, (n + 1) * sizeof(char16_t));
    ck_assert_uint_eq(ni.NegotiationState, state);
    free(ni.PackageInfo);
}

/* Sign on one side, verify on the other, through the package's slots. */
static void message_pair(struct peer *from, struct peer *to)
{
    uint8_t data[5] = "hello", sig[16];
    SecBuffer b[2] = {{5, SECBUFFER_DATA, data}, {sizeof(sig), SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop;

    ck_assert_int_eq(fake.user->MakeSignature(from->ctx, 0, &d, 0), SEC_E_OK);
    ck_assert_int_eq(fake.user->VerifySignature(to->ctx, &d, 0, &qop), SEC_E_OK);
    data[0] ^= 1;
    ck_assert_int_ne(fake.user->VerifySignature(to->ctx, &d, 0, &qop), SEC_E_OK);
}

/* ---- the normal exchanges ------------------------------------------------------ */

START_TEST(test_kerberos_optimistic)
{
    struct peer c, s;
    struct run r;

    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_int_eq(r.server, SEC_E_OK);
    ck_assert_int_eq(r.n, 3); /* Init, Resp(accept-completed, AP-REP), ISC done */
    ck_assert_int_eq(r.st[0], SEC_I_CONTINUE_NEEDED);

    struct nego_token t0 = decode(&r.toks[0]);
    ck_assert_uint_eq(t0.mech_count, 3); /* MS-KRB5, KRB5, NTLM */
    ck_assert(nego_oid_equal(t0.mechs[0], nego_oid_krb5_ms));
    ck_assert(nego_oid_equal(t0.mechs[1], nego_oid_krb5));
    ck_assert(nego_oid_equal(t0.mechs[2], nego_oid_ntlm));
    ck_assert_ptr_nonnull(t0.mech_token.data);
    struct nego_token t1 = decode(&r.toks[1]);
    ck_assert_int_eq(t1.neg_state, NEGO_ACCEPT_COMPLETED);
    ck_assert(nego_oid_equal(t1.supported_mech, nego_oid_krb5_ms)); /* the MS OID echoed */
    ck_assert_ptr_null(t1.mic.data);
    ck_assert_uint_eq(r.toks[2].len, 0);
    /* NTLM was offered but never started. */
    ck_assert_uint_eq(fake.pkgs[1].inits, 0);
    negotiation_info(&c, u"Kerberos", SECPKG_NEGOTIATION_COMPLETE);
    negotiation_info(&s, u"Kerberos", SECPKG_NEGOTIATION_COMPLETE);
    message_pair(&c, &s);
    message_pair(&s, &c);
    ck_assert_uint_gt(fake.pkgs[0].direct_signs, 0);
    peer_free(&c);
    peer_free(&s);
    ck_assert_uint_eq(fake.pkgs[0].deleted, fake.pkgs[0].created);
}
END_TEST

START_TEST(test_ntlm_with_mics)
{
    struct peer c, s;
    struct run r;

    fake.pkgs[0].acquire_out = SEC_E_NO_CREDENTIALS; /* no ticket cache */
    fake.pkgs[0].acquire_in = SEC_E_NO_CREDENTIALS;  /* no keytab */
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_int_eq(r.server, SEC_E_OK);
    ck_assert_int_eq(r.n, 5);
    ck_assert_int_eq(r.st[2], SEC_I_CONTINUE_NEEDED); /* AUTH + MIC, waits for the server's */
    ck_assert_int_eq(r.st[3], SEC_E_OK);              /* accept-completed + MIC */
    struct nego_token t0 = decode(&r.toks[0]);
    ck_assert_uint_eq(t0.mech_count, 1);
    ck_assert(nego_oid_equal(t0.mechs[0], nego_oid_ntlm));
    struct nego_token t2 = decode(&r.toks[2]);
    ck_assert_ptr_nonnull(t2.response_token.data);
    ck_assert_uint_eq(t2.mic.len, 8);
    struct nego_token t3 = decode(&r.toks[3]);
    ck_assert_int_eq(t3.neg_state, NEGO_ACCEPT_COMPLETED);
    ck_assert_uint_eq(t3.mic.len, 8);
    /* Each side reset its send stream after its MIC, its receive stream
     * after checking the peer's. */
    ck_assert_uint_eq(fake.pkgs[1].resets_out, 2);
    ck_assert_uint_eq(fake.pkgs[1].resets_in, 2);
    ck_assert_uint_eq(fake.pkgs[0].inits, 0);
    message_pair(&c, &s);
    message_pair(&s, &c);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* No ticket for the target (ISC fails before anything is sent). */
START_TEST(test_fallback_before_sending)
{
    struct peer c, s;
    struct run r;

    fake.pkgs[0].first_init = SEC_E_TARGET_UNKNOWN;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_int_eq(r.server, SEC_E_OK);
    struct nego_token t0 = decode(&r.toks[0]);
    ck_assert_uint_eq(t0.mech_count, 1); /* Kerberos left out */
    ck_assert(nego_oid_equal(t0.mechs[0], nego_oid_ntlm));
    negotiation_info(&c, u"NTLM", SECPKG_NEGOTIATION_COMPLETE);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* The acceptor has no keytab: request-mic, NTLM afresh, MICs mandatory. */
START_TEST(test_reselection)
{
    struct peer c, s;
    struct run r;

    fake.pkgs[0].acquire_in = SEC_E_NO_CREDENTIALS;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_int_eq(r.server, SEC_E_OK);
    struct nego_token t1 = decode(&r.toks[1]);
    ck_assert_int_eq(t1.neg_state, NEGO_REQUEST_MIC);
    ck_assert(nego_oid_equal(t1.supported_mech, nego_oid_ntlm));
    ck_assert_ptr_null(t1.response_token.data);
    struct nego_token t2 = decode(&r.toks[2]);
    ck_assert_mem_eq(t2.response_token.data, "NTLMSSP\0C0", 10);
    /* The optimistic Kerberos context was deleted. */
    ck_assert_uint_eq(fake.pkgs[0].created, 1);
    ck_assert_uint_eq(fake.pkgs[0].deleted, 1);
    ck_assert_uint_eq(fake.pkgs[1].resets_out, 2);
    negotiation_info(&c, u"NTLM", SECPKG_NEGOTIATION_COMPLETE);
    message_pair(&c, &s);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* Windows 2003 answers a re-selection with accept-incomplete. */
START_TEST(test_reselection_accept_incomplete_tolerated)
{
    struct peer c;
    struct tok t0, t1, t2;
    struct nego_out resp;

    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(leg(&c, NULL, &t0), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(nego_encode_resp(NEGO_ACCEPT_INCOMPLETE, nego_oid_ntlm,
                                      (struct nego_view){NULL, 0}, (struct nego_view){NULL, 0},
                                      &resp),
                     SEC_E_OK);
    memcpy(t1.data, resp.data, resp.len);
    t1.len = resp.len;
    nego_out_free(&resp);
    ck_assert_int_eq(leg(&c, &t1, &t2), SEC_I_CONTINUE_NEEDED);
    struct nego_token d = decode(&t2);
    ck_assert_mem_eq(d.response_token.data, "NTLMSSP\0C0", 10);
    peer_free(&c);
}
END_TEST

/* A mechanism that completes in one token (Kerberos without mutual). */
START_TEST(test_one_leg_mechanism)
{
    struct peer c, s;
    struct run r;

    fake.pkgs[0].legs = 1;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_int_eq(r.server, SEC_E_OK);
    ck_assert_int_eq(r.st[0], SEC_I_CONTINUE_NEEDED); /* still needs the reply */
    struct nego_token t1 = decode(&r.toks[1]);
    ck_assert_int_eq(t1.neg_state, NEGO_ACCEPT_COMPLETED);
    ck_assert_ptr_null(t1.response_token.data);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* An inner SEC_I_COMPLETE_NEEDED never reaches the caller. */
START_TEST(test_complete_needed_hidden)
{
    struct peer c, s;
    struct run r;

    fake.pkgs[0].acquire_out = SEC_E_NO_CREDENTIALS;
    fake.pkgs[1].complete_needed = true;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    for (int i = 0; i < r.n; i++) {
        ck_assert_int_ne(r.st[i], SEC_I_COMPLETE_NEEDED);
        ck_assert_int_ne(r.st[i], SEC_I_COMPLETE_AND_CONTINUE);
    }
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_int_eq(r.server, SEC_E_OK);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* Without integrity there is no MIC: the client is done with its last token. */
/*
 * Where a sibling writes its tokens: into a buffer of Negotiate's of the
 * sibling's cbMaxToken, never asked to allocate; a sibling that declares
 * no maximum is asked to allocate (ALLOCATE_MEMORY); one that hands back
 * memory of its own anyway is taken and released too; one whose token
 * exceeds its declared maximum fails as it would on its own.
 */
START_TEST(test_sibling_output_buffers)
{
    struct peer c, s;
    struct run r;

    fake.pkgs[0].acquire_out = SEC_E_NO_CREDENTIALS;
    fake.pkgs[0].acquire_in = SEC_E_NO_CREDENTIALS;
    for (int round = 0; round < 4; round++) {
        struct fake_pkg *ntlm = &fake.pkgs[1];
        ntlm->allocate_asked = ntlm->given_min = ntlm->given_max = 0;
        ntlm->max_token = round == 1 ? 0 : round == 3 ? 4 : 1000;
        ntlm->own_memory = round == 2;
        ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
        ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
        exchange(&c, &s, &r);
        if (round == 3) {
            ck_assert_int_eq(r.client, SEC_E_BUFFER_TOO_SMALL);
            ck_assert_int_eq(r.n, 1);
            ck_assert_uint_eq(ntlm->given_max, 4);
        } else {
            ck_assert_int_eq(r.client, SEC_E_OK);
            ck_assert_int_eq(r.server, SEC_E_OK);
            ck_assert_int_eq(r.n, 5);
            ck_assert_uint_eq(ntlm->allocate_asked, round == 1 ? ntlm->inits + ntlm->accepts : 0);
            ck_assert_uint_eq(ntlm->given_min, round == 1 ? 0 : 1000);
            ck_assert_uint_eq(ntlm->given_max, round == 1 ? 0 : 1000);
            struct nego_token t2 = decode(&r.toks[2]);
            ck_assert_uint_eq(t2.response_token.len, 8 + 2); /* "NTLMSSP\0" C2 */
            ck_assert_mem_eq(t2.response_token.data, "NTLMSSP\0C2", 10);
            message_pair(&c, &s);
        }
        peer_free(&c);
        peer_free(&s);
        ntlm->inits = ntlm->accepts = 0;
    }
}
END_TEST

/* One leg with an output token buffer of `room` bytes; `alias`: the
 * output goes to the memory the input is read from (Windows allows it). */
static SECURITY_STATUS leg_in(struct peer *p, struct tok *io, ULONG room, bool alias)
{
    uint8_t *mem = malloc(TOK_MAX);
    SecBuffer ib = {(ULONG)io->len, SECBUFFER_TOKEN, alias ? mem : io->data};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {room, SECBUFFER_TOKEN, mem};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    LSA_SEC_HANDLE newh = p->ctx;
    TimeStamp ts;
    BOOLEAN mapped = 0;
    SecBuffer cdata = {0};
    SECURITY_STATUS st;

    memcpy(mem, io->data, io->len);
    if (p->initiator) {
        UNICODE_STRING target = {12, 14, (PWSTR)u"host/x"};
        st = fake.lsa->InitLsaModeContext(p->cred, p->ctx, &target, ISC_REQ_INTEGRITY, 0,
                                          io->len ? &id : NULL, &newh, &od, &p->attr, &ts, &mapped,
                                          &cdata);
    } else {
        st = fake.lsa->AcceptLsaModeContext(p->cred, p->ctx, &id, ASC_REQ_INTEGRITY, 0, &newh, &od,
                                            &p->attr, &ts, &mapped, &cdata);
    }
    if (SEC_SUCCESS(st))
        p->ctx = newh;
    io->len = SEC_SUCCESS(st) ? ob.cbBuffer : 0;
    memcpy(io->data, mem, io->len);
    free(mem);
    return st;
}

/*
 * The tokens are the same bytes wherever the sibling wrote its own: in the
 * caller's output buffer (room for the sibling's largest token after the
 * SPNEGO fields), in a buffer of Negotiate's (less room, or the output
 * memory is also the input's), or copied from the sibling's own memory.
 */
START_TEST(test_sibling_token_placement)
{
    struct tok want[6], io;
    int nwant = 0;

    fake.pkgs[0].acquire_out = SEC_E_NO_CREDENTIALS;
    fake.pkgs[0].acquire_in = SEC_E_NO_CREDENTIALS;
    for (int round = 0; round < 4; round++) {
        struct peer c, s;
        ULONG room = round == 1 ? 100 : TOK_MAX;
        fake.pkgs[1].own_memory = round == 3;
        ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
        ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
        io.len = 0;
        int n = 0;
        SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
        while (n < 6 && (cs != SEC_E_OK || ss != SEC_E_OK)) {
            struct peer *p = n % 2 ? &s : &c;
            SECURITY_STATUS st = leg_in(p, &io, room, round == 2 && n > 0);
            *(n % 2 ? &ss : &cs) = st;
            ck_assert(SEC_SUCCESS(st));
            if (round == 0)
                want[nwant++] = io;
            ck_assert_uint_eq(io.len, want[n].len);
            ck_assert_mem_eq(io.data, want[n].data, io.len);
            n++;
            if (io.len == 0)
                break;
        }
        ck_assert_int_eq(n, 5);
        ck_assert_int_eq(cs, SEC_E_OK);
        ck_assert_int_eq(ss, SEC_E_OK);
        message_pair(&c, &s);
        peer_free(&c);
        peer_free(&s);
    }
}
END_TEST

START_TEST(test_no_integrity_no_mic)
{
    struct peer c, s;
    struct run r;

    fake.pkgs[0].acquire_out = SEC_E_NO_CREDENTIALS;
    fake.pkgs[1].integrity = false;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.st[2], SEC_E_OK); /* AUTH sent, nothing owed */
    ck_assert_int_eq(r.server, SEC_E_OK);
    ck_assert_uint_eq(fake.pkgs[1].signs, 0);
    struct nego_token t3 = decode(&r.toks[3]);
    ck_assert_int_eq(t3.neg_state, NEGO_ACCEPT_COMPLETED);
    /* The acceptor's last word is still taken after completion. */
    struct tok none;
    ck_assert_int_eq(leg(&c, &r.toks[3], &none), SEC_E_OK);
    ck_assert_uint_eq(none.len, 0);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* ---- package selection ------------------------------------------------------------ */

static SEC_WINNT_AUTH_IDENTITY_EXW ex_identity(const char16_t *list)
{
    size_t n = 0;

    while (list[n])
        n++;
    SEC_WINNT_AUTH_IDENTITY_EXW id = {.Version = SEC_WINNT_AUTH_IDENTITY_VERSION,
                                      .Length = sizeof(SEC_WINNT_AUTH_IDENTITY_EXW),
                                      .User = (unsigned short *)u"user",
                                      .UserLength = 4,
                                      .Password = (unsigned short *)u"pw",
                                      .PasswordLength = 2,
                                      .Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE,
                                      .PackageList = (unsigned short *)list,
                                      .PackageListLength = (ULONG)n};
    return id;
}

START_TEST(test_package_list_excludes_before_acquiring)
{
    struct peer c;
    struct tok t0;
    SEC_WINNT_AUTH_IDENTITY_EXW id = ex_identity(u" !KERBEROS ");

    ck_assert_int_eq(acquire(&c, true, &id), SEC_E_OK);
    ck_assert_uint_eq(fake.pkgs[0].acquired, 0); /* never touched */
    ck_assert_int_eq(leg(&c, NULL, &t0), SEC_I_CONTINUE_NEEDED);
    struct nego_token d = decode(&t0);
    ck_assert_uint_eq(d.mech_count, 1);
    ck_assert(nego_oid_equal(d.mechs[0], nego_oid_ntlm));
    ck_assert_uint_eq(fake.pkgs[0].inits, 0);
    peer_free(&c);
}
END_TEST

START_TEST(test_package_list_positive)
{
    struct peer c;
    SEC_WINNT_AUTH_IDENTITY_EXW id = ex_identity(u"kerberos");

    ck_assert_int_eq(acquire(&c, true, &id), SEC_E_OK);
    ck_assert_uint_eq(fake.pkgs[1].acquired, 0);
    peer_free(&c);
    /* "kerberos,!kerberos" and a list naming nothing: no package left. */
    id = ex_identity(u"kerberos,!kerberos");
    ck_assert_int_eq(acquire(&c, true, &id), SEC_E_NO_CREDENTIALS);
    id = ex_identity(u"nosuch");
    ck_assert_int_eq(acquire(&c, true, &id), SEC_E_NO_CREDENTIALS);
}
END_TEST

START_TEST(test_package_list_parse)
{
    struct nego_package_list l;
    char16_t big[80];

    ck_assert_int_eq(nego_package_list_parse(u"Kerberos, !NTLM,,", 17, &l), SEC_E_OK);
    ck_assert_uint_eq(l.count, 2);
    ck_assert(nego_package_list_allows(&l, u"KERBEROS"));
    ck_assert(!nego_package_list_allows(&l, u"ntlm"));
    ck_assert(!nego_package_list_allows(&l, u"Other"));
    ck_assert_int_eq(nego_package_list_parse(u"!ntlm", 5, &l), SEC_E_OK);
    ck_assert(nego_package_list_allows(&l, u"Other"));
    ck_assert(!nego_package_list_allows(&l, u"NTLM"));
    ck_assert_int_eq(nego_package_list_parse(NULL, 0, &l), SEC_E_OK);
    ck_assert(!l.given);
    ck_assert(nego_package_list_allows(&l, u"x"));
    for (int i = 0; i < 80; i++)
        big[i] = u'a';
    ck_assert_int_eq(nego_package_list_parse(big, 80, &l), SEC_E_INVALID_PARAMETER);
}
END_TEST

/* Any package with SECPKG_FLAG_NEGOTIABLE and an OID takes part. */
START_TEST(test_third_party_package)
{
    static const uint8_t oid[] = {0x06, 0x05, 0x2b, 0x06, 0x01, 0x04, 0x7f};
    static const uint8_t prefix[] = {'T', 'P'};
    struct peer c, s;
    struct run r;

    fake.pkgs[2] = (struct fake_pkg){.name = u"ThirdParty",
                                     .caps = SECPKG_FLAG_NEGOTIABLE,
                                     .legs = 2,
                                     .integrity = true,
                                     .prefix = prefix,
                                     .prefix_len = sizeof(prefix)};
    memcpy(fake.pkgs[2].oid, oid, sizeof(oid));
    fake.pkgs[2].oid_len = sizeof(oid);
    /* A package that is not negotiable never takes part. */
    fake.pkgs[3] = fake.pkgs[2];
    fake.pkgs[3].name = u"NotNegotiable";
    fake.pkgs[3].caps = 0;
    fake.npkgs = 4;
    SEC_WINNT_AUTH_IDENTITY_EXW id = ex_identity(u"!kerberos,!ntlm");
    ck_assert_int_eq(acquire(&c, true, &id), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    ck_assert_uint_eq(fake.pkgs[3].acquired, 0);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_int_eq(r.server, SEC_E_OK);
    struct nego_token t0 = decode(&r.toks[0]);
    ck_assert_uint_eq(t0.mech_count, 1);
    ck_assert_uint_eq(t0.mechs[0].len, sizeof(oid));
    ck_assert_mem_eq(t0.mechs[0].data, oid, sizeof(oid));
    negotiation_info(&c, u"ThirdParty", SECPKG_NEGOTIATION_COMPLETE);
    message_pair(&c, &s);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* Configuration order is the preference: NTLM first when listed first. */
START_TEST(test_configured_order)
{
    struct peer c;
    struct tok t0;
    struct fake_pkg k = fake.pkgs[0];

    fake.pkgs[0] = fake.pkgs[1];
    fake.pkgs[1] = k;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(leg(&c, NULL, &t0), SEC_I_CONTINUE_NEEDED);
    struct nego_token d = decode(&t0);
    ck_assert(nego_oid_equal(d.mechs[0], nego_oid_ntlm));
    ck_assert(nego_oid_equal(d.mechs[1], nego_oid_krb5_ms));
    negotiation_info(&c, u"NTLM", SECPKG_NEGOTIATION_OPTIMISTIC);
    peer_free(&c);
}
END_TEST

/* ---- acceptor specifics ------------------------------------------------------------ */

START_TEST(test_server_initiated)
{
    struct peer c, s;
    struct tok t0, t1, t2, t3, t4, t5;

    fake.pkgs[0].acquire_in = SEC_E_NO_CREDENTIALS; /* the server offers NTLM only */
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    ck_assert_int_eq(leg(&s, NULL, &t0), SEC_I_CONTINUE_NEEDED);
    struct nego_token h = decode(&t0);
    ck_assert_int_eq(h.kind, NEGO_INIT2);
    ck_assert_uint_eq(h.mech_count, 1);
    ck_assert_uint_eq(h.hint_name.len, 36);
    negotiation_info(&s, u"Negotiate", SECPKG_NEGOTIATION_IN_PROGRESS);
    ck_assert_int_eq(leg(&c, &t0, &t1), SEC_I_CONTINUE_NEEDED);
    struct nego_token i = decode(&t1);
    ck_assert_uint_eq(i.mech_count, 1); /* only what the server listed */
    ck_assert(nego_oid_equal(i.mechs[0], nego_oid_ntlm));
    ck_assert_uint_eq(fake.pkgs[0].inits, 0);
    ck_assert_int_eq(leg(&s, &t1, &t2), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&c, &t2, &t3), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&s, &t3, &t4), SEC_E_OK);
    ck_assert_int_eq(leg(&c, &t4, &t5), SEC_E_OK);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

START_TEST(test_raw_ntlmssp_first_token)
{
    struct peer s;
    CtxtHandle raw;
    void *out;
    size_t len;
    struct tok in, t;

    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    ck_assert_int_eq(fake_sibling_init(1, &raw, true, NULL, 0, &out, &len), SEC_I_CONTINUE_NEEDED);
    memcpy(in.data, out, len);
    in.len = len;
    free(out);
    ck_assert_int_eq(leg(&s, &in, &t), SEC_I_CONTINUE_NEEDED);
    ck_assert_mem_eq(t.data, "NTLMSSP\0S1", 10); /* raw answer, no SPNEGO */
    ck_assert_int_eq(fake_sibling_init(1, &raw, false, t.data, t.len, &out, &len), SEC_E_OK);
    memcpy(in.data, out, len);
    in.len = len;
    free(out);
    ck_assert_int_eq(leg(&s, &in, &t), SEC_E_OK);
    ck_assert_uint_eq(t.len, 0);
    negotiation_info(&s, u"NTLM", SECPKG_NEGOTIATION_COMPLETE);
    peer_free(&s);
    free((void *)raw.dwLower);
}
END_TEST

/* Set (value "yes") or clear (NULL) option.raw_ntlm through the package's
 * SpSetExtendedInformation(SecpkgLibsspiConfig). */
static void raw_ntlm_option(const char *value)
{
    SECPKG_LIBSSPI_SETTING setting = {"raw_ntlm", value};
    SECPKG_EXTENDED_INFORMATION info = {.Class = SecpkgLibsspiConfig};

    info.Info.LibsspiConfig.SettingCount = value != NULL ? 1 : 0;
    info.Info.LibsspiConfig.Settings = value != NULL ? &setting : NULL;
    ck_assert_int_eq(fake.lsa->SetExtendedInformation(SecpkgLibsspiConfig, &info), 0);
}

/* option.raw_ntlm: with NTLM alone, bare NTLM tokens both ways (WinPR 2's
 * Negotiate); with Kerberos still possible, SPNEGO as usual. */
START_TEST(test_raw_ntlm_option)
{
    struct peer c, s;
    struct run r;

    raw_ntlm_option("yes");
    fake.pkgs[0].acquire_out = SEC_E_NO_CREDENTIALS; /* no ticket cache */
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_int_eq(r.server, SEC_E_OK);
    ck_assert_int_eq(r.n, 4); /* the acceptor's last leg has no token */
    ck_assert_uint_eq(r.toks[3].len, 0);
    ck_assert_mem_eq(r.toks[0].data, "NTLMSSP\0", 8);
    ck_assert_mem_eq(r.toks[1].data, "NTLMSSP\0", 8);
    ck_assert_mem_eq(r.toks[2].data, "NTLMSSP\0", 8);
    ck_assert_uint_eq(fake.pkgs[1].resets_out + fake.pkgs[1].resets_in, 0); /* no MIC, no reset */
    negotiation_info(&c, u"NTLM", SECPKG_NEGOTIATION_COMPLETE);
    negotiation_info(&s, u"NTLM", SECPKG_NEGOTIATION_COMPLETE);
    message_pair(&c, &s);
    message_pair(&s, &c);
    peer_free(&c);
    peer_free(&s);

    fake.pkgs[0].acquire_out = SEC_E_OK; /* Kerberos is back: SPNEGO */
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.client, SEC_E_OK);
    ck_assert_uint_eq(r.toks[0].data[0], 0x60);
    peer_free(&c);
    peer_free(&s);
    raw_ntlm_option(NULL);
}
END_TEST

START_TEST(test_raw_kerberos_first_token)
{
    struct peer s;
    CtxtHandle raw;
    void *out;
    size_t len;
    struct tok in, t;

    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    ck_assert_int_eq(fake_sibling_init(0, &raw, true, NULL, 0, &out, &len), SEC_I_CONTINUE_NEEDED);
    memcpy(in.data, out, len);
    in.len = len;
    free(out);
    ck_assert_int_eq(leg(&s, &in, &t), SEC_E_OK);
    ck_assert_uint_eq(t.data[0], 0x60); /* the raw AP-REP stand-in */
    negotiation_info(&s, u"Kerberos", SECPKG_NEGOTIATION_COMPLETE);
    peer_free(&s);
    free((void *)raw.dwLower);
}
END_TEST

START_TEST(test_no_common_mechanism)
{
    struct peer c, s;
    struct tok t0, t1;

    fake.pkgs[0].acquire_in = SEC_E_NO_CREDENTIALS;
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    SEC_WINNT_AUTH_IDENTITY_EXW id = ex_identity(u"kerberos");
    ck_assert_int_eq(acquire(&c, true, &id), SEC_E_OK);
    ck_assert_int_eq(leg(&c, NULL, &t0), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&s, &t0, &t1), SEC_E_INVALID_TOKEN);
    ck_assert_uint_eq(s.ctx, 0);
    /* A reject in the first reply is the same for the client. */
    struct nego_out rej;
    ck_assert_int_eq(nego_encode_resp(NEGO_REJECT, (struct nego_view){NULL, 0},
                                      (struct nego_view){NULL, 0}, (struct nego_view){NULL, 0},
                                      &rej),
                     SEC_E_OK);
    memcpy(t1.data, rej.data, rej.len);
    t1.len = rej.len;
    nego_out_free(&rej);
    struct tok t2;
    ck_assert_int_eq(leg(&c, &t1, &t2), SEC_E_INVALID_TOKEN);
    /* The failed leg is final. */
    ck_assert_int_eq(leg(&c, &t1, &t2), SEC_E_OUT_OF_SEQUENCE);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

START_TEST(test_wrong_password)
{
    struct peer c, s;
    struct run r;

    fake.pkgs[0].acquire_out = SEC_E_NO_CREDENTIALS;
    fake.pkgs[1].bad_password = true;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(r.server, SEC_E_LOGON_DENIED);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* ---- MIC defences -------------------------------------------------------------------- */

/* Run an NTLM exchange to the client's AUTH+MIC token, tamper, deliver. */
START_TEST(test_tampered_mic_rejected)
{
    struct peer c, s;
    struct tok t0, t1, t2, t3;

    fake.pkgs[0].acquire_out = SEC_E_NO_CREDENTIALS;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    ck_assert_int_eq(leg(&c, NULL, &t0), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&s, &t0, &t1), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&c, &t1, &t2), SEC_I_CONTINUE_NEEDED);
    t2.data[t2.len - 1] ^= 0x40; /* the last byte is the MIC's */
    ck_assert_int_eq(leg(&s, &t2, &t3), SEC_E_MESSAGE_ALTERED);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* A man in the middle strips Kerberos and the optimistic token from the
 * NegTokenInit: the acceptor then agrees on NTLM, but the client's MIC
 * covers the list it really sent, so the acceptor refuses. */
START_TEST(test_downgrade_caught_by_mic)
{
    struct peer c, s;
    struct tok t0, f, t1, t2, t3, t4, t5;

    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    ck_assert_int_eq(leg(&c, NULL, &t0), SEC_I_CONTINUE_NEEDED);
    struct nego_view only_ntlm[1] = {nego_oid_ntlm};
    struct nego_init_spec spec = {only_ntlm, 1, {NULL, 0}, {NULL, 0}, NULL};
    struct nego_out forged;
    ck_assert_int_eq(nego_encode_init(&spec, &forged, NULL), SEC_E_OK);
    memcpy(f.data, forged.data, forged.len);
    f.len = forged.len;
    nego_out_free(&forged);
    ck_assert_int_eq(leg(&s, &f, &t1), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(decode(&t1).neg_state, NEGO_ACCEPT_INCOMPLETE);
    ck_assert_int_eq(leg(&c, &t1, &t2), SEC_I_CONTINUE_NEEDED); /* switches to NTLM */
    ck_assert_int_eq(leg(&s, &t2, &t3), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&c, &t3, &t4), SEC_I_CONTINUE_NEEDED); /* AUTH + MIC */
    ck_assert_int_eq(leg(&s, &t4, &t5), SEC_E_MESSAGE_ALTERED);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* The acceptor completes without the MIC it owes after a re-selection. */
START_TEST(test_missing_required_mic)
{
    struct peer c, s;
    struct tok t0, t1, t2, t3, t4, t5;

    fake.pkgs[0].acquire_in = SEC_E_NO_CREDENTIALS;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    ck_assert_int_eq(leg(&c, NULL, &t0), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&s, &t0, &t1), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&c, &t1, &t2), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&s, &t2, &t3), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&c, &t3, &t4), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(leg(&s, &t4, &t5), SEC_E_OK);
    struct nego_token d = decode(&t5);
    struct nego_out bare;
    ck_assert_int_eq(nego_encode_resp(NEGO_ACCEPT_COMPLETED, (struct nego_view){NULL, 0},
                                      d.response_token, (struct nego_view){NULL, 0}, &bare),
                     SEC_E_OK);
    struct tok b, none;
    memcpy(b.data, bare.data, bare.len);
    b.len = bare.len;
    nego_out_free(&bare);
    ck_assert_int_eq(leg(&c, &b, &none), SEC_E_INVALID_TOKEN);
    /* The same MIC twice is refused too. */
    peer_free(&c);
    peer_free(&s);
}
END_TEST

/* ---- bad input everywhere ------------------------------------------------------------ */

/* Every prefix and every single-bit flip of every token of a full NTLM
 * exchange, delivered in place of the real one: a defined status, never a
 * crash, and never SEC_E_OK for a damaged MIC-protected leg. */
START_TEST(test_every_token_damaged)
{
    struct peer c, s;
    struct run good;

    fake.pkgs[0].acquire_in = SEC_E_NO_CREDENTIALS; /* re-selection: the longest path */
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &good);
    ck_assert_int_eq(good.client, SEC_E_OK);
    peer_free(&c);
    peer_free(&s);

    for (int victim = 0; victim < good.n; victim++) {
        const struct tok *orig = &good.toks[victim];
        if (orig->len == 0)
            continue;
        for (size_t variant = 0; variant < orig->len * 9 + 1; variant++) {
            struct peer pc, ps;
            struct tok prev, cur, out;
            SECURITY_STATUS st = SEC_E_OK;

            ck_assert_int_eq(acquire(&pc, true, NULL), SEC_E_OK);
            ck_assert_int_eq(acquire(&ps, false, NULL), SEC_E_OK);
            for (int i = 0; i <= victim; i++) {
                st = leg(i % 2 == 0 ? &pc : &ps, i ? &prev : NULL, &cur);
                ck_assert(SEC_SUCCESS(st));
                prev = cur;
            }
            /* Damage the victim and hand it to the other side. */
            if (variant < orig->len)
                cur.len = variant; /* truncated */
            else if (variant < orig->len * 9)
                cur.data[(variant - orig->len) / 8] ^= (uint8_t)(1u << ((variant - orig->len) % 8));
            else
                cur.len = 0;
            st = leg(victim % 2 == 0 ? &ps : &pc, &cur, &out);
            ck_assert_msg(st == SEC_E_INVALID_TOKEN || st == SEC_E_MESSAGE_ALTERED ||
                              st == SEC_E_LOGON_DENIED || st == SEC_E_OUT_OF_SEQUENCE ||
                              st == SEC_I_CONTINUE_NEEDED || st == SEC_E_OK,
                          "victim %d variant %zu: 0x%08x", victim, variant, (unsigned)st);
            /* Only bit flips may pass (an empty first token asks the
             * acceptor to speak first, which is right). */
            if ((st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) && !(victim == 0 && cur.len == 0))
                ck_assert_msg(variant >= orig->len && variant < orig->len * 9,
                              "victim %d: a truncated or empty token was taken", victim);
            peer_free(&pc);
            peer_free(&ps);
        }
    }
}
END_TEST

START_TEST(test_bad_handles_and_arguments)
{
    struct peer c;
    struct tok t;
    LSA_SEC_HANDLE h = 0;
    ULONG attr;
    TimeStamp ts;
    BOOLEAN mapped;
    SecBuffer ob = {TOK_MAX, SECBUFFER_TOKEN, t.data};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecBuffer cd = {0};

    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    /* A credential where a context belongs, and the other way round. */
    ck_assert_int_eq(fake.lsa->InitLsaModeContext(c.cred, c.cred, NULL, 0, 0, NULL, &h, &od, &attr,
                                                  &ts, &mapped, &cd),
                     SEC_E_INVALID_HANDLE);
    ck_assert_int_eq(leg(&c, NULL, &t), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(
        fake.lsa->InitLsaModeContext(c.ctx, 0, NULL, 0, 0, NULL, &h, &od, &attr, &ts, &mapped, &cd),
        SEC_E_INVALID_HANDLE);
    /* The initiator's context given to the acceptor. */
    ck_assert_int_eq(fake.lsa->AcceptLsaModeContext(c.cred, c.ctx, NULL, 0, 0, &h, &od, &attr, &ts,
                                                    &mapped, &cd),
                     SEC_E_INVALID_HANDLE);
    /* Per-message calls before completion. */
    uint8_t sig[8];
    SecBuffer b = {8, SECBUFFER_TOKEN, sig};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    ck_assert_int_eq(fake.user->MakeSignature(c.ctx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    ck_assert_int_eq(fake.user->MakeSignature(c.cred, 0, &d, 0), SEC_E_INVALID_HANDLE);
    ck_assert_int_eq(fake.user->QueryContextAttributes(c.ctx, SECPKG_ATTR_SIZES, NULL),
                     STATUS_INVALID_PARAMETER);
    ck_assert_int_eq(fake.lsa->AcquireCredentialsHandle(NULL, 0, NULL, NULL, NULL, NULL, &h, &ts),
                     SEC_E_UNKNOWN_CREDENTIALS);
    /* No output buffer at all. */
    ck_assert_int_eq(fake.lsa->InitLsaModeContext(c.cred, 0, NULL, 0, 0, NULL, &h, NULL, &attr, &ts,
                                                  &mapped, &cd),
                     SEC_E_BUFFER_TOO_SMALL);
    peer_free(&c);
    ck_assert_int_eq(fake.lsa->DeleteContext(0), STATUS_INVALID_HANDLE);
}
END_TEST

/* ---- attributes, export/import ------------------------------------------------------- */

START_TEST(test_attributes_forwarded)
{
    struct peer c, s;
    struct run r;
    SecPkgContext_Sizes sz;
    SecPkgContext_NamesW names;
    SecPkgContext_PackageInfoW pi;

    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(fake.user->QueryContextAttributes(c.ctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxToken, 1000); /* the sibling's, not Negotiate's */
    ck_assert_uint_eq(sz.cbMaxSignature, 8);
    ck_assert_int_eq(fake.user->QueryContextAttributes(s.ctx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    free(names.sUserName);
    ck_assert_int_eq(fake.user->QueryContextAttributes(c.ctx, SECPKG_ATTR_NEGOTIATION_PACKAGE, &pi),
                     SEC_E_OK);
    ck_assert_mem_eq(pi.PackageInfo->Name, u"Kerberos", 18);
    free(pi.PackageInfo);
    ck_assert_int_eq(fake.user->QueryContextAttributes(c.ctx, SECPKG_ATTR_PACKAGE_INFO, &pi),
                     SEC_E_OK);
    ck_assert_mem_eq(pi.PackageInfo->Name, u"Negotiate", 20);
    ck_assert_uint_eq(pi.PackageInfo->wRPCID, 9);
    ck_assert_uint_eq(pi.PackageInfo->fCapabilities, 0x3BB3);
    free(pi.PackageInfo);
    ck_assert_int_eq(fake.user->QueryContextAttributes(c.ctx, SECPKG_ATTR_KEY_INFO, &pi),
                     SEC_E_UNSUPPORTED_FUNCTION);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

START_TEST(test_export_import)
{
    struct peer c, s;
    struct run r;
    SecBuffer packed = {0};
    LSA_SEC_HANDLE imported = 0;

    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    ck_assert_int_eq(fake.user->ExportContext(c.ctx, 0, &packed, NULL), SEC_E_OK);
    ck_assert_uint_gt(packed.cbBuffer, 16);
    ck_assert_int_eq(fake.user->ImportContext(&packed, NULL, &imported), SEC_E_OK);
    struct peer ip = {.ctx = imported};
    message_pair(&ip, &s);
    negotiation_info(&ip, u"Kerberos", SECPKG_NEGOTIATION_COMPLETE);
    ck_assert_int_eq(fake.user->DeleteUserModeContext(imported), SEC_E_OK);
    /* Damaged blobs: every truncation and a wrong magic. */
    for (ULONG n = 0; n < packed.cbBuffer; n++) {
        SecBuffer cut = {n, SECBUFFER_EMPTY, packed.pvBuffer};
        ck_assert_int_eq(fake.user->ImportContext(&cut, NULL, &imported), SEC_E_INVALID_TOKEN);
    }
    ((uint8_t *)packed.pvBuffer)[0] ^= 1;
    ck_assert_int_eq(fake.user->ImportContext(&packed, NULL, &imported), SEC_E_INVALID_TOKEN);
    free(packed.pvBuffer);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

START_TEST(test_services_fallback_when_no_direct_target)
{
    struct peer c, s;
    struct run r;

    fake.no_direct = true;
    ck_assert_int_eq(acquire(&c, true, NULL), SEC_E_OK);
    ck_assert_int_eq(acquire(&s, false, NULL), SEC_E_OK);
    exchange(&c, &s, &r);
    message_pair(&c, &s);
    ck_assert_uint_eq(fake.pkgs[0].direct_signs, 0);
    ck_assert_uint_gt(fake.pkgs[0].signs, 0);
    peer_free(&c);
    peer_free(&s);
}
END_TEST

static Suite *machine_suite(void)
{
    Suite *s = suite_create("negotiate-machine");
    TCase *tc = tcase_create("exchanges");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_kerberos_optimistic);
    tcase_add_test(tc, test_ntlm_with_mics);
    tcase_add_test(tc, test_fallback_before_sending);
    tcase_add_test(tc, test_reselection);
    tcase_add_test(tc, test_reselection_accept_incomplete_tolerated);
    tcase_add_test(tc, test_one_leg_mechanism);
    tcase_add_test(tc, test_complete_needed_hidden);
    tcase_add_test(tc, test_no_integrity_no_mic);
    tcase_add_test(tc, test_sibling_output_buffers);
    tcase_add_test(tc, test_sibling_token_placement);
    suite_add_tcase(s, tc);

    tc = tcase_create("selection");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_package_list_excludes_before_acquiring);
    tcase_add_test(tc, test_package_list_positive);
    tcase_add_test(tc, test_package_list_parse);
    tcase_add_test(tc, test_third_party_package);
    tcase_add_test(tc, test_configured_order);
    suite_add_tcase(s, tc);

    tc = tcase_create("acceptor");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_server_initiated);
    tcase_add_test(tc, test_raw_ntlmssp_first_token);
    tcase_add_test(tc, test_raw_ntlm_option);
    tcase_add_test(tc, test_raw_kerberos_first_token);
    tcase_add_test(tc, test_no_common_mechanism);
    tcase_add_test(tc, test_wrong_password);
    suite_add_tcase(s, tc);

    tc = tcase_create("defences");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_tampered_mic_rejected);
    tcase_add_test(tc, test_downgrade_caught_by_mic);
    tcase_add_test(tc, test_missing_required_mic);
    tcase_add_test(tc, test_every_token_damaged);
    tcase_add_test(tc, test_bad_handles_and_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("context");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_attributes_forwarded);
    tcase_add_test(tc, test_export_import);
    tcase_add_test(tc, test_services_fallback_when_no_direct_target);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(machine_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
