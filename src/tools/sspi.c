/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sspi.c - main program of the `sspi` command: global options and verb
 * dispatch.  See sspi(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tool.h"

struct tool_verb {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct tool_verb tool_verbs[] = {
    {"list", tool_cmd_list, "list the security packages and why any failed to load"},
    {"info", tool_cmd_info, "show one package in detail"},
    {"loopback", tool_cmd_loopback, "authenticate and exchange messages within one process"},
    {"server", tool_cmd_server, "accept authenticated TCP clients"},
    {"client", tool_cmd_client, "authenticate to an `sspi server` over TCP"},
    {"bench", tool_cmd_bench, "measure the per-message calls"},
    {"status", tool_cmd_status, "explain a SECURITY_STATUS value or name"},
    {"realm", tool_cmd_realm, "a throwaway Kerberos realm on 127.0.0.1"},
    {NULL, NULL, NULL},
};

static void tool_usage(FILE *out)
{
    fprintf(out, "Usage: sspi [--help] [--version] VERB [OPTIONS] [ARGS]\n"
                 "\n"
                 "Inspect and exercise the security packages of libsspi.\n"
                 "\n"
                 "Verbs:\n");
    for (const struct tool_verb *v = tool_verbs; v->name; v++)
        fprintf(out, "  %-9s %s\n", v->name, v->summary);
    fprintf(out, "\n"
                 "Run `sspi VERB --help` for the options of a verb.\n"
                 "Exit status: 0 success, 1 an SSPI call failed (its status is printed),\n"
                 "2 usage error.\n");
}

int main(int argc, char **argv)
{
    const char *verb;
    char verb_argv0[64];
    int rc;

    if (argc < 2) {
        tool_usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    verb = argv[1];
    if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
        tool_usage(stdout);
        return TOOL_EXIT_OK;
    }
    if (strcmp(verb, "--version") == 0 || strcmp(verb, "-V") == 0) {
        printf("sspi (libsspi) %s\n", libsspi_version());
        return TOOL_EXIT_OK;
    }
    if (strcmp(verb, "help") == 0) {
        static char help_opt[] = "--help";
        static char *help_argv[4];

        if (argc < 3) {
            tool_usage(stdout);
            return TOOL_EXIT_OK;
        }
        help_argv[0] = argv[0];
        help_argv[1] = argv[2];
        help_argv[2] = help_opt;
        help_argv[3] = NULL;
        argv = help_argv;
        argc = 3;
        verb = argv[1];
    }
    for (const struct tool_verb *v = tool_verbs; v->name; v++) {
        if (strcmp(v->name, verb) != 0)
            continue;
        snprintf(verb_argv0, sizeof(verb_argv0), "sspi %s", v->name);
        argv[1] = verb_argv0;
        tool_getopt_reset();
        rc = v->fn(argc - 1, argv + 1);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            tool_err(NULL, "error writing the output");
            if (rc == TOOL_EXIT_OK)
                rc = TOOL_EXIT_FAILED;
        }
        return rc;
    }
    tool_err(NULL, "unknown verb '%s' (try `sspi --help`)", verb);
    return TOOL_EXIT_USAGE;
}
