/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * escape.h - text from packages (names, comments, failure reasons) made
 * safe to show: in the LIBSSPI_DEBUG log and in the `sspi` command's
 * output nothing a package says may move the cursor, recolour a terminal,
 * start a new log line or reverse the text around it.
 */
#ifndef LIBSSPI_COMMON_ESCAPE_H
#define LIBSSPI_COMMON_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Copy the UTF-8 text `in` (NUL-terminated; NULL is taken as "") into
 * out[cap] with every character that could disguise or rearrange what is
 * shown replaced by a visible escape:
 *   - C0 controls and DEL: \n, \r, \t, else \xNN (ESC is \x1b);
 *   - C1 controls (U+0080..U+009F), the bidirectional controls (U+061C,
 *     U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and the line and
 *     paragraph separators (U+2028, U+2029): \u{XXXX};
 *   - bytes that are not part of valid UTF-8: \xNN.
 * Everything else, backslashes included, is copied as it is.  The result
 * is always NUL-terminated when cap > 0 (cut at a character boundary).
 * Returns the length the whole escaped text needs, without the NUL, like
 * snprintf.  Pure; any thread.
 */
size_t sspi_escape_text(const char *in, char *out, size_t cap);

/* Whether code point `cp` (not ASCII) is one sspi_escape_text shows as
 * \u{XXXX}: a C1 control, a bidirectional control or a separator. */
bool sspi_escape_hidden(uint32_t cp);

/* Whether sspi_escape_text would change `in`. */
bool sspi_escape_needed(const char *in);

#endif
