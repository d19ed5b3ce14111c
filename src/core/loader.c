/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loader.c - loads SSP/AP plugins (SpLsaModeInitialize /
 * SpUserModeInitialize) and dispatches provider-shape plugins to
 * loader-provider.c.
 *
 * Sequence for one module (DESIGN 4.3):
 *  1. refuse a group/world-writable file or one owned by another non-root
 *     user (unless check_permissions is off), read which entry points it
 *     exports from its dynamic symbol table (elf-probe.c), dlopen(RTLD_NOW
 *     | RTLD_LOCAL | RTLD_NODELETE, plus RTLD_DEEPBIND for a provider, so
 *     its internal calls bind to its own functions and not to same-named
 *     ones of libsspi or another SSPI library in the process), resolve the
 *     entry points.  A module exporting both shapes is loaded as SSP/AP.
 *  2. SpLsaModeInitialize(SECPKG_INTERFACE_VERSION, &ver, &tables, &n).
 *     `ver` must be one of the SECPKG_INTERFACE_VERSION* values; a single
 *     bit above SECPKG_INTERFACE_VERSION_11 (a newer interface) is
 *     accepted and only the members this library knows are copied.
 *     `tables` is read as an array of SECPKG_FUNCTION_TABLE as declared in
 *     ntsecpkg.h, and from each element no byte beyond the size of
 *     version `ver` is read.  NULL tables, n == 0 or n > 64 refuse the
 *     module.
 *  3. per table: SpInitialize(id, &params, &lsa), SetExtendedInformation(
 *     SecpkgLibsspiConfig) with the module's option.* settings, then
 *     SetExtendedInformation(SecpkgLibsspiHost) with the host services
 *     (failures of both only traced), SpGetInfo; refuse NULL/empty/
 *     over-long names, cbMaxToken > 16 MiB and names already taken (the
 *     first wins); record the mechanism OID of GetExtendedInformation(
 *     SecpkgGssInfo), if the package gives a well-formed one.
 *  4. SpUserModeInitialize, then InstanceInit per user table, matched to
 *     LSA table i.  A module without SpUserModeInitialize, or one that
 *     returns no tables, gives packages without user-mode functions; an
 *     error status or an unknown version refuses the module's packages.
 *  5. publish the packages that got through.
 * Each refusal is traced as "file: step: detail" and recorded (with the
 * package's own status, unmapped) for libsspi_query_packages.  A package
 * refused after a successful SpInitialize gets SpShutdown.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/utf16.h"
#include "core/core.h"
#include "core/loader.h"

/* Size of SECPKG_FUNCTION_TABLE filled through each interface version. */
#define LSA_END(member)  (offsetof(SECPKG_FUNCTION_TABLE, member) + sizeof(void *))
#define USER_END(member) (offsetof(SECPKG_USER_FUNCTION_TABLE, member) + sizeof(void *))

_Static_assert(LSA_END(SetExtendedInformation) == 216, "v1 table size");
_Static_assert(LSA_END(SetContextAttributes) == 224, "v2 table size");
_Static_assert(LSA_END(SetCredentialsAttributes) == 232, "v3 table size");
_Static_assert(LSA_END(ChangeAccountPassword) == 240, "v4 table size");
_Static_assert(LSA_END(UpdateCredentials) == 272, "v5 table size");
_Static_assert(LSA_END(ValidateTargetInfo) == 280, "v6 table size");
_Static_assert(LSA_END(PostLogonUser) == 288, "v7 table size");
_Static_assert(LSA_END(GetRemoteCredGuardSupplementalCreds) == 304, "v8 table size");
_Static_assert(LSA_END(GetTbalSupplementalCreds) == 312, "v9 table size");
_Static_assert(LSA_END(PostLogonUserSurrogate) == 336, "v10 table size");
_Static_assert(LSA_END(ExtractTargetInfo) == 344, "v11 table size");
_Static_assert(sizeof(SECPKG_FUNCTION_TABLE) == 344, "SECPKG_FUNCTION_TABLE size");
_Static_assert(USER_END(ImportContext) == 112, "user v1 table size");
_Static_assert(USER_END(MarshalAttributeData) == 120, "user v2 table size");
_Static_assert(sizeof(SECPKG_USER_FUNCTION_TABLE) == 120, "SECPKG_USER_FUNCTION_TABLE size");

/* Modules with at least one published package (load lock). */
static struct sspi_module *modules;

static bool single_bit(uint32_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

/* Bytes of SECPKG_FUNCTION_TABLE populated at version `ver`; 0 if `ver` is
 * not an interface version.  *newer is set for versions after _11. */
static size_t lsa_table_size(uint32_t ver, bool *newer)
{
    *newer = false;
    switch (ver) {
    case SECPKG_INTERFACE_VERSION:
        return LSA_END(SetExtendedInformation);
    case SECPKG_INTERFACE_VERSION_2:
        return LSA_END(SetContextAttributes);
    case SECPKG_INTERFACE_VERSION_3:
        return LSA_END(SetCredentialsAttributes);
    case SECPKG_INTERFACE_VERSION_4:
        return LSA_END(ChangeAccountPassword);
    case SECPKG_INTERFACE_VERSION_5:
        return LSA_END(UpdateCredentials);
    case SECPKG_INTERFACE_VERSION_6:
        return LSA_END(ValidateTargetInfo);
    case SECPKG_INTERFACE_VERSION_7:
        return LSA_END(PostLogonUser);
    case SECPKG_INTERFACE_VERSION_8:
        return LSA_END(GetRemoteCredGuardSupplementalCreds);
    case SECPKG_INTERFACE_VERSION_9:
        return LSA_END(GetTbalSupplementalCreds);
    case SECPKG_INTERFACE_VERSION_10:
        return LSA_END(PostLogonUserSurrogate);
    case SECPKG_INTERFACE_VERSION_11:
        return LSA_END(ExtractTargetInfo);
    default:
        if (single_bit(ver) && ver > SECPKG_INTERFACE_VERSION_11) {
            *newer = true;
            return sizeof(SECPKG_FUNCTION_TABLE);
        }
        return 0;
    }
}

/* Bytes of SECPKG_USER_FUNCTION_TABLE populated at version `ver` (the
 * user table has not grown since _2); 0 if not an interface version. */
static size_t user_table_size(uint32_t ver)
{
    if (ver == SECPKG_INTERFACE_VERSION)
        return USER_END(ImportContext);
    if (single_bit(ver) && ver >= SECPKG_INTERFACE_VERSION_2)
        return USER_END(MarshalAttributeData);
    return 0;
}

static const char *status_text(int32_t st, char *buf, size_t len)
{
    const char *name = sspi_status_name(st);

    snprintf(buf, len, "status %s (0x%08X)", name ? name : "UNKNOWN", (unsigned)(uint32_t)st);
    return buf;
}

/* Load lock held; traces and records one refusal. */
void sspi_loader_fail(const struct sspi_load_request *req, const char *name, SECURITY_STATUS st,
                      const char *fmt, ...)
{
    char reason[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    if (name != NULL)
        sspi_trace("%s: package %s: %s", req->path, name, reason);
    else
        sspi_trace("%s: %s", req->path, reason);
    req->host->record_failure(req->path, req->config_file, req->config_line, name, st, reason);
}

/* ASCII case-insensitive; no filter selects everything. */
bool sspi_loader_selected(const struct sspi_load_request *req, const char *name_utf8)
{
    if (req->only == NULL || req->nonly == 0)
        return true;
    for (size_t i = 0; i < req->nonly; i++) {
        char16_t *w = sspi_utf8_to_utf16(req->only[i], SSPI_UTF16_NUL_TERMINATED, NULL);
        bool hit = false;

        if (w != NULL) {
            char16_t *n = sspi_utf8_to_utf16(name_utf8, SSPI_UTF16_NUL_TERMINATED, NULL);

            hit = n != NULL && sspi_utf16_casecmp(w, n) == 0;
            free(n);
            free(w);
        }
        if (hit)
            return true;
    }
    return false;
}

/* Length of `s` in code units, or max + 1 if longer than `max`. */
static size_t bounded_len(const char16_t *s, size_t max)
{
    size_t n = 0;

    while (n <= max && s[n] != 0)
        n++;
    return n;
}

/* Frees an unpublished package and its strings (NULL is ignored). */
void sspi_loader_discard(struct sspi_package *pkg)
{
    if (pkg == NULL)
        return;
    free(pkg->name);
    free(pkg->name_utf8);
    free(pkg->comment);
    free(pkg->comment_utf8);
    free(pkg->mech_oid);
    free(pkg);
}

/* See loader.h; strings are malloc()ed into pkg. */
bool sspi_loader_set_info(struct sspi_package *pkg, const SecPkgInfoW *info, char *why,
                          size_t whylen)
{
    size_t nlen, clen;

    if (info->Name == NULL || info->Name[0] == 0) {
        snprintf(why, whylen, "package has no name");
        return false;
    }
    nlen = bounded_len(info->Name, SSPI_LOADER_MAX_NAME);
    if (nlen > SSPI_LOADER_MAX_NAME) {
        snprintf(why, whylen, "package name longer than %d characters", SSPI_LOADER_MAX_NAME);
        return false;
    }
    pkg->name_utf8 = sspi_utf16_to_utf8(info->Name, nlen, NULL);
    if (pkg->name_utf8 == NULL) {
        snprintf(why, whylen, "package name is not valid UTF-16");
        return false;
    }
    pkg->name = sspi_utf8_to_utf16(pkg->name_utf8, SSPI_UTF16_NUL_TERMINATED, NULL);
    if (pkg->name == NULL) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    if (info->cbMaxToken > SSPI_LOADER_MAX_TOKEN) {
        snprintf(why, whylen, "cbMaxToken %u larger than %u", (unsigned)info->cbMaxToken,
                 SSPI_LOADER_MAX_TOKEN);
        return false;
    }
    clen = info->Comment ? bounded_len(info->Comment, SSPI_LOADER_MAX_COMMENT) : 0;
    if (clen > SSPI_LOADER_MAX_COMMENT) {
        /* Over-long comments are cut, never between the halves of a pair. */
        clen = SSPI_LOADER_MAX_COMMENT;
        if (info->Comment[clen - 1] >= 0xD800 && info->Comment[clen - 1] <= 0xDBFF)
            clen--;
    }
    pkg->comment_utf8 = sspi_utf16_to_utf8(info->Comment, clen, NULL);
    if (pkg->comment_utf8 == NULL) {
        snprintf(why, whylen, "package comment is not valid UTF-16");
        return false;
    }
    pkg->comment = sspi_utf8_to_utf16(pkg->comment_utf8, SSPI_UTF16_NUL_TERMINATED, NULL);
    if (pkg->comment == NULL) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    pkg->info = *info;
    pkg->info.Name = pkg->name;
    pkg->info.Comment = pkg->comment;
    return true;
}

/* Load lock held; compares device and inode, so another path to the same
 * file finds the module too. */
struct sspi_module *sspi_loader_find_module(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return NULL;
    for (struct sspi_module *m = modules; m != NULL; m = m->next) {
        if (m->dev == st.st_dev && m->ino == st.st_ino)
            return m;
    }
    return NULL;
}

/* Whether `name` is already taken by a published package or by one of the
 * first `n` candidates of this module. */
static bool name_clash(const struct sspi_load_request *req, const char16_t *name,
                       struct sspi_package *const *cands, size_t n)
{
    if (req->host->name_taken(name))
        return true;
    for (size_t i = 0; i < n; i++) {
        if (cands[i] != NULL && sspi_utf16_casecmp(cands[i]->name, name) == 0)
            return true;
    }
    return false;
}

static void shutdown_package(struct sspi_package *pkg)
{
    if (pkg->lsa.Shutdown != NULL)
        pkg->lsa.Shutdown();
}

/* Hand the module's option.* settings to the package. */
static void send_settings(const struct sspi_load_request *req, struct sspi_package *pkg,
                          const char *label);

void sspi_loader_send_settings(const struct sspi_load_request *req, struct sspi_package *pkg)
{
    if (pkg->shape == SSPI_SHAPE_SSPAP)
        send_settings(req, pkg, pkg->name_utf8);
}

static void send_settings(const struct sspi_load_request *req, struct sspi_package *pkg,
                          const char *label)
{
    SECPKG_LIBSSPI_SETTING *settings = NULL;
    SECPKG_EXTENDED_INFORMATION ext;
    char sbuf[64];
    NTSTATUS nt;

    if (pkg->lsa.SetExtendedInformation == NULL)
        return;
    if (req->noptions > 0) {
        settings = calloc(req->noptions, sizeof(*settings));
        if (settings == NULL) {
            sspi_trace("%s: %s: SetExtendedInformation: out of memory", req->path, label);
            return;
        }
        for (size_t i = 0; i < req->noptions; i++) {
            settings[i].Key = req->options[i].key;
            settings[i].Value = req->options[i].value;
        }
    }
    memset(&ext, 0, sizeof(ext));
    ext.Class = SecpkgLibsspiConfig;
    ext.Info.LibsspiConfig.SettingCount = (ULONG)req->noptions;
    ext.Info.LibsspiConfig.Settings = settings;
    ext.Info.LibsspiConfig.ConfigFile = req->config_file;
    nt = pkg->lsa.SetExtendedInformation(SecpkgLibsspiConfig, &ext);
    if (!NT_SUCCESS(nt))
        sspi_trace("%s: %s: SetExtendedInformation(SecpkgLibsspiConfig, %zu setting(s)): %s "
                   "(ignored)",
                   req->path, label, req->noptions, status_text(nt, sbuf, sizeof(sbuf)));
    free(settings);
}

/* Hand the host services to the package (errors traced and ignored). */
static void send_host(const struct sspi_load_request *req, struct sspi_package *pkg,
                      const char *label)
{
    SECPKG_EXTENDED_INFORMATION ext;
    char sbuf[64];
    NTSTATUS nt;

    if (req->host->services == NULL || pkg->lsa.SetExtendedInformation == NULL)
        return;
    memset(&ext, 0, sizeof(ext));
    ext.Class = SecpkgLibsspiHost;
    ext.Info.LibsspiHost.Version = req->host->services->Version;
    ext.Info.LibsspiHost.Services = req->host->services;
    nt = pkg->lsa.SetExtendedInformation(SecpkgLibsspiHost, &ext);
    if (!NT_SUCCESS(nt))
        sspi_trace("%s: %s: SetExtendedInformation(SecpkgLibsspiHost): %s (ignored)", req->path,
                   label, status_text(nt, sbuf, sizeof(sbuf)));
}

/*
 * The DER form (06 len value) of an OID given as `n` bytes at p, with or
 * without its 06 tag and length, into out[2 + SSPI_LOADER_MAX_OID];
 * returns its length, or 0 if it is not a well-formed OID.
 */
static size_t der_oid(const unsigned char *p, size_t n, unsigned char *out)
{
    const unsigned char *v = p;
    size_t len = n;

    if (n >= 2 && p[0] == 0x06 && p[1] == n - 2) {
        v = p + 2;
        len = n - 2;
    }
    if (len == 0 || len > SSPI_LOADER_MAX_OID || (v[len - 1] & 0x80) != 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (v[i] == 0x80 && (i == 0 || (v[i - 1] & 0x80) == 0))
            return 0; /* an arc with a leading zero septet */
    out[0] = 0x06;
    out[1] = (unsigned char)len;
    memcpy(out + 2, v, len);
    return len + 2;
}

/*
 * Record the package's mechanism OID from SpGetExtendedInformation(
 * SecpkgGssInfo).  The answer is read inside its block when it is one of
 * ours (then freed, as FreeLsaHeap would), else at most
 * SSPI_LOADER_MAX_OID + 2 bytes of EncodedId; a malformed OID is traced
 * and ignored.
 */
static void read_mech_oid(const struct sspi_load_request *req, struct sspi_package *pkg)
{
    PSECPKG_EXTENDED_INFORMATION info = NULL;
    unsigned char der[2 + SSPI_LOADER_MAX_OID];
    size_t size = 0, len = 0, n;
    bool ours;
    NTSTATUS nt;

    if (pkg->lsa.GetExtendedInformation == NULL)
        return;
    nt = pkg->lsa.GetExtendedInformation(SecpkgGssInfo, &info);
    if (!NT_SUCCESS(nt) || info == NULL)
        return;
    ours = sspi_mem_lookup(info, &size);
    n = info->Info.GssInfo.EncodedIdLength;
    if (ours && (size < offsetof(SECPKG_EXTENDED_INFORMATION, Info.GssInfo.EncodedId) ||
                 n > size - offsetof(SECPKG_EXTENDED_INFORMATION, Info.GssInfo.EncodedId)))
        n = 0;
    if (n <= SSPI_LOADER_MAX_OID + 2)
        len = der_oid(info->Info.GssInfo.EncodedId, n, der);
    if (ours)
        (void)sspi_mem_free(info);
    if (len == 0) {
        sspi_trace("%s: package %s: SpGetExtendedInformation(SecpkgGssInfo): no well-formed OID "
                   "(%zu bytes); none recorded",
                   req->path, pkg->name_utf8, n);
        return;
    }
    pkg->mech_oid = malloc(len);
    if (pkg->mech_oid != NULL) {
        memcpy(pkg->mech_oid, der, len);
        pkg->mech_oid_len = (uint32_t)len;
    }
}

/*
 * LSA-mode set-up of one package: SpInitialize, settings, SpGetInfo and
 * the name checks.  Returns false (package refused or not selected; its
 * strings freed by the caller) after recording why.
 */
static bool init_lsa_package(const struct sspi_load_request *req, struct sspi_package *pkg,
                             struct sspi_package *const *cands, size_t index, size_t count)
{
    SecPkgInfoW info;
    char label[48], sbuf[64], why[160];
    bool initialized = false;
    NTSTATUS nt;

    snprintf(label, sizeof(label), "table %zu of %zu", index + 1, count);
    if (pkg->lsa.GetInfo == NULL) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL, "SpGetInfo (%s): missing", label);
        goto fail;
    }
    if (pkg->lsa.Initialize != NULL) {
        nt = pkg->lsa.Initialize(pkg->id, sspi_lsa_fresh_parameters(), &sspi_lsa_functions);
        if (!NT_SUCCESS(nt)) {
            sspi_loader_fail(req, NULL, nt, "SpInitialize (%s): %s", label,
                             status_text(nt, sbuf, sizeof(sbuf)));
            goto fail;
        }
        initialized = true;
    }
    send_settings(req, pkg, label);
    send_host(req, pkg, label);

    memset(&info, 0, sizeof(info));
    nt = pkg->lsa.GetInfo(&info);
    if (!NT_SUCCESS(nt)) {
        sspi_loader_fail(req, NULL, nt, "SpGetInfo (%s): %s", label,
                         status_text(nt, sbuf, sizeof(sbuf)));
        goto fail;
    }
    if (!sspi_loader_set_info(pkg, &info, why, sizeof(why))) {
        sspi_loader_fail(req, pkg->name_utf8, SEC_E_CANNOT_INSTALL, "SpGetInfo (%s): %s", label,
                         why);
        goto fail;
    }
    if (!sspi_loader_selected(req, pkg->name_utf8)) {
        sspi_trace("%s: package %s not listed in 'packages =' of %s:%u; skipped", req->path,
                   pkg->name_utf8, req->config_file ? req->config_file : "?", req->config_line);
        goto fail;
    }
    if (name_clash(req, pkg->name, cands, index)) {
        sspi_loader_fail(req, pkg->name_utf8, SEC_E_CANNOT_INSTALL,
                         "SpGetInfo (%s): duplicate package name %s (the first one loaded wins)",
                         label, pkg->name_utf8);
        goto fail;
    }
    read_mech_oid(req, pkg);
    return true;
fail:
    if (initialized)
        shutdown_package(pkg);
    return false;
}

/*
 * User-mode set-up: SpUserModeInitialize and InstanceInit for each
 * candidate.  Refused candidates are set to NULL in cands[] (after
 * SpShutdown).  Returns false if the module's packages must all be refused.
 */
static bool init_user_mode(const struct sspi_load_request *req, SpUserModeInitializeFn user_init,
                           struct sspi_package **cands, size_t count)
{
    PSECPKG_USER_FUNCTION_TABLE utables = NULL;
    ULONG uver = 0, ucount = 0;
    char sbuf[64];
    size_t usize;
    NTSTATUS nt;

    if (user_init == NULL) {
        sspi_trace("%s: no SpUserModeInitialize: packages have no user-mode functions", req->path);
        return true;
    }
    nt = user_init(SECPKG_INTERFACE_VERSION, &uver, &utables, &ucount);
    if (!NT_SUCCESS(nt)) {
        sspi_loader_fail(req, NULL, nt, "SpUserModeInitialize: %s",
                         status_text(nt, sbuf, sizeof(sbuf)));
        return false;
    }
    if (utables == NULL || ucount == 0) {
        sspi_trace("%s: SpUserModeInitialize gave no tables: packages have no user-mode "
                   "functions",
                   req->path);
        return true;
    }
    usize = user_table_size(uver);
    if (usize == 0) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "SpUserModeInitialize: unsupported interface version 0x%08X",
                         (unsigned)uver);
        return false;
    }
    if (ucount > SSPI_LOADER_MAX_TABLES) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "SpUserModeInitialize: %u tables (more than %d)", (unsigned)ucount,
                         SSPI_LOADER_MAX_TABLES);
        return false;
    }
    if (ucount != count)
        sspi_trace("%s: SpUserModeInitialize gave %u table(s) for %zu package(s); matched by "
                   "position",
                   req->path, (unsigned)ucount, count);

    for (size_t i = 0; i < count && i < ucount; i++) {
        struct sspi_package *pkg = cands[i];
        PVOID unused = NULL;

        if (pkg == NULL)
            continue;
        memcpy(&pkg->user, (const char *)utables + i * sizeof(SECPKG_USER_FUNCTION_TABLE), usize);
        pkg->user_version = uver;
        pkg->has_user = true;
        if (pkg->user.InstanceInit == NULL)
            continue;
        nt = pkg->user.InstanceInit(SECPKG_INTERFACE_VERSION, &sspi_dll_functions, &unused);
        if (!NT_SUCCESS(nt)) {
            sspi_loader_fail(req, pkg->name_utf8, nt, "SpInstanceInit: %s",
                             status_text(nt, sbuf, sizeof(sbuf)));
            shutdown_package(pkg);
            sspi_loader_discard(pkg);
            cands[i] = NULL;
        }
    }
    return true;
}

