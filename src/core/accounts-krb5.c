/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * accounts-krb5.c - the Kerberos names GetUserNameEx and the LSA logon
 * session data report: the principal of the default credential cache
 * (KRB5CCNAME) and the first principal of the default keytab
 * (KRB5_KTNAME), read with MIT krb5 when libsspi was built with it.
 * Nothing is fetched from a KDC.
 */
#include <stdlib.h>
#include <string.h>

#include <config.h>
#include "core/accounts.h"

#ifdef HAVE_CORE_KRB5
#include <krb5.h>

static char *unparse(krb5_context ctx, krb5_const_principal p)
{
    char *name = NULL, *copy;

    if (krb5_unparse_name(ctx, p, &name) != 0)
        return NULL;
    copy = strdup(name);
    krb5_free_unparsed_name(ctx, name);
    return copy;
}

char *sspi_krb5_ccache_principal(void)
{
    krb5_context ctx;
    krb5_ccache cc = NULL;
    krb5_principal p = NULL;
    char *name = NULL;

    if (krb5_init_context(&ctx) != 0)
        return NULL;
    if (krb5_cc_default(ctx, &cc) == 0 && krb5_cc_get_principal(ctx, cc, &p) == 0)
        name = unparse(ctx, p);
    if (p != NULL)
        krb5_free_principal(ctx, p);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    krb5_free_context(ctx);
    return name;
}

char *sspi_krb5_keytab_principal(void)
{
    krb5_context ctx;
    krb5_keytab kt = NULL;
    krb5_kt_cursor cur;
    krb5_keytab_entry e;
    char *name = NULL;

    if (krb5_init_context(&ctx) != 0)
        return NULL;
    if (krb5_kt_default(ctx, &kt) == 0 && krb5_kt_start_seq_get(ctx, kt, &cur) == 0) {
        if (krb5_kt_next_entry(ctx, kt, &e, &cur) == 0) {
            name = unparse(ctx, e.principal);
            krb5_free_keytab_entry_contents(ctx, &e);
        }
        krb5_kt_end_seq_get(ctx, kt, &cur);
    }
    if (kt != NULL)
        krb5_kt_close(ctx, kt);
    krb5_free_context(ctx);
    return name;
}

#else /* !HAVE_CORE_KRB5 */

char *sspi_krb5_ccache_principal(void)
{
    return NULL;
}

char *sspi_krb5_keytab_principal(void)
{
    return NULL;
}

#endif
