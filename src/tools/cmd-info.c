/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-info.c - `sspi info NAME`: one package in detail
 * (QuerySecurityPackageInfoA plus the loader's report).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tools/json.h"
#include "tools/tool.h"

#define INFO_VERB "info"

static void info_usage(FILE *out)
{
    fprintf(out, "Usage: sspi info [--json] NAME\n"
                 "\n"
                 "Show one security package: capabilities one per line, maximum token\n"
                 "size, version, RPC id, comment, module, shape and configuration line.\n"
                 "Package names are compared without regard to case.\n"
                 "\n"
                 "  --json    print a JSON object\n"
                 "  --help    print this help\n");
}

/* `sspi info NAME`: see info_usage(); returns a TOOL_EXIT_* code (1 when
 * the package is unknown or failed to load). */
int tool_cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, TOOL_OPT_JSON},
        {"help", no_argument, NULL, TOOL_OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct tool_packages p;
    const struct tool_package *pkg;
    PSecPkgInfoA qinfo = NULL;
    const char *call, *name;
    SECURITY_STATUS st, qst;
    bool json = false;
    int c, rc = TOOL_EXIT_OK;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case TOOL_OPT_JSON:
            json = true;
            break;
        case TOOL_OPT_HELP:
            info_usage(stdout);
            return TOOL_EXIT_OK;
        default:
            info_usage(stderr);
            return TOOL_EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        tool_err(INFO_VERB, "exactly one package name is required");
        info_usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    name = argv[optind];
    qst = QuerySecurityPackageInfoA((SEC_CHAR *)name, &qinfo);
    st = tool_packages_load(&p, &call);
    if (st != SEC_E_OK) {
        tool_err_status(INFO_VERB, call, st);
        rc = TOOL_EXIT_FAILED;
        goto out;
    }
    pkg = tool_packages_find(&p, name);
    if (!pkg && qst == SEC_E_OK) {
        /* known to QuerySecurityPackageInfo only: show what it says */
        static struct tool_package only;

        only.info = qinfo;
        only.report = NULL;
        pkg = &only;
    }
    if (!pkg) {
        tool_err_status(INFO_VERB, "QuerySecurityPackageInfoA",
                        qst != SEC_E_OK ? qst : SEC_E_SECPKG_NOT_FOUND);
        rc = TOOL_EXIT_FAILED;
        goto out;
    }
    if (json) {
        struct json_writer jw;

        json_init(&jw, stdout);
        tool_package_json(&jw, pkg);
        json_finish(&jw);
    } else {
        tool_package_print(stdout, pkg, true);
    }
    if (!pkg->info) {
        tool_err_status(INFO_VERB, "QuerySecurityPackageInfoA",
                        qst != SEC_E_OK ? qst : pkg->report->Status);
        rc = TOOL_EXIT_FAILED;
    }
out:
    if (qinfo)
        FreeContextBuffer(qinfo);
    tool_packages_free(&p);
    return rc;
}