/* Load an SSP/AP module.  Returns the number of packages published. */
static uint32_t load_sspap(struct sspi_module *mod, const struct sspi_load_request *req,
                           SpLsaModeInitializeFn lsa_init, SpUserModeInitializeFn user_init)
{
    PSECPKG_FUNCTION_TABLE tables = NULL;
    struct sspi_package **cands = NULL;
    ULONG ver = 0, count = 0;
    uint32_t published = 0;
    char sbuf[64];
    size_t size;
    bool newer;
    NTSTATUS nt;

    nt = lsa_init(SECPKG_INTERFACE_VERSION, &ver, &tables, &count);
    if (!NT_SUCCESS(nt)) {
        sspi_loader_fail(req, NULL, nt, "SpLsaModeInitialize: %s",
                         status_text(nt, sbuf, sizeof(sbuf)));
        goto out;
    }
    size = lsa_table_size(ver, &newer);
    if (size == 0) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "SpLsaModeInitialize: unsupported interface version 0x%08X",
                         (unsigned)ver);
        goto out;
    }
    if (newer)
        sspi_trace("%s: interface version 0x%08X is newer than 0x%08X: only the first %zu "
                   "bytes of each table are used",
                   req->path, (unsigned)ver, (unsigned)SECPKG_INTERFACE_VERSION_11, size);
    if (tables == NULL || count == 0) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "SpLsaModeInitialize: no function tables (%s, count %u)",
                         tables ? "tables set" : "NULL tables", (unsigned)count);
        goto out;
    }
    if (count > SSPI_LOADER_MAX_TABLES) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "SpLsaModeInitialize: %u tables (more than %d)", (unsigned)count,
                         SSPI_LOADER_MAX_TABLES);
        goto out;
    }
    sspi_trace("%s: SpLsaModeInitialize: version 0x%08X, %u package table(s)", req->path,
               (unsigned)ver, (unsigned)count);

    cands = calloc(count, sizeof(*cands));
    if (cands == NULL) {
        sspi_loader_fail(req, NULL, SEC_E_INSUFFICIENT_MEMORY, "load: out of memory");
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        struct sspi_package *pkg = calloc(1, sizeof(*pkg));

        if (pkg == NULL) {
            sspi_loader_fail(req, NULL, SEC_E_INSUFFICIENT_MEMORY, "load: out of memory");
            continue;
        }
        memcpy(&pkg->lsa, (const char *)tables + i * sizeof(SECPKG_FUNCTION_TABLE), size);
        pkg->lsa_version = ver;
        pkg->shape = SSPI_SHAPE_SSPAP;
        pkg->id = req->host->next_id();
        pkg->module = mod;
        pkg->module_path = mod->path;
        pkg->config_file = req->config_file;
        pkg->config_line = req->config_line;
        if (init_lsa_package(req, pkg, cands, i, count))
            cands[i] = pkg;
        else
            sspi_loader_discard(pkg);
    }

    if (!init_user_mode(req, user_init, cands, count)) {
        for (size_t i = 0; i < count; i++) {
            if (cands[i] != NULL) {
                shutdown_package(cands[i]);
                sspi_loader_discard(cands[i]);
                cands[i] = NULL;
            }
        }
    }

    for (size_t i = 0; i < count; i++) {
        struct sspi_package *pkg = cands[i];

        if (pkg == NULL)
            continue;
        if (!req->host->publish(pkg)) {
            sspi_loader_fail(req, pkg->name_utf8, SEC_E_INSUFFICIENT_MEMORY,
                             "publish: out of memory");
            shutdown_package(pkg);
            sspi_loader_discard(pkg);
            continue;
        }
        published++;
        mod->npackages++;
        sspi_trace("%s: package %s loaded (id %u, version 0x%08X, user-mode %s, capabilities "
                   "0x%08X, cbMaxToken %u)",
                   req->path, pkg->name_utf8, (unsigned)pkg->id, (unsigned)ver,
                   pkg->has_user ? "yes" : "no", (unsigned)pkg->info.fCapabilities,
                   (unsigned)pkg->info.cbMaxToken);
    }
