/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client-memory.c - fault-tolerant copies from and to caller memory.
 *
 * On Windows a package reads a caller's structures through LSA's
 * CopyFromClientBuffer, which fails with STATUS_ACCESS_VIOLATION instead of
 * crashing.  Here the caller is the same process, so the kernel does the
 * copy: process_vm_readv/writev on our own pid report EFAULT for bytes that
 * are unmapped or protected.  Where a seccomp policy refuses those calls, a
 * pipe does the same job (write() and read() also fail with EFAULT).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/identity-core.h"

/* 0: try process_vm_*; 1: they are refused here, use a pipe. */
static atomic_int use_pipe;

static bool vm_copy(bool write, void *ours, void *theirs, size_t len, bool *refused)
{
    struct iovec local = {ours, len}, remote = {theirs, len};
    ssize_t n;

    *refused = false;
    do {
        n = write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
                  : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == ENOSYS || errno == EPERM))
        *refused = true;
    return n >= 0 && (size_t)n == len;
}

/* Move `len` bytes from `from` to `to` through a pipe, in pieces the pipe
 * holds without blocking.  Either side may be the caller's memory. */
static bool pipe_copy(void *to, const void *from, size_t len)
{
    int fd[2];
    bool ok = true;

    if (pipe2(fd, O_CLOEXEC) != 0)
        return false;
    for (size_t done = 0; ok && done < len;) {
        size_t chunk = len - done < 4096 ? len - done : 4096;
        ssize_t w = write(fd[1], (const char *)from + done, chunk);
        ssize_t r = w > 0 ? read(fd[0], (char *)to + done, (size_t)w) : -1;

        ok = w == (ssize_t)chunk && r == w;
        done += chunk;
    }
    close(fd[0]);
    close(fd[1]);
    return ok;
}

static bool copy(bool write, void *ours, void *theirs, size_t len)
{
    bool refused;

    if (len == 0)
        return true;
    if (theirs == NULL)
        return false;
    if (!atomic_load_explicit(&use_pipe, memory_order_relaxed)) {
        if (vm_copy(write, ours, theirs, len, &refused))
            return true;
        if (!refused)
            return false;
        atomic_store_explicit(&use_pipe, 1, memory_order_relaxed);
        sspi_trace("process_vm_readv refused (%s): caller memory is copied through a pipe",
                   strerror(errno));
    }
    return write ? pipe_copy(theirs, ours, len) : pipe_copy(ours, theirs, len);
}

bool sspi_client_read(void *dst, const void *src, size_t len)
{
    return copy(false, dst, (void *)src, len);
}

bool sspi_client_write(void *dst, const void *src, size_t len)
{
    return copy(true, (void *)src, dst, len);
}

const struct sspi_identity_source sspi_client_identity_source = {
    .max_size = SIZE_MAX,
    .read = sspi_client_read,
    .decrypt = sspi_identity_unseal_field,
};
