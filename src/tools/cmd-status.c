/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-status.c - `sspi status VALUE|NAME...`: name, value and meaning of
 * SECURITY_STATUS and NTSTATUS codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/json.h"
#include "tools/tool.h"

#define STATUS_VERB "status"

/* Names libsspi_status_name() does not return (aliases, NTSTATUS). */
#define TOOL_ST(x)                                                                                 \
    {                                                                                              \
#x, (uint32_t)(x)                                                                          \
    }
static const struct tool_flag status_extra_names[] = {
    TOOL_ST(SEC_E_NOT_SUPPORTED),
    TOOL_ST(SEC_E_NO_SPM),
    TOOL_ST(STATUS_SUCCESS),
    TOOL_ST(STATUS_PENDING),
    TOOL_ST(STATUS_MORE_ENTRIES),
    TOOL_ST(STATUS_BUFFER_OVERFLOW),
    TOOL_ST(STATUS_UNSUCCESSFUL),
    TOOL_ST(STATUS_NOT_IMPLEMENTED),
    TOOL_ST(STATUS_INVALID_INFO_CLASS),
    TOOL_ST(STATUS_INVALID_HANDLE),
    TOOL_ST(STATUS_INVALID_PARAMETER),
    TOOL_ST(STATUS_NO_MEMORY),
    TOOL_ST(STATUS_ACCESS_DENIED),
    TOOL_ST(STATUS_BUFFER_TOO_SMALL),
    TOOL_ST(STATUS_UNKNOWN_REVISION),
    TOOL_ST(STATUS_NO_LOGON_SERVERS),
    TOOL_ST(STATUS_NO_SUCH_LOGON_SESSION),
    TOOL_ST(STATUS_PRIVILEGE_NOT_HELD),
    TOOL_ST(STATUS_NO_SUCH_USER),
    TOOL_ST(STATUS_WRONG_PASSWORD),
    TOOL_ST(STATUS_LOGON_FAILURE),
    TOOL_ST(STATUS_ACCOUNT_RESTRICTION),
    TOOL_ST(STATUS_INVALID_LOGON_HOURS),
    TOOL_ST(STATUS_INVALID_WORKSTATION),
    TOOL_ST(STATUS_PASSWORD_EXPIRED),
    TOOL_ST(STATUS_ACCOUNT_DISABLED),
    TOOL_ST(STATUS_NO_TOKEN),
    TOOL_ST(STATUS_INSUFFICIENT_RESOURCES),
    TOOL_ST(STATUS_BAD_IMPERSONATION_LEVEL),
    TOOL_ST(STATUS_BAD_VALIDATION_CLASS),
    TOOL_ST(STATUS_NOT_SUPPORTED),
    TOOL_ST(STATUS_INTERNAL_ERROR),
    TOOL_ST(STATUS_NO_SUCH_PACKAGE),
    TOOL_ST(STATUS_TIME_DIFFERENCE_AT_DC),
    TOOL_ST(STATUS_DLL_NOT_FOUND),
    TOOL_ST(STATUS_ENTRYPOINT_NOT_FOUND),
    TOOL_ST(STATUS_NETLOGON_NOT_STARTED),
    TOOL_ST(STATUS_ACCOUNT_EXPIRED),
    TOOL_ST(STATUS_PASSWORD_MUST_CHANGE),
    TOOL_ST(STATUS_NOT_FOUND),
    TOOL_ST(STATUS_ACCOUNT_LOCKED_OUT),
    TOOL_ST(STATUS_DOWNGRADE_DETECTED),
    TOOL_ST(STATUS_INVALID_SIGNATURE),
    {NULL, 0},
};

/* Value ranges scanned with libsspi_status_name() to resolve a name. */
static const uint32_t status_ranges[][2] = {
    {0x00000000u, 0x000001FFu}, {0x00090300u, 0x000903FFu}, {0x80000000u, 0x800000FFu},
    {0x80090300u, 0x800903FFu}, {0xC0000000u, 0xC00003FFu}, {0xC000A000u, 0xC000A0FFu},
};

static void status_usage(FILE *out)
{
    fprintf(out, "Usage: sspi status [--json] VALUE|NAME...\n"
                 "\n"
                 "Print the name, value and meaning of SECURITY_STATUS or NTSTATUS codes.\n"
                 "VALUE is hexadecimal (0x8009030F) or decimal (-2146893041); NAME is a\n"
                 "symbolic name such as SEC_E_MESSAGE_ALTERED (case does not matter).\n"
                 "\n"
                 "  --json    print a JSON object (an array for several arguments)\n"
                 "  --help    print this help\n");
}

