/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * krb-test.c - the realm, configuration and handshake helpers of the
 * Kerberos tests (see krb-test.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interop/krb-test.h"

static char realm[512];
static char script[1024];

const char *kt_realm_dir(void)
{
    return realm;
}

/* setenv(name, prefix + realm + suffix) */
static void setenv_in_realm(const char *name, const char *prefix, const char *suffix)
{
    char v[1100];
    snprintf(v, sizeof(v), "%s%s%s", prefix, realm, suffix);
    setenv(name, v, 1);
}

int kt_realm_start(void)
{
    const char *builddir = getenv("top_builddir");
    const char *pkgdir = getenv("LIBSSPI_TEST_PKGDIR");
    char cmd[4096], conf[1100];
    FILE *f;
    int rc;

    snprintf(script, sizeof(script), "%s/src/tools/sspi-test-realm", builddir ? builddir : ".");
    if (access(script, X_OK) != 0) {
        fprintf(stderr, "%s: not found\n", script);
        return 77;
    }
    snprintf(realm, sizeof(realm), "%s/krbtest.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(realm) == NULL)
        return 1;
    snprintf(cmd, sizeof(cmd), "SSPI_TEST_REALM_QUIET=1 '%s' start '%s'", script, realm);
    rc = system(cmd);
    if (rc != 0) {
        rmdir(realm);
        realm[0] = '\0';
        return WIFEXITED(rc) && WEXITSTATUS(rc) == 77 ? 77 : 1;
    }
    setenv_in_realm("KRB5_CONFIG", "", "/krb5.conf");
    setenv_in_realm("KRB5_KDC_PROFILE", "", "/kdc.conf");
    setenv_in_realm("KRB5CCNAME", "FILE:", "/ccache");
    setenv_in_realm("KRB5_KTNAME", "FILE:", "/keytab");
    setenv_in_realm("KRB5RCACHEDIR", "", "");
    setenv("SSPI_TEST_REALM_DIR", realm, 1);
    snprintf(cmd, sizeof(cmd), "echo '%s' | kinit '%s' >/dev/null", KT_PASSWORD, KT_USER);
    if (system(cmd) != 0) {
        fprintf(stderr, "kinit failed\n");
        kt_realm_stop();
        return 1;
    }
    snprintf(conf, sizeof(conf), "%s/sspi.conf", realm);
    f = fopen(conf, "w");
    if (f == NULL)
        return 1;
    fprintf(
        f, "autoload = no\ndropin_dir = none\n\n[module]\nmodule = %s/kerberos/.libs/kerberos.so\n",
        pkgdir ? pkgdir : "src/packages");
    fclose(f);
    setenv("LIBSSPI_CONFIG", conf, 1);
    return 0;
}

void kt_realm_stop(void)
{
    char cmd[4096];

    if (realm[0] == '\0')
        return;
    /* The realm tool stops the KDC; the directory (mkdtemp()ed here) goes
     * with whatever the tests left in it (peers' output, configurations). */
    snprintf(cmd, sizeof(cmd), "'%s' stop '%s'", script, realm);
    if (system(cmd) != 0)
        fprintf(stderr, "realm stop failed\n");
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", realm);
    if (system(cmd) != 0)
        fprintf(stderr, "%s: not removed\n", realm);
    realm[0] = '\0';
}

SECURITY_STATUS kt_acquire(uint32_t use, const char *user, const char *password,
                           const char *principal, CredHandle *cred)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {0};
    TimeStamp ts;

    if (user != NULL) {
        id.User = (unsigned char *)user;
        id.UserLength = (uint32_t)strlen(user);
        id.Domain = (unsigned char *)KT_REALM;
        id.DomainLength = (uint32_t)strlen(KT_REALM);
        id.Password = (unsigned char *)(password ? password : "");
        id.PasswordLength = (uint32_t)strlen(password ? password : "");
        id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    }
    return AcquireCredentialsHandleA((char *)principal, "Kerberos", use, NULL, user ? &id : NULL,
                                     NULL, NULL, cred, &ts);
}

void kt_side_free(struct kt_side *s)
{
    OM_uint32 minor;

    if (s->gss) {
        if (s->gctx != GSS_C_NO_CONTEXT)
            gss_delete_sec_context(&minor, &s->gctx, GSS_C_NO_BUFFER);
        if (s->gcred != GSS_C_NO_CREDENTIAL)
            gss_release_cred(&minor, &s->gcred);
        if (s->gsrc != GSS_C_NO_NAME)
            gss_release_name(&minor, &s->gsrc);
    } else {
        if (s->have_ctx)
            DeleteSecurityContext(&s->ctx);
        FreeCredentialsHandle(&s->cred);
    }
    memset(s, 0, sizeof(*s));
}

/* SEC_CHANNEL_BINDINGS with `app` as application data, in buf. */
static size_t make_cb(const char *app, uint8_t *buf)
{
    SEC_CHANNEL_BINDINGS *b = (SEC_CHANNEL_BINDINGS *)buf;
    size_t n = strlen(app);

    memset(b, 0, sizeof(*b));
    b->cbApplicationDataLength = (uint32_t)n;
    b->dwApplicationDataOffset = sizeof(*b);
    memcpy(buf + sizeof(*b), app, n);
    return sizeof(*b) + n;
}

static SECURITY_STATUS sspi_step(struct kt_side *s, const struct kt_opts *o, const char *cb,
                                 const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen)
{
    uint8_t cbuf[256];
    SecBuffer ib[2] = {{(uint32_t)inlen, SECBUFFER_TOKEN, (void *)in}, {0, SECBUFFER_EMPTY, NULL}};
    SecBuffer ob = {65536, SECBUFFER_TOKEN, out};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, ib}, od = {SECBUFFER_VERSION, 1, &ob};
    TimeStamp ts;
    SECURITY_STATUS st;

    if (cb != NULL) {
        ib[1] = (SecBuffer){(uint32_t)make_cb(cb, cbuf), SECBUFFER_CHANNEL_BINDINGS, cbuf};
        id.cBuffers = 2;
    }
    if (s->server)
        st = AcceptSecurityContext(&s->cred, s->have_ctx ? &s->ctx : NULL, &id, o->req,
                                   SECURITY_NATIVE_DREP, &s->ctx, &od, &s->attrs, &ts);
    else
        st = InitializeSecurityContextA(&s->cred, s->have_ctx ? &s->ctx : NULL,
                                        (char *)(o->target ? o->target : KT_SPN), o->req, 0,
                                        SECURITY_NATIVE_DREP, (inlen || cb) ? &id : NULL, 0,
                                        &s->ctx, &od, &s->attrs, &ts);
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
        s->have_ctx = true;
    *outlen = ob.cbBuffer;
    return st;
}

