/*
 * winerror.h - the part of the Windows SDK header of this name that SSPI
 * programs use: the SEC_E_* / SEC_I_* codes (from <sspi-status.h>) and the
 * two generic success names.  Only so that sources including <winerror.h>
 * compile unchanged; it is not the whole Windows error catalogue.
 */
#ifndef LIBSSPI_WINERROR_H
#define LIBSSPI_WINERROR_H

#include "sspi-status.h"

#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0L
#endif
#ifndef NO_ERROR
#define NO_ERROR 0L
#endif

#endif /* LIBSSPI_WINERROR_H */
