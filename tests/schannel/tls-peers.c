/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls-peers.c - see tls-peers.h.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/schannel/tls-peers.h"

bool tls_have(const char *tool)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

int tls_free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static bool tls_port_open(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;

    close(fd);
    return ok;
}

pid_t tls_peer_start(const char *conf, int port, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    pid_t pid;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        setenv("LIBSSPI_CONFIG", conf, 1);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && !tls_port_open(port); i++)
        usleep(50000);
    ck_assert_msg(tls_port_open(port), "peer did not listen: %s", cmd);
    return pid;
}

void tls_peer_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

int tls_run(const char *conf, const char *fmt, ...)
{
    char cmd[4096], full[8192];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (conf != NULL)
        snprintf(full, sizeof(full), "LIBSSPI_CONFIG='%s' timeout 30 sh -c \"%s\"", conf, cmd);
    else
        snprintf(full, sizeof(full), "timeout 30 sh -c \"%s\"", cmd);
    st = system(full);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *tls_slurp(const char *dir, const char *name)
{
    char path[1024];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (f == NULL)
        return strdup("");
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = calloc(1, (size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        buf[0] = '\0';
    fclose(f);
    return buf;
}
