/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config-accounts.h - the sspi.conf settings about accounts: the machine's
 * domain and realm (GetUserNameEx, GetComputerObjectName, LSA logon
 * sessions), how authenticated names map to local accounts, and what
 * ImpersonateSecurityContext does (sspi.conf(5)).
 *
 * Pure parsing, like config.c: values are checked and stored, nothing is
 * looked up.  Global keys (before the first [module]):
 *   domain = NAME            NetBIOS domain of this machine and its users
 *   realm = NAME             DNS domain / Kerberos realm
 *   impersonation = auto | switch | track | refuse
 *   account_strip = local | all | none
 *   account_separator = C    one ASCII punctuation character (default '\')
 *   account_map = REMOTE = LOCAL   (repeatable; REMOTE compared
 *                                   case-insensitively)
 */
#ifndef LIBSSPI_CORE_CONFIG_ACCOUNTS_H
#define LIBSSPI_CORE_CONFIG_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

enum sspi_impersonation_mode {
    SSPI_IMPERSONATION_AUTO = 0, /* switch when permitted and mapped, else track */
    SSPI_IMPERSONATION_SWITCH,   /* switch the thread's file identity, or fail */
    SSPI_IMPERSONATION_TRACK,    /* record the identity only */
    SSPI_IMPERSONATION_REFUSE,   /* SEC_E_NO_IMPERSONATION */
};

enum sspi_account_strip {
    SSPI_STRIP_LOCAL = 0, /* drop only this machine's domain/realm qualifiers */
    SSPI_STRIP_ALL,       /* drop every qualifier */
    SSPI_STRIP_NONE,      /* look names up as qualified */
};

struct sspi_account_map {
    char *remote; /* authenticated name, e.g. "EXAMPLE\alice" or "alice@EXAMPLE.COM" */
    char *local;  /* local account name */
};

struct sspi_conf_accounts {
    char *domain; /* NULL: not configured */
    char *realm;  /* NULL: not configured */
    enum sspi_impersonation_mode impersonation;
    enum sspi_account_strip strip;
    char separator; /* 0: '\' */
    struct sspi_account_map *map;
    size_t nmap;
    unsigned seen; /* keys already given (duplicate diagnostics) */
};

/* Whether `key` is one of the keys above. */
__attribute__((visibility("hidden"))) bool sspi_conf_accounts_is_key(const char *key);

/*
 * Apply `key = value`.  Returns NULL when all is well, else a diagnostic
 * (written into why[whylen]) for the caller to report as file:line: a bad
 * value (the setting is left as it was) or a duplicate key (the last value
 * is used).  Out of memory is reported as a diagnostic too.
 */
__attribute__((visibility("hidden"))) const char *
sspi_conf_accounts_set(struct sspi_conf_accounts *a, const char *key, const char *value, char *why,
                       size_t whylen);

/* Free what the settings hold and zero them (defaults). */
__attribute__((visibility("hidden"))) void sspi_conf_accounts_free(struct sspi_conf_accounts *a);

/* The keyword of a mode or strip rule, for traces. */
__attribute__((visibility("hidden"))) const char *
sspi_impersonation_mode_name(enum sspi_impersonation_mode m);

#endif
