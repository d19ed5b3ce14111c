/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-calls-internal.h - how pkg-entry.c's per-package slot functions
 * reach the runners of pkg-calls.c (kit-internal).
 */
#ifndef LIBSSPI_PKG_CALLS_INTERNAL_H
#define LIBSSPI_PKG_CALLS_INTERNAL_H

#include "packages/kit/pkg-calls.h"
#include "packages/kit/pkg-entry.h"

/* The arguments of SpInitLsaModeContext / SpAcceptLsaModeContext. */
struct pkg_leg_args {
    bool accept;
    LSA_SEC_HANDLE cred, ctx;
    const UNICODE_STRING *target;
    ULONG req, drep;
    PSecBufferDesc in, out;
    PLSA_SEC_HANDLE new_handle;
    PULONG attrs;
    PTimeStamp expiry;
    PBOOLEAN mapped;
    PSecBuffer context_data;
};

/* Run one leg for package `d` (pkg-calls.h). */
NTSTATUS pkg_run_leg(const struct pkg_descriptor *d, const struct pkg_leg_args *a);

enum pkg_message_kind { PKG_MSG_SIGN, PKG_MSG_VERIFY, PKG_MSG_SEAL, PKG_MSG_UNSEAL };

/* Run one per-message call for package `d` (pkg-calls.h). */
NTSTATUS pkg_run_message(const struct pkg_descriptor *d, enum pkg_message_kind kind,
                         LSA_SEC_HANDLE h, PSecBufferDesc desc, ULONG qop, ULONG seqno,
                         PULONG qop_out);

/* Run QueryContextAttributes of the table of `mode` for package `d`. */
NTSTATUS pkg_run_query(const struct pkg_descriptor *d, enum pkg_mode mode, LSA_SEC_HANDLE h,
                       ULONG attr, void *buffer);

#endif
