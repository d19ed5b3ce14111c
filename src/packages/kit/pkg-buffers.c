/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-buffers.c - buffer finding for handshakes and messages, with the
 * bad-input statuses listed in pkg-buffers.h.
 */
#include <string.h>

#include "packages/kit/pkg-buffers.h"
#include "packages/kit/pkg-entry.h"

PSecBuffer pkg_buffer_find(PSecBufferDesc desc, uint32_t type)
{
    if (desc == NULL || desc->pBuffers == NULL)
        return NULL;
    for (uint32_t i = 0; i < desc->cBuffers; i++)
        if (pkg_buffer_type(&desc->pBuffers[i]) == type)
            return &desc->pBuffers[i];
    return NULL;
}

uint32_t pkg_buffer_count(PSecBufferDesc desc, uint32_t type)
{
    uint32_t n = 0;

    if (desc == NULL || desc->pBuffers == NULL)
        return 0;
    for (uint32_t i = 0; i < desc->cBuffers; i++)
        if (pkg_buffer_type(&desc->pBuffers[i]) == type)
            n++;
    return n;
}

SECURITY_STATUS pkg_input_token(PSecBufferDesc in, const uint8_t **data, size_t *len)
{
    PSecBuffer b = pkg_buffer_find(in, SECBUFFER_TOKEN);

    if (b == NULL || b->pvBuffer == NULL || b->cbBuffer == 0)
        return SEC_E_INVALID_TOKEN;
    *data = b->pvBuffer;
    *len = b->cbBuffer;
    return SEC_E_OK;
}

/* The output TOKEN buffer, or the status for what is wrong with it. */
static SECURITY_STATUS output_buffer(PSecBufferDesc out, ULONG req, size_t len, PSecBuffer *buf)
{
    PSecBuffer b = pkg_buffer_find(out, SECBUFFER_TOKEN);

    if (b == NULL)
        return SEC_E_BUFFER_TOO_SMALL;
    if (b->pvBuffer == NULL) {
        if (!(req & ISC_REQ_ALLOCATE_MEMORY))
            return SEC_E_INTERNAL_ERROR;
    } else if (b->cbBuffer < len) {
        return SEC_E_BUFFER_TOO_SMALL;
    }
    if (len > UINT32_MAX)
        return SEC_E_INSUFFICIENT_MEMORY;
    *buf = b;
    return SEC_E_OK;
}

SECURITY_STATUS pkg_output_check(PSecBufferDesc out, ULONG context_req, size_t len)
{
    PSecBuffer b;

    return output_buffer(out, context_req, len, &b);
}

SECURITY_STATUS pkg_output_space(PSecBufferDesc out, ULONG context_req, size_t len, uint8_t **room)
{
    PSecBuffer b;
    SECURITY_STATUS st = output_buffer(out, context_req, len, &b);

    if (st != SEC_E_OK)
        return st;
    if (b->pvBuffer == NULL) {
        b->pvBuffer = pkg_alloc(PKG_MODE_LSA, len > 0 ? len : 1);
        if (b->pvBuffer == NULL)
            return SEC_E_INSUFFICIENT_MEMORY;
    }
    b->cbBuffer = (ULONG)len;
    *room = b->pvBuffer;
    return SEC_E_OK;
}

SECURITY_STATUS pkg_output_token(PSecBufferDesc out, ULONG context_req, const void *data,
                                 size_t len)
{
    uint8_t *room;
    SECURITY_STATUS st = pkg_output_space(out, context_req, len, &room);

    if (st == SEC_E_OK && len > 0)
        memcpy(room, data, len);
    return st;
}

void pkg_output_none(PSecBufferDesc out)
{
    PSecBuffer b = pkg_buffer_find(out, SECBUFFER_TOKEN);

    if (b != NULL)
        b->cbBuffer = 0;
}

void pkg_input_extra(PSecBufferDesc in, size_t used, size_t total)
{
    PSecBuffer b = pkg_buffer_find(in, SECBUFFER_EMPTY);

    if (b == NULL || used >= total || total - used > UINT32_MAX)
        return;
    b->BufferType = SECBUFFER_EXTRA;
    b->cbBuffer = (ULONG)(total - used);
}

void pkg_input_missing(PSecBufferDesc in, size_t needed)
{
    PSecBuffer b = pkg_buffer_find(in, SECBUFFER_EMPTY);

    if (b == NULL || needed > UINT32_MAX)
        return;
    b->BufferType = SECBUFFER_MISSING;
    b->cbBuffer = (ULONG)needed;
}

/* Types whose memory a message call reads or writes. */
static bool message_type(uint32_t type)
{
    switch (type) {
    case SECBUFFER_DATA:
    case SECBUFFER_TOKEN:
    case SECBUFFER_PADDING:
    case SECBUFFER_STREAM:
    case SECBUFFER_STREAM_HEADER:
    case SECBUFFER_STREAM_TRAILER:
        return true;
    default:
        return false;
    }
}

/* Keep the first buffer of a single-use type. */
static void keep_first(PSecBuffer *slot, PSecBuffer b)
{
    if (*slot == NULL)
        *slot = b;
}

SECURITY_STATUS pkg_message_parse(PSecBufferDesc desc, struct pkg_message *m)
{
    m->token = m->padding = m->stream = m->header = m->trailer = NULL;
    m->ndata = 0;
    if (desc == NULL || desc->pBuffers == NULL || desc->cBuffers == 0)
        return SEC_E_INVALID_TOKEN;
    for (uint32_t i = 0; i < desc->cBuffers; i++) {
        PSecBuffer b = &desc->pBuffers[i];
        uint32_t type = pkg_buffer_type(b);

        if (message_type(type) && b->cbBuffer > 0 && b->pvBuffer == NULL)
            return SEC_E_INVALID_TOKEN;
        switch (type) {
        case SECBUFFER_DATA:
            if (m->ndata == PKG_MAX_DATA)
                return SEC_E_INVALID_TOKEN;
            m->data[m->ndata++] = b;
            break;
        case SECBUFFER_TOKEN:
            keep_first(&m->token, b);
            break;
        case SECBUFFER_PADDING:
            keep_first(&m->padding, b);
            break;
        case SECBUFFER_STREAM:
            keep_first(&m->stream, b);
            break;
        case SECBUFFER_STREAM_HEADER:
            keep_first(&m->header, b);
            break;
        case SECBUFFER_STREAM_TRAILER:
            keep_first(&m->trailer, b);
            break;
        default:
            break;
        }
    }
    return SEC_E_OK;
}

SECURITY_STATUS pkg_message_token(const struct pkg_message *m, size_t min,
                                  SECURITY_STATUS short_status, PSecBuffer *token)
{
    if (m->token == NULL)
        return SEC_E_INVALID_TOKEN;
    if (m->token->cbBuffer < min || (min > 0 && m->token->pvBuffer == NULL))
        return short_status;
    *token = m->token;
    return SEC_E_OK;
}
