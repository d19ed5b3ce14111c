/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wincrypt-internal.h - helpers shared by the files of src/wincrypt that
 * live in libsspi.so: setting the last error.
 */
#ifndef LIBSSPI_WINCRYPT_INTERNAL_H
#define LIBSSPI_WINCRYPT_INTERNAL_H

#include "sspi.h"
#include "core/lasterror.h"
#include "wincrypt/cert-private.h"

/* SetLastError(code) for a failing Cert* call; FALSE / NULL to return. */
static inline BOOL wincrypt_fail(HRESULT code)
{
    sspi_set_last_error((uint32_t)code);
    return FALSE;
}

static inline void *wincrypt_fail_null(HRESULT code)
{
    sspi_set_last_error((uint32_t)code);
    return NULL;
}

#endif
