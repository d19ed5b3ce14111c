/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.h - a tiny streaming JSON writer for the `--json` output of the
 * `sspi` command.
 *
 * Values are written in order; the writer keeps track of commas and
 * indentation.  Inside an object, call json_key() before each value.
 * Strings are UTF-8 and escaped as RFC 8259 requires (bytes that are not
 * valid UTF-8 are written as U+FFFD).
 *
 * The default layout is indented, one member per line; the compact layout
 * (json_init_compact) writes a whole document on one line, for JSON Lines
 * output.
 */
#ifndef LIBSSPI_TOOL_JSON_H
#define LIBSSPI_TOOL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
    FILE *out;
    int depth;
    bool first[JSON_MAX_DEPTH]; /* no value written yet at this level */
    bool after_key;
    bool compact; /* no newlines or indentation */
};

/* Start writing to `out`.  The writer owns no resources. */
void json_init(struct json_writer *w, FILE *out);

/* Like json_init(), but the document is written on a single line without
 * spaces; json_finish() then ends the line. */
void json_init_compact(struct json_writer *w, FILE *out);

void json_begin_object(struct json_writer *w);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w);
void json_end_array(struct json_writer *w);

/* Member name of the next value (inside an object only). */
void json_key(struct json_writer *w, const char *key);

/* Scalars.  json_string(w, NULL) writes null. */
void json_string(struct json_writer *w, const char *s);
void json_int(struct json_writer *w, int64_t v);
void json_uint(struct json_writer *w, uint64_t v);
void json_double(struct json_writer *w, double v);
void json_bool(struct json_writer *w, bool v);
void json_null(struct json_writer *w);

/* Key + value shorthands. */
void json_kv_string(struct json_writer *w, const char *key, const char *s);
void json_kv_int(struct json_writer *w, const char *key, int64_t v);
void json_kv_uint(struct json_writer *w, const char *key, uint64_t v);
void json_kv_double(struct json_writer *w, const char *key, double v);
void json_kv_bool(struct json_writer *w, const char *key, bool v);

/* End the document: write the final newline and flush. */
void json_finish(struct json_writer *w);

#endif /* LIBSSPI_TOOL_JSON_H */
