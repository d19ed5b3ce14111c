/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate.h - internal interfaces of the Negotiate security package:
 * SPNEGO (RFC 4178, MS-SPNG) over the sibling packages the host offers
 * through its services table (ntsecpkg.h, SECPKG_LIBSSPI_HOST_SERVICES).
 *
 * The package is split like this:
 *   negotiate-spnego.h  the token codec and first-token sniffing (its own
 *                       header; knows nothing of contexts)
 *   negotiate-mechs.c   which sibling packages take part, in what order,
 *                       and SEC_WINNT_AUTH_IDENTITY_EX PackageList filtering
 *   negotiate-cred.c    credentials: one inner credential per usable sibling
 *   negotiate-inner.c   calls on the inner context: one handshake step,
 *                       the mechListMIC, the per-message hand-over
 *   negotiate-init.c    initiator state machine
 *   negotiate-accept.c  acceptor state machine
 *   negotiate-context.c contexts, attributes, per-message forwarding,
 *                       export/import
 *   negotiate-package.c descriptor and SSP/AP tables
 *   negotiate-entry.c   the exported entry points
 * Everything except negotiate-entry.c is built into
 * libnegotiate-internal.la so tests and fuzz targets can call it.
 *
 * Locking: credentials are immutable after acquisition and shared by
 * reference count; a context is driven by one handshake call at a time
 * (the host serialises nothing, but SSPI forbids concurrent legs on one
 * context); after completion only the read-only message target is used.
 */
#ifndef LIBSSPI_NEGOTIATE_H
#define LIBSSPI_NEGOTIATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#include "sspi.h"
#include "ntsecpkg.h"
#include "packages/kit/kit.h"
#include "packages/negotiate/negotiate-spnego.h"

/* SecPkgInfo of the package (Windows' values, negotiate.md section 1). */
#define NEGO_CAPABILITIES 0x3BB3u
#define NEGO_RPCID        9u /* RPC_C_AUTHN_GSS_NEGOTIATE */
/* Kerberos' cbMaxToken (48000) plus SPNEGO framing and a mechListMIC. */
#define NEGO_MAX_TOKEN 48256u

/* Most sibling packages one credential holds. */
#define NEGO_MAX_MECHS_PER_CRED 8
/* Longest mechanism OID TLV kept (SECPKG_MAX_OID_LENGTH of value). */
#define NEGO_OID_MAX (2 + SECPKG_MAX_OID_LENGTH)

extern const struct pkg_descriptor negotiate_package;

/* The host services, or NULL when the host offered none (then every
 * credential acquisition fails with SEC_E_INTERNAL_ERROR). */
const SECPKG_LIBSSPI_HOST_SERVICES *nego_services(void);

/* ---- negotiate-mechs.c ---------------------------------------------------- */

/* One sibling package that can be negotiated. */
struct nego_mech {
    char16_t *name; /* NUL-terminated copy */
    uint32_t package_id;
    uint32_t capabilities;
    uint32_t max_token;        /* its cbMaxToken; 0 when it declares none */
    uint8_t oid[NEGO_OID_MAX]; /* its OID TLV (06 len value) */
    uint8_t oid_len;
};

/* Is `oid` (a TLV) the mechanism of `m`?  The Microsoft Kerberos OID
 * counts as the Kerberos OID (MS-SPNG 3.2.5). */
bool nego_mech_matches(const struct nego_mech *m, struct nego_view oid);

/* True when `m` is Kerberos (its OID is 1.2.840.113554.1.2.2). */
bool nego_mech_is_kerberos(const struct nego_mech *m);

/* A SEC_WINNT_AUTH_IDENTITY_EX PackageList ("kerberos,!ntlm"), parsed. */
struct nego_package_list {
    bool given; /* a non-empty list was supplied */
    uint32_t count;
    struct {
        char16_t name[64]; /* lowercase-insensitive compare */
        bool exclude;
    } items[16];
};

/* Parse `list` (len code units, not NUL-terminated; NULL/0: none).
 * SEC_E_OK, or SEC_E_INVALID_PARAMETER for an item longer than 63 units
 * or more than 16 items. */
SECURITY_STATUS nego_package_list_parse(const char16_t *list, size_t len,
                                        struct nego_package_list *out);

/* May `name` take part under `list`?  With positive items only the listed
 * packages may; "!name" excludes one.  Names compare ASCII case-blind. */
bool nego_package_list_allows(const struct nego_package_list *list, const char16_t *name);

