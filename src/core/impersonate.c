/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * impersonate.c - ImpersonateSecurityContext / RevertSecurityContext with
 * a POSIX meaning, QuerySecurityContextToken and SECPKG_ATTR_ACCESS_TOKEN.
 *
 * A server context (one AcceptSecurityContext completed) names a client;
 * its token maps that name to a local account (accounts.c).  Impersonating
 * it, per thread and by the `impersonation` setting:
 *   switch  the thread's file-system identity becomes the account's:
 *           supplementary groups, fsgid and fsuid, through the per-thread
 *           system calls (raw setgroups, setfsgid, setfsuid), never glibc's
 *           setgroups/setuid, which change every thread of the process;
 *           needs CAP_SETUID and CAP_SETGID and a mapped account, else
 *           SEC_E_NO_IMPERSONATION;
 *   track   nothing changes but what libsspi reports: GetUserNameEx, and
 *           the Impersonating flag packages read through GetClientInfo;
 *   refuse  SEC_E_NO_IMPERSONATION;
 *   auto    (default) switch when the process may and the name maps to a
 *           local account, else track; LIBSSPI_DEBUG says which and why.
 * RevertSecurityContext restores exactly what was saved (fsuid, fsgid,
 * groups).  The thread's state holds its own token reference: deleting the
 * context does not touch it (as on Windows, the thread keeps the identity
 * until it reverts; RevertSecurityContext accepts the handle it
 * impersonated even after DeleteSecurityContext), and a thread that exits
 * while impersonating frees it in a thread-specific destructor (its file
 * identity ends with it).
 */
#include <linux/capability.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/utf16.h"
#include "core/api-internal.h"
#include "core/token.h"

/* ---- server contexts ------------------------------------------------------ */

/* What the core knows about a server context: its token (made on first
 * use) and the handle SECPKG_ATTR_ACCESS_TOKEN answers with (closed with
 * the context).  Keyed by the context object. */
struct ctx_entry {
    const struct sspi_context *ctx;
    struct sspi_token *token;
    HANDLE access;
    struct ctx_entry *next;
};

#define BUCKETS 1024
static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ctx_entry *buckets[BUCKETS];
static atomic_size_t nentries;

static struct ctx_entry **bucket(const struct sspi_context *ctx)
{
    return &buckets[((uintptr_t)ctx >> 4) % BUCKETS];
}

/* The entry of `ctx`; ctx_lock held. */
static struct ctx_entry *find(const struct sspi_context *ctx)
{
    for (struct ctx_entry *e = *bucket(ctx); e != NULL; e = e->next) {
        if (e->ctx == ctx)
            return e;
    }
    return NULL;
}

void sspi_impersonation_accepted(const struct sspi_context *ctx)
{
    struct ctx_entry *e;

    pthread_mutex_lock(&ctx_lock);
    if (find(ctx) == NULL && (e = calloc(1, sizeof(*e))) != NULL) {
        e->ctx = ctx;
        e->next = *bucket(ctx);
        *bucket(ctx) = e;
        atomic_fetch_add(&nentries, 1);
    }
    pthread_mutex_unlock(&ctx_lock);
}

void sspi_impersonation_context_gone(const struct sspi_context *ctx)
{
    struct ctx_entry **pp, *e = NULL;

    if (atomic_load_explicit(&nentries, memory_order_relaxed) == 0)
        return;
    pthread_mutex_lock(&ctx_lock);
    for (pp = bucket(ctx); *pp != NULL; pp = &(*pp)->next) {
        if ((*pp)->ctx == ctx) {
            e = *pp;
            *pp = e->next;
            atomic_fetch_sub(&nentries, 1);
            break;
        }
    }
    pthread_mutex_unlock(&ctx_lock);
    if (e != NULL) {
        if (e->access != NULL)
            sspi_object_close(e->access, SSPI_OBJECT_TOKEN);
        sspi_token_unref(e->token);
        free(e);
    }
}

/* The client's name as the package reports it (SECPKG_ATTR_NAMES), UTF-8. */
static char *client_name(PCtxtHandle ph)
{
    SecPkgContext_NamesW n = {NULL};
    char *s = NULL;

    if (sspi_api_query_context_w(ph, SECPKG_ATTR_NAMES, &n) != SEC_E_OK)
        return NULL;
    if (n.sUserName != NULL)
        s = sspi_utf16_to_utf8_lossy(n.sUserName, SSPI_UTF16_NUL_TERMINATED, NULL);
    sspi_mem_free(n.sUserName);
    return s;
}

