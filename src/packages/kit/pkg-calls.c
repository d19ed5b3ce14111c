/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-calls.c - the SSP/AP slots the kit runs around a package's
 * callbacks: handshake legs, per-message calls and deletes (see
 * pkg-calls.h).  pkg-entry.c binds them to each package's descriptor.
 */
#include "packages/kit/pkg-attrs.h"
#include "packages/kit/pkg-calls-internal.h"
#include "packages/kit/pkg-handle.h"

/* Copy a successful leg's results to the caller's out parameters. */
static void leg_report(const struct pkg_leg *leg, PULONG attrs, PTimeStamp expiry, PBOOLEAN mapped)
{
    if (attrs != NULL)
        *attrs = leg->attributes;
    if (expiry != NULL)
        expiry->QuadPart = leg->expiry;
    if (mapped != NULL)
        *mapped = leg->mapped ? TRUE : FALSE;
}

static NTSTATUS first_leg(const struct pkg_descriptor *d, pkg_leg_fn fn, LSA_SEC_HANDLE cred,
                          struct pkg_leg *leg, PLSA_SEC_HANDLE new_handle)
{
    NTSTATUS st;

    leg->credential = pkg_object_from_handle(d->credential_class, cred, PKG_SIDE_LSA);
    if (leg->credential == NULL)
        return STATUS_INVALID_HANDLE;
    if (new_handle == NULL)
        return STATUS_INVALID_PARAMETER;
    st = fn(leg);
    if (!SEC_SUCCESS(st) || leg->context == NULL) {
        pkg_object_discard(leg->context);
        leg->context = NULL;
        return SEC_SUCCESS(st) ? SEC_E_INTERNAL_ERROR : st;
    }
    *new_handle = pkg_object_handle(leg->context);
    return st;
}

static NTSTATUS later_leg(const struct pkg_descriptor *d, pkg_leg_fn fn, LSA_SEC_HANDLE cred,
                          LSA_SEC_HANDLE ctx, struct pkg_leg *leg, PLSA_SEC_HANDLE new_handle)
{
    struct pkg_object *o = pkg_object_from_handle(d->context_class, ctx, PKG_SIDE_LSA);
    NTSTATUS st;

    if (o == NULL)
        return STATUS_INVALID_HANDLE;
    if (o->failed)
        return SEC_E_OUT_OF_SEQUENCE;
    leg->context = o;
    leg->credential = pkg_object_from_handle(d->credential_class, cred, PKG_SIDE_LSA);
    if (new_handle != NULL)
        *new_handle = ctx;
    st = fn(leg);
    if (!SEC_SUCCESS(st))
        o->failed = true;
    return st;
}

NTSTATUS pkg_run_leg(const struct pkg_descriptor *d, const struct pkg_leg_args *a)
{
    pkg_leg_fn fn = a->accept ? d->accept : d->initiate;
    struct pkg_leg leg = {
        .accept = a->accept,
        .target = a->target,
        .req = a->req,
        .drep = a->drep,
        .in = a->in,
        .out = a->out,
        .context_data = a->context_data,
    };
    NTSTATUS st;

    if (a->mapped != NULL)
        *a->mapped = FALSE;
    if (fn == NULL)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (a->ctx == 0)
        st = first_leg(d, fn, a->cred, &leg, a->new_handle);
    else
        st = later_leg(d, fn, a->cred, a->ctx, &leg, a->new_handle);
    if (SEC_SUCCESS(st))
        leg_report(&leg, a->attrs, a->expiry, a->mapped);
    return st;
}

NTSTATUS pkg_run_message(const struct pkg_descriptor *d, enum pkg_message_kind kind,
                         LSA_SEC_HANDLE h, PSecBufferDesc desc, ULONG qop, ULONG seqno,
                         PULONG qop_out)
{
    const struct pkg_message_ops *ops = d->messages;
    struct pkg_message_call call;
    NTSTATUS st;

    call.context = pkg_object_from_handle(d->context_class, h, PKG_SIDE_USER);
    if (call.context == NULL)
        return STATUS_INVALID_HANDLE;
    st = pkg_message_parse(desc, &call.m);
    if (st != SEC_E_OK)
        return st;
    call.qop = qop;
    call.seqno = seqno;
    call.qop_out = qop_out;
    switch (kind) {
    case PKG_MSG_SIGN:
        return ops->sign != NULL ? ops->sign(&call) : SEC_E_UNSUPPORTED_FUNCTION;
    case PKG_MSG_VERIFY:
        return ops->verify != NULL ? ops->verify(&call) : SEC_E_UNSUPPORTED_FUNCTION;
    case PKG_MSG_SEAL:
        return ops->seal != NULL ? ops->seal(&call) : SEC_E_UNSUPPORTED_FUNCTION;
    default:
        return ops->unseal != NULL ? ops->unseal(&call) : SEC_E_UNSUPPORTED_FUNCTION;
    }
}

NTSTATUS pkg_run_query(const struct pkg_descriptor *d, enum pkg_mode mode, LSA_SEC_HANDLE h,
                       ULONG attr, void *buffer)
{
    uint32_t side = mode == PKG_MODE_USER ? PKG_SIDE_USER : PKG_SIDE_LSA;
    void *object = pkg_object_from_handle(d->context_class, h, side);
    struct pkg_attr_data data = {.pkg = d};
    NTSTATUS st;

    if (object == NULL)
        return STATUS_INVALID_HANDLE;
    if (buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    if (d->query != NULL) {
        st = d->query(object, mode, attr, buffer);
        if (st != SEC_E_UNSUPPORTED_FUNCTION)
            return st;
    }
    if (!d->describe(object, mode, &data))
        return SEC_E_INVALID_HANDLE;
    data.pkg = d;
    return pkg_attr_query(&data, attr, buffer, mode);
}