out:
    free(cands);
    return published;
}

/* Name of the sanitizer runtime in the process that refuses RTLD_DEEPBIND
 * (its interceptors must stay first in every lookup scope), or NULL. */
static const char *deepbind_refuser(void)
{
    static const char *const runtimes[][2] = {
        {"__asan_init", "AddressSanitizer"},
        {"__tsan_init", "ThreadSanitizer"},
        {"__msan_init", "MemorySanitizer"},
        {"__hwasan_init", "HWAddressSanitizer"},
    };

    for (size_t i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++)
        if (dlsym(RTLD_DEFAULT, runtimes[i][0]) != NULL)
            return runtimes[i][1];
    return NULL;
}

/* dlopen() flags for the module open on `fd`: a provider-shape module
 * (InitSecurityInterface and no SpLsaModeInitialize) is isolated with
 * RTLD_DEEPBIND when the process allows it; why not is traced. */
static int load_flags(const struct sspi_load_request *req, int fd)
{
    static const char *const entries[] = {SECPKG_LSAMODEINIT_NAME, "InitSecurityInterfaceW",
                                          "InitSecurityInterfaceA"};
    bool found[3];
    int flags = RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE;
    const char *refuser;

    if (!sspi_elf_defines(fd, entries, 3, found)) {
        sspi_trace("%s: dynamic symbols not readable before loading; loaded without "
                   "RTLD_DEEPBIND",
                   req->path);
        return flags;
    }
    if (found[0] || (!found[1] && !found[2]))
        return flags;
#ifdef RTLD_DEEPBIND
    refuser = deepbind_refuser();
    if (refuser == NULL)
        return flags | RTLD_DEEPBIND;
    sspi_trace("%s: provider loaded without RTLD_DEEPBIND (%s refuses it): its internal calls "
               "may bind to same-named functions of the process",
               req->path, refuser);
#else
    (void)refuser;
    sspi_trace("%s: provider loaded without RTLD_DEEPBIND (not available)", req->path);
#endif
    return flags;
}