/*
 * The negotiable siblings, in the configured preference order: packages
 * with SECPKG_FLAG_NEGOTIABLE and a mechanism OID (not SPNEGO's own),
 * allowed by `list` (may be NULL).  *mechs is malloc()ed (free with
 * nego_mechs_free); *count may be 0.  Statuses: SEC_E_OK,
 * SEC_E_INTERNAL_ERROR (no host services), SEC_E_INSUFFICIENT_MEMORY, or
 * what EnumeratePackages returned.
 */
SECURITY_STATUS nego_mechs_enumerate(const struct nego_package_list *list, struct nego_mech **mechs,
                                     uint32_t *count);
void nego_mechs_free(struct nego_mech *mechs, uint32_t count);

/* ---- negotiate-cred.c ----------------------------------------------------- */

/* What a credential holds: shared by the credential handle and every
 * context made from it (reference counted), immutable once built. */
struct nego_creds {
    atomic_uint refs;
    uint32_t use; /* SECPKG_CRED_INBOUND / _OUTBOUND bits */
    uint32_t count;
    struct nego_mech mechs[NEGO_MAX_MECHS_PER_CRED];
    CredHandle creds[NEGO_MAX_MECHS_PER_CRED]; /* sibling credentials */
    int64_t expiry;
};

struct nego_cred {
    struct pkg_object obj;
    struct nego_creds *shared;
};

extern const struct pkg_class nego_cred_class;

/* Take / drop a reference; the last drop frees every sibling credential. */
struct nego_creds *nego_creds_ref(struct nego_creds *c);
void nego_creds_unref(struct nego_creds *c);

/* The index in c->mechs of the sibling whose OID is `oid`, or -1. */
int nego_creds_find(const struct nego_creds *c, struct nego_view oid);

NTSTATUS NTAPI nego_acquire_credentials(PUNICODE_STRING principal, ULONG use, PLUID logon_id,
                                        PVOID auth_data, PVOID get_key, PVOID get_key_arg,
                                        PLSA_SEC_HANDLE cred, PTimeStamp expiry);
NTSTATUS NTAPI nego_free_credentials(LSA_SEC_HANDLE cred);
NTSTATUS NTAPI nego_query_credentials(LSA_SEC_HANDLE cred, ULONG attribute, PVOID buffer);

/* ---- contexts (negotiate-context.c) --------------------------------------- */

enum nego_phase {
    NEGO_PHASE_NEW = 0, /* no leg has run */
    NEGO_PHASE_HINTS,   /* acceptor sent a NegTokenInit2, awaits the Init */
    NEGO_PHASE_OFFERED, /* initiator sent its NegTokenInit */
    NEGO_PHASE_MECH,    /* the mechanism is agreed; its tokens flow */
    NEGO_PHASE_MIC,     /* the mechanism is done; awaiting the peer's MIC */
    NEGO_PHASE_DONE,    /* established */
    NEGO_PHASE_FAILED   /* a leg failed: the context is dead */
};

struct nego_context {
    struct pkg_object obj;
    bool initiator;
    bool raw; /* no SPNEGO: the sibling's own tokens (raw first token, option.raw_ntlm) */
    enum nego_phase phase;
    struct nego_creds *creds; /* reference; NULL for an imported context */
    uint32_t req;             /* the caller's fContextReq */
    char16_t *target;         /* initiator: NUL-terminated target name */

    /* The MechTypeList exactly as sent (the mechListMIC input). */
    uint8_t *mech_types;
    size_t mech_types_len;
    /* Initiator: what was offered, as indices into creds->mechs, in the
     * order of the MechTypeList entries (a Kerberos sibling may appear
     * twice: offered_ms marks its entry under the Microsoft OID, before
     * the one under the RFC OID). */
    uint32_t offered_count;
    int8_t offered[NEGO_MAX_MECHS];
    bool offered_ms[NEGO_MAX_MECHS];

    /* The selected sibling (index into creds->mechs, -1 none yet) and the
     * OID under which the initiator listed it (echoed as supportedMech). */
    int selected;
    bool optimistic; /* initiator: selection not yet confirmed */
    uint8_t selected_oid[NEGO_OID_MAX];
    uint8_t selected_oid_len;
    struct nego_mech mech; /* copy of the selected sibling */

    CtxtHandle inner;
    bool has_inner;
    bool inner_complete;
    uint32_t inner_attr; /* ISC_RET_* / ASC_RET_* of the last step */
    TimeStamp expiry;

    bool mic_required, mic_sent, mic_received;

