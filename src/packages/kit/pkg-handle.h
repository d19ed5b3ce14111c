/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-handle.h - credential and context objects behind LSA_SEC_HANDLEs.
 *
 * A package embeds `struct pkg_object` as the FIRST member of its
 * credential and context structs and describes each kind once with a
 * `struct pkg_class`.  The LSA_SEC_HANDLE the host sees is the object's
 * address; lookups check the class magic, so a handle of the wrong kind
 * (a credential given as a context, another package's object) is refused.
 * The host's handle table already refuses stale and forged handles before
 * a call reaches the package; the magic is the package's second line.
 *
 * Two-sided lifetime.  An object has up to two sides that are released
 * independently:
 *   PKG_SIDE_LSA   created by SpAcquireCredentialsHandle or the first
 *                  SpInit/AcceptLsaModeContext leg; released by
 *                  SpFreeCredentialsHandle / SpDeleteContext;
 *   PKG_SIDE_USER  attached by SpInitUserModeContext (or born alone in
 *                  SpImportSecurityContext); released by
 *                  SpDeleteUserModeContext.
 * The object is destroyed (class destroy hook, then wiped and freed) when
 * its last side goes, in whichever order they go.  Releasing a side that
 * is not alive is refused, so a double delete is harmless.
 *
 * Threads: lookup and side changes are lock-free (one acquire load on the
 * lookup); the host guarantees no call is still using a side when it
 * releases it.  Fields the package adds are its own to protect.
 */
#ifndef LIBSSPI_PKG_HANDLE_H
#define LIBSSPI_PKG_HANDLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"
#include "ntsecpkg.h"

#define PKG_SIDE_LSA  1u
#define PKG_SIDE_USER 2u

/* One kind of object of one package. */
struct pkg_class {
    uint32_t magic; /* nonzero, distinct per class (e.g. 'S','C','T','X') */
    size_t size;    /* sizeof the package's struct */
    /* Frees what the object owns (not the object itself), may be NULL.
     * Called once, when the last side is released. */
    void (*destroy)(void *object);
};

/* The kit's header, first member of every package object. */
struct pkg_object {
    uint32_t magic;
    _Atomic uint32_t sides;
    const struct pkg_class *cls;
    bool failed; /* a handshake leg failed (pkg-calls.h): the context is finished */
};

/* A zero-filled object of `cls` (size cls->size) with the sides `sides`
 * alive, or NULL if out of memory. */
void *pkg_object_new(const struct pkg_class *cls, uint32_t sides);

/* The object of `cls` behind `h` with `side` alive (side 0: any side
 * alive), or NULL for a 0 handle, another class or a side already gone. */
void *pkg_object_from_handle(const struct pkg_class *cls, LSA_SEC_HANDLE h, uint32_t side);

/* The handle of an object. */
static inline LSA_SEC_HANDLE pkg_object_handle(const void *object)
{
    return (LSA_SEC_HANDLE)object;
}

/* Make `side` alive; false if it already was.  Publishes the object's
 * fields written before the call to threads that look the side up. */
bool pkg_object_attach(void *object, uint32_t side);

/* Is `side` alive? */
bool pkg_object_alive(const void *object, uint32_t side);

/* Release `side`; destroys the object when no side is left.  False (and
 * nothing done) if `side` was not alive. */
bool pkg_object_release(void *object, uint32_t side);

/* Destroy an object no handle was ever given out for (a failed first
 * leg), whatever its sides. */
void pkg_object_discard(void *object);

/*
 * The two usual SSP/AP slots over these rules, for a package whose context
 * needs nothing more on delete:
 *   pkg_delete_side(cls, h, PKG_SIDE_LSA)   SpDeleteContext /
 *                                           SpFreeCredentialsHandle
 *   pkg_delete_side(cls, h, PKG_SIDE_USER)  SpDeleteUserModeContext
 * STATUS_INVALID_HANDLE if `h` is not of `cls`; releasing a side that is
 * already gone is STATUS_SUCCESS for PKG_SIDE_USER (a context that never
 * got a user half) and STATUS_INVALID_HANDLE for PKG_SIDE_LSA.
 */
NTSTATUS pkg_delete_side(const struct pkg_class *cls, LSA_SEC_HANDLE h, uint32_t side);

/* The credential-use bits (SECPKG_CRED_INBOUND/OUTBOUND) of
 * SpAcquireCredentialsHandle's flags; 0 when neither is asked for. */
uint32_t pkg_credential_use(ULONG flags);

#endif
