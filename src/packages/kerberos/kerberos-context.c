/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-context.c - InitializeSecurityContext / AcceptSecurityContext
 * over gss_init_sec_context / gss_accept_sec_context.
 *
 * The handle stays the same across legs.  Flags are mapped bit by bit
 * (reference kerberos.md 3.1); the attributes reported are what the caller
 * asked for and MIT granted (MIT grants CONF and INTEG unasked on the
 * acceptor side; they are not reported unless asked).  A failed leg ends
 * the context: MIT's context is deleted, and a later leg on the handle (as
 * one after completion) gets SEC_E_OUT_OF_SEQUENCE, as NTLM answers.
 *
 * Statuses: SEC_I_CONTINUE_NEEDED, SEC_E_OK, SEC_E_INVALID_TOKEN (no or
 * malformed token), SEC_E_BUFFER_TOO_SMALL (no room for the output token),
 * SEC_E_TARGET_UNKNOWN, SEC_E_LOGON_DENIED, SEC_E_NO_CREDENTIALS,
 * SEC_E_NO_AUTHENTICATING_AUTHORITY, SEC_E_TIME_SKEW, SEC_E_BAD_BINDINGS,
 * SEC_E_WRONG_PRINCIPAL, SEC_E_INSUFFICIENT_MEMORY, SEC_E_INTERNAL_ERROR.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "packages/kerberos/kerberos.h"

int64_t krb_filetime(int64_t unix_seconds)
{
    return pkg_filetime_from_unix((time_t)unix_seconds);
}

int64_t krb_now(void)
{
    return pkg_filetime_now();
}

static void context_destroy(void *object)
{
    struct krb_context *ctx = object;
    OM_uint32 minor;

    if (ctx->gss != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &ctx->gss, GSS_C_NO_BUFFER);
    if (ctx->target != GSS_C_NO_NAME)
        gss_release_name(&minor, &ctx->target);
    krb_cred_unref(ctx->cred);
    krb_delegation_drop(ctx->delegation);
    free(ctx->client);
    free(ctx->service);
    if (ctx->fast)
        krb_cfx_wipe(&ctx->cfx);
    pthread_mutex_destroy(&ctx->mit_lock);
}

const struct pkg_class krb_context_class = {0x4B435458u /* "KCTX" */, sizeof(struct krb_context),
                                            context_destroy};

struct krb_context *krb_context_from_handle(LSA_SEC_HANDLE h)
{
    return pkg_object_from_handle(&krb_context_class, h, 0);
}

struct krb_context *krb_context_new(bool server, uint32_t side)
{
    struct krb_context *ctx = pkg_object_new(&krb_context_class, side);

    if (ctx == NULL)
        return NULL;
    ctx->server = server;
    ctx->gss = GSS_C_NO_CONTEXT;
    ctx->target = GSS_C_NO_NAME;
    pthread_mutex_init(&ctx->mit_lock, NULL);
    return ctx;
}

NTSTATUS NTAPI krb_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    return pkg_delete_side(&krb_context_class, ContextHandle, PKG_SIDE_LSA);
}

/* ---- flags -------------------------------------------------------------- */

/* One row per GSS flag: the SSPI request and return bits of each side
 * (reference kerberos.md 3.1); 0 where a side has no such bit. */
