/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kerberos-status.c - GSS major/minor statuses to SSPI statuses, and the
 * package's trace lines.
 *
 * The LSA function table offers no text log, so the package writes its own
 * lines, in the core's format, to the LIBSSPI_DEBUG destination (stderr or
 * a file, opened once for appending).  Lines name the failing GSS call and
 * MIT's major and minor texts; they never hold keys or passwords.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <krb5/krb5.h>

#include "packages/kerberos/kerberos.h"

static int trace_fd = -1;
static pthread_once_t trace_once = PTHREAD_ONCE_INIT;

static void trace_setup(void)
{
    const char *dest = secure_getenv("LIBSSPI_DEBUG");

    if (dest == NULL || dest[0] == '\0')
        return;
    if (strcmp(dest, "stderr") == 0)
        trace_fd = STDERR_FILENO;
    else
        trace_fd = open(dest, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
}

bool krb_tracing(void)
{
    pthread_once(&trace_once, trace_setup);
    return trace_fd >= 0;
}

void krb_trace(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n, m;

    if (!krb_tracing())
        return;
    n = snprintf(line, sizeof(line), "libsspi[%ld]: Kerberos: ", (long)getpid());
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    n += m;
    if ((size_t)n > sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    for (const char *p = line; n > 0;) {
        ssize_t w = write(trace_fd, p, (size_t)n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        n -= (int)w;
    }
}

/* One GSS status text (major or minor). */
static void status_text(OM_uint32 code, int type, char *out, size_t cap)
{
    OM_uint32 minor, ctx = 0;
    gss_buffer_desc msg = GSS_C_EMPTY_BUFFER;

    out[0] = '\0';
    if (gss_display_status(&minor, code, type, (gss_OID)gss_mech_krb5, &ctx, &msg) ==
        GSS_S_COMPLETE) {
        snprintf(out, cap, "%.*s", (int)msg.length, (const char *)msg.value);
        gss_release_buffer(&minor, &msg);
    }
}

/* The krb5 error behind a GSS_S_FAILURE, in SSPI terms; 0 if none fits. */
static SECURITY_STATUS from_minor(enum krb_op op, OM_uint32 minor)
{
    switch ((krb5_error_code)minor) {
    case KRB5_KDC_UNREACH:
    case KRB5_REALM_UNKNOWN:
    case KRB5_REALM_CANT_RESOLVE:
    case KRB5KDC_ERR_WRONG_REALM:
        return SEC_E_NO_AUTHENTICATING_AUTHORITY;
    case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
        return op == KRB_OP_ACQUIRE ? SEC_E_NO_CREDENTIALS : SEC_E_TARGET_UNKNOWN;
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
    case KRB5KDC_ERR_PREAUTH_FAILED:
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
    case KRB5KDC_ERR_CLIENT_REVOKED:
    case KRB5KDC_ERR_KEY_EXP:
        if ((krb5_error_code)minor == KRB5KRB_AP_ERR_BAD_INTEGRITY && op == KRB_OP_MESSAGE)
            return SEC_E_MESSAGE_ALTERED;
        return SEC_E_LOGON_DENIED;
    case KRB5KRB_AP_ERR_MODIFIED:
    case KRB5KRB_AP_ERR_NOKEY:
    case KRB5KRB_AP_ERR_BADKEYVER:
    case KRB5_KT_NOTFOUND:
    case KRB5_KT_KVNONOTFOUND:
        return op == KRB_OP_ACCEPT ? SEC_E_LOGON_DENIED : SEC_E_NO_CREDENTIALS;
    case KRB5KRB_AP_ERR_SKEW:
        return SEC_E_TIME_SKEW;
    case KRB5KRB_AP_ERR_TKT_EXPIRED:
    case KRB5KDC_ERR_TGT_REVOKED:
        return SEC_E_CONTEXT_EXPIRED;
    case KRB5KRB_AP_ERR_REPEAT:
        return SEC_E_INVALID_TOKEN;
    case KRB5_FCC_NOFILE:
    case KRB5_CC_NOTFOUND:
    case KRB5_CC_NOSUPP:
        return SEC_E_NO_CREDENTIALS;
    case KRB5KRB_AP_ERR_BADMATCH:
    case KRB5KRB_AP_WRONG_PRINC:
    case KRB5KRB_AP_ERR_NOT_US:
        return SEC_E_WRONG_PRINCIPAL;
    case KRB5KDC_ERR_ETYPE_NOSUPP:
        return SEC_E_ALGORITHM_MISMATCH;
    case KRB5_BAD_MSIZE:
    case KRB5_BADMSGTYPE:
    case KRB5KRB_AP_ERR_MSG_TYPE:
    case KRB5KRB_AP_ERR_BADVERSION:
    case KRB5KRB_AP_ERR_INAPP_CKSUM:
    case ASN1_BAD_ID:
    case ASN1_MISSING_FIELD:
    case ASN1_OVERRUN:
    case ASN1_BAD_LENGTH:
    case ASN1_BAD_FORMAT:
    case ASN1_PARSE_ERROR:
    case ASN1_BAD_TIMEFORMAT:
    case ASN1_MISPLACED_FIELD:
    case ASN1_TYPE_MISMATCH:
        return SEC_E_INVALID_TOKEN;
    }
    return 0;
}

SECURITY_STATUS krb_status_from_krb5(enum krb_op op, const char *call, void *kctx, int32_t code)
{
    SECURITY_STATUS st = from_minor(op, (OM_uint32)code);

    if (st == 0)
        st = op == KRB_OP_INIT ? SEC_E_LOGON_DENIED : SEC_E_INTERNAL_ERROR;
    if (krb_tracing()) {
        const char *msg = krb5_get_error_message(kctx, code);
        krb_trace("%s: krb5 error %d (%s) -> 0x%08X", call, (int)code, msg, (unsigned)st);
        krb5_free_error_message(kctx, msg);
    }
    return pkg_refuse(st, st);
}

SECURITY_STATUS krb_status_from_gss(enum krb_op op, const char *call, OM_uint32 major,
                                    OM_uint32 minor)
{
    SECURITY_STATUS st;

    switch (GSS_ROUTINE_ERROR(major)) {
    case GSS_S_BAD_MECH:
        st = SEC_E_SECPKG_NOT_FOUND;
        break;
    case GSS_S_BAD_NAME:
    case GSS_S_BAD_NAMETYPE:
        st = op == KRB_OP_INIT ? SEC_E_TARGET_UNKNOWN : SEC_E_UNKNOWN_CREDENTIALS;
        break;
    case GSS_S_BAD_BINDINGS:
        st = SEC_E_BAD_BINDINGS;
        break;
    case GSS_S_BAD_SIG:
        st = op == KRB_OP_MESSAGE ? SEC_E_MESSAGE_ALTERED : SEC_E_LOGON_DENIED;
        break;
    case GSS_S_NO_CRED:
    case GSS_S_DEFECTIVE_CREDENTIAL:
        st = from_minor(op, minor);
        if (st == 0 || st == SEC_E_LOGON_DENIED)
            st = op == KRB_OP_ACCEPT && st == SEC_E_LOGON_DENIED ? st : SEC_E_NO_CREDENTIALS;
        break;
    case GSS_S_NO_CONTEXT:
        st = SEC_E_INVALID_HANDLE;
        break;
    case GSS_S_DEFECTIVE_TOKEN:
        st = SEC_E_INVALID_TOKEN;
        break;
    case GSS_S_CREDENTIALS_EXPIRED:
    case GSS_S_CONTEXT_EXPIRED:
        st = SEC_E_CONTEXT_EXPIRED;
        break;
    case GSS_S_BAD_QOP:
        st = SEC_E_QOP_NOT_SUPPORTED;
        break;
    default:
        st = from_minor(op, minor);
        if (st == 0)
            st = op == KRB_OP_ACCEPT || op == KRB_OP_INIT ? SEC_E_INVALID_TOKEN
                                                          : SEC_E_INTERNAL_ERROR;
        if (major == GSS_S_FAILURE && minor == 0)
            st = SEC_E_INTERNAL_ERROR;
        break;
    }
    if (GSS_ROUTINE_ERROR(major) == 0) {
        if (major & (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN | GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN))
            st = SEC_E_OUT_OF_SEQUENCE;
    }
    if (krb_tracing()) {
        char mj[256], mn[512];

        status_text(major, GSS_C_GSS_CODE, mj, sizeof(mj));
        status_text(minor, GSS_C_MECH_CODE, mn, sizeof(mn));
        krb_trace("%s: major 0x%08x (%s), minor %u (%s) -> 0x%08X", call, (unsigned)major, mj,
                  (unsigned)minor, mn, (unsigned)st);
    }
    return pkg_refuse(st, st);
}
