/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-realm.c - `sspi realm`: a throwaway MIT Kerberos realm on 127.0.0.1
 * for demos and tests, by running the sspi-test-realm script (installed
 * beside `sspi`; in the build tree, src/tools/).
 *
 *   sspi realm start DIR | env DIR | stop DIR | run COMMAND...
 */
#include "config.h"
#include "config-paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/tool.h"

/* The script beside this program (or beside the libtool wrapper one
 * directory up), else the installed one. */
static void realm_script(char *out, size_t cap)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        for (int up = 0; slash != NULL && up < 2; up++) {
            *slash = '\0';
            snprintf(out, cap, "%s/sspi-test-realm", self);
            if (access(out, X_OK) == 0)
                return;
            slash = strrchr(self, '/');
        }
    }
    snprintf(out, cap, "%s/sspi-test-realm", BINDIR);
}

static void realm_usage(FILE *f)
{
    fprintf(f, "Usage: sspi realm start DIR | env DIR | stop DIR | run COMMAND...\n"
               "\n"
               "A throwaway MIT Kerberos realm KRBTEST.COM on 127.0.0.1 (no root; needs\n"
               "krb5-kdc, krb5-admin-server): user@KRBTEST.COM (password userpw),\n"
               "host/localhost, HTTP/localhost, cifs/localhost in DIR/keytab.\n"
               "  start DIR   create it in DIR and print the environment to use\n"
               "  env DIR     print that environment again\n"
               "  stop DIR    stop its KDC and remove DIR\n"
               "  run CMD...  start one in a temporary directory, run CMD in its\n"
               "              environment, then stop it; exit with CMD's status\n");
}

int tool_cmd_realm(int argc, char **argv)
{
    char script[PATH_MAX + 32];
    char **args;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        realm_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    realm_script(script, sizeof(script));
    args = calloc((size_t)argc + 1, sizeof(*args));
    if (args == NULL)
        return 1;
    args[0] = script;
    for (int i = 1, j = 1; i < argc; i++) {
        /* `run -- CMD...`: the "--" is ours, not the command's. */
        if (i == 2 && strcmp(argv[1], "run") == 0 && strcmp(argv[2], "--") == 0)
            continue;
        args[j++] = argv[i];
    }
    execv(script, args);
    fprintf(stderr, "sspi realm: cannot run %s: %s\n", script, strerror(errno));
    free(args);
    return 1;
}