static const struct flag_map {
    OM_uint32 gss;
    uint32_t isc_req, isc_ret, asc_req, asc_ret;
} flag_map[] = {
    {GSS_C_DELEG_FLAG, ISC_REQ_DELEGATE, ISC_RET_DELEGATE, ASC_REQ_DELEGATE, ASC_RET_DELEGATE},
    {GSS_C_MUTUAL_FLAG, ISC_REQ_MUTUAL_AUTH, ISC_RET_MUTUAL_AUTH, ASC_REQ_MUTUAL_AUTH,
     ASC_RET_MUTUAL_AUTH},
    {GSS_C_REPLAY_FLAG, ISC_REQ_REPLAY_DETECT, ISC_RET_REPLAY_DETECT, ASC_REQ_REPLAY_DETECT,
     ASC_RET_REPLAY_DETECT},
    {GSS_C_SEQUENCE_FLAG, ISC_REQ_SEQUENCE_DETECT, ISC_RET_SEQUENCE_DETECT, ASC_REQ_SEQUENCE_DETECT,
     ASC_RET_SEQUENCE_DETECT},
    {GSS_C_CONF_FLAG, ISC_REQ_CONFIDENTIALITY, ISC_RET_CONFIDENTIALITY, ASC_REQ_CONFIDENTIALITY,
     ASC_RET_CONFIDENTIALITY},
    {GSS_C_INTEG_FLAG, ISC_REQ_INTEGRITY, ISC_RET_INTEGRITY, ASC_REQ_INTEGRITY, ASC_RET_INTEGRITY},
    {GSS_C_ANON_FLAG, ISC_REQ_NULL_SESSION, ISC_RET_NULL_SESSION, 0, ASC_RET_NULL_SESSION},
    {GSS_C_DCE_STYLE, ISC_REQ_USE_DCE_STYLE, ISC_RET_USED_DCE_STYLE, ASC_REQ_USE_DCE_STYLE,
     ASC_RET_USED_DCE_STYLE},
    {GSS_C_IDENTIFY_FLAG, ISC_REQ_IDENTIFY, ISC_RET_IDENTIFY, ASC_REQ_IDENTIFY, ASC_RET_IDENTIFY},
    {GSS_C_EXTENDED_ERROR_FLAG, ISC_REQ_EXTENDED_ERROR, ISC_RET_EXTENDED_ERROR,
     ASC_REQ_EXTENDED_ERROR, ASC_RET_EXTENDED_ERROR},
};

static OM_uint32 flags_sspi_to_gss(uint32_t req, bool server)
{
    OM_uint32 f = 0;

    for (size_t i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++)
        if (req & (server ? flag_map[i].asc_req : flag_map[i].isc_req))
            f |= flag_map[i].gss;
    /* Signing or sequencing needs integrity protection on the wire. */
    if (f & (GSS_C_CONF_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG))
        f |= GSS_C_INTEG_FLAG;
    return f;
}

uint32_t krb_flags_gss_to_sspi(OM_uint32 gss, bool server)
{
    uint32_t r = 0;

    for (size_t i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++)
        if (gss & flag_map[i].gss)
            r |= server ? flag_map[i].asc_ret : flag_map[i].isc_ret;
    return r;
}

/* What to report: granted bits, less CONF/INTEG the caller did not ask
 * for (MIT's acceptor grants them unasked), plus SSPI-side bits. */
static uint32_t report_attrs(const struct krb_context *ctx, OM_uint32 granted)
{
    OM_uint32 asked = flags_sspi_to_gss(ctx->req, ctx->server);
    uint32_t r;

    if (!(asked & GSS_C_CONF_FLAG))
        granted &= ~(OM_uint32)GSS_C_CONF_FLAG;
    if (!(asked & GSS_C_INTEG_FLAG))
        granted &= ~(OM_uint32)GSS_C_INTEG_FLAG;
    r = krb_flags_gss_to_sspi(granted, ctx->server);
    if (ctx->req & ISC_REQ_ALLOCATE_MEMORY)
        r |= ISC_RET_ALLOCATED_MEMORY;
    if (!ctx->server && (ctx->req & ISC_REQ_CONNECTION))
        r |= ISC_RET_CONNECTION;
    if (ctx->server && (ctx->req & ASC_REQ_CONNECTION))
        r |= ASC_RET_CONNECTION;
    return r;
}

/* ---- buffers ------------------------------------------------------------ */

/* SECBUFFER_CHANNEL_BINDINGS -> gss_channel_bindings_struct (pointing into
 * the caller's buffer).  False if malformed. */
