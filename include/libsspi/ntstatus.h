/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntstatus.h - the NTSTATUS values (STATUS_*) that libsspi knows, under the
 * name of the Windows SDK header, so that package sources written as
 * `#define WIN32_NO_STATUS` / `#include <windows.h>` / `#undef WIN32_NO_STATUS`
 * / `#include <ntstatus.h>` compile with only the <windows.h> line removed.
 * The values themselves are in <sspi-status.h>.
 */
#ifndef LIBSSPI_NTSTATUS_H
#define LIBSSPI_NTSTATUS_H

#include "sspi-status.h"

#endif /* LIBSSPI_NTSTATUS_H */
