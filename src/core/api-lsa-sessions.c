/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-lsa-sessions.c - logon sessions (LsaEnumerateLogonSessions,
 * LsaGetLogonSessionData) and LsaNtStatusToWinError.
 *
 * A logon session here is a local account: LUID { uid, 0x4C53 }, the LUID
 * GetClientInfo reports to packages for the process's effective user.  The
 * caller sees its own session; a caller with effective uid 0 (the
 * counterpart of SeTcbPrivilege) also sees every user logged in according
 * to utmp, and may read any account's session data.  The data: user name
 * and domain as GetUserNameEx(NameSamCompatible) splits them, the Unix
 * user SID S-1-22-1-<uid> (the mapping Samba uses), logon type Interactive
 * for a user logged in on a terminal (with the earliest login time) and
 * Service otherwise, the host as logon server, the configured realm as DNS
 * domain and the user principal name.  AuthenticationPackage is empty: no
 * security package authenticated a POSIX login.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

#include "common/utf16.h"
#include "core/api-internal.h"
#include "core/token.h"
#include "ntsecapi.h"
#include "winerror.h"

#define SESSION_LUID_HIGH 0x4C53 /* lsa-services.c */
#define MAX_SESSIONS      1024

static bool have_uid(const LUID *list, uint32_t n, uid_t uid)
{
    for (uint32_t i = 0; i < n; i++) {
        if (list[i].LowPart == (uint32_t)uid)
            return true;
    }
    return false;
}

/* LsaEnumerateLogonSessions: the LUIDs of the logon sessions the caller
 * may see, in one buffer freed with LsaFreeReturnBuffer. */
NTSTATUS NTAPI LsaEnumerateLogonSessions(PULONG LogonSessionCount, PLUID *LogonSessionList)
{
    LUID *list;
    uint32_t n = 0;
    struct utmpx *u;

    sspi_registry_init();
    if (LogonSessionCount == NULL || LogonSessionList == NULL)
        return STATUS_INVALID_PARAMETER;
    list = sspi_mem_alloc(MAX_SESSIONS * sizeof(LUID));
    if (list == NULL)
        return STATUS_NO_MEMORY;
    list[n].LowPart = (uint32_t)geteuid();
    list[n++].HighPart = SESSION_LUID_HIGH;
    if (geteuid() == 0) {
        setutxent();
        while ((u = getutxent()) != NULL && n < MAX_SESSIONS) {
            char user[sizeof(u->ut_user) + 1];
            struct passwd *pw;

            if (u->ut_type != USER_PROCESS)
                continue;
            memcpy(user, u->ut_user, sizeof(u->ut_user));
            user[sizeof(u->ut_user)] = '\0';
            pw = getpwnam(user);
            if (pw != NULL && !have_uid(list, n, pw->pw_uid)) {
                list[n].LowPart = (uint32_t)pw->pw_uid;
                list[n++].HighPart = SESSION_LUID_HIGH;
            }
        }
        endutxent();
    }
    *LogonSessionCount = n;
    *LogonSessionList = list;
    return STATUS_SUCCESS;
}

/* Earliest utmp login of `name`, as a FILETIME (0 if not logged in). */
static int64_t login_time(const char *name)
{
    int64_t best = 0;
    struct utmpx *u;

    setutxent();
    while ((u = getutxent()) != NULL) {
        int64_t t;

        if (u->ut_type != USER_PROCESS || strncmp(u->ut_user, name, sizeof(u->ut_user)) != 0)
            continue;
        t = ((int64_t)u->ut_tv.tv_sec + INT64_C(11644473600)) * 10000000 +
            (int64_t)u->ut_tv.tv_usec * 10;
        if (best == 0 || t < best)
            best = t;
    }
    endutxent();
    return best;
}

/* Strings and the SID are laid out behind the structure. */
struct block {
    uint8_t *base, *pos, *end;
};

static void put_string(struct block *b, UNICODE_STRING *u, const char *utf8)
{
    size_t n = 0;
    char16_t *w = utf8 != NULL ? sspi_utf8_to_utf16(utf8, SSPI_UTF16_NUL_TERMINATED, &n) : NULL;

    memset(u, 0, sizeof(*u));
    if (w == NULL || (n + 1) * 2 > (size_t)(b->end - b->pos) || n * 2 > 0xFFFC) {
        free(w);
        return;
    }
    memcpy(b->pos, w, (n + 1) * 2);
    u->Buffer = (PWSTR)b->pos;
    u->Length = (USHORT)(n * 2);
    u->MaximumLength = (USHORT)((n + 1) * 2);
    b->pos += (n + 1) * 2;
    free(w);
}

