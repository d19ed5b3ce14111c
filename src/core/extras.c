/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * extras.c - the libsspi.h extensions: version, status names and
 * messages, configuration reload and the package report.
 */
#include <config.h>

#include "core/core.h"
#include "core/loader.h"

#define SSPI_EXPORT __attribute__((visibility("default")))

/* The release number from configure (PACKAGE_VERSION). */
SSPI_EXPORT const char *libsspi_version(void)
{
    return PACKAGE_VERSION;
}

/* Never NULL: "UNKNOWN" for values not in sspi-status.h. */
SSPI_EXPORT const char *libsspi_status_name(SECURITY_STATUS s)
{
    const char *name = sspi_status_name(s);

    return name ? name : "UNKNOWN";
}

/* Never NULL. */
SSPI_EXPORT const char *libsspi_status_message(SECURITY_STATUS s)
{
    const char *msg = sspi_status_message(s);

    return msg ? msg : "Unknown status code";
}

/* Loads modules added to the configuration; loaded packages stay.
 * SEC_E_OK or SEC_E_INSUFFICIENT_MEMORY. */
SSPI_EXPORT SECURITY_STATUS libsspi_reload_config(void)
{
    return sspi_registry_reload();
}

/* SEC_E_INVALID_PARAMETER for NULL arguments, else see
 * sspi_registry_report. */
SSPI_EXPORT SECURITY_STATUS libsspi_query_packages(uint32_t *pcReports,
                                                   LIBSSPI_PACKAGE_REPORT **ppReports)
{
    if (pcReports == NULL || ppReports == NULL)
        return SEC_E_INVALID_PARAMETER;
    return sspi_registry_report(pcReports, ppReports);
}
