/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loader-provider.c - loads provider-shape plugins: shared objects that
 * export InitSecurityInterfaceW and/or InitSecurityInterfaceA (another
 * SSPI implementation, for instance).
 *
 * The provider's table must have dwVersion >= 1 and an
 * EnumerateSecurityPackages slot.  Its packages are enumerated through
 * its own table (the W form when it has one), each is registered with
 * shape SSPI_SHAPE_PROVIDER and the provider's tables in prov_w / prov_a,
 * and the enumeration is released with the provider's own
 * FreeContextBuffer.  Calls on these packages go to the provider's table,
 * which may be shorter than ours: its dwVersion says how far.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "core/core.h"
#include "core/loader.h"

/* Whether `sym` lies in the object holding the loader, libsspi itself (a
 * plugin that links libsspi would hand our own InitSecurityInterface back
 * through its dependencies). */
static bool is_own_symbol(void *sym)
{
    Dl_info mine, theirs;

    if (sym == NULL)
        return false;
    if (dladdr((void *)is_own_symbol, &mine) == 0 || dladdr(sym, &theirs) == 0)
        return false;
    return mine.dli_fbase == theirs.dli_fbase;
}

static const char *status_text(SECURITY_STATUS st, char *buf, size_t len)
{
    const char *name = sspi_status_name(st);

    snprintf(buf, len, "status %s (0x%08X)", name ? name : "UNKNOWN", (unsigned)(uint32_t)st);
    return buf;
}

/* Convert one SecPkgInfoA into a SecPkgInfoW with malloc()ed strings. */
static bool info_a_to_w(const SecPkgInfoA *a, SecPkgInfoW *w)
{
    memset(w, 0, sizeof(*w));
    w->fCapabilities = a->fCapabilities;
    w->wVersion = a->wVersion;
    w->wRPCID = a->wRPCID;
    w->cbMaxToken = a->cbMaxToken;
    if (a->Name != NULL &&
        (w->Name = sspi_utf8_to_utf16(a->Name, SSPI_UTF16_NUL_TERMINATED, NULL)) == NULL)
        return false;
    if (a->Comment != NULL &&
        (w->Comment = sspi_utf8_to_utf16(a->Comment, SSPI_UTF16_NUL_TERMINATED, NULL)) == NULL) {
        free(w->Name);
        w->Name = NULL;
        return false;
    }
    return true;
}

/* Register one enumerated package.  Returns true if published. */
static bool add_one(struct sspi_module *mod, const struct sspi_load_request *req,
                    const SecurityFunctionTableW *tw, const SecurityFunctionTableA *ta,
                    const SecPkgInfoW *info, size_t index, size_t count)
{
    struct sspi_package *pkg = calloc(1, sizeof(*pkg));
    char why[160];

    if (pkg == NULL) {
        sspi_loader_fail(req, NULL, SEC_E_INSUFFICIENT_MEMORY, "load: out of memory");
        return false;
    }
    pkg->id = req->host->next_id();
    pkg->shape = SSPI_SHAPE_PROVIDER;
    pkg->prov_w = tw;
    pkg->prov_a = ta;
    pkg->module = mod;
    pkg->module_path = mod->path;
    pkg->config_file = req->config_file;
    pkg->config_line = req->config_line;
    if (!sspi_loader_set_info(pkg, info, why, sizeof(why))) {
        sspi_loader_fail(req, pkg->name_utf8, SEC_E_CANNOT_INSTALL,
                         "EnumerateSecurityPackages (package %zu of %zu): %s", index + 1, count,
                         why);
        goto fail;
    }
    if (!sspi_loader_selected(req, pkg->name_utf8)) {
        sspi_trace("%s: package %s not listed in 'packages ='; skipped", req->path, pkg->name_utf8);
        goto fail;
    }
    if (req->host->name_taken(pkg->name)) {
        sspi_loader_fail(req, pkg->name_utf8, SEC_E_CANNOT_INSTALL,
                         "EnumerateSecurityPackages: duplicate package name %s (the first one "
                         "loaded wins)",
                         pkg->name_utf8);
        goto fail;
    }
    if (!req->host->publish(pkg)) {
        sspi_loader_fail(req, pkg->name_utf8, SEC_E_INSUFFICIENT_MEMORY, "publish: out of memory");
        goto fail;
    }
    mod->npackages++;
    sspi_trace("%s: provider package %s loaded (id %u, capabilities 0x%08X, cbMaxToken %u)",
               req->path, pkg->name_utf8, (unsigned)pkg->id, (unsigned)pkg->info.fCapabilities,
               (unsigned)pkg->info.cbMaxToken);
    return true;
fail:
    sspi_loader_discard(pkg);
    return false;
}

