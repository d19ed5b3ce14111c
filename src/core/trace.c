/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trace.c - the LIBSSPI_DEBUG log: one line per event, written with a single
 * write(2) so lines from several threads never interleave.
 *
 * Tracing is configured once (sspi_trace_configure, called while the
 * registry initialises): LIBSSPI_DEBUG (secure_getenv) wins over the
 * configuration's `debug =` key; "stderr" means file descriptor 2, anything
 * else is a file opened for appending (O_CLOEXEC, created mode 0600).
 * Logging never blocks the caller: the file is opened with O_NONBLOCK, so a
 * FIFO without a reader is refused at once and a full one drops lines.
 * Nothing here ever receives secrets: callers pass names, handles, flags
 * and statuses only.  Every line is escaped (common/escape.h) before it is
 * written: a package name or reason with ESC, a newline or a bidi control
 * cannot forge or disguise log lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/escape.h"
#include "core/core.h"
#include "core/loader.h"

#define TRACE_LINE_MAX 2048

atomic_bool sspi_trace_on;

static int trace_fd = -1;
static pthread_once_t trace_once = PTHREAD_ONCE_INIT;
static const char *trace_config_value;

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return; /* EAGAIN included: a full pipe loses the line */
        }
        buf += n;
        len -= (size_t)n;
    }
}

static void trace_setup(void)
{
    const char *dest = secure_getenv("LIBSSPI_DEBUG");
    int fd;

    if (dest == NULL || dest[0] == '\0')
        dest = trace_config_value;
    if (dest == NULL || dest[0] == '\0')
        return;
    if (strcmp(dest, "stderr") == 0) {
        fd = STDERR_FILENO;
    } else {
        fd = open(dest, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
        if (fd < 0) {
            char msg[512];
            int n = snprintf(msg, sizeof(msg), "libsspi[%ld]: cannot open debug log %s: %s\n",
                             (long)getpid(), dest, strerror(errno));

            if (n > 0)
                write_all(STDERR_FILENO, msg,
                          (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
            return;
        }
    }
    trace_fd = fd;
    atomic_store(&sspi_trace_on, true);
}

/* Called once the configuration is read (load lock); pthread_once makes
 * later calls no-ops, so tracing is fixed for the life of the process. */
void sspi_trace_configure(const char *config_value)
{
    trace_config_value = config_value;
    pthread_once(&trace_once, trace_setup);
    trace_config_value = NULL;
}

static void trace_vwrite(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static void trace_vwrite(const char *fmt, va_list ap)
{
    char msg[TRACE_LINE_MAX], line[TRACE_LINE_MAX + 2];
    size_t len, need;
    int n;

    if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
        return;
    n = snprintf(line, sizeof(line), "libsspi[%ld]: ", (long)getpid());
    if (n < 0)
        return;
    len = (size_t)n;
    need = sspi_escape_text(msg, line + len, TRACE_LINE_MAX - len);
    if (len + need >= TRACE_LINE_MAX) {
        len = strlen(line);
        memcpy(line + len - 3, "...", 3);
    } else {
        len += need;
    }
    line[len++] = '\n';
    write_all(trace_fd, line, len);
}

/* Any thread; nothing happens unless tracing is on.  Long lines are cut
 * at TRACE_LINE_MAX bytes. */
void sspi_trace(const char *fmt, ...)
{
    va_list ap;

    if (!sspi_trace_enabled())
        return;
    va_start(ap, fmt);
    trace_vwrite(fmt, ap);
    va_end(ap);
}

/* CLOCK_MONOTONIC; any thread. */
uint64_t sspi_trace_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Any thread; handle halves printed in hex as dwLower:dwUpper. */
void sspi_trace_call(const char *function, const char *package, const SecHandle *handle,
                     const char *flags_text, SECURITY_STATUS status, uint64_t t0_ns)
{
    const char *name;
    char hbuf[48];
    uint64_t now;

    if (!sspi_trace_enabled())
        return;
    now = sspi_trace_now_ns();
    name = sspi_status_name(status);
    if (handle != NULL)
        snprintf(hbuf, sizeof(hbuf), "%#" PRIxPTR ":%#" PRIxPTR, (uintptr_t)handle->dwLower,
                 (uintptr_t)handle->dwUpper);
    else
        snprintf(hbuf, sizeof(hbuf), "-");
    sspi_trace("%s package=%s handle=%s flags=%s -> %s (0x%08" PRIx32 ") %" PRIu64 " us",
               function ? function : "?", package != NULL ? package : "-", hbuf,
               flags_text && flags_text[0] ? flags_text : "-", name ? name : "UNKNOWN",
               (uint32_t)status, now >= t0_ns ? (now - t0_ns) / 1000u : 0);
}
