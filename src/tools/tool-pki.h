/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tool-pki.h - a throwaway PKI for TLS packages (tool-pki.c).
 */
#ifndef LIBSSPI_TOOL_PKI_H
#define LIBSSPI_TOOL_PKI_H

#include <stdbool.h>

/* Files of the PKI, under dir; each certificate file holds its key too. */
struct tool_pki {
    char dir[256];
    char ca[300];       /* CA certificate (PEM) */
    char server[300];   /* localhost + 127.0.0.1 certificate and key */
    char client[300];   /* client certificate and key, CN=client */
    char expired[300];  /* localhost certificate that expired */
    char wrong[300];    /* certificate for another.example */
    char rogue_ca[300]; /* another CA, trusted by nobody */
    char rogue[300];    /* localhost certificate signed by rogue_ca */
    char self[300];     /* self-signed localhost / client certificate */
};

/* Make the PKI (ECDSA P-256 keys) in a new temporary directory; false on
 * failure. */
bool tool_pki_make(struct tool_pki *pki);
/* Remove its files and directory. */
void tool_pki_remove(struct tool_pki *pki);

#endif
