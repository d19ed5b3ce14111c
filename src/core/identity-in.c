/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * identity-in.c - what an SSP/AP package receives as pAuthData.
 *
 * The core never guesses what pAuthData is.  It recognises only the
 * versioned identities, by the exact tests Windows uses (identity.h), reads
 * them through fault-tolerant copies, and hands the package an EXW it built
 * itself: UTF-16, EX2 unpacked, a process-encrypted password opened.
 * Everything else (plain SEC_WINNT_AUTH_IDENTITY_W/_A, SCHANNEL_CRED, a
 * package's own structure) goes to the package untouched; for A calls the
 * package sees SECPKG_CALL_ANSI.  Only the package knows whether it is an
 * identity at all: a SCHANNEL_CRED's bytes can look like an ANSI identity.
 */
#include "core/identity-core.h"

SECURITY_STATUS sspi_identity_for_package(void *auth, void **pkg_auth,
                                          SEC_WINNT_AUTH_IDENTITY_EXW **built)
{
    struct sspi_identity id;
    SECURITY_STATUS st;

    *pkg_auth = auth;
    *built = NULL;
    switch (sspi_identity_classify(auth, sspi_client_read)) {
    case SSPI_IDENTITY_EX2:
    case SSPI_IDENTITY_EXW:
        break;
    default:
        return SEC_E_OK;
    }
    st = sspi_identity_parse_from(auth, &sspi_client_identity_source, &id);
    if (st != SEC_E_OK) {
        sspi_trace("pAuthData: versioned identity refused (%s)", sspi_status_name(st));
        return st;
    }
    *built = sspi_exw_build(&id);
    sspi_identity_clear(&id);
    if (*built == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    *pkg_auth = *built;
    return SEC_E_OK;
}
