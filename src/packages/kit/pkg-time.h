/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-time.h - FILETIME values (100 ns since 1601-01-01 UTC), the unit of
 * TimeStamp in SSPI.
 */
#ifndef LIBSSPI_PKG_TIME_H
#define LIBSSPI_PKG_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* "Never expires", as Windows reports it (the largest TimeStamp). */
#define PKG_NEVER INT64_MAX

/* Now, from CLOCK_REALTIME. */
int64_t pkg_filetime_now(void);

/* A POSIX time as FILETIME. */
int64_t pkg_filetime_from_unix(time_t t);

/* `start` plus `seconds`; PKG_NEVER when seconds is 0 or the sum does not
 * fit. */
int64_t pkg_filetime_after(int64_t start, uint64_t seconds);

/* True once `expiry` has passed (never for PKG_NEVER). */
bool pkg_filetime_expired(int64_t expiry);

#endif
