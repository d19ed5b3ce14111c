/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * peer-util.c - base64, child processes with pipes and NTLM message fields
 * for check-ntlm-peers (see peer-util.h).
 */
#include "peer-util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char peer_b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* See peer-util.h. */
char *peer_b64_encode(const uint8_t *data, size_t len)
{
    char *out = malloc((len + 2) / 3 * 4 + 1);
    size_t i, o = 0;

    if (out == NULL)
        return NULL;
    for (i = 0; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
        out[o++] = peer_b64_alphabet[v >> 18];
        out[o++] = peer_b64_alphabet[(v >> 12) & 63];
        out[o++] = peer_b64_alphabet[(v >> 6) & 63];
        out[o++] = peer_b64_alphabet[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)data[i + 1] << 8;
        out[o++] = peer_b64_alphabet[v >> 18];
        out[o++] = peer_b64_alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < len ? peer_b64_alphabet[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    out[o] = '\0';
    return out;
}

static int peer_b64_value(char c)
{
    const char *p;

    if (c == '\0')
        return -1;
    p = strchr(peer_b64_alphabet, c);
    return p ? (int)(p - peer_b64_alphabet) : -1;
}

/* See peer-util.h. */
int peer_b64_decode(const char *s, size_t len, uint8_t **out, size_t *out_len)
{
    uint8_t *buf;
    uint32_t acc = 0;
    size_t o = 0, i, bits = 0;

    *out = NULL;
    *out_len = 0;
    while (len > 0 && s[len - 1] == '=')
        len--;
    if (len % 4 == 1)
        return -1;
    buf = malloc(len / 4 * 3 + 3);
    if (buf == NULL)
        return -1;
    for (i = 0; i < len; i++) {
        int v = peer_b64_value(s[i]);
        if (v < 0) {
            free(buf);
            return -1;
        }
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (uint8_t)(acc >> bits);
        }
    }
    *out = buf;
    *out_len = o;
    return 0;
}

/* See peer-util.h. */
int peer_spawn(struct peer_proc *p, char *const argv[], char *const envp[], bool want_stdin)
{
    posix_spawn_file_actions_t fa;
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    int err = 0, ret = -1;
    bool have_fa = false;

    memset(p, 0, sizeof(*p));
    p->pid = -1;
    if ((want_stdin && pipe2(in, O_CLOEXEC) != 0) || pipe2(out, O_CLOEXEC) != 0) {
        err = errno;
        goto out;
    }
    if ((err = posix_spawn_file_actions_init(&fa)) != 0)
        goto out;
    have_fa = true;
    if (want_stdin)
        err = posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    else
        err = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (err == 0)
        err = posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    if (err == 0)
        err = posix_spawn(&p->pid, argv[0], &fa, NULL, argv, envp);
    if (err != 0) {
        p->pid = -1;
        goto out;
    }
    if (want_stdin) {
        p->to = fdopen(in[1], "w");
        if (p->to == NULL) {
            err = errno;
            goto out;
        }
        in[1] = -1;
    }
    p->from = fdopen(out[0], "r");
    if (p->from == NULL) {
        err = errno;
        goto out;
    }
    out[0] = -1;
    ret = 0;
out:
    if (have_fa)
        posix_spawn_file_actions_destroy(&fa);
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    if (ret != 0) {
        if (p->pid > 0)
            peer_finish(p);
        errno = err;
    }
    return ret;
}

/* See peer-util.h. */
int peer_finish(struct peer_proc *p)
{
    int status, ret = -1;
    pid_t r;

    if (p->to != NULL)
        fclose(p->to);
    if (p->from != NULL)
        fclose(p->from);
    p->to = p->from = NULL;
    if (p->pid <= 0)
        return -1;
    do {
        r = waitpid(p->pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    if (r == p->pid) {
        if (WIFEXITED(status))
            ret = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
            ret = 128 + WTERMSIG(status);
    }
    p->pid = -1;
    return ret;
}

/* See peer-util.h. */
ssize_t peer_read_line(FILE *f, char *buf, size_t size)
{
    size_t n;

    if (fgets(buf, (int)size, f) == NULL)
        return -1;
    n = strlen(buf);
    if (n == 0 || buf[n - 1] != '\n')
        return -1;
    buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return (ssize_t)n;
}

/* See peer-util.h. */
char *peer_read_all(FILE *f, size_t max, size_t *len)
{
    char *buf = malloc(max + 1);
    size_t n = 0, r;

    if (buf == NULL)
        return NULL;
    while ((r = fread(buf + n, 1, max + 1 - n, f)) > 0) {
        n += r;
        if (n > max) {
            free(buf);
            return NULL;
        }
    }
    if (ferror(f)) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

static uint16_t peer_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t peer_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool peer_is_type(const uint8_t *msg, size_t len, uint32_t type)
{
    return len >= 16 && memcmp(msg, "NTLMSSP", 8) == 0 && peer_get32(msg + 8) == type;
}

/* See peer-util.h. */
bool peer_ntlm_flags(const uint8_t *msg, size_t len, uint32_t type, uint32_t *flags)
{
    size_t at = type == 1 ? 12 : type == 2 ? 20 : 60;

    if (!peer_is_type(msg, len, type) || len < at + 4)
        return false;
    *flags = peer_get32(msg + at);
    return true;
}

/* Reads a (len, maxlen, offset) field header at `at`; the field must lie in
 * the message. */
static bool peer_field_at(const uint8_t *msg, size_t len, size_t at, struct peer_field *f)
{
    f->len = peer_get16(msg + at);
    f->off = peer_get32(msg + at + 4);
    return f->len == 0 || ((size_t)f->off <= len && f->len <= len - f->off);
}

/* Walks an AV_PAIR list; calls back for each pair.  false if malformed or
 * without MsvAvEOL. */
static bool peer_av_walk(const uint8_t *av, size_t len,
                         void (*fn)(void *, uint16_t, const uint8_t *, uint16_t), void *arg)
{
    size_t o = 0;

    while (o + 4 <= len) {
        uint16_t id = peer_get16(av + o), n = peer_get16(av + o + 2);
        if (n > len - o - 4)
            return false;
        if (id == PEER_AV_EOL)
            return true;
        fn(arg, id, av + o + 4, n);
        o += 4 + (size_t)n;
    }
    return false;
}

static void peer_auth_av(void *arg, uint16_t id, const uint8_t *v, uint16_t n)
{
    struct peer_authenticate *a = arg;

    if (id == PEER_AV_FLAGS && n == 4) {
        a->has_av_flags = true;
        a->av_flags = peer_get32(v);
    } else if (id == PEER_AV_TIMESTAMP && n == 8) {
        a->has_timestamp = true;
    } else if (id == PEER_AV_TARGET_NAME && n > 0) {
        a->has_target_name = true;
    }
}

/* See peer-util.h. */
bool peer_parse_authenticate(const uint8_t *msg, size_t len, struct peer_authenticate *a)
{
    struct peer_field *fields[] = {&a->lm,   &a->nt,          &a->domain,
                                   &a->user, &a->workstation, &a->session_key};
    uint32_t payload = UINT32_MAX;

    memset(a, 0, sizeof(*a));
    if (!peer_is_type(msg, len, 3) || len < 64)
        return false;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (!peer_field_at(msg, len, 12 + 8 * i, fields[i]))
            return false;
        if (fields[i]->len && fields[i]->off < payload)
            payload = fields[i]->off;
    }
    a->flags = peer_get32(msg + 60);
    a->has_mic_field = payload != UINT32_MAX && payload >= PEER_MIC_OFFSET + PEER_MIC_SIZE &&
                       len >= PEER_MIC_OFFSET + PEER_MIC_SIZE;
    if (a->nt.len > 24) {
        /* NTProofStr(16) RespType HiRespType Reserved(6) Time(8) Chal(8) Reserved(4) */
        if (a->nt.len < 16 + 28)
            return false;
        a->ntlmv2 = true;
        if (!peer_av_walk(msg + a->nt.off + 16 + 28, a->nt.len - 16 - 28, peer_auth_av, a))
            return false;
    }
    return true;
}

struct peer_av_find {
    uint16_t id;
    bool found;
};

static void peer_find_av(void *arg, uint16_t id, const uint8_t *v, uint16_t n)
{
    struct peer_av_find *f = arg;

    (void)v;
    (void)n;
    if (id == f->id)
        f->found = true;
}

/* See peer-util.h. */
bool peer_challenge_has_av(const uint8_t *msg, size_t len, uint16_t id)
{
    struct peer_field ti;
    struct peer_av_find f = {id, false};

    if (!peer_is_type(msg, len, 2) || len < 48 || !peer_field_at(msg, len, 40, &ti))
        return false;
    return peer_av_walk(msg + ti.off, ti.len, peer_find_av, &f) && f.found;
}

/* See peer-util.h. */
const char *peer_flag_names(uint32_t flags)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {
        {PEER_NEGOTIATE_UNICODE, "UNICODE"},
        {PEER_NEGOTIATE_OEM, "OEM"},
        {PEER_REQUEST_TARGET, "REQUEST_TARGET"},
        {PEER_NEGOTIATE_SIGN, "SIGN"},
        {PEER_NEGOTIATE_SEAL, "SEAL"},
        {PEER_NEGOTIATE_LM_KEY, "LM_KEY"},
        {PEER_NEGOTIATE_NTLM, "NTLM"},
        {PEER_NEGOTIATE_ALWAYS_SIGN, "ALWAYS_SIGN"},
        {PEER_NEGOTIATE_EXTENDED_SESSIONSECURITY, "ESS"},
        {PEER_NEGOTIATE_TARGET_INFO, "TARGET_INFO"},
        {PEER_NEGOTIATE_VERSION, "VERSION"},
        {PEER_NEGOTIATE_128, "128"},
        {PEER_NEGOTIATE_KEY_EXCH, "KEY_EXCH"},
        {PEER_NEGOTIATE_56, "56"},
    };
    static char bufs[4][256];
    static unsigned next;
    char *buf = bufs[next++ % 4];
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].bit)
            o +=
                (size_t)snprintf(buf + o, sizeof(bufs[0]) - o, "%s%s", o ? "|" : "", names[i].name);
    snprintf(buf + o, sizeof(bufs[0]) - o, " (0x%08x)", flags);
    return buf;
}