static OM_uint32 gss_step(struct kt_side *s, const struct kt_opts *o, const char *cb,
                          const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen)
{
    gss_buffer_desc ib = {inlen, (void *)in}, ob = GSS_C_EMPTY_BUFFER;
    struct gss_channel_bindings_struct gcb = {0};
    OM_uint32 major, minor;

    if (cb != NULL)
        gcb.application_data = (gss_buffer_desc){strlen(cb), (void *)cb};
    if (s->server) {
        major = gss_accept_sec_context(
            &minor, &s->gctx, s->gcred, &ib, cb ? &gcb : GSS_C_NO_CHANNEL_BINDINGS,
            s->gsrc == GSS_C_NO_NAME ? &s->gsrc : NULL, NULL, &ob, &s->gflags, NULL, NULL);
    } else {
        gss_name_t t;
        gss_buffer_desc nb = {strlen(KT_GSS_TARGET), KT_GSS_TARGET};

        gss_import_name(&minor, &nb, GSS_C_NT_HOSTBASED_SERVICE, &t);
        major = gss_init_sec_context(&minor, s->gcred, &s->gctx, t, (gss_OID)gss_mech_krb5,
                                     o->gss_flags, 0, cb ? &gcb : GSS_C_NO_CHANNEL_BINDINGS, &ib,
                                     NULL, &ob, &s->gflags, NULL);
        gss_release_name(&minor, &t);
    }
    *outlen = ob.length;
    if (ob.length)
        memcpy(out, ob.value, ob.length);
    gss_release_buffer(&minor, &ob);
    return major;
}

SECURITY_STATUS kt_handshake(struct kt_side *c, struct kt_side *s, const struct kt_opts *o,
                             OM_uint32 *gss_major)
{
    static uint8_t a[65536], b[65536];
    size_t alen = 0, blen = 0;
    bool cdone = false, sdone = false;

    *gss_major = GSS_S_COMPLETE;
    c->server = false;
    s->server = true;
    for (int legs = 0; legs < 8; legs++) {
        if (!cdone) {
            if (c->gss) {
                OM_uint32 m = gss_step(c, o, o->cb, b, blen, a, &alen);
                if (GSS_ERROR(m)) {
                    *gss_major = m;
                    return SEC_E_INTERNAL_ERROR;
                }
                cdone = m == GSS_S_COMPLETE;
            } else {
                SECURITY_STATUS st = sspi_step(c, o, o->cb, b, blen, a, &alen);
                if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
                    return st;
                cdone = st == SEC_E_OK;
            }
        }
        if (alen == 0)
            break;
        if (s->gss) {
            OM_uint32 m = gss_step(s, o, o->server_cb, a, alen, b, &blen);
            if (GSS_ERROR(m)) {
                *gss_major = m;
                return SEC_E_INTERNAL_ERROR;
            }
            sdone = m == GSS_S_COMPLETE;
        } else {
            SECURITY_STATUS st = sspi_step(s, o, o->server_cb, a, alen, b, &blen);
            if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
                return st;
            sdone = st == SEC_E_OK;
        }
        alen = 0;
        if (blen == 0 || cdone)
            break;
    }
    return cdone && sdone ? SEC_E_OK : SEC_E_INCOMPLETE_MESSAGE;
}