/* S-1-22-1-<uid>: revision 1, two sub-authorities, authority 22. */
static PSID put_sid(struct block *b, uid_t uid)
{
    uint8_t *sid = b->pos;
    uint32_t sub[2] = {1, (uint32_t)uid};

    sid[0] = 1;
    sid[1] = 2;
    memset(sid + 2, 0, 6);
    sid[7] = 22;
    memcpy(sid + 8, sub, sizeof(sub));
    b->pos += 16;
    return sid;
}

/* The session data of account `a` (names from GetUserNameEx's rules). */
static PSECURITY_LOGON_SESSION_DATA session_data(const struct sspi_local_account *a, bool own)
{
    struct sspi_name_parts p;
    PSECURITY_LOGON_SESSION_DATA d;
    struct block b;
    char *domain = NULL, *host = sspi_machine_host(), *realm = sspi_machine_realm(),
         *upn = own ? sspi_krb5_ccache_principal() : NULL;
    size_t size = sizeof(*d) + 16 + 4096;

    if (!sspi_name_split(a->name, &p))
        p.user = NULL;
    domain = p.domain != NULL ? strdup(p.domain) : sspi_machine_domain();
    if (upn == NULL && p.user != NULL && (p.realm != NULL || realm != NULL) &&
        asprintf(&upn, "%s@%s", p.user, p.realm != NULL ? p.realm : realm) < 0)
        upn = NULL;
    d = sspi_mem_alloc(size);
    if (d != NULL) {
        int64_t when = login_time(a->name);

        b.base = (uint8_t *)d;
        b.pos = b.base + sizeof(*d);
        b.end = b.base + size;
        d->Size = sizeof(*d);
        d->LogonId.LowPart = (uint32_t)a->uid;
        d->LogonId.HighPart = SESSION_LUID_HIGH;
        put_string(&b, &d->UserName, p.user != NULL ? p.user : a->name);
        put_string(&b, &d->LogonDomain, domain);
        put_string(&b, &d->AuthenticationPackage, "");
        d->LogonType = when != 0 ? Interactive : Service;
        d->Session = 0;
        d->Sid = put_sid(&b, a->uid);
        d->LogonTime.QuadPart = when;
        put_string(&b, &d->LogonServer, host);
        put_string(&b, &d->DnsDomainName, realm);
        put_string(&b, &d->Upn, upn);
    }
    sspi_name_parts_free(&p);
    free(domain);
    free(host);
    free(realm);
    free(upn);
    return d;
}

/*
 * LsaGetLogonSessionData: the data of a logon session, in one buffer freed
 * with LsaFreeReturnBuffer.  STATUS_INVALID_PARAMETER for NULL arguments,
 * STATUS_NO_SUCH_LOGON_SESSION for a LUID that is not a session,
 * STATUS_ACCESS_DENIED for another user's session unless the caller's
 * effective uid is 0.
 */
NTSTATUS NTAPI LsaGetLogonSessionData(PLUID LogonId,
                                      PSECURITY_LOGON_SESSION_DATA *ppLogonSessionData)
{
    struct sspi_local_account a;
    uid_t uid;

    sspi_registry_init();
    if (LogonId == NULL || ppLogonSessionData == NULL)
        return STATUS_INVALID_PARAMETER;
    if (LogonId->HighPart != SESSION_LUID_HIGH)
        return STATUS_NO_SUCH_LOGON_SESSION;
    uid = (uid_t)LogonId->LowPart;
    if (uid != geteuid() && geteuid() != 0)
        return STATUS_ACCESS_DENIED;
    if (!sspi_account_by_uid(uid, &a))
        return STATUS_NO_SUCH_LOGON_SESSION;
    *ppLogonSessionData = session_data(&a, uid == geteuid());
    sspi_local_account_free(&a);
    return *ppLogonSessionData != NULL ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

/* LsaNtStatusToWinError: the Win32 error for an NTSTATUS libsspi returns
 * (ERROR_MR_MID_NOT_FOUND, 317, for others, as Windows). */
ULONG NTAPI LsaNtStatusToWinError(NTSTATUS Status)
{
    static const struct {
        uint32_t nt, win;
    } map[] = {
        {0x00000000u, 0u},    {0xC0000005u, 998u},  {0xC0000008u, 6u},    {0xC000000Du, 87u},
        {0xC0000017u, 8u},    {0xC0000022u, 5u},    {0xC0000023u, 122u},  {0xC0000041u, 5u},
        {0xC000005Fu, 1312u}, {0xC0000061u, 1314u}, {0xC0000064u, 1317u}, {0xC000006Au, 1323u},
        {0xC000006Du, 1326u}, {0xC00000BBu, 50u},   {0xC00000FEu, 1364u}, {0xC0000106u, 206u},
        {0xC0000002u, 1u},    {0xC00000E5u, 1359u}, {0x80000005u, 234u},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (map[i].nt == (uint32_t)Status)
            return map[i].win;
    }
    return 317u;
}
