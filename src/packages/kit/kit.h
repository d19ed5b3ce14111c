/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kit.h - the package kit: everything an SSP/AP package built into
 * libsspi shares with the others.  Linked statically into each package
 * (libsspi-pkgkit.la), never into libsspi.so; a package reaches the core
 * only through the tables the host hands it.
 *
 *   pkg-entry.h     descriptor, exported entry points, host tables, memory
 *   pkg-handle.h    credential/context objects and their two-sided lifetime
 *   pkg-calls.h     handshake legs, per-message calls and deletes run by the kit
 *   pkg-identity.h  SEC_WINNT_AUTH_IDENTITY_* through the one parser
 *   pkg-buffers.h   input/output tokens and message buffers, bad-input statuses
 *   pkg-attrs.h     the common context attributes from plain data
 *   pkg-pack.h      bounded little-endian packing for ContextData and export
 *   pkg-options.h   option.* settings
 *   pkg-time.h      FILETIME helpers
 */
#ifndef LIBSSPI_PKG_KIT_H
#define LIBSSPI_PKG_KIT_H

#include "packages/kit/pkg-entry.h"
#include "packages/kit/pkg-handle.h"
#include "packages/kit/pkg-calls.h"
#include "packages/kit/pkg-identity.h"
#include "packages/kit/pkg-buffers.h"
#include "packages/kit/pkg-attrs.h"
#include "packages/kit/pkg-pack.h"
#include "packages/kit/pkg-options.h"
#include "packages/kit/pkg-time.h"

#endif
