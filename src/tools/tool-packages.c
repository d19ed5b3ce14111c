/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-packages.c - the package view behind `sspi list` and `sspi info`:
 * EnumerateSecurityPackagesA (what applications see) merged with
 * libsspi_query_packages (where each package came from, and why a module
 * failed to load).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/json.h"
#include "tools/tool.h"

SECURITY_STATUS tool_packages_load(struct tool_packages *p, const char **call)
{
    SECURITY_STATUS st;
    uint32_t n = 0;

    memset(p, 0, sizeof(*p));
    *call = "libsspi_query_packages";
    st = libsspi_query_packages(&p->n_reports, &p->reports);
    if (st != SEC_E_OK) {
        p->reports = NULL;
        p->n_reports = 0;
        goto out;
    }
    *call = "EnumerateSecurityPackagesA";
    {
        ULONG count = 0;

        st = EnumerateSecurityPackagesA(&count, &p->infos);
        p->n_infos = count;
    }
    if (st == SEC_E_SECPKG_NOT_FOUND) {
        /* no package at all: not an error for a listing */
        p->infos = NULL;
        p->n_infos = 0;
        st = SEC_E_OK;
    }
    if (st != SEC_E_OK) {
        p->infos = NULL;
        p->n_infos = 0;
        goto out;
    }
    *call = "malloc";
    p->pkgs = calloc((size_t)p->n_reports + p->n_infos + 1, sizeof(*p->pkgs));
    if (!p->pkgs) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    for (uint32_t i = 0; i < p->n_reports; i++) {
        const LIBSSPI_PACKAGE_REPORT *r = &p->reports[i];

        p->pkgs[n].report = r;
        if (r->Name && r->Status == SEC_E_OK) {
            for (uint32_t j = 0; j < p->n_infos; j++) {
                if (p->infos[j].Name && strcasecmp(p->infos[j].Name, r->Name) == 0) {
                    p->pkgs[n].info = &p->infos[j];
                    break;
                }
            }
        }
        n++;
    }
    for (uint32_t j = 0; j < p->n_infos; j++) {
        bool seen = false;

        for (uint32_t i = 0; i < n; i++)
            if (p->pkgs[i].info == &p->infos[j])
                seen = true;
        if (!seen)
            p->pkgs[n++].info = &p->infos[j];
    }
    p->n_pkgs = n;
    *call = NULL;
out:
    if (st != SEC_E_OK)
        tool_packages_free(p);
    return st;
}

void tool_packages_free(struct tool_packages *p)
{
    if (p->infos)
        FreeContextBuffer(p->infos);
    if (p->reports)
        FreeContextBuffer(p->reports);
    free(p->pkgs);
    memset(p, 0, sizeof(*p));
}

static const char *tool_package_name(const struct tool_package *pkg)
{
    if (pkg->info && pkg->info->Name)
        return pkg->info->Name;
    if (pkg->report && pkg->report->Name)
        return pkg->report->Name;
    return NULL;
}

const struct tool_package *tool_packages_find(const struct tool_packages *p, const char *name)
{
    const struct tool_package *failed = NULL;

    for (uint32_t i = 0; i < p->n_pkgs; i++) {
        const char *n = tool_package_name(&p->pkgs[i]);

        if (!n || strcasecmp(n, name) != 0)
            continue;
        if (p->pkgs[i].info)
            return &p->pkgs[i];
        if (!failed)
            failed = &p->pkgs[i];
    }
    return failed;
}

const char *tool_package_label(const struct tool_package *pkg)
{
    const char *n = tool_package_name(pkg);
    const char *slash;

    if (n)
        return n;
    if (pkg->report && pkg->report->Module) {
        slash = strrchr(pkg->report->Module, '/');
        return slash ? slash + 1 : pkg->report->Module;
    }
    return "(unnamed)";
}

static bool tool_package_loaded(const struct tool_package *pkg)
{
    return pkg->info != NULL || (pkg->report && pkg->report->Status == SEC_E_OK);
}

/* A configured module with `enabled = no` (the loader's reason says so). */
static bool tool_package_disabled(const struct tool_package *pkg)
{
    return pkg->report && pkg->report->Reason && strncmp(pkg->report->Reason, "disabled", 8) == 0;
}

/* Capabilities, version, RPC id and max token from either source. */
static void tool_package_numbers(const struct tool_package *pkg, uint32_t *caps, uint32_t *version,
                                 uint32_t *rpcid, uint32_t *max_token)
{
    if (pkg->info) {
        *caps = pkg->info->fCapabilities;
        *version = pkg->info->wVersion;
        *rpcid = pkg->info->wRPCID;
        *max_token = pkg->info->cbMaxToken;
    } else {
        *caps = pkg->report->fCapabilities;
        *version = pkg->report->wVersion;
        *rpcid = pkg->report->wRPCID;
        *max_token = pkg->report->cbMaxToken;
    }
}

static const char *tool_shape_name(uint32_t shape)
{
    switch (shape) {
    case LIBSSPI_SHAPE_SSPAP:
        return "SSP/AP";
    case LIBSSPI_SHAPE_PROVIDER:
        return "provider";
    default:
        return NULL;
    }
}