    /* Once the inner context is complete: the sibling's per-message
     * functions, for the mechListMIC and then every message. */
    SECPKG_LIBSSPI_MESSAGE_TARGET msg;
    bool direct;  /* target usable (else call the services) */
    bool fetched; /* GetMessageTarget was asked */
};

extern const struct pkg_class nego_context_class;

/* A fresh context (LSA side alive) holding a reference to `creds`, or
 * NULL if out of memory. */
struct nego_context *nego_context_new(struct nego_creds *creds, bool initiator);

/* The context behind `h` (any side alive), or NULL. */
struct nego_context *nego_context_from_handle(LSA_SEC_HANDLE h);

/* Mark the context established: fetch the message target. */
void nego_context_complete(struct nego_context *c);

/* The sibling's per-message functions of the complete inner context,
 * fetched once (GetMessageTarget): true when c->msg may be called, false
 * when the services must be. */
bool nego_message_target(struct nego_context *c);

/* One InitLsaModeContext / AcceptLsaModeContext call: the output check,
 * the context (a new one from the credential, or the caller's of this
 * side), `step`, then the handle, attributes and expiry out; a refused
 * first leg leaves no context and a refused later leg is final. */
typedef SECURITY_STATUS nego_step_fn(struct nego_context *c, bool first, PUNICODE_STRING target,
                                     PSecBufferDesc in, PSecBufferDesc out);
struct nego_leg_args {
    bool initiator;
    LSA_SEC_HANDLE cred, ctx;
    PUNICODE_STRING target; /* initiator */
    ULONG req;
    PSecBufferDesc in, out;
    PLSA_SEC_HANDLE new_ctx;
    PULONG attr;
    PTimeStamp expiry;
    PBOOLEAN mapped;
    nego_step_fn *step;
};
NTSTATUS nego_leg(const struct nego_leg_args *a);

NTSTATUS NTAPI nego_delete_context(LSA_SEC_HANDLE h);
NTSTATUS NTAPI nego_delete_user_context(LSA_SEC_HANDLE h);
NTSTATUS NTAPI nego_query_context(LSA_SEC_HANDLE h, ULONG attribute, PVOID buffer);
NTSTATUS NTAPI nego_set_context(LSA_SEC_HANDLE h, ULONG attribute, PVOID buffer, ULONG size);
NTSTATUS NTAPI nego_make_signature(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc msg, ULONG seq);
NTSTATUS NTAPI nego_verify_signature(LSA_SEC_HANDLE h, PSecBufferDesc msg, ULONG seq, PULONG qop);
NTSTATUS NTAPI nego_seal_message(LSA_SEC_HANDLE h, ULONG qop, PSecBufferDesc msg, ULONG seq);
NTSTATUS NTAPI nego_unseal_message(LSA_SEC_HANDLE h, PSecBufferDesc msg, ULONG seq, PULONG qop);
NTSTATUS NTAPI nego_get_token(LSA_SEC_HANDLE h, PHANDLE token);
NTSTATUS NTAPI nego_export_context(LSA_SEC_HANDLE h, ULONG flags, PSecBuffer packed, PHANDLE token);
NTSTATUS NTAPI nego_import_context(PSecBuffer packed, HANDLE token, PLSA_SEC_HANDLE h);

/* ---- negotiate-inner.c ---------------------------------------------------- */

/* A sibling's token from nego_inner_step: data == NULL when there is
 * none.  It lies in the caller's output token buffer (own == NULL) or in
 * a buffer of Negotiate's (own), which nego_tok_free releases. */
struct nego_tok {
    const uint8_t *data;
    size_t len;
    uint8_t *own;
};
void nego_tok_free(struct nego_tok *t);

static inline struct nego_view nego_tok_view(const struct nego_tok *t)
{
    return (struct nego_view){t->len ? t->data : NULL, t->len};
}

/*
 * One handshake step of the inner context: `in` (may be absent) plus the
 * caller's non-token buffers of `caller_in` (channel bindings and the
 * like) go in; *tok receives the sibling's token (may be empty).  When
 * the caller's output token buffer `out` has room for `reserve` bytes
 * plus the sibling's cbMaxToken, the sibling writes its token there at
 * offset `reserve`, so that a SPNEGO token whose fields before the mech
 * token take at most `reserve` bytes is written around it in place
 * (nego_emit_resp / nego_emit_init move it); else into a buffer of
 * Negotiate's.  SEC_I_COMPLETE_NEEDED / _AND_CONTINUE are finished here
 * with CompleteAuthToken and never returned.  Returns SEC_E_OK,
 * SEC_I_CONTINUE_NEEDED or the sibling's error.
 */
