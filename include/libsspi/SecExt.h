/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecExt.h - the same header as <secext.h>, under the spelling ported
 * Windows code often uses (file names are case-sensitive here).
 */
#include "secext.h"
