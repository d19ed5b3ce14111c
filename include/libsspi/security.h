/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * security.h - umbrella header for SSPI applications.
 *
 * Windows programs include <security.h> after defining SECURITY_WIN32;
 * with libsspi that definition is accepted but not required.  Everything
 * (SSPI API, status codes, package name macros such as NTLMSP_NAME_A and
 * NEGOSSP_NAME) comes from sspi.h.
 */
#ifndef LIBSSPI_SECURITY_H
#define LIBSSPI_SECURITY_H

#include "sspi.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_SECURITY_H */