static void tool_print_flag_line(void *arg, const char *name, uint32_t bits)
{
    FILE *out = arg;

    if (name)
        fprintf(out, "      %-40s 0x%08X\n", name, bits);
    else
        fprintf(out, "      %-40s 0x%08X\n", "(unknown bits)", bits);
}

/* "    label:        text\n" with the text escaped. */
static void tool_print_field(FILE *out, const char *label, const char *text, const char *suffix)
{
    fprintf(out, "    %-13s ", label);
    tool_put_text(out, text);
    fprintf(out, "%s\n", suffix ? suffix : "");
}

void tool_package_print(FILE *out, const struct tool_package *pkg, bool detailed)
{
    const LIBSSPI_PACKAGE_REPORT *r = pkg->report;
    const char *comment = pkg->info && pkg->info->Comment ? pkg->info->Comment
                          : r                             ? r->Comment
                                                          : NULL;
    bool loaded = tool_package_loaded(pkg);
    char buf[96];

    tool_put_text(out, tool_package_label(pkg));
    fprintf(out, "%s\n", loaded ? "" : tool_package_disabled(pkg) ? "  [DISABLED]" : "  [FAILED]");
    if (comment && *comment)
        tool_print_field(out, "comment:", comment, NULL);
    if (loaded) {
        uint32_t caps, version, rpcid, max_token;

        tool_package_numbers(pkg, &caps, &version, &rpcid, &max_token);
        if (detailed) {
            fprintf(out, "    capabilities: 0x%08X\n", caps);
            tool_flags_each(tool_secpkg_flags, caps, tool_print_flag_line, out);
        } else {
            fprintf(out, "    capabilities: ");
            tool_flags_print(out, tool_secpkg_flags, caps, " ");
            fprintf(out, " (0x%08X)\n", caps);
        }
        fprintf(out, "    max token:    %u bytes\n", max_token);
        fprintf(out, "    version:      %u\n", version);
        fprintf(out, "    RPC id:       %u (0x%04X)\n", rpcid, rpcid);
    }
    if (r) {
        const char *shape = tool_shape_name(r->Shape);

        if (r->Module) {
            snprintf(buf, sizeof(buf), "%s%s%s", shape ? " (" : "", shape ? shape : "",
                     shape ? ")" : "");
            tool_print_field(out, "module:", r->Module, buf);
        }
        if (r->ConfigFile) {
            snprintf(buf, sizeof(buf), ":%u", r->ConfigLine);
            tool_print_field(out, "config:", r->ConfigFile, buf);
        } else {
            fprintf(out, "    config:       (autoloaded or added at run time)\n");
        }
        if (r->Status != SEC_E_OK || r->Reason) {
            fprintf(out, "    status:       %s\n", tool_status_str(r->Status, buf, sizeof(buf)));
            if (r->Reason)
                tool_print_field(out, "reason:", r->Reason, NULL);
        }
    } else {
        fprintf(out, "    module:       (not reported by the loader)\n");
    }
}

static void tool_json_flag(void *arg, const char *name, uint32_t bits)
{
    struct json_writer *jw = arg;
    char hex[16];

    json_string(jw, name ? name : tool_hex32(bits, hex, sizeof(hex)));
}

void tool_package_json(struct json_writer *jw, const struct tool_package *pkg)
{
    const LIBSSPI_PACKAGE_REPORT *r = pkg->report;
    const char *comment = pkg->info && pkg->info->Comment ? pkg->info->Comment
                          : r                             ? r->Comment
                                                          : NULL;
    bool loaded = tool_package_loaded(pkg);
    SECURITY_STATUS st = r ? r->Status : SEC_E_OK;
    uint32_t caps, version, rpcid, max_token;
    char hex[16];

    json_begin_object(jw);
    json_kv_string(jw, "name", tool_package_name(pkg));
    json_kv_string(jw, "label", tool_package_label(pkg));
    json_kv_string(jw, "comment", comment);
    json_kv_bool(jw, "loaded", loaded);
    json_kv_bool(jw, "disabled", !loaded && tool_package_disabled(pkg));
    json_kv_string(jw, "status", libsspi_status_name(st));
    json_kv_string(jw, "status_value", tool_hex32((uint32_t)st, hex, sizeof(hex)));
    json_kv_string(jw, "reason", r ? r->Reason : NULL);
    if (loaded) {
        tool_package_numbers(pkg, &caps, &version, &rpcid, &max_token);
        json_kv_string(jw, "capabilities_value", tool_hex32(caps, hex, sizeof(hex)));
        json_key(jw, "capabilities");
        json_begin_array(jw);
        tool_flags_each(tool_secpkg_flags, caps, tool_json_flag, jw);
        json_end_array(jw);
        json_kv_uint(jw, "max_token", max_token);
        json_kv_uint(jw, "version", version);
        json_kv_uint(jw, "rpc_id", rpcid);
    }
    json_kv_string(jw, "module", r ? r->Module : NULL);
    json_kv_string(jw, "shape", r ? tool_shape_name(r->Shape) : NULL);
    json_kv_string(jw, "config_file", r ? r->ConfigFile : NULL);
    if (r && r->ConfigFile)
        json_kv_uint(jw, "config_line", r->ConfigLine);
    else
        json_kv_string(jw, "config_line", NULL);
    json_end_object(jw);
}