/* Load lock held.  The provider's tables are kept by pointer: they must
 * stay valid while the module is loaded, which RTLD_NODELETE ensures. */
uint32_t sspi_loader_load_provider(struct sspi_module *mod, const struct sspi_load_request *req,
                                   void *init_w, void *init_a)
{
    const SecurityFunctionTableW *tw = NULL;
    const SecurityFunctionTableA *ta = NULL;
    SecPkgInfoW *infos_w = NULL;
    SecPkgInfoA *infos_a = NULL;
    FREE_CONTEXT_BUFFER_FN free_fn = NULL;
    SECURITY_STATUS st;
    uint32_t n = 0, published = 0;
    char sbuf[64];

    if (is_own_symbol(init_w) || is_own_symbol(init_a)) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "entry points: InitSecurityInterface resolves to libsspi itself");
        goto out;
    }
    if (init_w != NULL) {
        tw = ((INIT_SECURITY_INTERFACE_W)init_w)();
        if (tw != NULL && (tw->dwVersion < 1 || tw->EnumerateSecurityPackagesW == NULL)) {
            sspi_trace("%s: InitSecurityInterfaceW: unusable table (dwVersion %u)", req->path,
                       (unsigned)tw->dwVersion);
            tw = NULL;
        }
    }
    if (init_a != NULL) {
        ta = ((INIT_SECURITY_INTERFACE_A)init_a)();
        if (ta != NULL && (ta->dwVersion < 1 || ta->EnumerateSecurityPackagesA == NULL)) {
            sspi_trace("%s: InitSecurityInterfaceA: unusable table (dwVersion %u)", req->path,
                       (unsigned)ta->dwVersion);
            ta = NULL;
        }
    }
    if (tw == NULL && ta == NULL) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "InitSecurityInterface: no table (NULL, dwVersion 0 or no "
                         "EnumerateSecurityPackages)");
        goto out;
    }

    if (tw != NULL) {
        st = tw->EnumerateSecurityPackagesW(&n, &infos_w);
        free_fn = tw->FreeContextBuffer;
    } else {
        st = ta->EnumerateSecurityPackagesA(&n, &infos_a);
        free_fn = ta->FreeContextBuffer;
    }
    if (st != SEC_E_OK) {
        sspi_loader_fail(req, NULL, st, "EnumerateSecurityPackages%s: %s", tw ? "W" : "A",
                         status_text(st, sbuf, sizeof(sbuf)));
        goto out;
    }
    if ((infos_w == NULL && infos_a == NULL) || n == 0) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "EnumerateSecurityPackages%s: no packages", tw ? "W" : "A");
        goto out;
    }
    if (n > SSPI_LOADER_MAX_TABLES) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "EnumerateSecurityPackages%s: %u packages (more than %d)", tw ? "W" : "A",
                         (unsigned)n, SSPI_LOADER_MAX_TABLES);
        goto out;
    }
    sspi_trace("%s: provider (table version %u) enumerates %u package(s)", req->path,
               (unsigned)(tw ? tw->dwVersion : ta->dwVersion), (unsigned)n);

    for (uint32_t i = 0; i < n; i++) {
        SecPkgInfoW conv;

        if (infos_w != NULL) {
            if (add_one(mod, req, tw, ta, &infos_w[i], i, n))
                published++;
            continue;
        }
        if (!info_a_to_w(&infos_a[i], &conv)) {
            sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                             "EnumerateSecurityPackagesA (package %u of %u): name or comment "
                             "is not valid UTF-8",
                             (unsigned)i + 1, (unsigned)n);
            continue;
        }
        if (add_one(mod, req, tw, ta, &conv, i, n))
            published++;
        free(conv.Name);
        free(conv.Comment);
    }
out:
    if (infos_w != NULL || infos_a != NULL) {
        if (free_fn != NULL) {
            st = free_fn(infos_w ? (void *)infos_w : (void *)infos_a);
            if (st != SEC_E_OK)
                sspi_trace("%s: provider FreeContextBuffer: %s", req->path,
                           status_text(st, sbuf, sizeof(sbuf)));
        } else {
            sspi_trace("%s: provider has no FreeContextBuffer; enumeration not freed", req->path);
        }
    }
    return published;
}
