/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lasterror.h - setting the per-thread Win32 error from inside libsspi.so
 * (lasterror.c), for the core and for src/wincrypt, which is linked into
 * the same library.
 */
#ifndef LIBSSPI_CORE_LASTERROR_H
#define LIBSSPI_CORE_LASTERROR_H

#include <stdint.h>

/* SetLastError for the calling thread, as seen by whichever GetLastError
 * the program calls: ours, and the process's own definition when another
 * library (WinPR) provides the name first.  Any thread; no lock. */
__attribute__((visibility("hidden"))) void sspi_set_last_error(uint32_t code);

#endif
