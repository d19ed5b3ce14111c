/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsspi.h - libsspi extensions to the Windows SSPI.
 *
 * Functions that have no Windows counterpart: the library version, names
 * and one-line meanings of status codes, configuration reload and a
 * report of the packages the library tried to load (what "sspi list"
 * shows).
 */
#ifndef LIBSSPI_LIBSSPI_H
#define LIBSSPI_LIBSSPI_H

#include "sspi.h"
#include "wincrypt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the library version ("1.2.3"); a static string. */
const char *libsspi_version(void);

/*
 * Returns the symbolic name of a SECURITY_STATUS or NTSTATUS value
 * ("SEC_E_OK", "SEC_I_CONTINUE_NEEDED", "STATUS_NO_MEMORY", ...), or
 * "UNKNOWN".  A static string; never NULL.
 */
const char *libsspi_status_name(SECURITY_STATUS s);

/* Returns a one-line English meaning of the status; a static string, never NULL. */
const char *libsspi_status_message(SECURITY_STATUS s);

/*
 * Re-reads the configuration and loads packages that were added to it;
 * packages already loaded stay loaded and receive their module block's
 * option.* settings as the file now has them (a setting removed from the
 * file goes back to its default).  Returns SEC_E_OK, or the first error met
 * while reading it.
 */
SECURITY_STATUS libsspi_reload_config(void);

/* LIBSSPI_PACKAGE_REPORT.Shape */
#define LIBSSPI_SHAPE_SSPAP    1 /* exports SpLsaModeInitialize / SpUserModeInitialize */
#define LIBSSPI_SHAPE_PROVIDER 2 /* exports InitSecurityInterfaceW / A */

/* One package, or one module that failed before naming its packages. */
typedef struct LIBSSPI_PACKAGE_REPORT {
    const char *Name; /* UTF-8 package name, NULL if the module failed before naming */
    const char *Comment;
    const char *Module;     /* absolute path of the shared object */
    const char *ConfigFile; /* file that named it, NULL if autoloaded or added at run time */
    uint32_t ConfigLine;
    uint32_t fCapabilities; /* SECPKG_FLAG_* */
    uint16_t wVersion;
    uint16_t wRPCID;
    uint32_t cbMaxToken;
    uint32_t Shape;         /* LIBSSPI_SHAPE_* */
    SECURITY_STATUS Status; /* SEC_E_OK if loaded, else why not */
    const char *Reason;     /* NULL if loaded, else "step: detail" */
} LIBSSPI_PACKAGE_REPORT, *PLIBSSPI_PACKAGE_REPORT;

/*
 * Reports every package the library loaded or failed to load.  On
 * SEC_E_OK, *ppReports is an array of *pcReports entries; one
 * FreeContextBuffer(*ppReports) frees it together with its strings.
 */
SECURITY_STATUS libsspi_query_packages(uint32_t *pcReports, LIBSSPI_PACKAGE_REPORT **ppReports);

/*
 * Makes a certificate context that carries its private key, for Schannel
 * credentials (SCHANNEL_CRED.paCred): the first certificate of `cert_file`
 * (PEM or DER) and the key in `key_file` (PEM or DER; or a "pkcs11:" URI,
 * RFC 7512, the key then stays in its token; or NULL when cert_file holds
 * the key too).  On SEC_E_OK the caller frees *ppCertContext with
 * CertFreeCertificateContext.  SEC_E_UNKNOWN_CREDENTIALS for unreadable
 * or malformed files or a malformed URI, SEC_E_NO_CREDENTIALS when there
 * is no key or it does not belong to the certificate,
 * SEC_E_INVALID_PARAMETER for NULL arguments; *ppCertContext is NULL on
 * failure.
 *
 * A key in a token is opened now (through GnuTLS, in any token a p11-kit
 * registered module offers) and proven to be the certificate's by a test
 * signature; AcquireCredentialsHandle opens it again.  The PIN is the
 * URI's ("?pin-value=PIN", or "?pin-source=FILE" to read it from a file)
 * or comes from the application's gnutls_pkcs11_set_pin_function.  When
 * the token key cannot be used, the thread's last error (GetLastError)
 * says why: NTE_BAD_KEYSET_PARAM (malformed URI, or not a private key),
 * NTE_BAD_KEYSET (no such token or object), SCARD_W_WRONG_CHV (PIN
 * refused or missing), SCARD_W_CHV_BLOCKED (PIN locked or expired),
 * NTE_BAD_PUBLIC_KEY (the key is another certificate's).  The context's
 * CERT_KEY_PROV_INFO names the key by its URI without the query, so
 * without the PIN.
 */
SECURITY_STATUS libsspi_cert_from_files(const char *cert_file, const char *key_file,
                                        PCCERT_CONTEXT *ppCertContext);

#ifdef __cplusplus
}
#endif

#endif /* LIBSSPI_LIBSSPI_H */
