/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lasterror.c - GetLastError / SetLastError: the per-thread Win32 error
 * GetUserNameEx, GetComputerObjectName and CloseHandle report, as ported
 * code expects from <errhandlingapi.h>.
 *
 * Another library in the process (WinPR) may export the same two names
 * and be found first; the program's GetLastError is then that library's.
 * So libsspi sets the error in its own slot and, when the process's
 * SetLastError is not libsspi's, in that one too: whichever GetLastError
 * the program binds to sees it.
 */
#include <dlfcn.h>
#include <pthread.h>

#include "core/lasterror.h"
#include "errhandlingapi.h"

static _Thread_local DWORD last_error;

/* GetLastError: the calling thread's last Win32 error set by libsspi (or by
 * anyone calling libsspi's SetLastError). */
DWORD WINAPI GetLastError(void)
{
    return last_error;
}

/* SetLastError: set the calling thread's last error. */
void WINAPI SetLastError(DWORD dwErrCode)
{
    last_error = dwErrCode;
}

/* libsspi's own SetLastError, whatever the dynamic linker binds the name
 * to. */
extern __typeof__(SetLastError) sspi_own_set_last_error
    __attribute__((alias("SetLastError"), visibility("hidden")));

typedef void (*set_fn)(DWORD);
static pthread_once_t next_once = PTHREAD_ONCE_INIT;
static set_fn next_set;

static void find_next(void)
{
    set_fn f = (set_fn)dlsym(RTLD_DEFAULT, "SetLastError");

    next_set = f != sspi_own_set_last_error ? f : NULL;
}

void sspi_set_last_error(uint32_t code)
{
    last_error = code;
    pthread_once(&next_once, find_next);
    if (next_set != NULL)
        next_set(code);
}
