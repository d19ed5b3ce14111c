/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-list.c - `sspi list`: every package the library knows, where it
 * came from, and why a module failed to load.
 */
#include <getopt.h>
#include <stdlib.h>

#include "tools/json.h"
#include "tools/tool.h"

#define LIST_VERB "list"

static void list_usage(FILE *out)
{
    fprintf(out, "Usage: sspi list [--json]\n"
                 "\n"
                 "List the security packages (EnumerateSecurityPackages) with their\n"
                 "capabilities, maximum token size, version, RPC id, module and the\n"
                 "configuration line that named them; modules that failed to load are\n"
                 "listed with the status and the reason.\n"
                 "\n"
                 "  --json    print a JSON object {\"version\", \"packages\": [...]}\n"
                 "  --help    print this help\n");
}

/* `sspi list`: see list_usage(); returns a TOOL_EXIT_* code. */
int tool_cmd_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, TOOL_OPT_JSON},
        {"help", no_argument, NULL, TOOL_OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct tool_packages p;
    const char *call;
    SECURITY_STATUS st;
    bool json = false;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case TOOL_OPT_JSON:
            json = true;
            break;
        case TOOL_OPT_HELP:
            list_usage(stdout);
            return TOOL_EXIT_OK;
        default:
            list_usage(stderr);
            return TOOL_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        tool_err(LIST_VERB, "unexpected argument '%s'", argv[optind]);
        return TOOL_EXIT_USAGE;
    }
    st = tool_packages_load(&p, &call);
    if (st != SEC_E_OK) {
        tool_err_status(LIST_VERB, call, st);
        return TOOL_EXIT_FAILED;
    }
    if (json) {
        struct json_writer jw;

        json_init(&jw, stdout);
        json_begin_object(&jw);
        json_kv_string(&jw, "version", libsspi_version());
        json_key(&jw, "packages");
        json_begin_array(&jw);
        for (uint32_t i = 0; i < p.n_pkgs; i++)
            tool_package_json(&jw, &p.pkgs[i]);
        json_end_array(&jw);
        json_end_object(&jw);
        json_finish(&jw);
    } else if (p.n_pkgs == 0) {
        printf("no security packages (see sspi.conf(5))\n");
    } else {
        for (uint32_t i = 0; i < p.n_pkgs; i++) {
            if (i)
                putchar('\n');
            tool_package_print(stdout, &p.pkgs[i], false);
        }
    }
    tool_packages_free(&p);
    return TOOL_EXIT_OK;
}
