/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spnego-peer.c - MIT SPNEGO as a test peer (see spnego-peer.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnego-peer.h"

/* LeakSanitizer (sanitizer builds only), for every program that uses MIT
 * as a peer: gss-ntlmssp 1.2, the OpenSSL legacy provider it loads and MIT
 * krb5 1.20's plugin loader and credential code keep allocations they never
 * free (as tests/valgrind.supp says); full stacks, since libkrb5 has no
 * frame pointers.  Leaks in libsspi and the tests are still reported. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:gssntlmssp.so\n"
           "leak:libcrypto.so\n"
           "leak:krb5int_open_plugin\n"
           "leak:gss_add_cred_from\n";
}

static gss_OID_desc spnego_oid = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
static gss_OID_desc krb5_oid = {9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID_desc ntlm_oid = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

static void *copy_out(gss_buffer_t b, size_t *len)
{
    void *p = NULL;
    OM_uint32 tmp;

    *len = 0;
    if (b->length > 0) {
        p = malloc(b->length);
        if (p != NULL) {
            memcpy(p, b->value, b->length);
            *len = b->length;
        }
    }
    gss_release_buffer(&tmp, b);
    return p;
}

/* Narrow the SPNEGO credential to `mechs`. */
static OM_uint32 set_mechs(struct spnego_peer *p, enum spnego_mechs mechs)
{
    gss_OID_desc list[2];
    gss_OID_set_desc set = {0, list};

    if (mechs == SPNEGO_ANY)
        return GSS_S_COMPLETE;
    if (mechs & SPNEGO_KRB5)
        list[set.count++] = krb5_oid;
    if (mechs & SPNEGO_NTLM)
        list[set.count++] = ntlm_oid;
    return p->major = gss_set_neg_mechs(&p->minor, p->cred, &set);
}

OM_uint32 spnego_client(struct spnego_peer *p, const char *user, const char *password,
                        const char *target, enum spnego_mechs mechs, OM_uint32 req_flags)
{
    gss_OID_set_desc spnego_set = {1, &spnego_oid};
    gss_name_t name = GSS_C_NO_NAME;
    gss_buffer_desc buf;
    OM_uint32 tmp;

    memset(p, 0, sizeof(*p));
    p->initiator = true;
    p->req_flags = req_flags;
    buf.value = (void *)target;
    buf.length = strlen(target);
    p->major = gss_import_name(&p->minor, &buf, GSS_C_NT_HOSTBASED_SERVICE, &p->target);
    if (GSS_ERROR(p->major))
        return p->major;
    if (user != NULL) {
        buf.value = (void *)user;
        buf.length = strlen(user);
        p->major = gss_import_name(&p->minor, &buf, GSS_C_NT_USER_NAME, &name);
        if (GSS_ERROR(p->major))
            return p->major;
    }
    if (password != NULL) {
        gss_buffer_desc pw = {strlen(password), (void *)password};
        p->major =
            gss_acquire_cred_with_password(&p->minor, name, &pw, GSS_C_INDEFINITE, &spnego_set,
                                           GSS_C_INITIATE, &p->cred, NULL, NULL);
    } else {
        p->major = gss_acquire_cred(&p->minor, name, GSS_C_INDEFINITE, &spnego_set, GSS_C_INITIATE,
                                    &p->cred, NULL, NULL);
    }
    if (name != GSS_C_NO_NAME)
        gss_release_name(&tmp, &name);
    if (GSS_ERROR(p->major))
        return p->major;
    return set_mechs(p, mechs);
}

OM_uint32 spnego_server(struct spnego_peer *p, enum spnego_mechs mechs)
{
    gss_OID_set_desc spnego_set = {1, &spnego_oid};

    memset(p, 0, sizeof(*p));
    p->major = gss_acquire_cred(&p->minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &spnego_set,
                                GSS_C_ACCEPT, &p->cred, NULL, NULL);
    if (GSS_ERROR(p->major))
        return p->major;
    return set_mechs(p, mechs);
}

OM_uint32 spnego_step(struct spnego_peer *p, const void *in, size_t in_len, void **out,
                      size_t *out_len)
{
    gss_buffer_desc ib = {in_len, (void *)in}, ob = GSS_C_EMPTY_BUFFER;

    if (p->initiator)
        p->major = gss_init_sec_context(&p->minor, p->cred, &p->ctx, p->target, &spnego_oid,
                                        p->req_flags, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                        in ? &ib : GSS_C_NO_BUFFER, NULL, &ob, &p->ret_flags, NULL);
    else
        p->major = gss_accept_sec_context(
            &p->minor, &p->ctx, p->cred, &ib, GSS_C_NO_CHANNEL_BINDINGS,
            p->src == GSS_C_NO_NAME ? &p->src : NULL, NULL, &ob, &p->ret_flags, NULL, NULL);
    *out = copy_out(&ob, out_len);
    p->complete = p->major == GSS_S_COMPLETE;
    return p->major;
}

OM_uint32 spnego_wrap(struct spnego_peer *p, bool conf, const void *msg, size_t len, void **out,
                      size_t *out_len)
{
    gss_buffer_desc ib = {len, (void *)msg}, ob = GSS_C_EMPTY_BUFFER;

    p->major = gss_wrap(&p->minor, p->ctx, conf, GSS_C_QOP_DEFAULT, &ib, NULL, &ob);
    *out = copy_out(&ob, out_len);
    return p->major;
}

OM_uint32 spnego_unwrap(struct spnego_peer *p, const void *tok, size_t len, void **out,
                        size_t *out_len, int *conf)
{
    gss_buffer_desc ib = {len, (void *)tok}, ob = GSS_C_EMPTY_BUFFER;

    p->major = gss_unwrap(&p->minor, p->ctx, &ib, &ob, conf, NULL);
    *out = copy_out(&ob, out_len);
    return p->major;
}

OM_uint32 spnego_get_mic(struct spnego_peer *p, const void *msg, size_t len, void **out,
                         size_t *out_len)
{
    gss_buffer_desc ib = {len, (void *)msg}, ob = GSS_C_EMPTY_BUFFER;

    p->major = gss_get_mic(&p->minor, p->ctx, GSS_C_QOP_DEFAULT, &ib, &ob);
    *out = copy_out(&ob, out_len);
    return p->major;
}

OM_uint32 spnego_verify_mic(struct spnego_peer *p, const void *msg, size_t len, const void *mic,
                            size_t mic_len)
{
    gss_buffer_desc mb = {len, (void *)msg}, tb = {mic_len, (void *)mic};

    p->major = gss_verify_mic(&p->minor, p->ctx, &mb, &tb, NULL);
    return p->major;
}

char *spnego_src_name(struct spnego_peer *p)
{
    gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    char *s = NULL;

    if (p->src == GSS_C_NO_NAME || gss_display_name(&minor, p->src, &b, NULL) != GSS_S_COMPLETE)
        return NULL;
    s = malloc(b.length + 1);
    if (s != NULL) {
        memcpy(s, b.value, b.length);
        s[b.length] = 0;
    }
    gss_release_buffer(&minor, &b);
    return s;
}

const char *spnego_mech_name(struct spnego_peer *p)
{
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 minor;

    if (gss_inquire_context(&minor, p->ctx, NULL, NULL, NULL, &mech, NULL, NULL, NULL) !=
            GSS_S_COMPLETE ||
        mech == GSS_C_NO_OID)
        return "none";
    if (mech->length == krb5_oid.length && memcmp(mech->elements, krb5_oid.elements, 9) == 0)
        return "krb5";
    if (mech->length == ntlm_oid.length && memcmp(mech->elements, ntlm_oid.elements, 10) == 0)
        return "ntlm";
    return "other";
}

void spnego_peer_free(struct spnego_peer *p)
{
    OM_uint32 minor;

    if (p->ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &p->ctx, GSS_C_NO_BUFFER);
    if (p->cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &p->cred);
    if (p->target != GSS_C_NO_NAME)
        gss_release_name(&minor, &p->target);
    if (p->src != GSS_C_NO_NAME)
        gss_release_name(&minor, &p->src);
    memset(p, 0, sizeof(*p));
}

const char *spnego_error(const struct spnego_peer *p)
{
    static char text[512];
    OM_uint32 minor, ctx = 0;
    gss_buffer_desc a = GSS_C_EMPTY_BUFFER, b = GSS_C_EMPTY_BUFFER;

    gss_display_status(&minor, p->major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &a);
    ctx = 0;
    gss_display_status(&minor, p->minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &b);
    snprintf(text, sizeof(text), "%.*s / %.*s (major 0x%x minor %u)", (int)a.length,
             (char *)a.value, (int)b.length, (char *)b.value, p->major, p->minor);
    gss_release_buffer(&minor, &a);
    gss_release_buffer(&minor, &b);
    return text;
}
