/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * schannel-fiber.c - a client handshake step on a stack of its own, so that
 * GnuTLS's certificate callback can wait for the next
 * InitializeSecurityContext.
 *
 * GnuTLS asks for the client certificate while it reads the server's
 * CertificateRequest (TLS 1.2 and 1.3 alike) and builds the answer in the
 * same gnutls_handshake call; its callback cannot say "later".  A client
 * whose credential has no certificate therefore runs that step on a
 * separate stack (ucontext): when the server asks, the callback switches
 * back to InitializeSecurityContext, which answers
 * SEC_I_INCOMPLETE_CREDENTIALS and leaves the step parked.  The next call
 * switches in again with the certificate of the credential it was given
 * (or none) and the step goes on from inside the callback.
 *
 * No thread is made: GnuTLS 3.7 keeps a random-generator state for every
 * thread that ever drew random bytes until the library is unloaded, so a
 * thread per handshake would grow the process for good.  A parked step
 * may be resumed from another thread (SSPI calls on one context are
 * sequential, not tied to a thread): the GnuTLS frames that sit on the
 * stack in between hold no thread-local state.  The stack is the step's
 * until it ends; a context deleted while parked is unwound first (the
 * callback fails), so GnuTLS frees what it holds.
 * AddressSanitizer, ThreadSanitizer and Valgrind are told of each switch.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "packages/schannel/schannel-pkg.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#include <sanitizer/common_interface_defs.h>
#define SCHAN_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__) || __has_feature(thread_sanitizer)
#include <sanitizer/tsan_interface.h>
#define SCHAN_TSAN 1
#endif
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define SCHAN_VALGRIND 1
#endif
#endif

/* Deep enough for chain verification, signing through a PKCS#11 module,
 * and sanitizer frames; only the pages touched are ever backed. */
#define SCHAN_FIBER_STACK (1024u * 1024u)

/* The mapping: guard page, stack, and the descriptor on top. */
struct schan_stack {
    void *map;
    size_t map_len;
    uint8_t *base;
    size_t len;
    unsigned vg_id; /* Valgrind's name for it */
};

struct schan_fiber {
    ucontext_t self, caller;
    struct schan_stack st;
    struct schan_ctx *ctx;
    int result;  /* gnutls_handshake's, once done */
    bool done;   /* the step returned */
    bool parked; /* waiting in the certificate callback */
    bool abort;  /* the context goes: the callback fails */
#ifdef SCHAN_TSAN
    void *tsan_self, *tsan_caller;
#endif
#ifdef SCHAN_ASAN
    void *asan_fake;
    const void *caller_bottom;
    size_t caller_size;
#endif
};

/* ---- Switches, with what the tools need to know. */

static void schan_fiber_to_self(struct schan_fiber *f)
{
#ifdef SCHAN_ASAN
    void *fake = NULL;

    __sanitizer_start_switch_fiber(&fake, f->st.base, f->st.len);
#endif
#ifdef SCHAN_TSAN
    f->tsan_caller = __tsan_get_current_fiber();
    __tsan_switch_to_fiber(f->tsan_self, 0);
#endif
    swapcontext(&f->caller, &f->self);
#ifdef SCHAN_ASAN
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
}

/* From the step back to InitializeSecurityContext (or whoever resumed it);
 * `last`: the step has ended and is never switched to again. */
static void schan_fiber_to_caller(struct schan_fiber *f, bool last)
{
#ifdef SCHAN_TSAN
    __tsan_switch_to_fiber(f->tsan_caller, 0);
#endif
#ifdef SCHAN_ASAN
    __sanitizer_start_switch_fiber(last ? NULL : &f->asan_fake, f->caller_bottom, f->caller_size);
#else
    (void)last;
#endif
    swapcontext(&f->self, &f->caller);
#ifdef SCHAN_ASAN
    __sanitizer_finish_switch_fiber(f->asan_fake, &f->caller_bottom, &f->caller_size);
#endif
}

static void schan_fiber_main(unsigned lo, unsigned hi)
{
    struct schan_fiber *f = (struct schan_fiber *)(((uintptr_t)hi << 32) | lo);

#ifdef SCHAN_ASAN
    __sanitizer_finish_switch_fiber(NULL, &f->caller_bottom, &f->caller_size);
#endif
    f->result = schan_session_handshake(f->ctx);
    f->done = true;
    schan_fiber_to_caller(f, true);
}

/* ---- Life cycle. */

/* The step's entry on its stack (getcontext returns once here: the
 * context is only ever entered through makecontext's entry). */
