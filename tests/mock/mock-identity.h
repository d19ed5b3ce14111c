/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-identity.h - what the "MockIdentity" test package (mock-identity.c)
 * records and how tests steer it: the client name its server contexts
 * report (SECPKG_ATTR_NAMES), and its LSA CallPackage slots.
 *
 * A test reaches the exported `mock_identity_state` with dlopen(RTLD_NOLOAD)
 * and dlsym, like mock_state.
 */
#ifndef LIBSSPI_TESTS_MOCK_IDENTITY_H
#define LIBSSPI_TESTS_MOCK_IDENTITY_H

#include <stdint.h>

#define MOCK_IDENTITY_MAGIC 0x4d494454u /* "MIDT" */

/* CallPackage messages: the first uint32_t of the submit buffer. */
enum mock_msg {
    MOCK_MSG_ECHO = 1,         /* reply: a copy of the submit buffer */
    MOCK_MSG_PROTOCOL_FAIL,    /* STATUS_SUCCESS, ProtocolStatus STATUS_NO_SUCH_USER */
    MOCK_MSG_FAIL_WITH_BUFFER, /* allocates a reply, returns STATUS_INVALID_PARAMETER */
    MOCK_MSG_FOREIGN_BUFFER,   /* replies with malloc() memory */
    MOCK_MSG_LENGTH_LIES,      /* 8-byte reply announced as 4096 */
    MOCK_MSG_RELOCATE,         /* struct mock_relocate: reply is the string, relocated */
    MOCK_MSG_PASSTHROUGH,      /* calls its own CallPackagePassthrough through the LSA */
    MOCK_MSG_SCRIBBLE,         /* overwrites the submit buffer, replies nothing */
    MOCK_MSG_CALL_INFO,        /* reply: uint32_t GetCallInfo attributes */
};

/* MOCK_MSG_RELOCATE: a UNICODE_STRING whose Buffer points into the
 * caller's submit buffer, as KERB_RETRIEVE_TKT_REQUEST.TargetName does. */
struct mock_relocate {
    uint32_t type;
    uint32_t pad;
    uint16_t length; /* bytes */
    uint16_t maximum;
    uint32_t pad2;
    uint64_t buffer; /* the caller's address of the characters */
    uint16_t chars[32];
};

struct mock_identity_state {
    uint32_t magic;
    char server_name[128]; /* NAMES of server contexts; "" keeps the engine's */
    uint32_t calls;        /* CallPackage */
    uint32_t untrusted_calls;
    uint32_t passthrough_calls;
    uint64_t last_submit;      /* ProtocolSubmitBuffer the package got */
    uint64_t last_client_base; /* ClientBufferBase the package got */
    uint32_t last_length;
    uint64_t foreign; /* the malloc() block of MOCK_MSG_FOREIGN_BUFFER */
};

#endif
