/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pkg-handle.c - package objects behind LSA_SEC_HANDLEs and their
 * two-sided lifetime (see pkg-handle.h).
 */
#include <stdlib.h>
#include <string.h>

#include "packages/kit/pkg-handle.h"

/* Written over the magic of a destroyed object, so a use after free that
 * slipped past the host finds no class. */
#define PKG_DEAD_MAGIC 0xdeadc0deu

void *pkg_object_new(const struct pkg_class *cls, uint32_t sides)
{
    struct pkg_object *o;

    if (cls == NULL || cls->size < sizeof(*o))
        return NULL;
    o = calloc(1, cls->size);
    if (o == NULL)
        return NULL;
    o->magic = cls->magic;
    o->cls = cls;
    atomic_init(&o->sides, sides);
    return o;
}

void *pkg_object_from_handle(const struct pkg_class *cls, LSA_SEC_HANDLE h, uint32_t side)
{
    struct pkg_object *o = (struct pkg_object *)h;
    uint32_t alive;

    if (o == NULL || cls == NULL || o->magic != cls->magic || o->cls != cls)
        return NULL;
    alive = atomic_load_explicit(&o->sides, memory_order_acquire);
    if (side == 0 ? alive == 0 : (alive & side) == 0)
        return NULL;
    return o;
}

bool pkg_object_attach(void *object, uint32_t side)
{
    struct pkg_object *o = object;
    uint32_t before = atomic_fetch_or_explicit(&o->sides, side, memory_order_acq_rel);

    return (before & side) == 0;
}

bool pkg_object_alive(const void *object, uint32_t side)
{
    const struct pkg_object *o = object;

    return (atomic_load_explicit(&((struct pkg_object *)o)->sides, memory_order_acquire) & side) !=
           0;
}

static void object_destroy(struct pkg_object *o)
{
    if (o->cls->destroy != NULL)
        o->cls->destroy(o);
    explicit_bzero(o, o->cls->size);
    o->magic = PKG_DEAD_MAGIC;
    free(o);
}

bool pkg_object_release(void *object, uint32_t side)
{
    struct pkg_object *o = object;
    uint32_t before = atomic_fetch_and_explicit(&o->sides, ~side, memory_order_acq_rel);

    if ((before & side) == 0)
        return false;
    if ((before & ~side) == 0)
        object_destroy(o);
    return true;
}

void pkg_object_discard(void *object)
{
    if (object != NULL)
        object_destroy(object);
}

NTSTATUS pkg_delete_side(const struct pkg_class *cls, LSA_SEC_HANDLE h, uint32_t side)
{
    struct pkg_object *o = pkg_object_from_handle(cls, h, 0);

    if (o == NULL)
        return STATUS_INVALID_HANDLE;
    if (!pkg_object_release(o, side))
        return side == PKG_SIDE_USER ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
    return STATUS_SUCCESS;
}

uint32_t pkg_credential_use(ULONG flags)
{
    return flags & (SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND);
}
