/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-time.c - FILETIME helpers (see pkg-time.h).
 */
#include "packages/kit/pkg-time.h"

/* Seconds between 1601-01-01 and 1970-01-01. */
#define PKG_EPOCH_DELTA 11644473600LL
#define PKG_TICKS       10000000LL /* 100 ns units per second */

int64_t pkg_filetime_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + PKG_EPOCH_DELTA) * PKG_TICKS + ts.tv_nsec / 100;
}

int64_t pkg_filetime_from_unix(time_t t)
{
    return ((int64_t)t + PKG_EPOCH_DELTA) * PKG_TICKS;
}

int64_t pkg_filetime_after(int64_t start, uint64_t seconds)
{
    if (seconds == 0 || seconds > (uint64_t)(INT64_MAX / PKG_TICKS) ||
        start > INT64_MAX - (int64_t)seconds * PKG_TICKS)
        return PKG_NEVER;
    return start + (int64_t)seconds * PKG_TICKS;
}

bool pkg_filetime_expired(int64_t expiry)
{
    return expiry != PKG_NEVER && pkg_filetime_now() >= expiry;
}