SECURITY_STATUS nego_inner_step(struct nego_context *c, struct nego_view in,
                                PSecBufferDesc caller_in, PSecBufferDesc out, size_t reserve,
                                struct nego_tok *tok);

/* Delete the inner context, if any. */
void nego_inner_drop(struct nego_context *c);

/* Does the inner context provide integrity (a mechListMIC is possible)? */
bool nego_inner_has_integrity(const struct nego_context *c);

/* Does the completed inner context make the MIC exchange mandatory?  Kerberos
 * with integrity and an AES (or later) session key, as Windows since Vista
 * and Samba decide (MS-SPNG; the Open Specifications "mechListMIC token"
 * note).  Asks the sibling for SECPKG_ATTR_KEY_INFO. */
bool nego_inner_wants_mic(const struct nego_context *c);

/* The mechListMIC over c->mech_types with the inner context, into *mic
 * (malloc()ed); the sibling's outbound key stream is then reset.
 * SEC_E_OK or the sibling's error. */
SECURITY_STATUS nego_mic_make(struct nego_context *c, struct nego_out *mic);

/* Check the peer's mechListMIC; the inbound key stream is then reset.
 * SEC_E_OK or SEC_E_MESSAGE_ALTERED (SEC_E_INSUFFICIENT_MEMORY). */
SECURITY_STATUS nego_mic_check(struct nego_context *c, struct nego_view mic);

/*
 * The mechListMIC rules once the inner context is complete (RFC 4178
 * section 5, as MIT's handle_mic applies them): a received MIC is checked
 * (twice is an error) and makes ours due; a required MIC that the peer
 * omitted with its last mechanism token is an error (`peer_sent_last`:
 * the peer's token just completed the mechanism); ours is made when due
 * and `may_send` (false once the peer declared itself complete: a MIC it
 * will never read must not consume a sequence number).  *mic_out gets our
 * MIC or stays empty.  *done says whether the MIC exchange is over.
 * Statuses as nego_mic_make/nego_mic_check, and SEC_E_INVALID_TOKEN for a
 * repeated or missing MIC.
 */
SECURITY_STATUS nego_mic_exchange(struct nego_context *c, struct nego_view mic_in,
                                  bool peer_sent_last, bool may_send, struct nego_out *mic_out,
                                  bool *done);

/* A sibling's token as it is to the caller's output (pkg_output_space;
 * moved within it when it lies there already), then released. */
SECURITY_STATUS nego_emit_tok(PSecBufferDesc out, ULONG req, struct nego_tok *tok);

/* Encode a NegTokenResp (NegTokenInit) straight into the caller's output
 * token buffer (pkg_output_space); the mech token may already lie in that
 * buffer after the fields before it (nego_inner_step).  The statuses of
 * nego_encode_resp (nego_encode_init) for a bad spec, then
 * pkg_output_space's.  nego_emit_init sets *mech_types (optional) to the
 * MechTypeList as written into the caller's buffer. */
SECURITY_STATUS nego_emit_resp(PSecBufferDesc out, ULONG req, const struct nego_resp_spec *r);
SECURITY_STATUS nego_emit_init(PSecBufferDesc out, ULONG req, const struct nego_init_spec *spec,
                               struct nego_view *mech_types);

/* One leg without SPNEGO: `in_tok` to the selected sibling, its token
 * out as it is; the context completes with the sibling. */
SECURITY_STATUS nego_raw_step(struct nego_context *c, struct nego_view in_tok, PSecBufferDesc in,
                              PSecBufferDesc out);

/* option.raw_ntlm (negotiate-package.c): an initiator left with NTLM
 * alone sends NTLM's tokens without SPNEGO. */
bool nego_option_raw_ntlm(void);

/* ---- negotiate-init.c / negotiate-accept.c -------------------------------- */

NTSTATUS NTAPI nego_init_context(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PUNICODE_STRING target,
                                 ULONG req, ULONG drep, PSecBufferDesc in, PLSA_SEC_HANDLE new_ctx,
                                 PSecBufferDesc out, PULONG attr, PTimeStamp expiry,
                                 PBOOLEAN mapped, PSecBuffer context_data);
NTSTATUS NTAPI nego_accept_context(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, PSecBufferDesc in,
                                   ULONG req, ULONG drep, PLSA_SEC_HANDLE new_ctx,
                                   PSecBufferDesc out, PULONG attr, PTimeStamp expiry,
                                   PBOOLEAN mapped, PSecBuffer context_data);

#endif /* LIBSSPI_NEGOTIATE_H */
