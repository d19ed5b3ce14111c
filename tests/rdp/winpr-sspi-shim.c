/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * winpr-sspi-shim.c - makes FreeRDP 2 use libsspi as its SSPI.
 *
 * FreeRDP 2's NLA code gets its SSPI function table from WinPR's
 * InitSecurityInterfaceExA/W; the client has no option to load another SSPI
 * module (the server only reads an SspiModule value from WinPR's registry
 * file, /etc/winpr/HKLM.reg).  Preloaded (LD_PRELOAD), this object defines
 * those two functions and hands back libsspi's tables instead, so an
 * unmodified xfreerdp or freerdp-shadow-cli authenticates through libsspi.
 * libsspi is opened with RTLD_LOCAL (its own functions bind to themselves,
 * so WinPR's same-named exports never interfere); LIBSSPI_SHIM_LIBRARY
 * names it (default libsspi.so.1).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "sspi.h"

typedef void *(*init_fn)(void);

static void *shim_table(const char *symbol)
{
    const char *path = getenv("LIBSSPI_SHIM_LIBRARY");
    void *lib = dlopen(path != NULL ? path : "libsspi.so.1", RTLD_NOW | RTLD_LOCAL);
    init_fn init = lib != NULL ? (init_fn)dlsym(lib, symbol) : NULL;

    if (init == NULL) {
        fprintf(stderr, "winpr-sspi-shim: %s\n", dlerror());
        return NULL;
    }
    return init();
}

/* WinPR's names; `flags` chooses between WinPR's own tables, ignored here. */
void *InitSecurityInterfaceExA(DWORD flags);
void *InitSecurityInterfaceExW(DWORD flags);

__attribute__((visibility("default"))) void *InitSecurityInterfaceExA(DWORD flags)
{
    (void)flags;
    return shim_table("InitSecurityInterfaceA");
}

__attribute__((visibility("default"))) void *InitSecurityInterfaceExW(DWORD flags)
{
    (void)flags;
    return shim_table("InitSecurityInterfaceW");
}