static bool read_bindings(PSecBufferDesc in, struct gss_channel_bindings_struct *cb, bool *have)
{
    PSecBuffer b = pkg_buffer_find(in, SECBUFFER_CHANNEL_BINDINGS);
    const SEC_CHANNEL_BINDINGS *s;
    uint8_t *base;

    *have = false;
    if (b == NULL)
        return true;
    if (b->pvBuffer == NULL || b->cbBuffer < sizeof(SEC_CHANNEL_BINDINGS))
        return false;
    s = b->pvBuffer;
    base = b->pvBuffer;
#define FITS(off, len) ((uint64_t)(off) + (len) <= b->cbBuffer)
    if (!FITS(s->dwInitiatorOffset, s->cbInitiatorLength) ||
        !FITS(s->dwAcceptorOffset, s->cbAcceptorLength) ||
        !FITS(s->dwApplicationDataOffset, s->cbApplicationDataLength))
        return false;
#undef FITS
    cb->initiator_addrtype = s->dwInitiatorAddrType;
    cb->initiator_address.length = s->cbInitiatorLength;
    cb->initiator_address.value = s->cbInitiatorLength ? base + s->dwInitiatorOffset : NULL;
    cb->acceptor_addrtype = s->dwAcceptorAddrType;
    cb->acceptor_address.length = s->cbAcceptorLength;
    cb->acceptor_address.value = s->cbAcceptorLength ? base + s->dwAcceptorOffset : NULL;
    cb->application_data.length = s->cbApplicationDataLength;
    cb->application_data.value =
        s->cbApplicationDataLength ? base + s->dwApplicationDataOffset : NULL;
    *have = true;
    return true;
}

/* Hand the GSS output token to the caller (none: TOKEN.cbBuffer 0). */
static SECURITY_STATUS write_token(PSecBufferDesc out, ULONG req, const gss_buffer_desc *tok)
{
    if (tok->length == 0) {
        pkg_output_none(out);
        return SEC_E_OK;
    }
    return pkg_output_token(out, req, tok->value, tok->length);
}

/* ---- completion --------------------------------------------------------- */

/* Keys and sequence numbers by the lucid-export OID (1.2.840.113554.1.2.2.5.6
 * with version 1), which, unlike gss_krb5_export_lucid_sec_context in MIT
 * 1.20, leaves the context usable. */
