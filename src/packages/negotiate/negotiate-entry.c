/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * negotiate-entry.c - the exported SSP/AP entry points of the Negotiate
 * package (SpLsaModeInitialize, SpUserModeInitialize), defined by the
 * package kit from the descriptor in negotiate-package.c.
 */
#include "config.h"

#include "packages/negotiate/negotiate.h"

PKG_MODULE(&negotiate_package)
