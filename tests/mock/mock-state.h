/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mock-state.h - what the test packages in tests/mock record about the
 * calls the library made into them.
 *
 * Every mock module exports one `struct mock_state mock_state`.  A test
 * reaches it with dlopen(path, RTLD_NOW | RTLD_NOLOAD) on the module the
 * library already loaded, then dlsym("mock_state").  The mocks never link
 * libsspi; this header only uses fixed-width types so both sides agree.
 *
 * Anything the library does that a well-behaved host must never do (a call
 * with a handle the package never issued, a user-mode call after the
 * context was deleted, a delete while a message call is still running, a
 * user-mode table used for the wrong package ...) increments `violations`
 * and leaves a description in `violation_text`.
 */
#ifndef LIBSSPI_TESTS_MOCK_STATE_H
#define LIBSSPI_TESTS_MOCK_STATE_H

#include <stdint.h>

#define MOCK_STATE_MAGIC  0x4d4f434bu /* "MOCK" */
#define MOCK_MAX_PACKAGES 4

/* Attribute numbers the mocks answer in QueryContextAttributes. */
#define MOCK_ATTR_SIDE 0x7f000001u /* uint32_t: 1 client, 2 server */

/* Tokens of the mock handshake (client NEGOTIATE, server CHALLENGE,
 * client AUTHENTICATE); each is the tag followed by one key byte. */
#define MOCK_TOKEN_LEN 16
#define MOCK_SIG_LEN   32

/* A principal, target name or message starting with this prefix followed
 * by 8 hex digits makes the package return that status. */
#define MOCK_STATUS_PREFIX "!ST:"

/* Client target names that give the new context a special behaviour. */
#define MOCK_TARGET_FAIL_USER_INIT "fail-user-init" /* SpInitUserModeContext fails */
#define MOCK_TARGET_NULL_NAMES     "null-names"     /* NAMES: sUserName NULL */
#define MOCK_TARGET_BAD_NAMES      "bad-names"      /* NAMES: invalid UTF-16 */
/* SpInitUserModeContext frees PackedContext->pvBuffer with FreeContextBuffer,
 * as Microsoft documents it and Microsoft's own packages do. */
#define MOCK_TARGET_FREE_PACKED "free-packed"
/* Broken packages: the host must contain what they hand back. */
#define MOCK_TARGET_STATIC_CTXDATA "static-ctxdata" /* ContextData in read-only memory */
#define MOCK_TARGET_SHORT_CTXDATA  "short-ctxdata"  /* cbBuffer beyond its heap block */
#define MOCK_TARGET_LONG_TOKEN     "long-token"     /* leg 1: cbBuffer beyond the buffer */
#define MOCK_TARGET_RETYPE_TOKEN   "retype-token"   /* leg 1: output type changed */
#define MOCK_PROVIDER_TOKEN        ((void *)(uintptr_t)0x5eed) /* its context token */
#define MOCK_TARGET_FOREIGN_TOKEN  "foreign-token" /* leg 1: pvBuffer to static memory */

struct mock_pkg_record {
    char name[64];

    /* SpInitialize */
    uint32_t initialize_calls;
    uint64_t package_id;
    uint32_t params_present;
    uint32_t params_version;
    uint32_t params_machine_state;
    uint32_t lsa_present;
    uint32_t lsa_null_slots; /* NULL entries in LSA_SECPKG_FUNCTION_TABLE */
    uint32_t lsa_heap_ok;    /* AllocateLsaHeap gave zeroed, writable memory */
    int32_t create_logon_session_status;
    uint32_t getinfo_calls;

    /* SpSetExtendedInformation(SecpkgLibsspiConfig) */
    uint32_t config_calls;
    uint32_t config_setting_count;
    char config_settings[1024]; /* "key=value\n" per setting */
    char config_file[512];

    /* SpUserModeInitialize / SpInstanceInit */
    uint32_t instance_init_calls;
    uint32_t instance_version;
    uint32_t dll_present;
    uint32_t dll_heap_ok;

    /* SpAcquireCredentialsHandle */
    uint32_t ach_calls;
    uint32_t principal_present;
    char principal[256]; /* UTF-8 of the UNICODE_STRING */
    uint16_t principal_length;
    uint16_t principal_maximum;
    uint32_t cred_use;
    uint32_t authdata_present;
    uint32_t identity_flags;
    char identity_user[64];
    char identity_domain[64];
    char identity_password[64];
    uint8_t call_info_ok;
    uint32_t call_attributes;
    uint32_t call_process_id;
    int32_t client_info_status;
    uint32_t client_process_id;

