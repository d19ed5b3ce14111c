/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-ntlm-peers: the NTLM acceptor (AcceptSecurityContext) against two
 * independent NTLM clients run as separate programs.
 *
 * Samba's NTLMSSP client, through `ntlm_auth --helper-protocol=
 * ntlmssp-client-1` (Debian package winbind; winbindd need not run).  The
 * helper protocol is line based: "SF <features>" -> "OK" (before the first
 * YR), "YR" -> "YR <base64 NEGOTIATE>", "TT <base64 CHALLENGE>" ->
 * "AF <base64 AUTHENTICATE>" (Samba 4.17 says AF for its last token; KK is
 * accepted too), then "GK" -> "GK <base64 session key>" and "GF" ->
 * "GF 0x<flags>".  Every case decodes the client's NEGOTIATE and
 * AUTHENTICATE to prove it tested what it claims (flags, kind of response,
 * MIC announced), then checks the status of AcceptSecurityContext and, on
 * success: SECPKG_ATTR_NAMES ("DOMAIN\user" as the user file spells the
 * account, whatever case the client used); ASC_RET_CONFIDENTIALITY and
 * ASC_RET_INTEGRITY only for the SEAL and SIGN flags the client agreed to;
 * and Samba's session key equal to our SECPKG_ATTR_SESSION_KEY byte for
 * byte, which proves that key derivation and key exchange agree.
 *
 * The Samba cases (peers_samba_cases): Samba's defaults (NTLMv2, ESS, key
 * exchange, 128-bit, no SIGN/SEAL); SIGN+SEAL with an announced MIC; SIGN
 * only; SIGN+SEAL with a MIC byte flipped (refused); no key exchange with
 * and without SIGN/SEAL; key exchange negotiated without SIGN/SEAL and no
 * EncryptedRandomSessionKey, as MS-NLMP clients do it; 56-bit; 40-bit; OEM
 * strings (also with a non-ASCII user name); NTLMv1 with ESS and without,
 * each with and without key exchange, with a real LM response and with
 * LM_KEY, each refused by default and accepted, with matching keys, by a
 * child process (this program re-executed with --v1 CASE, as options are
 * read once per process) whose configuration sets option.allow_ntlmv1 =
 * yes; wrong password; unknown user; non-ASCII password (right and wrong);
 * a user file line with an NT hash; a non-ASCII user name; user and domain
 * in another case than in the user file.  Samba cannot produce an NTLMv2
 * response without ESS (ntlmssp_client:ntlm2=no turns NTLMv2 off too) nor
 * an LM-only response (it always sends an NT response), so those are not
 * covered here.
 *
 * curl's NTLM client (`curl --ntlm`, Debian package curl; NTLMv2, no key
 * exchange) against a small HTTP server in a thread of this program
 * (peer-http.c) that runs each Authorization: NTLM token through
 * AcceptSecurityContext and answers 200 with the authenticated name:
 * ASCII, Latin-1 and upper-case user names, no domain (and no
 * ASC_RET_INTEGRITY, as curl does not sign); a wrong password and an
 * unknown user get 401 and SEC_E_LOGON_DENIED.
 *
 * Setup done by main() before any test: a scratch directory
 * tests/ntlm-peers.XXXXXX under the current directory (removed at exit;
 * PEERS_KEEP_DIR=1 keeps it) with the user file (DOMAIN:user:password
 * lines), an empty smb.conf (ntlm_auth --configfile, so no system Samba
 * configuration is needed), a HOME for the clients, and two libsspi
 * configurations (LIBSSPI_CONFIG): sspi.conf (defaults) and sspi-v1.conf
 * (option.allow_ntlmv1 = yes).
 *
 * Needs the Debian packages winbind (/usr/bin/ntlm_auth) and curl
 * (/usr/bin/curl); a missing program fails the tests that use it.  Other
 * paths: PEERS_NTLM_AUTH, PEERS_CURL.
 * By hand, from the build directory:
 *   make check TESTS=tests/check-ntlm-peers
 * or LIBSSPI_TEST_PKGDIR=$PWD/src/packages ./tests/check-ntlm-peers
 * (CK_FORK=no, CK_RUN_CASE=samba|samba-ntlmv1|curl, LIBSSPI_DEBUG=stderr).
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sspi.h"
#include "libsspi.h"

#include "peer-http.h"
#include "peer-util.h"

#define PEERS_DOMAIN   "INTEROP"
#define PEERS_LINE_MAX 16384

#define PEERS_ASC_FLAGS                                                                            \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |                         \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

/* Samba's feature names for "SF": with them the client asks for SIGN and
 * SEAL and, as the CHALLENGE has MsvAvTimestamp, announces a MIC. */
#define PEERS_SIGN_SEAL "NTLMSSP_FEATURE_SESSION_KEY NTLMSSP_FEATURE_SIGN NTLMSSP_FEATURE_SEAL"

/* The user file; carol's password is not ASCII, erin's fits in Latin-1
 * (curl sends the bytes of its password as Latin-1), jörg's name is not
 * ASCII and dave has an NT hash instead of a password. */
static const char peers_users[] = PEERS_DOMAIN
    ":alice:Secret123\n" PEERS_DOMAIN ":carol:P\xc3\xa4ssw\xc3\xb6rd-\xe2\x82\xac\n" PEERS_DOMAIN
    ":erin:Gr\xc3\xbc\xc3\x9f"
    "e!\n" PEERS_DOMAIN ":j\xc3\xb6rg:Secret123\n" PEERS_DOMAIN
    ":dave:NT:8846f7eaee8fb117ad06bdd830b7586c\n"; /* "password" */

static char peers_dir[1024];
static char peers_home[1100];
static char peers_smbconf[1100];
static char peers_conf[1100];
static char peers_conf_v1[1100];
static char peers_self[1024];
static int peers_in_child; /* running as the --v1 child */

extern char **environ;

static const char *peers_status(SECURITY_STATUS s)
{
    static char buf[96];
    const char *name = libsspi_status_name(s);

    snprintf(buf, sizeof(buf), "%s (0x%08x)", name ? name : "?", (unsigned)s);
    return buf;
}

static const char *peers_prog(const char *env, const char *dflt, const char *package)
{
    const char *p = getenv(env);

    if (p == NULL || *p == '\0')
        p = dflt;
    ck_assert_msg(access(p, X_OK) == 0, "%s: %s; install the Debian package %s (or set %s)", p,
                  strerror(errno), package, env);
    return p;
}

static void peers_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ------------------------------------------------------------------ */
/* The acceptor                                                         */
/* ------------------------------------------------------------------ */

struct peers_server {
    CredHandle cred;
    CtxtHandle ctx;
    int have_ctx;
    uint32_t attrs;
};

static void peers_server_init(struct peers_server *s)
{
    TimeStamp expiry;
    SECURITY_STATUS st;

    memset(s, 0, sizeof(*s));
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                   NULL, &s->cred, &expiry);
    ck_assert_msg(st == SEC_E_OK, "AcquireCredentialsHandleA(NTLM, INBOUND): %s", peers_status(st));
}

/* One AcceptSecurityContext leg; *out (malloc()ed) gets the output token. */
static SECURITY_STATUS peers_accept(struct peers_server *s, const uint8_t *in, size_t in_len,
                                    uint8_t **out, size_t *out_len)
{
    uint8_t tok[4096];
    SecBuffer inb = {(uint32_t)in_len, SECBUFFER_TOKEN, (void *)in};
    SecBuffer outb = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc indesc = {SECBUFFER_VERSION, 1, &inb};
    SecBufferDesc outdesc = {SECBUFFER_VERSION, 1, &outb};
    TimeStamp expiry;
    SECURITY_STATUS st;

    st = AcceptSecurityContext(&s->cred, s->have_ctx ? &s->ctx : NULL, &indesc, PEERS_ASC_FLAGS,
                               SECURITY_NATIVE_DREP, &s->ctx, &outdesc, &s->attrs, &expiry);
    if (st == SEC_I_CONTINUE_NEEDED || st == SEC_E_OK)
        s->have_ctx = 1;
    if (out != NULL) {
        *out = NULL;
        *out_len = 0;
        if (st == SEC_I_CONTINUE_NEEDED) {
            ck_assert_uint_gt(outb.cbBuffer, 0);
            ck_assert_uint_le(outb.cbBuffer, sizeof(tok));
            *out = malloc(outb.cbBuffer);
            ck_assert_ptr_nonnull(*out);
            memcpy(*out, tok, outb.cbBuffer);
            *out_len = outb.cbBuffer;
        }
    }
    return st;
}

/* SECPKG_ATTR_NAMES must name `want` ("DOMAIN\user" as the user file
 * spells them, whatever case the client used), and so must the client name of
 * SECPKG_ATTR_NATIVE_NAMES; its server name is the client's target name
 * `server` ("" when the client sent none, NULL: not checked). */
static void peers_check_names(CtxtHandle *ctx, const char *want, const char *server)
{
    SecPkgContext_NamesA names = {NULL};
    SecPkgContext_NativeNamesA native = {NULL, NULL};
    SECURITY_STATUS st;

    st = QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names);
    ck_assert_msg(st == SEC_E_OK, "QueryContextAttributesA(NAMES): %s", peers_status(st));
    ck_assert_ptr_nonnull(names.sUserName);
    ck_assert_msg(strcmp(names.sUserName, want) == 0, "NAMES is \"%s\", expected \"%s\"",
                  names.sUserName, want);
    st = QueryContextAttributesA(ctx, SECPKG_ATTR_NATIVE_NAMES, &native);
    ck_assert_msg(st == SEC_E_OK, "QueryContextAttributesA(NATIVE_NAMES): %s", peers_status(st));
    ck_assert_ptr_nonnull(native.sClientName);
    ck_assert_ptr_nonnull(native.sServerName);
    ck_assert_str_eq(native.sClientName, names.sUserName);
    if (server != NULL)
        ck_assert_msg(strcmp(native.sServerName, server) == 0,
                      "NATIVE_NAMES server name \"%s\", expected \"%s\"", native.sServerName,
                      server);
    FreeContextBuffer(names.sUserName);
    FreeContextBuffer(native.sClientName);
    FreeContextBuffer(native.sServerName);
}

static void peers_server_free(struct peers_server *s)
{
    if (s->have_ctx)
        DeleteSecurityContext(&s->ctx);
    FreeCredentialsHandle(&s->cred);
    memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------------ */
/* Samba's ntlm_auth                                                    */
/* ------------------------------------------------------------------ */

enum peers_resp {
    PEERS_NTLMV2,     /* NTLMv2 response (blob) */
    PEERS_NTLMV1_ESS, /* 24-byte NT response, ESS, client challenge in LM */
    PEERS_NTLMV1,     /* 24-byte NT response, no ESS */
};

struct peers_samba_case {
    const char *name;
    const char *user, *domain, *password; /* given to ntlm_auth */
    const char *options[5];               /* --option=... */
    const char *target_service;           /* --target-service, or NULL */
    const char *target_host;              /* --target-hostname */
    const char *features;                 /* "SF" line, NULL for none */
    uint32_t want_neg;                    /* NEGOTIATE flags */
    uint32_t want_set, want_clear;        /* AUTHENTICATE flags */
    uint32_t want_set_v1;                 /* ... when NTLMv1 is allowed */
    enum peers_resp resp;
    int lm_real;               /* LM response is not the NT one */
    int need_mic;              /* MsvAvFlags must announce a MIC */
    int tamper_mic;            /* flip a byte of the MIC */
    int add_key_exch;          /* set KEY_EXCH in the NEGOTIATE and
                                * AUTHENTICATE (no key is sent) */
    SECURITY_STATUS expect;    /* default configuration */
    int v1;                    /* also run with allow_ntlmv1 = yes */
    SECURITY_STATUS expect_v1; /* ... expecting this */
    const char *names;         /* expected NAMES on success */
    const char *server_name;   /* expected NATIVE_NAMES sServerName */
};

#define PEERS_V2                                                                                   \
    (PEER_NEGOTIATE_UNICODE | PEER_NEGOTIATE_NTLM | PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY |      \
     PEER_NEGOTIATE_VERSION)
#define PEERS_SS (PEER_NEGOTIATE_SIGN | PEER_NEGOTIATE_SEAL)

#define PEERS_ALICE    .user = "alice", .domain = PEERS_DOMAIN, .password = "Secret123"
#define PEERS_CAROL_PW "P\xc3\xa4ssw\xc3\xb6rd-\xe2\x82\xac"
#define PEERS_V1_OPTS  "client ntlmv2 auth=no", "ntlmssp_client:ntlm2=no"
#define PEERS_V1_FLAGS (PEER_NEGOTIATE_UNICODE | PEER_NEGOTIATE_NTLM | PEERS_SS)

static const struct peers_samba_case peers_samba_cases[] = {
    /* Samba's defaults: NTLMv2, ESS, key exchange, 128-bit; no SIGN/SEAL,
     * so the acceptor drops 128 (MS-NLMP 2.2.2.5: then it is ignored) */
    {.name = "default",
     PEERS_ALICE,
     .want_neg = PEERS_V2 | PEER_NEGOTIATE_KEY_EXCH | PEER_NEGOTIATE_128,
     .want_set = PEERS_V2 | PEER_NEGOTIATE_KEY_EXCH,
     .want_clear = PEERS_SS,
     .resp = PEERS_NTLMV2,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice",
     .server_name = ""},
    /* SIGN and SEAL asked for: the MIC is announced in MsvAvFlags and checked */
    {.name = "sign-seal",
     PEERS_ALICE,
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS | PEER_NEGOTIATE_KEY_EXCH | PEER_NEGOTIATE_128,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* SIGN without SEAL: integrity but no confidentiality */
    {.name = "sign-only",
     PEERS_ALICE,
     .features = "NTLMSSP_FEATURE_SIGN",
     .want_set = PEERS_V2 | PEER_NEGOTIATE_SIGN | PEER_NEGOTIATE_KEY_EXCH,
     .want_clear = PEER_NEGOTIATE_SEAL,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* the same with one MIC byte flipped in flight */
    {.name = "bad-mic",
     PEERS_ALICE,
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS | PEER_NEGOTIATE_KEY_EXCH,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .tamper_mic = 1,
     .expect = SEC_E_MESSAGE_ALTERED},
    /* no key exchange: the session key is the key-exchange key */
    {.name = "no-keyexchange",
     PEERS_ALICE,
     .options = {"ntlmssp_client:keyexchange=no"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS | PEER_NEGOTIATE_128,
     .want_clear = PEER_NEGOTIATE_KEY_EXCH,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* no key exchange and no SIGN/SEAL */
    {.name = "no-keyexchange-plain",
     PEERS_ALICE,
     .options = {"ntlmssp_client:keyexchange=no"},
     .want_set = PEERS_V2,
     .want_clear = PEER_NEGOTIATE_KEY_EXCH | PEERS_SS,
     .resp = PEERS_NTLMV2,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* an MS-NLMP client that negotiated key exchange without SIGN or SEAL
     * sends no EncryptedRandomSessionKey (3.1.5.1.2) and the session key is
     * the key-exchange key (3.2.5.1.2): Samba without key exchange, with
     * KEY_EXCH added to its NEGOTIATE and AUTHENTICATE flags in flight (no
     * MIC is announced without SIGN/SEAL, so nothing notices) */
    {.name = "keyexchange-no-key",
     PEERS_ALICE,
     .options = {"ntlmssp_client:keyexchange=no"},
     .add_key_exch = 1,
     .want_set = PEERS_V2 | PEER_NEGOTIATE_KEY_EXCH,
     .want_clear = PEERS_SS,
     .resp = PEERS_NTLMV2,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* 56-bit instead of 128-bit */
    {.name = "56bit",
     PEERS_ALICE,
     .options = {"ntlmssp_client:128bit=no", "ntlmssp_client:56bit=yes"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS | PEER_NEGOTIATE_56 | PEER_NEGOTIATE_KEY_EXCH,
     .want_clear = PEER_NEGOTIATE_128,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* neither 128 nor 56: 40-bit */
    {.name = "40bit",
     PEERS_ALICE,
     .options = {"ntlmssp_client:128bit=no"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS | PEER_NEGOTIATE_KEY_EXCH,
     .want_clear = PEER_NEGOTIATE_128 | PEER_NEGOTIATE_56,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* OEM strings instead of Unicode */
    {.name = "oem",
     PEERS_ALICE,
     .options = {"ntlmssp_client:unicode=no"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEER_NEGOTIATE_OEM | PEER_NEGOTIATE_NTLM | PEERS_SS |
                 PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY,
     .want_clear = PEER_NEGOTIATE_UNICODE,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* OEM strings with a non-ASCII user name: the acceptor reads OEM
     * strings as Latin-1, so the client's OEM code page ("dos charset",
     * CP850 by default) is set to match */
    {.name = "oem-non-ascii-latin1",
     .user = "J\xc3\x96RG",
     .domain = PEERS_DOMAIN,
     .password = "Secret123",
     .options = {"ntlmssp_client:unicode=no", "dos charset=ISO-8859-1"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEER_NEGOTIATE_OEM | PEER_NEGOTIATE_NTLM | PEERS_SS,
     .want_clear = PEER_NEGOTIATE_UNICODE,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\j\xc3\xb6rg"},
    /* NTLMv1 with extended session security */
    {.name = "ntlmv1-ess",
     PEERS_ALICE,
     .options = {"client ntlmv2 auth=no"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS | PEER_NEGOTIATE_KEY_EXCH | PEER_NEGOTIATE_128,
     .resp = PEERS_NTLMV1_ESS,
     .expect = SEC_E_LOGON_DENIED,
     .v1 = 1,
     .expect_v1 = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* NTLMv1 with ESS, no key exchange: the key is HMAC_MD5 of the base key */
    {.name = "ntlmv1-ess-no-keyexchange",
     PEERS_ALICE,
     .options = {"client ntlmv2 auth=no", "ntlmssp_client:keyexchange=no"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS,
     .want_clear = PEER_NEGOTIATE_KEY_EXCH,
     .resp = PEERS_NTLMV1_ESS,
     .expect = SEC_E_LOGON_DENIED,
     .v1 = 1,
     .expect_v1 = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* NTLMv1 without extended session security */
    {.name = "ntlmv1",
     PEERS_ALICE,
     .options = {PEERS_V1_OPTS},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V1_FLAGS | PEER_NEGOTIATE_KEY_EXCH,
     .want_clear = PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY | PEER_NEGOTIATE_LM_KEY,
     .resp = PEERS_NTLMV1,
     .expect = SEC_E_LOGON_DENIED,
     .v1 = 1,
     .expect_v1 = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* NTLMv1 without ESS or key exchange: the key is MD4(NT hash) */
    {.name = "ntlmv1-no-keyexchange",
     PEERS_ALICE,
     .options = {PEERS_V1_OPTS, "ntlmssp_client:keyexchange=no"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V1_FLAGS,
     .want_clear =
         PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY | PEER_NEGOTIATE_KEY_EXCH | PEER_NEGOTIATE_LM_KEY,
     .resp = PEERS_NTLMV1,
     .expect = SEC_E_LOGON_DENIED,
     .v1 = 1,
     .expect_v1 = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* NTLMv1 with a real LM response ("client lanman auth") */
    {.name = "ntlmv1-lm-response",
     PEERS_ALICE,
     .options = {PEERS_V1_OPTS, "client lanman auth=yes"},
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V1_FLAGS | PEER_NEGOTIATE_KEY_EXCH,
     .want_clear = PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY | PEER_NEGOTIATE_LM_KEY,
     .resp = PEERS_NTLMV1,
     .lm_real = 1,
     .expect = SEC_E_LOGON_DENIED,
     .v1 = 1,
     .expect_v1 = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* NTLMv1 with LM_KEY, which the acceptor grants only with NTLMv1 on */
    {.name = "ntlmv1-lm-key",
     PEERS_ALICE,
     .options = {PEERS_V1_OPTS, "client lanman auth=yes", "ntlmssp_client:lm_key=yes"},
     .features = PEERS_SIGN_SEAL,
     .want_neg = PEER_NEGOTIATE_LM_KEY,
     .want_set = PEERS_V1_FLAGS | PEER_NEGOTIATE_KEY_EXCH,
     .want_set_v1 = PEER_NEGOTIATE_LM_KEY,
     .want_clear = PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY,
     .resp = PEERS_NTLMV1,
     .lm_real = 1,
     .expect = SEC_E_LOGON_DENIED,
     .v1 = 1,
     .expect_v1 = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
    /* wrong password */
    {.name = "wrong-password",
     .user = "alice",
     .domain = PEERS_DOMAIN,
     .password = "Secret124",
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_LOGON_DENIED},
    /* unknown user */
    {.name = "unknown-user",
     .user = "mallory",
     .domain = PEERS_DOMAIN,
     .password = "Secret123",
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_LOGON_DENIED},
    /* non-ASCII password */
    {.name = "non-ascii-password",
     .user = "carol",
     .domain = PEERS_DOMAIN,
     .password = PEERS_CAROL_PW,
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\carol"},
    /* the same password with one non-ASCII letter in upper case */
    {.name = "non-ascii-wrong",
     .user = "carol",
     .domain = PEERS_DOMAIN,
     .password = "P\xc3\x84ssw\xc3\xb6rd-\xe2\x82\xac",
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_LOGON_DENIED},
    /* a user whose line has the NT hash instead of the password */
    {.name = "nt-hash-user",
     .user = "dave",
     .domain = PEERS_DOMAIN,
     .password = "password",
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\dave"},
    /* a non-ASCII user name, sent in upper case */
    {.name = "non-ascii-user",
     .user = "J\xc3\x96RG",
     .domain = PEERS_DOMAIN,
     .password = "Secret123",
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\j\xc3\xb6rg"},
    /* MsvAvTargetName (option.target_name = if_present): an SPN naming this
     * host by its DNS name, by its NetBIOS name, and naming another host */
    {.name = "target-name",
     PEERS_ALICE,
     .target_service = "HTTP",
     .target_host = "sspihost.interop.test",
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice",
     .server_name = "HTTP/sspihost.interop.test"},
    {.name = "target-name-netbios",
     PEERS_ALICE,
     .target_service = "cifs",
     .target_host = "sspihost",
     .want_set = PEERS_V2,
     .resp = PEERS_NTLMV2,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice",
     .server_name = "cifs/sspihost"},
    {.name = "target-name-wrong",
     PEERS_ALICE,
     .target_service = "HTTP",
     .target_host = "www.example.com",
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_BAD_BINDINGS},
    /* user and domain in another case than in the user file */
    {.name = "name-case",
     .user = "ALICE",
     .domain = "interop",
     .password = "Secret123",
     .features = PEERS_SIGN_SEAL,
     .want_set = PEERS_V2 | PEERS_SS,
     .resp = PEERS_NTLMV2,
     .need_mic = 1,
     .expect = SEC_E_OK,
     .names = PEERS_DOMAIN "\\alice"},
};

#define PEERS_NCASES (sizeof(peers_samba_cases) / sizeof(peers_samba_cases[0]))

struct peers_samba {
    struct peer_proc proc;
    char line[PEERS_LINE_MAX];
};

static void peers_samba_start(struct peers_samba *s, const struct peers_samba_case *c)
{
    const char *prog = peers_prog("PEERS_NTLM_AUTH", "/usr/bin/ntlm_auth", "winbind");
    char *argv[20], *envp[4];
    char user[256], domain[256], password[256], conf[1200], home[1200];
    char opts[5][256], service[256], host[256];
    int n = 0;

    snprintf(user, sizeof(user), "--username=%s", c->user);
    snprintf(domain, sizeof(domain), "--domain=%s", c->domain);
    snprintf(password, sizeof(password), "--password=%s", c->password);
    snprintf(conf, sizeof(conf), "--configfile=%s", peers_smbconf);
    snprintf(home, sizeof(home), "HOME=%s", peers_home);
    argv[n++] = (char *)prog;
    argv[n++] = (char *)"--helper-protocol=ntlmssp-client-1";
    argv[n++] = user;
    argv[n++] = domain;
    argv[n++] = password;
    argv[n++] = conf;
    argv[n++] = (char *)"-d0";
    if (c->target_service != NULL) {
        snprintf(service, sizeof(service), "--target-service=%s", c->target_service);
        snprintf(host, sizeof(host), "--target-hostname=%s", c->target_host);
        argv[n++] = service;
        argv[n++] = host;
    }
    for (int i = 0; i < 5 && c->options[i] != NULL; i++) {
        snprintf(opts[i], sizeof(opts[i]), "--option=%s", c->options[i]);
        argv[n++] = opts[i];
    }
    argv[n] = NULL;
    envp[0] = home;
    envp[1] = (char *)"PATH=/usr/bin:/bin";
    envp[2] = (char *)"LC_ALL=C";
    envp[3] = NULL;
    ck_assert_msg(peer_spawn(&s->proc, argv, envp, true) == 0, "starting %s: %s", prog,
                  strerror(errno));
}

/* Sends the helper-protocol line cmd + arg and reads the answer into
 * s->line. */
static const char *peers_samba_cmd(struct peers_samba *s, const char *cmd, const char *arg)
{
    ck_assert_msg(fprintf(s->proc.to, "%s%s\n", cmd, arg) > 0 && fflush(s->proc.to) == 0,
                  "writing to ntlm_auth failed");
    ck_assert_msg(peer_read_line(s->proc.from, s->line, sizeof(s->line)) >= 0,
                  "ntlm_auth closed its output or sent an overlong line");
    return s->line;
}

/* Decodes the base64 argument of a "XX <b64>" answer. */
static void peers_samba_b64(const struct peers_samba *s, uint8_t **out, size_t *len)
{
    ck_assert_msg(strlen(s->line) > 3 && s->line[2] == ' ', "ntlm_auth answered \"%s\"", s->line);
    ck_assert_msg(peer_b64_decode(s->line + 3, strlen(s->line + 3), out, len) == 0,
                  "ntlm_auth sent bad base64: \"%s\"", s->line);
}

static void peers_samba_run(const struct peers_samba_case *c, int v1)
{
    SECURITY_STATUS expect = v1 ? c->expect_v1 : c->expect;
    uint32_t want_set = c->want_set | (v1 ? c->want_set_v1 : 0);
    struct peers_samba s;
    struct peers_server srv;
    struct peer_authenticate a;
    uint8_t *neg = NULL, *chal = NULL, *auth = NULL, *gk = NULL;
    size_t neg_len, chal_len, auth_len, gk_len;
    uint32_t flags;
    SECURITY_STATUS st;
    char *b64;
    int rc;

    peers_samba_start(&s, c);
    peers_server_init(&srv);
    if (c->features != NULL)
        ck_assert_str_eq(peers_samba_cmd(&s, "SF ", c->features), "OK");

    /* NEGOTIATE */
    ck_assert_msg(strncmp(peers_samba_cmd(&s, "YR", ""), "YR ", 3) == 0,
                  "YR: ntlm_auth answered \"%s\"", s.line);
    peers_samba_b64(&s, &neg, &neg_len);
    ck_assert_msg(peer_ntlm_flags(neg, neg_len, 1, &flags), "YR did not give a NEGOTIATE");
    ck_assert_msg((flags & c->want_neg) == c->want_neg, "case %s: NEGOTIATE flags %s lack %s",
                  c->name, peer_flag_names(flags), peer_flag_names(c->want_neg & ~flags));
    if (c->add_key_exch) {
        ck_assert_msg(!(flags & PEER_NEGOTIATE_KEY_EXCH), "NEGOTIATE has KEY_EXCH already");
        peers_put32(neg + 12, flags | PEER_NEGOTIATE_KEY_EXCH);
    }
    st = peers_accept(&srv, neg, neg_len, &chal, &chal_len);
    ck_assert_msg(st == SEC_I_CONTINUE_NEEDED, "AcceptSecurityContext(NEGOTIATE %s): %s",
                  peer_flag_names(flags), peers_status(st));
    ck_assert_msg(peer_challenge_has_av(chal, chal_len, PEER_AV_TIMESTAMP),
                  "our CHALLENGE lacks MsvAvTimestamp");

    /* CHALLENGE -> AUTHENTICATE */
    b64 = peer_b64_encode(chal, chal_len);
    ck_assert_ptr_nonnull(b64);
    peers_samba_cmd(&s, "TT ", b64);
    free(b64);
    ck_assert_msg(strncmp(s.line, "AF ", 3) == 0 || strncmp(s.line, "KK ", 3) == 0,
                  "TT: ntlm_auth answered \"%s\"", s.line);
    peers_samba_b64(&s, &auth, &auth_len);
    ck_assert_msg(peer_parse_authenticate(auth, auth_len, &a),
                  "ntlm_auth's AUTHENTICATE does not parse");

    if (c->add_key_exch) {
        ck_assert_msg(!(a.flags & PEER_NEGOTIATE_KEY_EXCH) && a.session_key.len == 0,
                      "case %s: Samba used key exchange", c->name);
        a.flags |= PEER_NEGOTIATE_KEY_EXCH;
        peers_put32(auth + 60, a.flags);
    }

    /* what the client actually sent */
    ck_assert_msg((a.flags & want_set) == want_set, "case %s: AUTHENTICATE flags %s lack %s",
                  c->name, peer_flag_names(a.flags), peer_flag_names(want_set & ~a.flags));
    ck_assert_msg((a.flags & c->want_clear) == 0, "case %s: AUTHENTICATE flags %s include %s",
                  c->name, peer_flag_names(a.flags), peer_flag_names(a.flags & c->want_clear));
    switch (c->resp) {
    case PEERS_NTLMV2:
        ck_assert_msg(a.ntlmv2 && a.has_timestamp,
                      "case %s: expected an NTLMv2 response echoing MsvAvTimestamp "
                      "(NT response %u bytes)",
                      c->name, a.nt.len);
        break;
    case PEERS_NTLMV1_ESS:
        ck_assert_msg(a.nt.len == 24 && a.lm.len == 24 &&
                          (a.flags & PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY),
                      "case %s: expected NTLMv1 with ESS (NT %u, LM %u bytes, flags %s)", c->name,
                      a.nt.len, a.lm.len, peer_flag_names(a.flags));
        break;
    case PEERS_NTLMV1:
        ck_assert_msg(a.nt.len == 24 && a.lm.len == 24 &&
                          !(a.flags & PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY),
                      "case %s: expected NTLMv1 without ESS (NT %u, LM %u bytes, flags %s)",
                      c->name, a.nt.len, a.lm.len, peer_flag_names(a.flags));
        /* without "client lanman auth" Samba repeats the NT response */
        ck_assert_msg((memcmp(auth + a.lm.off, auth + a.nt.off, 24) != 0) == c->lm_real,
                      "case %s: LM response %s the NT response", c->name,
                      c->lm_real ? "repeats" : "differs from");
        break;
    }
    ck_assert_msg(a.has_target_name == (c->target_service != NULL), "case %s: MsvAvTargetName %s",
                  c->name, a.has_target_name ? "sent" : "missing");
    if (c->need_mic)
        ck_assert_msg(a.has_mic_field && a.has_av_flags && (a.av_flags & PEER_AVFLAG_MIC),
                      "case %s: the client did not announce a MIC", c->name);
    if (c->tamper_mic)
        auth[PEER_MIC_OFFSET + 5] ^= 0x20;

    /* AUTHENTICATE */
    st = peers_accept(&srv, auth, auth_len, NULL, NULL);
    ck_assert_msg(st == expect,
                  "case %s%s: AcceptSecurityContext(AUTHENTICATE %s): %s, "
                  "expected %s",
                  c->name, v1 ? " (allow_ntlmv1)" : "", peer_flag_names(a.flags), peers_status(st),
                  libsspi_status_name(expect));

    if (st == SEC_E_OK) {
        SecPkgContext_SessionKey key = {0, NULL};

        peers_check_names(&srv.ctx, c->names, c->server_name);
        /* only the services the client agreed to */
        ck_assert_msg(!(srv.attrs & ASC_RET_CONFIDENTIALITY) == !(a.flags & PEER_NEGOTIATE_SEAL),
                      "case %s: ASC attributes 0x%x vs flags %s", c->name, srv.attrs,
                      peer_flag_names(a.flags));
        ck_assert_msg(!(srv.attrs & ASC_RET_INTEGRITY) == !(a.flags & PEERS_SS),
                      "case %s: ASC attributes 0x%x vs flags %s", c->name, srv.attrs,
                      peer_flag_names(a.flags));
        ck_assert_msg(strncmp(peers_samba_cmd(&s, "GK", ""), "GK ", 3) == 0,
                      "GK: ntlm_auth answered \"%s\"", s.line);
        peers_samba_b64(&s, &gk, &gk_len);
        st = QueryContextAttributesA(&srv.ctx, SECPKG_ATTR_SESSION_KEY, &key);
        ck_assert_msg(st == SEC_E_OK, "QueryContextAttributesA(SESSION_KEY): %s", peers_status(st));
        ck_assert_uint_eq(gk_len, 16);
        ck_assert_uint_eq(key.SessionKeyLength, 16);
        ck_assert_msg(memcmp(gk, key.SessionKey, 16) == 0,
                      "case %s: session keys differ (flags %s)", c->name, peer_flag_names(a.flags));
        FreeContextBuffer(key.SessionKey);

        /* Samba's view of the flags is the AUTHENTICATE's */
        ck_assert_msg(strncmp(peers_samba_cmd(&s, "GF", ""), "GF ", 3) == 0,
                      "GF: ntlm_auth answered \"%s\"", s.line);
        ck_assert_uint_eq(strtoul(s.line + 3, NULL, 16) |
                              (c->add_key_exch ? PEER_NEGOTIATE_KEY_EXCH : 0),
                          a.flags);
    }

    rc = peer_finish(&s.proc);
    ck_assert_msg(rc == 0, "ntlm_auth exited with status %d", rc);
    free(neg);
    free(chal);
    free(auth);
    free(gk);
    peers_server_free(&srv);
}

/* Case _i with the default configuration. */
START_TEST(test_samba)
{
    peers_samba_run(&peers_samba_cases[_i], peers_in_child);
}
END_TEST

/* Case _i with option.allow_ntlmv1 = yes: this program again, as a child
 * with that configuration (the package reads its options once per
 * process). */
START_TEST(test_samba_ntlmv1_allowed)
{
    const struct peers_samba_case *c = &peers_samba_cases[_i];
    char conf[1200], idx[16];
    char *argv[4], *envp[512];
    struct peer_proc p;
    size_t n = 0;
    char *out;
    int rc;

    ck_assert_msg(c->v1, "case %s has no allow_ntlmv1 variant", c->name);
    snprintf(conf, sizeof(conf), "LIBSSPI_CONFIG=%s", peers_conf_v1);
    snprintf(idx, sizeof(idx), "%d", _i);
    /* the child's own configuration; Check's test selection would make it
     * skip its only test */
    for (char **e = environ; *e != NULL && n < 510; e++)
        if (strncmp(*e, "LIBSSPI_CONFIG=", 15) != 0 && strncmp(*e, "CK_RUN_", 7) != 0 &&
            strncmp(*e, "CK_EXCLUDE_", 11) != 0 && strncmp(*e, "CK_INCLUDE_", 11) != 0)
            envp[n++] = *e;
    envp[n++] = conf;
    envp[n] = NULL;
    argv[0] = peers_self;
    argv[1] = (char *)"--v1";
    argv[2] = idx;
    argv[3] = NULL;
    ck_assert_msg(peer_spawn(&p, argv, envp, false) == 0, "re-executing %s: %s", peers_self,
                  strerror(errno));
    out = peer_read_all(p.from, 1 << 20, NULL);
    rc = peer_finish(&p);
    ck_assert_msg(rc == 0, "case %s with allow_ntlmv1 = yes failed (exit %d):\n%s", c->name, rc,
                  out ? out : "");
    free(out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* curl                                                                 */
/* ------------------------------------------------------------------ */

struct peers_curl_result {
    char *out;     /* curl's stdout: body, then "\nstatus=NNN\n" */
    int rc;        /* curl's exit status */
    unsigned code; /* HTTP status of the last response */
};

static void peers_curl_run(struct peer_http *h, const char *userpass, struct peers_curl_result *r)
{
    const char *prog = peers_prog("PEERS_CURL", "/usr/bin/curl", "curl");
    char url[64], home[1200];
    char *argv[20], *envp[4];
    struct peer_proc p;
    const char *st;
    int n = 0;

    snprintf(url, sizeof(url), "http://127.0.0.1:%u/private", (unsigned)h->port);
    snprintf(home, sizeof(home), "HOME=%s", peers_home);
    argv[n++] = (char *)prog;
    argv[n++] = (char *)"-q"; /* no .curlrc */
    argv[n++] = (char *)"-s";
    argv[n++] = (char *)"--noproxy";
    argv[n++] = (char *)"*";
    argv[n++] = (char *)"--max-time";
    argv[n++] = (char *)"60";
    argv[n++] = (char *)"--ntlm";
    argv[n++] = (char *)"-u";
    argv[n++] = (char *)userpass;
    argv[n++] = (char *)"-w";
    argv[n++] = (char *)"\nstatus=%{http_code}\n";
    argv[n++] = url;
    argv[n] = NULL;
    envp[0] = home;
    envp[1] = (char *)"PATH=/usr/bin:/bin";
    envp[2] = (char *)"LC_ALL=C";
    envp[3] = NULL;
    ck_assert_msg(peer_spawn(&p, argv, envp, false) == 0, "starting %s: %s", prog, strerror(errno));
    r->out = peer_read_all(p.from, 1 << 16, NULL);
    r->rc = peer_finish(&p);
    peer_http_stop(h);
    ck_assert_msg(h->error[0] == '\0', "HTTP server: %s", h->error);
    ck_assert_ptr_nonnull(r->out);
    ck_assert_msg(r->rc == 0, "curl exited with %d; output:\n%s", r->rc, r->out);
    st = strstr(r->out, "\nstatus=");
    ck_assert_msg(st != NULL, "no status in curl's output:\n%s", r->out);
    r->code = (unsigned)strtoul(st + 8, NULL, 10);
}

/* The AUTHENTICATE curl sent (the last recorded leg). */
static void peers_curl_check_authenticate(const struct peer_http *h)
{
    const struct peer_http_leg *l;
    struct peer_authenticate a;

    ck_assert_uint_ge(h->nlegs, 2);
    l = &h->legs[h->nlegs - 1];
    ck_assert_msg(peer_parse_authenticate(l->token, l->len, &a),
                  "curl's last token is not an AUTHENTICATE");
    ck_assert_msg(a.ntlmv2, "curl sent NTLMv1 (NT response %u bytes), flags %s", a.nt.len,
                  peer_flag_names(a.flags));
    ck_assert_msg(!(a.flags & PEER_NEGOTIATE_KEY_EXCH) && a.session_key.len == 0,
                  "curl used key exchange? flags %s", peer_flag_names(a.flags));
}

/* _i: 0 alice (ASCII), 1 erin (Latin-1 password, UTF-8 in the user file),
 * 2 alice with the user name in upper case, 3 alice without a domain (the
 * user file line of any domain matches; NAMES is then the bare user). */
START_TEST(test_curl_ok)
{
    static const struct {
        const char *userpass, *names;
    } cases[] = {
        {PEERS_DOMAIN "\\alice:Secret123", PEERS_DOMAIN "\\alice"},
        {PEERS_DOMAIN "\\erin:Gr\xfc\xdf"
                      "e!",
         PEERS_DOMAIN "\\erin"},
        {PEERS_DOMAIN "\\ALICE:Secret123", PEERS_DOMAIN "\\alice"},
        {"alice:Secret123", PEERS_DOMAIN "\\alice"},
    };
    struct peer_http h;
    struct peers_curl_result r;
    char want[300];

    ck_assert_msg(peer_http_start(&h) == 0, "HTTP server: %s", h.error);
    peers_curl_run(&h, cases[_i].userpass, &r);
    ck_assert_msg(r.code == 200, "curl got HTTP %u; output:\n%s", r.code, r.out);
    ck_assert_uint_eq(h.logons, 1);
    ck_assert_msg(strcmp(h.user, cases[_i].names) == 0, "NAMES \"%s\", expected \"%s\"", h.user,
                  cases[_i].names);
    snprintf(want, sizeof(want), "user=%s\n", h.user);
    ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "body \"%s\", expected \"%s\"", r.out,
                  want);
    /* the server asked for integrity; curl negotiates no SIGN */
    ck_assert_msg(!(h.attrs & ASC_RET_INTEGRITY), "ASC attributes 0x%x with curl", h.attrs);
    ck_assert_int_eq(h.legs[h.nlegs - 2].status, SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(h.legs[h.nlegs - 1].status, SEC_E_OK);
    peers_curl_check_authenticate(&h);
    free(r.out);
    peer_http_free(&h);
}
END_TEST

/* _i: 0 wrong password, 1 unknown user: 401 and SEC_E_LOGON_DENIED. */
START_TEST(test_curl_denied)
{
    static const char *const userpass[] = {
        PEERS_DOMAIN "\\alice:Secret124",
        PEERS_DOMAIN "\\mallory:Secret123",
    };
    struct peer_http h;
    struct peers_curl_result r;

    ck_assert_msg(peer_http_start(&h) == 0, "HTTP server: %s", h.error);
    peers_curl_run(&h, userpass[_i], &r);
    ck_assert_msg(r.code == 401, "curl got HTTP %u; output:\n%s", r.code, r.out);
    ck_assert_uint_eq(h.logons, 0);
    ck_assert_uint_ge(h.nlegs, 2);
    ck_assert_msg(h.legs[h.nlegs - 1].status == SEC_E_LOGON_DENIED,
                  "AcceptSecurityContext(AUTHENTICATE): %s, expected SEC_E_LOGON_DENIED",
                  peers_status(h.legs[h.nlegs - 1].status));
    peers_curl_check_authenticate(&h);
    free(r.out);
    peer_http_free(&h);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Setup                                                                */
/* ------------------------------------------------------------------ */

static int peers_write_file(const char *path, const char *text)
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
    if (ret != 0)
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return ret;
}

static void peers_set_paths(void)
{
    snprintf(peers_home, sizeof(peers_home), "%s/home", peers_dir);
    snprintf(peers_smbconf, sizeof(peers_smbconf), "%s/smb.conf", peers_dir);
    snprintf(peers_conf, sizeof(peers_conf), "%s/sspi.conf", peers_dir);
    snprintf(peers_conf_v1, sizeof(peers_conf_v1), "%s/sspi-v1.conf", peers_dir);
}

static int peers_prepare(void)
{
    const char *pkgdir = getenv("LIBSSPI_TEST_PKGDIR");
    char path[1200], module[1024], tmpl[64], text[4096];
    char *abs = NULL;
    int ret = -1;

    if (pkgdir == NULL || *pkgdir == '\0' || strlen(pkgdir) > sizeof(module) - 32) {
        fprintf(stderr, "LIBSSPI_TEST_PKGDIR is not set (run through make check or set "
                        "it to <builddir>/src/packages)\n");
        goto out;
    }
    snprintf(module, sizeof(module), "%s/ntlm/.libs/ntlm.so", pkgdir);
    if (access(module, R_OK) != 0) {
        fprintf(stderr, "%s: %s\n", module, strerror(errno));
        goto out;
    }
    snprintf(tmpl, sizeof(tmpl), "%s",
             access("tests", W_OK) == 0 ? "tests/ntlm-peers.XXXXXX" : "ntlm-peers.XXXXXX");
    if (mkdtemp(tmpl) == NULL) {
        fprintf(stderr, "mkdtemp %s: %s\n", tmpl, strerror(errno));
        goto out;
    }
    abs = realpath(tmpl, NULL);
    if (abs == NULL || strlen(abs) >= sizeof(peers_dir) - 32) {
        rmdir(tmpl);
        goto out;
    }
    memcpy(peers_dir, abs, strlen(abs) + 1);
    peers_set_paths();
    if (mkdir(peers_home, 0700) != 0)
        goto out;
    if (peers_write_file(peers_smbconf, "# empty: ntlm_auth needs no configuration\n") != 0)
        goto out;
    snprintf(path, sizeof(path), "%s/users", peers_dir);
    if (peers_write_file(path, peers_users) != 0)
        goto out;

    for (int v1 = 0; v1 < 2; v1++) {
        snprintf(text, sizeof(text),
                 "# written by check-ntlm-peers\n"
                 "autoload = no\n"
                 "dropin_dir = none\n"
                 "check_permissions = no\n"
                 "[module]\n"
                 "module = %s\n"
                 "option.user_file = %s\n"
                 "option.netbios_domain = %s\n"
                 "option.netbios_computer = SSPIHOST\n"
                 "option.dns_domain = interop.test\n"
                 "option.dns_computer = sspihost.interop.test\n"
                 "option.target_name = if_present\n"
                 "%s",
                 module, path, PEERS_DOMAIN, v1 ? "option.allow_ntlmv1 = yes\n" : "");
        if (peers_write_file(v1 ? peers_conf_v1 : peers_conf, text) != 0)
            goto out;
    }
    if (setenv("LIBSSPI_CONFIG", peers_conf, 1) != 0 || setenv("PEERS_DIR", peers_dir, 1) != 0)
        goto out;
    ret = 0;
out:
    free(abs);
    return ret;
}

static void peers_cleanup(void)
{
    static const char *const files[] = {"users", "smb.conf", "sspi.conf", "sspi-v1.conf"};
    char path[1200];

    if (peers_in_child || peers_dir[0] == '\0' || getenv("PEERS_KEEP_DIR") != NULL)
        return;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", peers_dir, files[i]);
        unlink(path);
    }
    if (rmdir(peers_home) != 0)
        fprintf(stderr, "check-ntlm-peers: %s not empty, left in place\n", peers_home);
    rmdir(peers_dir);
}

static Suite *peers_suite(void)
{
    Suite *s = suite_create("ntlm-peers");
    TCase *tc;

    tc = tcase_create("samba");
    tcase_add_loop_test(tc, test_samba, 0, (int)PEERS_NCASES);
    suite_add_tcase(s, tc);

    tc = tcase_create("samba-ntlmv1");
    for (int i = 0; i < (int)PEERS_NCASES; i++)
        if (peers_samba_cases[i].v1)
            tcase_add_loop_test(tc, test_samba_ntlmv1_allowed, i, i + 1);
    suite_add_tcase(s, tc);

    tc = tcase_create("curl");
    tcase_add_loop_test(tc, test_curl_ok, 0, 4);
    tcase_add_loop_test(tc, test_curl_denied, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

/* The --v1 child: case `idx` with the configuration in LIBSSPI_CONFIG
 * (allow_ntlmv1 = yes), in the scratch directory of the parent. */
static Suite *peers_v1_suite(int idx)
{
    Suite *s = suite_create("ntlm-peers-v1");
    TCase *tc = tcase_create("samba-ntlmv1-child");

    tcase_add_loop_test(tc, test_samba, idx, idx + 1);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    SRunner *sr;
    ssize_t n;
    int failed;

    /* a client that dies makes a write to its pipe fail, not kill us */
    signal(SIGPIPE, SIG_IGN);
    n = readlink("/proc/self/exe", peers_self, sizeof(peers_self) - 1);
    if (n <= 0) {
        perror("readlink /proc/self/exe");
        return EXIT_FAILURE;
    }
    peers_self[n] = '\0';

    if (argc == 3 && strcmp(argv[1], "--v1") == 0) {
        const char *dir = getenv("PEERS_DIR");
        char *end;
        long idx = strtol(argv[2], &end, 10);

        if (dir == NULL || strlen(dir) >= sizeof(peers_dir) || *end != '\0' || idx < 0 ||
            (size_t)idx >= PEERS_NCASES || !peers_samba_cases[idx].v1) {
            fprintf(stderr, "check-ntlm-peers --v1: bad arguments or PEERS_DIR\n");
            return EXIT_FAILURE;
        }
        peers_in_child = 1;
        snprintf(peers_dir, sizeof(peers_dir), "%s", dir);
        peers_set_paths();
        sr = srunner_create(peers_v1_suite((int)idx));
        srunner_set_fork_status(sr, CK_NOFORK);
    } else {
        if (peers_prepare() != 0) {
            peers_cleanup();
            fprintf(stderr, "check-ntlm-peers: setup failed\n");
            return EXIT_FAILURE;
        }
        sr = srunner_create(peers_suite());
    }
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    if (peers_in_child && srunner_ntests_run(sr) != 1) {
        fprintf(stderr, "check-ntlm-peers --v1: %d tests run, expected 1\n",
                srunner_ntests_run(sr));
        failed = 1;
    }
    srunner_free(sr);
    peers_cleanup();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
