/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-userfile.c - the acceptor's user database: a text file of
 * `DOMAIN:user:password` or `DOMAIN:user:NT:<32 hex digits>` lines (the
 * gss-ntlmssp/Heimdal NTLM_USER_FILE format plus an NT-hash form).
 * The file is read on each lookup, so edits take effect at once; nothing
 * is cached and every copy of a secret is wiped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packages/ntlm/ntlm.h"

struct uf_entry {
    struct ntlm_buf domain, user;
    uint8_t nt[16], lm[16];
    bool has_lm;
};

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parse one line (no newline).  Returns 1 entry, 0 skip. */
static int parse_line(char *line, struct uf_entry *e)
{
    char *p = line, *c1, *c2, *pw;
    size_t n;

    memset(e, 0, sizeof(*e));
    n = strlen(p);
    while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
        p[--n] = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '#' || *p == 0)
        return 0;
    c1 = strchr(p, ':');
    if (!c1)
        return 0;
    c2 = strchr(c1 + 1, ':');
    if (!c2)
        return 0;
    pw = c2 + 1;
    if (!ntlm_buf_from_utf8(&e->domain, p, (size_t)(c1 - p)) ||
        !ntlm_buf_from_utf8(&e->user, c1 + 1, (size_t)(c2 - c1 - 1)))
        goto bad;
    if (e->user.len == 0)
        goto bad;
    if (strncmp(pw, "NT:", 3) == 0 && strlen(pw + 3) == 32) {
        bool ok = true;
        for (int i = 0; i < 16; i++) {
            int hi = hexval(pw[3 + 2 * i]), lo = hexval(pw[4 + 2 * i]);
            if (hi < 0 || lo < 0)
                ok = false;
            else
                e->nt[i] = (uint8_t)(hi << 4 | lo);
        }
        if (ok)
            return 1;
    }
    {
        struct ntlm_buf pw16;
        if (!ntlm_buf_from_utf8(&pw16, pw, strlen(pw)))
            goto bad;
        ntlm_ntowfv1(pw16.data, pw16.len, e->nt);
        ntlm_lmowfv1(pw16.data, pw16.len, e->lm);
        e->has_lm = true;
        ntlm_buf_free_secret(&pw16);
    }
    return 1;
bad:
    ntlm_buf_free(&e->domain);
    ntlm_buf_free(&e->user);
    return 0;
}

static void entry_clear(struct uf_entry *e)
{
    ntlm_buf_free(&e->domain);
    ntlm_buf_free(&e->user);
    crypto_wipe(e, sizeof(*e));
}

/* Longest user-file line read; longer lines are skipped. */
#define UF_LINE_MAX 4096

/* Iterate the file; match==NULL takes the first entry.  The file holds
 * passwords, so stdio reads into a buffer of ours and lines go into a fixed
 * buffer (no realloc leaving copies behind); both are wiped before free. */
static int scan(const char *path, const uint8_t *user, size_t userlen, const uint8_t *domain,
                size_t domainlen, bool first, struct uf_entry *found)
{
    FILE *f;
    char *iobuf = NULL, *line = NULL;
    int rc = 0;

    if (!path || !*path)
        return -1;
    iobuf = malloc(BUFSIZ);
    line = malloc(UF_LINE_MAX);
    if (!iobuf || !line) {
        rc = -1;
        goto out;
    }
    f = fopen(path, "re");
    if (!f) {
        rc = -1;
        goto out;
    }
    setvbuf(f, iobuf, _IOFBF, BUFSIZ);
    while (fgets(line, UF_LINE_MAX, f) != NULL) {
        struct uf_entry e;
        size_t n = strlen(line);

        if (n == UF_LINE_MAX - 1 && line[n - 1] != '\n') {
            int c;

            while ((c = getc(f)) != EOF && c != '\n')
                ;
            continue;
        }
        if (!parse_line(line, &e))
            continue;
        if (first || (ntlm_utf16_caseeq(e.user.data, e.user.len, user, userlen) &&
                      (e.domain.len == 0 || domainlen == 0 ||
                       ntlm_utf16_caseeq(e.domain.data, e.domain.len, domain, domainlen)))) {
            *found = e;
            rc = 1;
            break;
        }
        entry_clear(&e);
    }
    fclose(f);
out:
    if (iobuf) {
        crypto_wipe(iobuf, BUFSIZ);
        free(iobuf);
    }
    if (line) {
        crypto_wipe(line, UF_LINE_MAX);
        free(line);
    }
    return rc;
}

/* See ntlm.h. */
int ntlm_userfile_lookup(const char *path, const uint8_t *user, size_t userlen,
                         const uint8_t *domain, size_t domainlen, uint8_t nt_hash[16],
                         uint8_t lm_hash[16], bool *has_lm, struct ntlm_buf canon[2])
{
    struct uf_entry e;
    int rc = scan(path, user, userlen, domain, domainlen, false, &e);

    if (rc == 1) {
        memcpy(nt_hash, e.nt, 16);
        memcpy(lm_hash, e.lm, 16);
        *has_lm = e.has_lm;
        if (canon != NULL) {
            canon[0] = e.user;
            canon[1] = e.domain;
            memset(&e.user, 0, sizeof(e.user));
            memset(&e.domain, 0, sizeof(e.domain));
        }
        entry_clear(&e);
    }
    return rc;
}

/* See ntlm.h. */
int ntlm_userfile_first(const char *path, struct ntlm_buf *user, struct ntlm_buf *domain,
                        uint8_t nt_hash[16], uint8_t lm_hash[16], bool *has_lm)
{
    struct uf_entry e;
    int rc = scan(path, NULL, 0, NULL, 0, true, &e);

    if (rc == 1) {
        *user = e.user;
        *domain = e.domain;
        e.user.data = e.domain.data = NULL;
        memcpy(nt_hash, e.nt, 16);
        memcpy(lm_hash, e.lm, 16);
        *has_lm = e.has_lm;
        crypto_wipe(&e, sizeof(e));
    }
    return rc;
}