static SECURITY_STATUS take_keys(struct krb_context *ctx)
{
    static gss_OID_desc lucid_oid = {12, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x05\x06\x01"};
    OM_uint32 major, minor;
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    gss_krb5_lucid_context_v1_t *lc = NULL;
    const gss_krb5_lucid_key_t *key;
    bool subkey;

    major = gss_inquire_sec_context_by_oid(&minor, ctx->gss, &lucid_oid, &set);
    if (GSS_ERROR(major) || set == NULL || set->count != 1 ||
        set->elements[0].length != sizeof(void *)) {
        if (set != NULL)
            gss_release_buffer_set(&minor, &set);
        return krb_status_from_gss(KRB_OP_MESSAGE, "lucid context", major, minor);
    }
    memcpy(&lc, set->elements[0].value, sizeof(lc));
    gss_release_buffer_set(&minor, &set);
    if (lc->protocol == 1) {
        subkey = lc->cfx_kd.have_acceptor_subkey != 0;
        key = subkey ? &lc->cfx_kd.acceptor_subkey : &lc->cfx_kd.ctx_key;
    } else {
        subkey = false;
        key = &lc->rfc1964_kd.ctx_key;
    }
    ctx->enctype = (int32_t)key->type;
    ctx->key_len = key->length <= sizeof(ctx->key) ? key->length : 0;
    memcpy(ctx->key, key->data, ctx->key_len);
    ctx->fast = false;
    if (lc->protocol == 1 && !krb_option_mit_messages() && krb_cfx_supported(ctx->enctype))
        ctx->fast = krb_cfx_init(
            &ctx->cfx, ctx->enctype, ctx->key, ctx->key_len, lc->initiate != 0, subkey,
            (ctx->gss_flags & GSS_C_DCE_STYLE) != 0, (ctx->gss_flags & GSS_C_REPLAY_FLAG) != 0,
            (ctx->gss_flags & GSS_C_SEQUENCE_FLAG) != 0, lc->send_seq, lc->recv_seq);
    gss_krb5_free_lucid_sec_context(&minor, lc);
    krb_trace("context established: enctype %d, per-message path %s", (int)ctx->enctype,
              ctx->fast ? "nettle" : "MIT gss_*_iov");
    return SEC_E_OK;
}

SECURITY_STATUS krb_context_keys_slow(struct krb_context *ctx)
{
    SECURITY_STATUS st;

    pthread_mutex_lock(&ctx->mit_lock);
    if (atomic_load(&ctx->ready) == 0)
        atomic_store_explicit(&ctx->ready, take_keys(ctx) == SEC_E_OK ? 1 : -1,
                              memory_order_release);
    st = atomic_load(&ctx->ready) == 1 ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
    pthread_mutex_unlock(&ctx->mit_lock);
    return st;
}

void krb_context_names(struct krb_context *ctx)
{
    OM_uint32 minor;
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;

    pthread_mutex_lock(&ctx->mit_lock);
    if (!ctx->names && ctx->gss != GSS_C_NO_CONTEXT &&
        gss_inquire_context(&minor, ctx->gss, &src, &targ, NULL, NULL, NULL, NULL, NULL) ==
            GSS_S_COMPLETE) {
        free(ctx->client);
        free(ctx->service);
        ctx->client = krb_display_name(src);
        ctx->service = krb_display_name(targ);
        ctx->names = true;
    }
    if (src != GSS_C_NO_NAME)
        gss_release_name(&minor, &src);
    if (targ != GSS_C_NO_NAME)
        gss_release_name(&minor, &targ);
    pthread_mutex_unlock(&ctx->mit_lock);
}

SECURITY_STATUS krb_context_finish(struct krb_context *ctx, OM_uint32 time_rec)
{
    ctx->start = krb_now();
    ctx->expiry =
        time_rec == GSS_C_INDEFINITE ? INT64_MAX : ctx->start + (int64_t)time_rec * 10000000;
    ctx->state = KRB_STATE_COMPLETE;
    krb_cred_unref(ctx->cred);
    ctx->cred = NULL;
    return SEC_E_OK;
}

/* A leg failed: the context can go no further. */
static SECURITY_STATUS fail(struct krb_context *ctx, SECURITY_STATUS st)
{
    OM_uint32 minor;

    ctx->state = KRB_STATE_FAILED;
    if (ctx->gss != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &ctx->gss, GSS_C_NO_BUFFER);
    return st;
}

/* Hand a new context to the host, or drop it after a first-leg failure. */
static NTSTATUS settle(struct krb_context *ctx, bool fresh, SECURITY_STATUS st,
                       PLSA_SEC_HANDLE NewContextHandle, PULONG ContextAttributes,
                       PTimeStamp ExpirationTime)
{
    if (!SEC_SUCCESS(st)) {
        if (fresh)
            pkg_object_discard(ctx);
        return st;
    }
    *NewContextHandle = (LSA_SEC_HANDLE)ctx;
    if (ContextAttributes != NULL)
        *ContextAttributes = ctx->attrs;
    if (ExpirationTime != NULL)
        ExpirationTime->QuadPart = ctx->state == KRB_STATE_COMPLETE ? ctx->expiry : INT64_MAX;
    return st;
}

/* Look up or make the context of this leg.  NULL with *st set on error. */
static struct krb_context *leg_context(LSA_SEC_HANDLE cred_h, LSA_SEC_HANDLE ctx_h, bool server,
                                       ULONG req, bool *fresh, SECURITY_STATUS *st)
{
    struct krb_context *ctx;

    *fresh = ctx_h == 0;
    if (ctx_h != 0) {
        ctx = krb_context_from_handle(ctx_h);
        if (ctx == NULL || ctx->server != server || ctx->imported) {
            *st = SEC_E_INVALID_HANDLE;
            return NULL;
        }
        if (ctx->state != KRB_STATE_CONTINUE) {
            *st = SEC_E_OUT_OF_SEQUENCE;
            return NULL;
        }
        return ctx;
    }
    struct krb_cred *cred = krb_cred_from_handle(cred_h);
    if (cred == NULL) {
        *st = SEC_E_INVALID_HANDLE;
        return NULL;
    }
    if (!(cred->use & (server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND))) {
        *st = SEC_E_NO_CREDENTIALS;
        return NULL;
    }
    ctx = krb_context_new(server, PKG_SIDE_LSA);
    if (ctx == NULL) {
        *st = SEC_E_INSUFFICIENT_MEMORY;
        return NULL;
    }
    ctx->req = req;
    ctx->cred = cred;
    krb_cred_ref(cred);
    return ctx;
}

/* ---- InitializeSecurityContext ------------------------------------------ */

static SECURITY_STATUS init_target(struct krb_context *ctx, PUNICODE_STRING TargetName)
{
    OM_uint32 major, minor;
    char *spn;

    if (TargetName == NULL || TargetName->Buffer == NULL || TargetName->Length == 0)
        return SEC_E_TARGET_UNKNOWN;
    spn = krb_utf8(TargetName->Buffer, TargetName->Length / 2);
    if (spn == NULL)
        return SEC_E_TARGET_UNKNOWN;
    major = krb_import_target(spn, &ctx->target, &minor);
    free(spn);
    if (GSS_ERROR(major))
        return krb_status_from_gss(KRB_OP_INIT, "gss_import_name(target)", major, minor);
    return SEC_E_OK;
}

NTSTATUS NTAPI krb_init_lsa_mode_context(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    struct gss_channel_bindings_struct cb;
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, ret = 0, minor2, time_rec = GSS_C_INDEFINITE;
    gss_cred_id_t gcred = GSS_C_NO_CREDENTIAL;
    struct krb_context *ctx;
    SECURITY_STATUS st = SEC_E_OK;
    bool fresh, have_cb;

    if (NewContextHandle == NULL)
        return SEC_E_INVALID_HANDLE;
    if (MappedContext != NULL)
        *MappedContext = 0;
    if (ContextRequirements & ISC_REQ_PROMPT_FOR_CREDS)
        return SEC_E_UNSUPPORTED_FUNCTION;
    ctx = leg_context(CredentialHandle, ContextHandle, false, ContextRequirements, &fresh, &st);
    if (ctx == NULL)
        return st;
    if (!read_bindings(InputBuffers, &cb, &have_cb))
        return settle(ctx, fresh, fresh ? SEC_E_INVALID_TOKEN : fail(ctx, SEC_E_INVALID_TOKEN),
                      NewContextHandle, ContextAttributes, ExpirationTime);
    if (fresh) {
        st = init_target(ctx, TargetName);
    } else {
        const uint8_t *t;
        size_t tl;

        st = pkg_input_token(InputBuffers, &t, &tl);
        if (st == SEC_E_OK)
            in = (gss_buffer_desc){tl, (void *)t};
    }
    if (st == SEC_E_OK && ctx->cred != NULL)
        st = krb_cred_initiator(ctx->cred, &gcred);
    if (st != SEC_E_OK)
        return settle(ctx, fresh, fresh ? st : fail(ctx, st), NewContextHandle, ContextAttributes,
                      ExpirationTime);

    major = gss_init_sec_context(&minor, gcred, &ctx->gss, ctx->target, (gss_OID)gss_mech_krb5,
                                 flags_sspi_to_gss(ctx->req, false), GSS_C_INDEFINITE,
                                 have_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, &ret,
                                 &time_rec);
    if (GSS_ERROR(major)) {
        st = krb_status_from_gss(KRB_OP_INIT, "gss_init_sec_context", major, minor);
        if (st == SEC_E_INVALID_HANDLE || st == SEC_E_INTERNAL_ERROR)
            st = in.length > 0 ? SEC_E_INVALID_TOKEN : st;
        if (!fresh && st == SEC_E_LOGON_DENIED && in.length > 0)
            st = SEC_E_MUTUAL_AUTH_FAILED;
        gss_release_buffer(&minor2, &out);
        return settle(ctx, fresh, fail(ctx, st), NewContextHandle, ContextAttributes,
                      ExpirationTime);
    }
    st = write_token(OutputBuffers, ctx->req, &out);
    gss_release_buffer(&minor2, &out);
    ctx->gss_flags = ret;
    ctx->attrs = report_attrs(ctx, ret);
    if (st == SEC_E_OK) {
        if (major == GSS_S_CONTINUE_NEEDED) {
            ctx->state = KRB_STATE_CONTINUE;
            st = SEC_I_CONTINUE_NEEDED;
        } else {
            st = krb_context_finish(ctx, time_rec);
        }
    }
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
        st = fail(ctx, st);
    (void)TargetDataRep;
    (void)ContextData;
    return settle(ctx, fresh, st, NewContextHandle, ContextAttributes, ExpirationTime);
}

/* ---- AcceptSecurityContext ---------------------------------------------- */

NTSTATUS NTAPI krb_accept_lsa_mode_context(LSA_SEC_HANDLE CredentialHandle,
                                           LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffer,
                                           ULONG ContextRequirements, ULONG TargetDataRep,
                                           PLSA_SEC_HANDLE NewContextHandle,
                                           PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                                           PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                           PSecBuffer ContextData)
{
    struct gss_channel_bindings_struct cb;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, ret = 0, minor2, time_rec = GSS_C_INDEFINITE;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    gss_name_t src = GSS_C_NO_NAME;
    struct krb_context *ctx;
    SECURITY_STATUS st = SEC_E_OK;
    const uint8_t *t;
    size_t tl;
    bool fresh, have_cb;

    if (NewContextHandle == NULL)
        return SEC_E_INVALID_HANDLE;
    if (MappedContext != NULL)
        *MappedContext = 0;
    ctx = leg_context(CredentialHandle, ContextHandle, true, ContextRequirements, &fresh, &st);
    if (ctx == NULL)
        return st;
    if (pkg_input_token(InputBuffer, &t, &tl) != SEC_E_OK ||
        !read_bindings(InputBuffer, &cb, &have_cb))
        return settle(ctx, fresh, fresh ? SEC_E_INVALID_TOKEN : fail(ctx, SEC_E_INVALID_TOKEN),
                      NewContextHandle, ContextAttributes, ExpirationTime);
    in = (gss_buffer_desc){tl, (void *)t};
    major = gss_accept_sec_context(
        &minor, &ctx->gss, ctx->cred != NULL ? ctx->cred->accept : GSS_C_NO_CREDENTIAL, &in,
        have_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS, &src, NULL, &out, &ret, &time_rec, &deleg);
    if (GSS_ERROR(major)) {
        st = krb_status_from_gss(KRB_OP_ACCEPT, "gss_accept_sec_context", major, minor);
        if (st == SEC_E_INVALID_HANDLE || st == SEC_E_INTERNAL_ERROR)
            st = SEC_E_INVALID_TOKEN;
        /* Tell the client why, as Windows does, when MIT made a KRB-ERROR. */
        if (out.length > 0)
            (void)write_token(OutputBuffer, ctx->req, &out);
        gss_release_buffer(&minor2, &out);
        if (src != GSS_C_NO_NAME)
            gss_release_name(&minor2, &src);
        return settle(ctx, fresh, fail(ctx, st), NewContextHandle, ContextAttributes,
                      ExpirationTime);
    }
    st = write_token(OutputBuffer, ctx->req, &out);
    gss_release_buffer(&minor2, &out);
    ctx->gss_flags = ret;
    ctx->attrs = report_attrs(ctx, ret);
    if (deleg != GSS_C_NO_CREDENTIAL) {
        char *who = krb_display_name(src);

        ctx->delegation = krb_delegation_keep(deleg, who);
        if (ctx->delegation != NULL)
            ctx->attrs |= ASC_RET_DELEGATE;
        free(who);
        gss_release_cred(&minor2, &deleg);
    }
    if (src != GSS_C_NO_NAME)
        gss_release_name(&minor2, &src);
    if (st == SEC_E_OK) {
        if (major == GSS_S_CONTINUE_NEEDED) {
            ctx->state = KRB_STATE_CONTINUE;
            st = SEC_I_CONTINUE_NEEDED;
        } else {
            st = krb_context_finish(ctx, time_rec);
        }
    }
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
        st = fail(ctx, st);
    (void)TargetDataRep;
    (void)ContextData;
    return settle(ctx, fresh, st, NewContextHandle, ContextAttributes, ExpirationTime);
}
