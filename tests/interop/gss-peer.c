/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The GSSAPI side of the NTLM interoperability tests (see gss-peer.h): drives
 * gss-ntlmssp through MIT GSSAPI as an initiator or an acceptor, copying every
 * output token into plain malloc() memory so the tests never mix allocators.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gss-peer.h"

static gss_OID_desc interop_ntlmssp_oid_desc = {10,
                                                (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

gss_OID interop_gss_ntlmssp_oid(void)
{
    return &interop_ntlmssp_oid_desc;
}

static const char *const interop_module_patterns[] = {
    "/usr/lib/*/gssntlmssp/gssntlmssp.so",       "/usr/lib64/gssntlmssp/gssntlmssp.so",
    "/usr/lib/gssntlmssp/gssntlmssp.so",         "/usr/local/lib/*/gssntlmssp/gssntlmssp.so",
    "/usr/local/lib64/gssntlmssp/gssntlmssp.so", "/usr/local/lib/gssntlmssp/gssntlmssp.so",
};

static int interop_find_module(char *path, size_t len)
{
    const char *env = getenv("INTEROP_GSSNTLMSSP_MODULE");
    size_t i;

    if (env != NULL && *env != '\0') {
        if (access(env, R_OK) != 0)
            return -1;
        snprintf(path, len, "%s", env);
        return 0;
    }
    for (i = 0; i < sizeof(interop_module_patterns) / sizeof(interop_module_patterns[0]); i++) {
        glob_t g;

        if (glob(interop_module_patterns[i], 0, NULL, &g) == 0 && g.gl_pathc > 0) {
            snprintf(path, len, "%s", g.gl_pathv[0]);
            globfree(&g);
            return 0;
        }
        globfree(&g);
    }
    return -1;
}

/*
 * Contract in gss-peer.h. Not thread-safe (setenv); call from main().
 */
int interop_gss_setup_mech(const char *conf_path, char *errbuf, size_t errlen)
{
    char module[4096];
    FILE *f;
    int ret = -1;

    if (interop_find_module(module, sizeof(module)) != 0) {
        snprintf(errbuf, errlen,
                 "gssntlmssp.so not found (install gss-ntlmssp or set "
                 "INTEROP_GSSNTLMSSP_MODULE to a readable path)");
        goto out;
    }
    f = fopen(conf_path, "w");
    if (f == NULL) {
        snprintf(errbuf, errlen, "cannot write %s", conf_path);
        goto out;
    }
    fprintf(f,
            "# written by check-ntlm-interop\n"
            "gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 %s\n",
            module);
    if (fclose(f) != 0) {
        snprintf(errbuf, errlen, "cannot write %s", conf_path);
        goto out;
    }
    if (setenv("GSS_MECH_CONFIG", conf_path, 1) != 0) {
        snprintf(errbuf, errlen, "setenv GSS_MECH_CONFIG failed");
        goto out;
    }
    ret = 0;
out:
    return ret;
}

static void interop_set_cb(interop_gss_peer *p, const void *cb, size_t cb_len)
{
    memset(&p->cb, 0, sizeof(p->cb));
    p->have_cb = 0;
    if (cb == NULL)
        return;
    p->cb.initiator_addrtype = GSS_C_AF_UNSPEC;
    p->cb.acceptor_addrtype = GSS_C_AF_UNSPEC;
    p->cb.application_data.value = (void *)cb;
    p->cb.application_data.length = cb_len;
    p->have_cb = 1;
}

static OM_uint32 interop_mech_set(gss_OID_set *set)
{
    OM_uint32 minor;
    OM_uint32 major;

    major = gss_create_empty_oid_set(&minor, set);
    if (major == GSS_S_COMPLETE)
        major = gss_add_oid_set_member(&minor, interop_gss_ntlmssp_oid(), set);
    return major;
}

/*
 * Contract in gss-peer.h. cb must stay valid as long as p is used.
 */
OM_uint32 interop_gss_client_init(interop_gss_peer *p, const char *user, const char *password,
                                  const char *target, OM_uint32 req_flags, const void *cb,
                                  size_t cb_len)
{
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    gss_name_t name = GSS_C_NO_NAME;
    gss_buffer_desc buf;
    OM_uint32 tmp;

    memset(p, 0, sizeof(*p));
    p->initiator = 1;
    p->req_flags = req_flags;
    interop_set_cb(p, cb, cb_len);

    p->major = interop_mech_set(&mechs);
    if (GSS_ERROR(p->major))
        goto out;

    buf.value = (void *)target;
    buf.length = strlen(target);
    p->major = gss_import_name(&p->minor, &buf, GSS_C_NT_HOSTBASED_SERVICE, &p->target);
    if (GSS_ERROR(p->major))
        goto out;

    if (user != NULL) {
        buf.value = (void *)user;
        buf.length = strlen(user);
        p->major = gss_import_name(&p->minor, &buf, GSS_C_NT_USER_NAME, &name);
        if (GSS_ERROR(p->major))
            goto out;
    }
    if (password != NULL) {
        gss_buffer_desc pw;

        pw.value = (void *)password;
        pw.length = strlen(password);
        p->major = gss_acquire_cred_with_password(&p->minor, name, &pw, GSS_C_INDEFINITE, mechs,
                                                  GSS_C_INITIATE, &p->cred, NULL, NULL);
    } else {
        p->major = gss_acquire_cred(&p->minor, name, GSS_C_INDEFINITE, mechs, GSS_C_INITIATE,
                                    &p->cred, NULL, NULL);
    }
out:
    if (name != GSS_C_NO_NAME)
        gss_release_name(&tmp, &name);
    if (mechs != GSS_C_NO_OID_SET)
        gss_release_oid_set(&tmp, &mechs);
    return p->major;
}

/*
 * Contract in gss-peer.h. cb must stay valid as long as p is used.
 */
OM_uint32 interop_gss_server_init(interop_gss_peer *p, int acquire, const void *cb, size_t cb_len)
{
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    OM_uint32 tmp;

    memset(p, 0, sizeof(*p));
    p->initiator = 0;
    interop_set_cb(p, cb, cb_len);
    p->major = GSS_S_COMPLETE;
    if (!acquire)
        goto out;

    p->major = interop_mech_set(&mechs);
    if (GSS_ERROR(p->major))
        goto out;
    p->major = gss_acquire_cred(&p->minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, mechs, GSS_C_ACCEPT,
                                &p->cred, NULL, NULL);
out:
    if (mechs != GSS_C_NO_OID_SET)
        gss_release_oid_set(&tmp, &mechs);
    return p->major;
}

/* Moves a GSS buffer into malloc() memory; returns -1 on OOM. */
static int interop_take(gss_buffer_desc *b, void **out, size_t *out_len)
{
    OM_uint32 tmp;
    int ret = 0;

    *out = NULL;
    *out_len = 0;
    /* on some errors gss-ntlmssp frees the value but leaves the length */
    if (b->value != NULL && b->length > 0) {
        *out = malloc(b->length);
        if (*out == NULL) {
            ret = -1;
        } else {
            memcpy(*out, b->value, b->length);
            *out_len = b->length;
        }
    }
    if (b->value != NULL)
        gss_release_buffer(&tmp, b);
    b->length = 0;
    return ret;
}

/*
 * Contract in gss-peer.h.
 */
OM_uint32 interop_gss_step(interop_gss_peer *p, const void *in, size_t in_len, void **out,
                           size_t *out_len)
{
    gss_buffer_desc inb = {in_len, (void *)in};
    gss_buffer_desc outb = GSS_C_EMPTY_BUFFER;
    gss_channel_bindings_t cb;

    cb = p->have_cb ? &p->cb : GSS_C_NO_CHANNEL_BINDINGS;
    p->ret_flags = 0;
    if (p->initiator) {
        p->major = gss_init_sec_context(&p->minor, p->cred, &p->ctx, p->target,
                                        interop_gss_ntlmssp_oid(), p->req_flags, GSS_C_INDEFINITE,
                                        cb, in != NULL ? &inb : GSS_C_NO_BUFFER, NULL, &outb,
                                        &p->ret_flags, NULL);
    } else {
        OM_uint32 tmp;

        if (p->src != GSS_C_NO_NAME)
            gss_release_name(&tmp, &p->src);
        p->major = gss_accept_sec_context(&p->minor, &p->ctx, p->cred, &inb, cb, &p->src, NULL,
                                          &outb, &p->ret_flags, NULL, NULL);
    }
    p->complete = (p->major == GSS_S_COMPLETE);
    if (interop_take(&outb, out, out_len) != 0 && !GSS_ERROR(p->major))
        p->major = GSS_S_FAILURE;
    return p->major;
}

/*
 * Contract in gss-peer.h.
 */
OM_uint32 interop_gss_wrap(interop_gss_peer *p, const void *msg, size_t len, void **out,
                           size_t *out_len)
{
    gss_buffer_desc inb = {len, (void *)msg};
    gss_buffer_desc outb = GSS_C_EMPTY_BUFFER;
    int conf = 0;

    p->major = gss_wrap(&p->minor, p->ctx, 1, GSS_C_QOP_DEFAULT, &inb, &conf, &outb);
    if (interop_take(&outb, out, out_len) != 0 && !GSS_ERROR(p->major))
        p->major = GSS_S_FAILURE;
    return p->major;
}

/*
 * Contract in gss-peer.h.
 */
OM_uint32 interop_gss_reset_crypto(interop_gss_peer *p, uint32_t direction)
{
    static gss_OID_desc reset_oid = {11, (void *)"\x2b\x06\x01\x04\x01\xb7\x7d\x85\x0f\x01\x03"};
    gss_buffer_desc value = {sizeof(direction), &direction};

    p->major = gss_set_sec_context_option(&p->minor, &p->ctx, &reset_oid, &value);
    return p->major;
}

/*
 * Contract in gss-peer.h.
 */
OM_uint32 interop_gss_unwrap(interop_gss_peer *p, const void *tok, size_t len, void **out,
                             size_t *out_len)
{
    gss_buffer_desc inb = {len, (void *)tok};
    gss_buffer_desc outb = GSS_C_EMPTY_BUFFER;

    p->major = gss_unwrap(&p->minor, p->ctx, &inb, &outb, NULL, NULL);
    if (interop_take(&outb, out, out_len) != 0 && !GSS_ERROR(p->major))
        p->major = GSS_S_FAILURE;
    return p->major;
}

/*
 * Contract in gss-peer.h.
 */
OM_uint32 interop_gss_get_mic(interop_gss_peer *p, const void *msg, size_t len, void **out,
                              size_t *out_len)
{
    gss_buffer_desc inb = {len, (void *)msg};
    gss_buffer_desc outb = GSS_C_EMPTY_BUFFER;

    p->major = gss_get_mic(&p->minor, p->ctx, GSS_C_QOP_DEFAULT, &inb, &outb);
    if (interop_take(&outb, out, out_len) != 0 && !GSS_ERROR(p->major))
        p->major = GSS_S_FAILURE;
    return p->major;
}

/*
 * Contract in gss-peer.h.
 */
OM_uint32 interop_gss_verify_mic(interop_gss_peer *p, const void *msg, size_t len, const void *mic,
                                 size_t mic_len)
{
    gss_buffer_desc inb = {len, (void *)msg};
    gss_buffer_desc micb = {mic_len, (void *)mic};

    p->major = gss_verify_mic(&p->minor, p->ctx, &inb, &micb, NULL);
    return p->major;
}

/*
 * Contract in gss-peer.h.
 */
char *interop_gss_src_name(interop_gss_peer *p)
{
    gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    char *s = NULL;

    if (p->src == GSS_C_NO_NAME)
        goto out;
    if (gss_display_name(&minor, p->src, &b, NULL) != GSS_S_COMPLETE)
        goto out;
    s = malloc(b.length + 1);
    if (s != NULL) {
        memcpy(s, b.value, b.length);
        s[b.length] = '\0';
    }
    gss_release_buffer(&minor, &b);
out:
    return s;
}

/*
 * Contract in gss-peer.h.
 */
void interop_gss_peer_free(interop_gss_peer *p)
{
    OM_uint32 tmp;

    if (p->ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&tmp, &p->ctx, GSS_C_NO_BUFFER);
    if (p->cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&tmp, &p->cred);
    if (p->target != GSS_C_NO_NAME)
        gss_release_name(&tmp, &p->target);
    if (p->src != GSS_C_NO_NAME)
        gss_release_name(&tmp, &p->src);
    memset(p, 0, sizeof(*p));
}

/* Appends the display text of one status code to the string in buf. */
static void interop_append_status(char *buf, size_t len, OM_uint32 code, int type)
{
    OM_uint32 ctx = 0;
    OM_uint32 minor;

    do {
        gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
        size_t used = strlen(buf);

        if (gss_display_status(&minor, code, type, interop_gss_ntlmssp_oid(), &ctx, &b) !=
            GSS_S_COMPLETE)
            break;
        snprintf(buf + used, len - used, " [%.*s]", (int)b.length, (const char *)b.value);
        gss_release_buffer(&minor, &b);
    } while (ctx != 0);
}

/*
 * Contract in gss-peer.h.
 */
const char *interop_gss_error(const interop_gss_peer *p)
{
    static char buf[1024];

    snprintf(buf, sizeof(buf), "major 0x%08x minor %u:", (unsigned)p->major, (unsigned)p->minor);
    interop_append_status(buf, sizeof(buf), p->major, GSS_C_GSS_CODE);
    if (p->minor != 0)
        interop_append_status(buf, sizeof(buf), p->minor, GSS_C_MECH_CODE);
    return buf;
}