    /* SpInitLsaModeContext / SpAcceptLsaModeContext */
    uint32_t isc_calls;
    uint32_t asc_calls;
    uint32_t target_present;
    char target[256];
    uint16_t target_length;
    uint32_t context_req;
    uint32_t isc_ansi_calls; /* calls that saw SECPKG_CALL_ANSI */

    /* MappedContext -> SpInitUserModeContext */
    uint32_t init_user_mode_calls;
    uint32_t init_user_mode_data_ok;
    uint32_t init_user_mode_freed_packed; /* FreeContextBuffer(packed) == SEC_E_OK */

    /* Per-message calls: the last arguments seen. */
    uint32_t sign_calls;
    uint32_t verify_calls;
    uint32_t seal_calls;
    uint32_t unseal_calls;
    uint32_t qca_calls;
    uint32_t last_qop;
    uint32_t last_seq;
    uint64_t last_desc; /* SecBufferDesc pointer */
    uint64_t last_pbuffers;
    uint32_t last_cbuffers;
    uint32_t last_pfqop_null;

    uint32_t export_calls;
    uint32_t import_calls;
    uint32_t user_delete_calls;
    uint32_t lsa_delete_calls;
    uint32_t set_context_attr_calls;
    uint32_t live_contexts;
    uint32_t live_credentials;

    /* mock-reenter: statuses of the SSPI calls its SpInitialize makes. */
    uint32_t reenter_calls;
    int32_t reenter_enumerate;   /* EnumerateSecurityPackagesW */
    uint32_t reenter_enumerated; /* packages it returned */
    int32_t reenter_query;       /* QuerySecurityPackageInfoW(own name) */
    int32_t reenter_add;         /* AddSecurityPackageA($MOCK_REENTER_ADD) */
    int32_t reenter_reload;      /* libsspi_reload_config */

    /* mock-provider: its Impersonate/RevertSecurityContext and
     * QuerySecurityContextToken (MOCK_PROVIDER_TOKEN). */
    uint32_t prov_impersonate_calls;
    uint32_t prov_revert_calls;
    uint32_t prov_token_calls;

    /* SpAcquireCredentialsHandle, continued: the pAuthData pointer the
     * package received, the form the shared parser read (enum
     * sspi_identity_form) and its status. */
    uint64_t authdata_ptr;
    uint32_t identity_form;
    int32_t identity_status;
};

/* mock-wrapper: what the wrapping package saw of the host services. */
#define MOCK_ATTR_WRAP_VIA_SERVICES                                                                \
    0x7f000002u /* ULONG: 1 = per-message calls                                                    \
                   through the services' calls,                                                    \
                   0 = through GetMessageTarget */
#define MOCK_WRAP_BAD_MAX       16
#define MOCK_TARGET_WRAP_BAD    "wrap-bad-handles" /* ISC runs the bad-handle battery */
#define MOCK_TARGET_WRAP_THREAD "wrap-thread"      /* ISC enumerates from its own thread */

struct mock_wrap_record {
    uint32_t host_calls; /* SetExtendedInformation(SecpkgLibsspiHost) */
    uint32_t host_version;
    uint32_t host_size;
    int32_t load_enumerate; /* services called during that call (loading) */
    int32_t load_acquire;
    uint32_t enumerate_calls;
    int32_t enumerate_status;
    uint32_t enumerated; /* packages EnumeratePackages listed */
    uint32_t saw_self;   /* MockWrap among them */
    uint32_t saw_inner;
    char order[256];       /* "Name:MechOidLength" of each, comma-separated, in order */
    uint8_t inner_oid[40]; /* the inner package's MechOid */
    uint32_t inner_oid_len;
    uint32_t inner_id;
    int32_t self_acquire;           /* AcquireCredentialsHandle of its own name */
    int32_t target_status;          /* the last GetMessageTarget */
    uint32_t service_calls;         /* per-message calls made through the services */
    int32_t bad[MOCK_WRAP_BAD_MAX]; /* the bad-handle battery, in order */
    uint32_t bad_count;
    int32_t thread_enumerate; /* EnumeratePackages from the package's thread */
    uint32_t thread_saw_self;
    uint32_t live_contexts;
    uint32_t live_credentials;
};

struct mock_state {
    uint32_t magic;
    uint32_t package_count;
    uint32_t lsa_init_calls;
    uint32_t user_init_calls;
    uint32_t violations;
    char violation_text[256];
    struct mock_pkg_record pkg[MOCK_MAX_PACKAGES];
    struct mock_wrap_record wrap;
};

#endif