/* Load lock held.  The module stays open (and is never closed) once a
 * package from it is published; otherwise it is closed again. */
uint32_t sspi_loader_load(const struct sspi_load_request *req, SECURITY_STATUS *status)
{
    SpLsaModeInitializeFn lsa_init;
    SpUserModeInitializeFn user_init;
    void *init_w, *init_a;
    struct sspi_module *mod = NULL;
    SECURITY_STATUS st = SEC_E_CANNOT_INSTALL;
    struct stat sb;
    uint32_t n = 0;
    char why[160];
    void *dl = NULL;
    const char *err;
    int fd = -1;

    sspi_trace("%s: loading%s%s", req->path, req->config_file ? " as configured in " : "",
               req->config_file ? req->config_file : "");
    /* Anything but a regular file is refused before dlopen() opens it: a
     * FIFO would block, a device could have side effects. */
    fd = sspi_conf_open_regular(req->path, &sb, why, sizeof(why));
    if (fd < 0) {
        st = errno == ENOENT ? SEC_E_SECPKG_NOT_FOUND : SEC_E_CANNOT_INSTALL;
        sspi_loader_fail(req, NULL, st, "open: %s", why);
        goto out;
    }
    if (req->check_permissions && !sspi_conf_file_trusted(&sb, why, sizeof(why))) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL, "permissions: %s", why);
        goto out;
    }
    if (sspi_loader_find_module(req->path) != NULL) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL, "load: module already loaded");
        goto out;
    }
    dlerror();
    dl = dlopen(req->path, load_flags(req, fd));
    if (dl == NULL) {
        err = dlerror();
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL, "dlopen: %s", err ? err : "failed");
        goto out;
    }
    lsa_init = (SpLsaModeInitializeFn)dlsym(dl, SECPKG_LSAMODEINIT_NAME);
    user_init = (SpUserModeInitializeFn)dlsym(dl, SECPKG_USERMODEINIT_NAME);
    init_w = dlsym(dl, "InitSecurityInterfaceW");
    init_a = dlsym(dl, "InitSecurityInterfaceA");

    mod = calloc(1, sizeof(*mod));
    if (mod == NULL || (mod->path = strdup(req->path)) == NULL) {
        sspi_loader_fail(req, NULL, SEC_E_INSUFFICIENT_MEMORY, "load: out of memory");
        goto out;
    }
    mod->dl = dl;
    mod->shape = 0;
    {
        Dl_info where;
        void *entry = lsa_init != NULL ? (void *)lsa_init : init_w != NULL ? init_w : init_a;

        if (entry != NULL && dladdr(entry, &where) != 0)
            mod->base = where.dli_fbase;
    }
    mod->dev = sb.st_dev;
    mod->ino = sb.st_ino;

    if (lsa_init != NULL) {
        mod->shape = SSPI_SHAPE_SSPAP;
        n = load_sspap(mod, req, lsa_init, user_init);
    } else if (user_init != NULL) {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "entry points: no SpLsaModeInitialize (user-mode-only module has no "
                         "package information)");
    } else if (init_w != NULL || init_a != NULL) {
        mod->shape = SSPI_SHAPE_PROVIDER;
        n = sspi_loader_load_provider(mod, req, init_w, init_a);
    } else {
        sspi_loader_fail(req, NULL, SEC_E_CANNOT_INSTALL,
                         "entry points: exports neither SpLsaModeInitialize nor "
                         "InitSecurityInterfaceW/A");
    }
    /* Names the configuration asked for that the module did not provide. */
    for (size_t i = 0; i < req->nonly && mod->shape != 0; i++) {
        struct sspi_package *p = req->host->find(req->only[i]);

        if (p == NULL || p->module != mod)
            sspi_loader_fail(req, req->only[i], SEC_E_SECPKG_NOT_FOUND,
                             "packages: %s is not a package of this module", req->only[i]);
    }
out:
    if (fd >= 0)
        close(fd);
    if (n > 0) {
        mod->next = modules;
        modules = mod;
        st = SEC_E_OK;
    } else {
        if (mod != NULL) {
            free(mod->path);
            free(mod);
        }
        if (dl != NULL)
            dlclose(dl);
        if (st == SEC_E_OK)
            st = SEC_E_CANNOT_INSTALL;
        sspi_trace("%s: no package loaded", req->path);
    }
    if (status != NULL)
        *status = st;
    return n;
}