/* Resolve a symbolic name; false if unknown. */
static bool status_lookup_name(const char *name, uint32_t *value)
{
    for (const struct tool_flag *f = status_extra_names; f->name; f++) {
        if (strcasecmp(f->name, name) == 0) {
            *value = f->value;
            return true;
        }
    }
    for (size_t r = 0; r < sizeof(status_ranges) / sizeof(status_ranges[0]); r++) {
        for (uint32_t v = status_ranges[r][0];; v++) {
            const char *n = libsspi_status_name((SECURITY_STATUS)v);

            if (n && strcasecmp(n, name) == 0 && strcmp(n, "UNKNOWN") != 0) {
                *value = v;
                return true;
            }
            if (v == status_ranges[r][1])
                break;
        }
    }
    return false;
}

/* Parse a hexadecimal or decimal 32-bit value; false if not a number. */
static bool status_parse_value(const char *s, uint32_t *value)
{
    char *end;
    long long v;

    if (!*s)
        return false;
    errno = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        unsigned long long u = strtoull(s + 2, &end, 16);

        if (errno || *end || end == s + 2 || u > 0xFFFFFFFFull)
            return false;
        *value = (uint32_t)u;
        return true;
    }
    v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < INT32_MIN || v > (long long)UINT32_MAX)
        return false;
    *value = (uint32_t)v;
    return true;
}

static const char *status_name_of(uint32_t v)
{
    const char *n = libsspi_status_name((SECURITY_STATUS)v);

    if (n && strcmp(n, "UNKNOWN") != 0)
        return n;
    for (const struct tool_flag *f = status_extra_names; f->name; f++)
        if (f->value == v)
            return f->name;
    return "UNKNOWN";
}

static void status_print(uint32_t v, struct json_writer *jw)
{
    SECURITY_STATUS st = (SECURITY_STATUS)v;
    const char *name = status_name_of(v);
    const char *msg = libsspi_status_message(st);
    const char *kind = st >= 0 ? (st == 0 ? "success" : "informational") : "error";
    char hex[16];

    tool_hex32(v, hex, sizeof(hex));
    if (jw) {
        json_begin_object(jw);
        json_kv_string(jw, "name", name);
        json_kv_string(jw, "value", hex);
        json_kv_int(jw, "decimal", st);
        json_kv_string(jw, "kind", kind);
        json_kv_bool(jw, "success", SEC_SUCCESS(st));
        json_kv_string(jw, "meaning", msg ? msg : "");
        json_end_object(jw);
        return;
    }
    printf("%s (%s)\n", name, hex);
    printf("  value:   %s (%d), %s\n", hex, (int)st, kind);
    printf("  meaning: %s\n", msg && *msg ? msg : "(no description)");
}

/* `sspi status VALUE|NAME...`: see status_usage(); 0, or 2 for an
 * argument that is neither a number nor a known name. */
int tool_cmd_status(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, TOOL_OPT_JSON},
        {"help", no_argument, NULL, TOOL_OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    struct json_writer jw;
    uint32_t *values;
    int n, c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case TOOL_OPT_JSON:
            json = true;
            break;
        case TOOL_OPT_HELP:
            status_usage(stdout);
            return TOOL_EXIT_OK;
        default:
            status_usage(stderr);
            return TOOL_EXIT_USAGE;
        }
    }
    n = argc - optind;
    if (n < 1) {
        tool_err(STATUS_VERB, "a status value or name is required");
        status_usage(stderr);
        return TOOL_EXIT_USAGE;
    }
    values = calloc((size_t)n, sizeof(*values));
    if (!values) {
        tool_err(STATUS_VERB, "out of memory");
        return TOOL_EXIT_FAILED;
    }
    for (int i = 0; i < n; i++) {
        const char *arg = argv[optind + i];

        if (!status_parse_value(arg, &values[i]) && !status_lookup_name(arg, &values[i])) {
            tool_err(STATUS_VERB,
                     "'%s' is neither a number nor a known status name "
                     "(write hexadecimal values with 0x)",
                     arg);
            free(values);
            return TOOL_EXIT_USAGE;
        }
    }
    if (json) {
        json_init(&jw, stdout);
        if (n > 1)
            json_begin_array(&jw);
    }
    for (int i = 0; i < n; i++)
        status_print(values[i], json ? &jw : NULL);
    if (json) {
        if (n > 1)
            json_end_array(&jw);
        json_finish(&jw);
    }
    free(values);
    return TOOL_EXIT_OK;
}