static bool schan_fiber_prepare(struct schan_fiber *const f)
{
    if (getcontext(&f->self) != 0)
        return false;
    f->self.uc_stack.ss_sp = f->st.base;
    f->self.uc_stack.ss_size = f->st.len;
    f->self.uc_link = NULL;
    makecontext(&f->self, (void (*)(void))schan_fiber_main, 2, (unsigned)(uintptr_t)f,
                (unsigned)((uintptr_t)f >> 32));
    return true;
}

/* A stack with a guard page below and the descriptor on top. */
static struct schan_fiber *schan_fiber_map(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = SCHAN_FIBER_STACK + page;
    uint8_t *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    struct schan_fiber *f;
    uintptr_t top;

    if (map == MAP_FAILED)
        return NULL;
    if (mprotect(map, page, PROT_NONE) != 0) {
        munmap(map, len);
        return NULL;
    }
    top = ((uintptr_t)(map + len) - sizeof(*f)) & ~(uintptr_t)63;
    f = (struct schan_fiber *)top;
    f->st = (struct schan_stack){map, len, map + page,
                                 (size_t)(top - (uintptr_t)(map + page)) & ~(size_t)15, 0};
#ifdef SCHAN_VALGRIND
    f->st.vg_id = VALGRIND_STACK_REGISTER(f->st.base, f->st.base + f->st.len);
#endif
    return f;
}

static void schan_fiber_unmap(struct schan_fiber *f)
{
#ifdef SCHAN_VALGRIND
    VALGRIND_STACK_DEREGISTER(f->st.vg_id);
#endif
    munmap(f->st.map, f->st.map_len);
}

/* One stack kept from the last step for the next one: mapping it and
 * faulting its pages in cost as much as 5% of a handshake.  Taken and
 * given back with one atomic exchange each; unmapped when the package
 * is unloaded. */
static _Atomic(struct schan_fiber *) schan_spare;

__attribute__((destructor)) static void schan_fiber_unload(void)
{
    struct schan_fiber *f = atomic_exchange(&schan_spare, NULL);

    if (f != NULL)
        schan_fiber_unmap(f);
}

static struct schan_fiber *schan_fiber_new(struct schan_ctx *ctx)
{
    struct schan_fiber *f = atomic_exchange(&schan_spare, NULL);
    struct schan_stack st;

    if (f == NULL && (f = schan_fiber_map()) == NULL)
        return NULL;
    st = f->st;
    memset(f, 0, sizeof(*f));
    f->st = st;
    f->ctx = ctx;
    if (!schan_fiber_prepare(f)) {
        schan_fiber_unmap(f);
        return NULL;
    }
#ifdef SCHAN_TSAN
    f->tsan_self = __tsan_create_fiber(0);
#endif
    return f;
}

static void schan_fiber_free(struct schan_fiber *f)
{
#ifdef SCHAN_TSAN
    __tsan_destroy_fiber(f->tsan_self);
#endif
    f = atomic_exchange(&schan_spare, f);
    if (f != NULL)
        schan_fiber_unmap(f);
}

/* Run until the step returns or parks; free it once it has returned. */
static int schan_fiber_run(struct schan_ctx *ctx)
{
    struct schan_fiber *f = ctx->fiber;
    int r;

    f->parked = false;
    schan_fiber_to_self(f);
    if (!f->done)
        return SCHAN_PARKED;
    r = f->result;
    ctx->fiber = NULL;
    schan_fiber_free(f);
    return r;
}

int schan_fiber_step(struct schan_ctx *ctx)
{
    ctx->fiber = schan_fiber_new(ctx);
    if (ctx->fiber == NULL)
        return GNUTLS_E_MEMORY_ERROR;
    return schan_fiber_run(ctx);
}

int schan_fiber_resume(struct schan_ctx *ctx)
{
    return schan_fiber_run(ctx);
}

void schan_fiber_abort(struct schan_ctx *ctx)
{
    if (ctx->fiber == NULL)
        return;
    ctx->fiber->abort = true;
    ctx->in = (struct schan_in){NULL, 0, 0};
    (void)schan_fiber_run(ctx);
}

bool schan_fiber_parked(const struct schan_ctx *ctx)
{
    return ctx->fiber != NULL && ctx->fiber->parked;
}

bool schan_fiber_park(struct schan_ctx *ctx)
{
    struct schan_fiber *f = ctx->fiber;

    if (f == NULL || f->done || f->parked)
        return true; /* not on a fiber: nobody to ask */
    f->parked = true;
    schan_fiber_to_caller(f, false);
    return !f->abort;
}
