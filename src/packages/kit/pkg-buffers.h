/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-buffers.h - finding the caller's buffers by type, with one answer
 * for each kind of bad input.
 *
 * Types are compared without the attribute bits (SECBUFFER_ATTRMASK), so a
 * SECBUFFER_DATA | SECBUFFER_READONLY buffer is a DATA buffer.  Nothing
 * here allocates except pkg_output_token and pkg_output_space with
 * ALLOCATE_MEMORY, so the per-message helpers are safe on the hot path.
 *
 * Status choices (the Windows NTLM answers, verified on Windows):
 *   handshake input: no SECBUFFER_TOKEN, a TOKEN with no memory or empty
 *                                                  SEC_E_INVALID_TOKEN
 *   handshake output: no descriptor, no SECBUFFER_TOKEN (e.g. only a
 *                     DATA buffer), a TOKEN too small  SEC_E_BUFFER_TOO_SMALL
 *                     (cbBuffer left as it was)
 *                     a TOKEN with no memory and no ALLOCATE_MEMORY
 *                                                  SEC_E_INTERNAL_ERROR
 *   messages: NULL descriptor, no buffers, a DATA/TOKEN/PADDING/STREAM/
 *             STREAM_HEADER/STREAM_TRAILER buffer whose cbBuffer > 0 has no
 *             memory, more than PKG_MAX_DATA DATA buffers
 *                                                  SEC_E_INVALID_TOKEN
 */
#ifndef LIBSSPI_PKG_BUFFERS_H
#define LIBSSPI_PKG_BUFFERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"

/* Most SECBUFFER_DATA buffers one message may carry (the host allows 64
 * buffers in all). */
#define PKG_MAX_DATA 64

/* The buffer type without attribute bits. */
static inline uint32_t pkg_buffer_type(const SecBuffer *b)
{
    return b->BufferType & ~(uint32_t)SECBUFFER_ATTRMASK;
}

/* SECBUFFER_READONLY or SECBUFFER_READONLY_WITH_CHECKSUM: sign, never
 * write. */
static inline bool pkg_buffer_readonly(const SecBuffer *b)
{
    return (b->BufferType & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM)) != 0;
}

/* The first buffer of `type` in `desc`, or NULL (also for a NULL desc or
 * NULL pBuffers). */
PSecBuffer pkg_buffer_find(PSecBufferDesc desc, uint32_t type);

/* How many buffers of `type` `desc` holds. */
uint32_t pkg_buffer_count(PSecBufferDesc desc, uint32_t type);

/*
 * The input SECBUFFER_TOKEN of a handshake leg: *data and *len point into the
 * caller's buffer.  SEC_E_INVALID_TOKEN if there is none, it has no memory
 * or it is empty.
 */
SECURITY_STATUS pkg_input_token(PSecBufferDesc in, const uint8_t **data, size_t *len);

/*
 * Hand a handshake token to the caller through the first SECBUFFER_TOKEN
 * of `out`: copied into the caller's memory, or, when that buffer has none
 * and `context_req` has ISC_REQ_ALLOCATE_MEMORY (= ASC_REQ_ALLOCATE_MEMORY),
 * into a block from AllocateLsaHeap that the caller frees with
 * FreeContextBuffer (libsspi itself pre-allocates cbMaxToken, so a package
 * normally sees memory either way).  cbBuffer is set to `len`.  Statuses
 * as at the top of this file; SEC_E_INSUFFICIENT_MEMORY.
 */
SECURITY_STATUS pkg_output_token(PSecBufferDesc out, ULONG context_req, const void *data,
                                 size_t len);

/*
 * pkg_output_token for a package that writes its token in place: *room
 * gets `len` writable bytes in the same buffer pkg_output_token would
 * copy into (the caller's, or a new AllocateLsaHeap block), and cbBuffer
 * is set to `len`; the package then writes exactly `len` bytes there.
 * Statuses as pkg_output_token.
 */
SECURITY_STATUS pkg_output_space(PSecBufferDesc out, ULONG context_req, size_t len, uint8_t **room);

/*
 * Check that `out` can take a token of `len` bytes without writing it
 * (the same statuses as pkg_output_token, which a package calls before it
 * changes any state so a failing leg leaves the context as it was).
 */
SECURITY_STATUS pkg_output_check(PSecBufferDesc out, ULONG context_req, size_t len);

/* Tell the caller there is no token to send: cbBuffer of the output
 * SECBUFFER_TOKEN (if any) becomes 0. */
void pkg_output_none(PSecBufferDesc out);

/*
 * Stream packages: after consuming `used` of `total` input bytes, turn the
 * first SECBUFFER_EMPTY input buffer into SECBUFFER_EXTRA with cbBuffer =
 * total - used (nothing when all was used); pkg_input_missing turns it into
 * SECBUFFER_MISSING with cbBuffer = `needed` (SEC_E_INCOMPLETE_MESSAGE).
 * No-ops without such a buffer.
 */
void pkg_input_extra(PSecBufferDesc in, size_t used, size_t total);
void pkg_input_missing(PSecBufferDesc in, size_t needed);

/*
 * The layout of a per-message call (MakeSignature, VerifySignature,
 * EncryptMessage, DecryptMessage): the first buffer of each single-use
 * type and every DATA buffer in order.  Lives on the caller's stack.
 */
struct pkg_message {
    PSecBuffer token, padding, stream, header, trailer;
    uint32_t ndata;
    PSecBuffer data[PKG_MAX_DATA];
};

/* Fill *m from `desc`.  SEC_E_INVALID_TOKEN as at the top of this file. */
SECURITY_STATUS pkg_message_parse(PSecBufferDesc desc, struct pkg_message *m);

/*
 * The message's SECBUFFER_TOKEN if it holds at least `min` bytes.
 * SEC_E_INVALID_TOKEN without one; `short_status` when it is smaller
 * (packages differ: SEC_E_BUFFER_TOO_SMALL when producing, and NTLM also
 * when checking; Sample SEC_E_INVALID_TOKEN when checking).
 */
SECURITY_STATUS pkg_message_token(const struct pkg_message *m, size_t min,
                                  SECURITY_STATUS short_status, PSecBuffer *token);

#endif