/*
 * The token of a server context, one reference for the caller; made and
 * cached on first use.  SEC_E_NO_IMPERSONATION for a context that is not a
 * completed server context of an SSP/AP package or that names nobody.
 */
static SECURITY_STATUS context_token(PCtxtHandle ph, const struct sspi_context *ctx,
                                     struct sspi_token **out)
{
    struct ctx_entry *e;
    struct sspi_token *t = NULL;
    char *name;

    *out = NULL;
    pthread_mutex_lock(&ctx_lock);
    e = find(ctx);
    if (e != NULL)
        t = sspi_token_ref(e->token);
    pthread_mutex_unlock(&ctx_lock);
    if (e == NULL)
        return SEC_E_NO_IMPERSONATION;
    if (t == NULL) {
        name = client_name(ph);
        if (name == NULL || *name == '\0') {
            free(name);
            return SEC_E_NO_IMPERSONATION;
        }
        t = sspi_token_new(name);
        free(name);
        if (t == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
        pthread_mutex_lock(&ctx_lock);
        e = find(ctx);
        if (e != NULL && e->token == NULL)
            e->token = sspi_token_ref(t);
        pthread_mutex_unlock(&ctx_lock);
    }
    *out = t;
    return SEC_E_OK;
}

SECURITY_STATUS sspi_context_token_handle(PCtxtHandle ph, const struct sspi_context *ctx,
                                          HANDLE *out)
{
    struct sspi_token *t;
    SECURITY_STATUS st = context_token(ph, ctx, &t);

    if (st != SEC_E_OK)
        return st;
    *out = sspi_object_open(SSPI_OBJECT_TOKEN, t);
    return *out != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

SECURITY_STATUS sspi_context_access_token(PCtxtHandle ph, const struct sspi_context *ctx, void *buf)
{
    struct sspi_token *t;
    struct ctx_entry *e;
    HANDLE h = NULL;
    SECURITY_STATUS st = context_token(ph, ctx, &t);

    if (st != SEC_E_OK)
        return st;
    pthread_mutex_lock(&ctx_lock);
    e = find(ctx);
    if (e != NULL && e->access == NULL)
        e->access = sspi_object_open(SSPI_OBJECT_TOKEN, sspi_token_ref(t));
    if (e != NULL)
        h = e->access;
    pthread_mutex_unlock(&ctx_lock);
    sspi_token_unref(t);
    if (h == NULL)
        return e == NULL ? SEC_E_NO_IMPERSONATION : SEC_E_INSUFFICIENT_MEMORY;
    ((SecPkgContext_AccessToken *)buf)->AccessToken = h;
    return SEC_E_OK;
}

/* ---- the thread's identity ------------------------------------------------------ */

struct thread_state {
    struct sspi_token *token;
    SecHandle handle; /* the context handle it impersonated */
    bool switched;
    uid_t fsuid;
    gid_t fsgid;
    gid_t *groups;
    size_t ngroups;
};

static _Thread_local struct thread_state *me;
static pthread_key_t exit_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void state_free(struct thread_state *s)
{
    if (s == NULL)
        return;
    sspi_token_unref(s->token);
    free(s->groups);
    free(s);
}

/* The thread is exiting: its file identity goes with it, the state is freed. */
static void on_thread_exit(void *p)
{
    state_free(p);
}

static void key_init(void)
{
    (void)pthread_key_create(&exit_key, on_thread_exit);
}

/* CAP_SETUID and CAP_SETGID in the effective set: the thread may switch. */
static bool may_switch(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
    uint32_t need = (1u << CAP_SETUID) | (1u << CAP_SETGID);

    memset(d, 0, sizeof(d));
    if (syscall(SYS_capget, &h, d) != 0)
        return false;
    return (d[0].effective & need) == need;
}

/* Per-thread setgroups (glibc's wrapper changes every thread). */
static bool thread_setgroups(size_t n, const gid_t *groups)
{
    return syscall(SYS_setgroups, n, groups) == 0;
}

/* The thread's file identity back to `s`'s saved one. */
static void restore(const struct thread_state *s)
{
    (void)setfsuid(s->fsuid);
    (void)setfsgid(s->fsgid);
    (void)thread_setgroups(s->ngroups, s->groups);
}

/* Save the thread's file identity into `s` and take `a`'s. */
static bool switch_to(struct thread_state *s, const struct sspi_local_account *a)
{
    int n = getgroups(0, NULL);

    s->fsuid = (uid_t)setfsuid((uid_t)-1);
    s->fsgid = (gid_t)setfsgid((gid_t)-1);
    s->groups = n > 0 ? calloc((size_t)n, sizeof(gid_t)) : NULL;
    if (n < 0 || (n > 0 && (s->groups == NULL || getgroups(n, s->groups) != n)))
        return false;
    s->ngroups = (size_t)n;
    if (!thread_setgroups(a->ngroups, a->groups))
        return false;
    (void)setfsgid(a->gid);
    (void)setfsuid(a->uid);
    if ((gid_t)setfsgid((gid_t)-1) != a->gid || (uid_t)setfsuid((uid_t)-1) != a->uid) {
        restore(s);
        return false;
    }
    return true;
}

/* End the calling thread's impersonation, if any. */
static void end_impersonation(void)
{
    struct thread_state *s = me;

    if (s == NULL)
        return;
    if (s->switched)
        restore(s);
    me = NULL;
    pthread_setspecific(exit_key, NULL);
    state_free(s);
}

/* Decide what this call does; `why` says it for the trace. */
static enum sspi_impersonation_mode decide(const struct sspi_token *t, const char **why)
{
    enum sspi_impersonation_mode m = sspi_accounts()->impersonation;
    bool may = may_switch();

    if (m == SSPI_IMPERSONATION_SWITCH || m == SSPI_IMPERSONATION_AUTO) {
        if (!may)
            *why = "the process lacks CAP_SETUID and CAP_SETGID";
        else if (!t->mapped)
            *why = t->map_why;
        else
            *why = "permitted and mapped";
        if (may && t->mapped)
            return SSPI_IMPERSONATION_SWITCH;
        return m == SSPI_IMPERSONATION_AUTO ? SSPI_IMPERSONATION_TRACK : SSPI_IMPERSONATION_REFUSE;
    }
    *why = "configured";
    return m;
}

static SECURITY_STATUS impersonate(PCtxtHandle ph, const struct sspi_context *ctx)
{
    enum sspi_impersonation_mode m;
    struct thread_state *s;
    struct sspi_token *t;
    const char *why = "";
    SECURITY_STATUS st;

    if (sspi_accounts()->impersonation == SSPI_IMPERSONATION_REFUSE)
        return SEC_E_NO_IMPERSONATION;
    st = context_token(ph, ctx, &t);
    if (st != SEC_E_OK)
        return st;
    m = decide(t, &why);
    sspi_trace("ImpersonateSecurityContext: '%s' -> %s%s: %s (impersonation = %s)", t->authname,
               t->mapped ? t->account.name : "no local account",
               m == SSPI_IMPERSONATION_SWITCH  ? ", file identity switched"
               : m == SSPI_IMPERSONATION_TRACK ? ", tracked only"
                                               : ", refused",
               why, sspi_impersonation_mode_name(sspi_accounts()->impersonation));
    if (m == SSPI_IMPERSONATION_REFUSE) {
        sspi_token_unref(t);
        return SEC_E_NO_IMPERSONATION;
    }
    end_impersonation(); /* a second impersonation starts from the thread's own identity */
    pthread_once(&key_once, key_init);
    s = calloc(1, sizeof(*s));
    if (s == NULL) {
        sspi_token_unref(t);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    s->token = t;
    s->handle = *ph;
    if (m == SSPI_IMPERSONATION_SWITCH) {
        s->switched = switch_to(s, &t->account);
        if (!s->switched) {
            sspi_trace("ImpersonateSecurityContext: switching to uid %u failed",
                       (unsigned)t->account.uid);
            state_free(s);
            return SEC_E_NO_IMPERSONATION;
        }
    }
    me = s;
    pthread_setspecific(exit_key, s);
    return SEC_E_OK;
}

SECURITY_STATUS sspi_impersonation_call(bool start, PCtxtHandle ph, const struct sspi_context *ctx)
{
    if (start)
        return impersonate(ph, ctx);
    end_impersonation();
    return SEC_E_OK;
}

bool sspi_revert_stale(const CtxtHandle *ph)
{
    struct thread_state *s = me;

    if (s == NULL || ph == NULL || ph->dwLower != s->handle.dwLower ||
        ph->dwUpper != s->handle.dwUpper)
        return false;
    end_impersonation();
    return true;
}

struct sspi_token *sspi_thread_token(void)
{
    return me != NULL ? sspi_token_ref(me->token) : NULL;
}

bool sspi_thread_impersonating(void)
{
    return me != NULL;
}
