/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-util.c - functions shared by the verbs of the `sspi` command:
 * messages, status formatting, flag tables and number parsing.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "tools/tool.h"

const char *tool_progname = "sspi";

void tool_err(const char *verb, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", tool_progname);
    if (verb)
        fprintf(stderr, "%s: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void tool_put_text(FILE *out, const char *s)
{
    char small[256], *buf = small;
    size_t need;

    if (s == NULL)
        return;
    need = sspi_escape_text(s, small, sizeof(small));
    if (need >= sizeof(small)) {
        buf = malloc(need + 1);
        if (buf == NULL) {
            fputs("(out of memory)", out);
            return;
        }
        sspi_escape_text(s, buf, need + 1);
    }
    fputs(buf, out);
    if (buf != small)
        free(buf);
}

const char *tool_hex32(uint32_t v, char *buf, size_t len)
{
    snprintf(buf, len, "0x%08X", v);
    return buf;
}

const char *tool_status_str(SECURITY_STATUS st, char *buf, size_t len)
{
    const char *name = libsspi_status_name(st);

    snprintf(buf, len, "%s (0x%08X)", name ? name : "UNKNOWN", (uint32_t)st);
    return buf;
}

void tool_err_status(const char *verb, const char *call, SECURITY_STATUS st)
{
    char buf[96];
    const char *msg = libsspi_status_message(st);

    tool_status_str(st, buf, sizeof(buf));
    if (msg && *msg)
        tool_err(verb, "%s: %s: %s", call, buf, msg);
    else
        tool_err(verb, "%s: %s", call, buf);
}

#define TOOL_FLAG(x)                                                                               \
    {                                                                                              \
#x, (uint32_t)(x)                                                                          \
    }

const struct tool_flag tool_secpkg_flags[] = {
    TOOL_FLAG(SECPKG_FLAG_INTEGRITY),
    TOOL_FLAG(SECPKG_FLAG_PRIVACY),
    TOOL_FLAG(SECPKG_FLAG_TOKEN_ONLY),
    TOOL_FLAG(SECPKG_FLAG_DATAGRAM),
    TOOL_FLAG(SECPKG_FLAG_CONNECTION),
    TOOL_FLAG(SECPKG_FLAG_MULTI_REQUIRED),
    TOOL_FLAG(SECPKG_FLAG_CLIENT_ONLY),
    TOOL_FLAG(SECPKG_FLAG_EXTENDED_ERROR),
    TOOL_FLAG(SECPKG_FLAG_IMPERSONATION),
    TOOL_FLAG(SECPKG_FLAG_ACCEPT_WIN32_NAME),
    TOOL_FLAG(SECPKG_FLAG_STREAM),
    TOOL_FLAG(SECPKG_FLAG_NEGOTIABLE),
    TOOL_FLAG(SECPKG_FLAG_GSS_COMPATIBLE),
    TOOL_FLAG(SECPKG_FLAG_LOGON),
    TOOL_FLAG(SECPKG_FLAG_ASCII_BUFFERS),
    TOOL_FLAG(SECPKG_FLAG_FRAGMENT),
    TOOL_FLAG(SECPKG_FLAG_MUTUAL_AUTH),
    TOOL_FLAG(SECPKG_FLAG_DELEGATION),
    TOOL_FLAG(SECPKG_FLAG_READONLY_WITH_CHECKSUM),
    TOOL_FLAG(SECPKG_FLAG_RESTRICTED_TOKENS),
    TOOL_FLAG(SECPKG_FLAG_NEGO_EXTENDER),
    TOOL_FLAG(SECPKG_FLAG_NEGOTIABLE2),
    TOOL_FLAG(SECPKG_FLAG_APPCONTAINER_PASSTHROUGH),
    TOOL_FLAG(SECPKG_FLAG_APPCONTAINER_CHECKS),
    TOOL_FLAG(SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED),
    TOOL_FLAG(SECPKG_FLAG_APPLY_LOOPBACK),
    {NULL, 0},
};

const struct tool_flag tool_isc_ret_flags[] = {
    TOOL_FLAG(ISC_RET_DELEGATE),
    TOOL_FLAG(ISC_RET_MUTUAL_AUTH),
    TOOL_FLAG(ISC_RET_REPLAY_DETECT),
    TOOL_FLAG(ISC_RET_SEQUENCE_DETECT),
    TOOL_FLAG(ISC_RET_CONFIDENTIALITY),
    TOOL_FLAG(ISC_RET_USE_SESSION_KEY),
    TOOL_FLAG(ISC_RET_USED_COLLECTED_CREDS),
    TOOL_FLAG(ISC_RET_USED_SUPPLIED_CREDS),
    TOOL_FLAG(ISC_RET_ALLOCATED_MEMORY),
    TOOL_FLAG(ISC_RET_USED_DCE_STYLE),
    TOOL_FLAG(ISC_RET_DATAGRAM),
    TOOL_FLAG(ISC_RET_CONNECTION),
    TOOL_FLAG(ISC_RET_INTERMEDIATE_RETURN),
    TOOL_FLAG(ISC_RET_CALL_LEVEL),
    TOOL_FLAG(ISC_RET_EXTENDED_ERROR),
    TOOL_FLAG(ISC_RET_STREAM),
    TOOL_FLAG(ISC_RET_INTEGRITY),
    TOOL_FLAG(ISC_RET_IDENTIFY),
    TOOL_FLAG(ISC_RET_NULL_SESSION),
    TOOL_FLAG(ISC_RET_MANUAL_CRED_VALIDATION),
    TOOL_FLAG(ISC_RET_RESERVED1),
    TOOL_FLAG(ISC_RET_FRAGMENT_ONLY),
    TOOL_FLAG(ISC_RET_FORWARD_CREDENTIALS),
    TOOL_FLAG(ISC_RET_USED_HTTP_STYLE),
    TOOL_FLAG(ISC_RET_NO_ADDITIONAL_TOKEN),
    TOOL_FLAG(ISC_RET_REAUTHENTICATION),
    TOOL_FLAG(ISC_RET_CONFIDENTIALITY_ONLY),
    {NULL, 0},
};

const struct tool_flag tool_asc_ret_flags[] = {
    TOOL_FLAG(ASC_RET_DELEGATE),
    TOOL_FLAG(ASC_RET_MUTUAL_AUTH),
    TOOL_FLAG(ASC_RET_REPLAY_DETECT),
    TOOL_FLAG(ASC_RET_SEQUENCE_DETECT),
    TOOL_FLAG(ASC_RET_CONFIDENTIALITY),
    TOOL_FLAG(ASC_RET_USE_SESSION_KEY),
    TOOL_FLAG(ASC_RET_SESSION_TICKET),
    TOOL_FLAG(ASC_RET_ALLOCATED_MEMORY),
    TOOL_FLAG(ASC_RET_USED_DCE_STYLE),
    TOOL_FLAG(ASC_RET_DATAGRAM),
    TOOL_FLAG(ASC_RET_CONNECTION),
    TOOL_FLAG(ASC_RET_CALL_LEVEL),
    TOOL_FLAG(ASC_RET_THIRD_LEG_FAILED),
    TOOL_FLAG(ASC_RET_EXTENDED_ERROR),
    TOOL_FLAG(ASC_RET_STREAM),
    TOOL_FLAG(ASC_RET_INTEGRITY),
    TOOL_FLAG(ASC_RET_LICENSING),
    TOOL_FLAG(ASC_RET_IDENTIFY),
    TOOL_FLAG(ASC_RET_NULL_SESSION),
    TOOL_FLAG(ASC_RET_ALLOW_NON_USER_LOGONS),
    TOOL_FLAG(ASC_RET_ALLOW_CONTEXT_REPLAY),
    TOOL_FLAG(ASC_RET_FRAGMENT_ONLY),
    TOOL_FLAG(ASC_RET_NO_TOKEN),
    TOOL_FLAG(ASC_RET_NO_ADDITIONAL_TOKEN),
    {NULL, 0},
};

void tool_flags_each(const struct tool_flag *table, uint32_t value,
                     void (*cb)(void *arg, const char *name, uint32_t bits), void *arg)
{
    uint32_t rest = value;

    for (const struct tool_flag *f = table; f->name; f++) {
        if (f->value != 0 && (value & f->value) == f->value) {
            cb(arg, f->name, f->value);
            rest &= ~f->value;
        }
    }
    if (rest)
        cb(arg, NULL, rest);
}

struct tool_flags_print_state {
    FILE *out;
    const char *sep;
    bool first;
};

static void tool_flags_print_one(void *arg, const char *name, uint32_t bits)
{
    struct tool_flags_print_state *s = arg;

    if (!s->first)
        fputs(s->sep, s->out);
    s->first = false;
    if (name)
        fputs(name, s->out);
    else
        fprintf(s->out, "0x%X", bits);
}

void tool_flags_print(FILE *out, const struct tool_flag *table, uint32_t value, const char *sep)
{
    struct tool_flags_print_state s = {out, sep, true};

    if (value == 0) {
        fputs("none", out);
        return;
    }
    tool_flags_each(table, value, tool_flags_print_one, &s);
}

bool tool_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return false;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool tool_parse_seconds(const char *s, double *out)
{
    char *end;
    double v;

    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return false;
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0 || v > 86400)
        return false;
    *out = v;
    return true;
}

void tool_getopt_reset(void)
{
    optind = 0; /* glibc: full re-initialisation */
    opterr = 1;
}
