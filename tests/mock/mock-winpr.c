/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-winpr.c - a stand-in for another Windows API emulation in the same
 * process (WinPR in FreeRDP): it exports CloseHandle, GetLastError and
 * SetLastError, and its CloseHandle reads any handle the way WinPR's does,
 * as { uint32 Type; uint32 Mode; ops * } and calls ops[1] (CloseHandle).
 * Its own handles come from mock_winpr_create; mock_winpr_closed counts
 * the ones closed.  Not an SSP/AP: it is dlopen()ed or preloaded by tests.
 */
#include <stdint.h>
#include <stdlib.h>

#define EXPORT __attribute__((visibility("default")))

typedef int BOOL;
typedef void *HANDLE;
typedef uint32_t DWORD;

struct ops {
    void *is_handled;
    BOOL (*close_handle)(HANDLE);
    void *more[8];
};

struct handle {
    uint32_t type;
    uint32_t mode;
    const struct ops *ops;
};

EXPORT HANDLE mock_winpr_create(void);
EXPORT BOOL CloseHandle(HANDLE h);
EXPORT DWORD GetLastError(void);
EXPORT void SetLastError(DWORD e);

EXPORT int mock_winpr_closed;
EXPORT int mock_winpr_close_calls;
static _Thread_local DWORD last_error;

static BOOL close_own(HANDLE h)
{
    mock_winpr_closed++;
    free(h);
    return 1;
}

static const struct ops own_ops = {NULL, close_own, {NULL}};

EXPORT HANDLE mock_winpr_create(void)
{
    struct handle *h = calloc(1, sizeof(*h));

    if (h != NULL) {
        h->type = 3; /* an event, say */
        h->ops = &own_ops;
    }
    return h;
}

EXPORT BOOL CloseHandle(HANDLE h)
{
    const struct handle *w = h;

    mock_winpr_close_calls++;
    if (h == NULL || h == (HANDLE)(intptr_t)-1 || w->ops == NULL || w->ops->close_handle == NULL)
        return 0;
    return w->ops->close_handle(h);
}

EXPORT DWORD GetLastError(void)
{
    return last_error;
}

EXPORT void SetLastError(DWORD e)
{
    last_error = e;
}
