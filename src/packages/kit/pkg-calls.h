/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-calls.h - SSP/AP slots the kit runs for a package around small
 * callbacks: the handshake legs, the per-message calls and the deletes.
 * A package opts in through its descriptor (pkg-entry.h); a slot it fills
 * in its own table is kept instead.
 *
 * Handshake legs (descriptor->initiate / ->accept, with the classes in
 * ->credential_class and ->context_class).  The kit's
 * SpInitLsaModeContext / SpAcceptLsaModeContext:
 *   - clear *MappedContext;
 *   - first leg (ContextHandle 0): look the credential up
 *     (STATUS_INVALID_HANDLE if it is not one of the package's),
 *     NewContextHandle NULL is STATUS_INVALID_PARAMETER; the callback
 *     creates the context (pkg_object_new, LSA side) and sets
 *     leg->context; on success the kit hands its handle out, on failure
 *     it destroys it: a failing first leg leaves nothing behind;
 *   - later legs: look the context up (STATUS_INVALID_HANDLE if it is not
 *     one of the package's or its LSA side is gone), refuse a context
 *     whose handshake already failed with SEC_E_OUT_OF_SEQUENCE (a failed
 *     leg is final, as on Windows), set *NewContextHandle to the same
 *     handle, run the callback, and mark the handshake failed if it fails;
 *   - on success copy leg->attributes, leg->expiry and leg->mapped to the
 *     caller's out parameters.
 * The callback checks its own state machine (a context that is complete,
 * or of the wrong role for the call, is its to refuse).
 *
 * Per-message calls (descriptor->messages): the kit's SpMakeSignature,
 * SpVerifySignature, SpSealMessage and SpUnsealMessage look the context up
 * with its user side alive (STATUS_INVALID_HANDLE otherwise), parse the
 * buffers (pkg_message_parse, SEC_E_INVALID_TOKEN for a bad descriptor)
 * and call the package with both.  No allocation, no lock.
 *
 * Deletes (the classes): FreeCredentialsHandle, DeleteContext and
 * DeleteUserModeContext are pkg_delete_side on the class's LSA or user
 * side (pkg-handle.h).
 *
 * Attributes (descriptor->describe): QueryContextAttributes in the LSA
 * table looks the context up with its LSA side alive, in the user table
 * with its user side alive (STATUS_INVALID_HANDLE otherwise), tries
 * descriptor->query, then answers from the data describe fills
 * (pkg_attr_query, with the allocator of that table's mode).
 */
#ifndef LIBSSPI_PKG_CALLS_H
#define LIBSSPI_PKG_CALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "packages/kit/pkg-buffers.h"

/* One SpInitLsaModeContext / SpAcceptLsaModeContext leg. */
struct pkg_leg {
    bool accept;                  /* AcceptSecurityContext */
    void *credential;             /* the package's credential object; NULL on
                                     a later leg the caller gave none for */
    void *context;                /* NULL on the first leg until the callback
                                     creates it; the context on later legs */
    const UNICODE_STRING *target; /* ISC target name (may be NULL) */
    ULONG req;                    /* ContextRequirements (ISC_REQ_* / ASC_REQ_*) */
    ULONG drep;                   /* TargetDataRep */
    PSecBufferDesc in, out;       /* the caller's descriptors (may be NULL) */
    PSecBuffer context_data;      /* ContextData, for a completing leg */
    /* Set by the callback: */
    ULONG attributes; /* ISC_RET_* / ASC_RET_* */
    int64_t expiry;   /* TimeStamp value */
    bool mapped;      /* context_data is filled (a completing leg) */
};

/* A leg callback: SEC_I_CONTINUE_NEEDED, SEC_E_OK or a failure status. */
typedef NTSTATUS (*pkg_leg_fn)(struct pkg_leg *leg);

/* One per-message call. */
struct pkg_message_call {
    void *context;        /* the package's context, user side alive */
    struct pkg_message m; /* the buffers */
    ULONG qop;            /* fQOP (Make/Seal) */
    ULONG seqno;          /* MessageSeqNo */
    PULONG qop_out;       /* pfQOP (Verify/Unseal), may be NULL */
};

struct pkg_message_ops {
    NTSTATUS (*sign)(struct pkg_message_call *call);   /* MakeSignature */
    NTSTATUS (*verify)(struct pkg_message_call *call); /* VerifySignature */
    NTSTATUS (*seal)(struct pkg_message_call *call);   /* EncryptMessage */
    NTSTATUS (*unseal)(struct pkg_message_call *call); /* DecryptMessage */
};

#endif
