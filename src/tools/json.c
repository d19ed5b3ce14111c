/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.c - the streaming JSON writer behind `sspi ... --json`.
 *
 * Output is indented by two spaces per level so that it stays readable;
 * scripts only rely on it being valid JSON.  The compact layout puts a
 * document on one line (JSON Lines).
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "common/escape.h"
#include "common/utf16.h"
#include "json.h"

void json_init(struct json_writer *w, FILE *out)
{
    w->out = out;
    w->depth = 0;
    w->first[0] = true;
    w->after_key = false;
    w->compact = false;
}

void json_init_compact(struct json_writer *w, FILE *out)
{
    json_init(w, out);
    w->compact = true;
}

static void json_indent(struct json_writer *w)
{
    if (w->compact)
        return;
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->out);
}

/* Comma and indentation before a value (or a key). */
static void json_pre_value(struct json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (!w->first[w->depth])
            fputc(',', w->out);
        json_indent(w);
    }
    w->first[w->depth] = false;
}

static void json_open(struct json_writer *w, char c)
{
    json_pre_value(w);
    fputc(c, w->out);
    if (w->depth < JSON_MAX_DEPTH - 1)
        w->depth++;
    w->first[w->depth] = true;
}

static void json_close(struct json_writer *w, char c)
{
    bool empty = w->first[w->depth];

    if (w->depth > 0)
        w->depth--;
    if (!empty)
        json_indent(w);
    fputc(c, w->out);
}

void json_begin_object(struct json_writer *w)
{
    json_open(w, '{');
}
void json_end_object(struct json_writer *w)
{
    json_close(w, '}');
}
void json_begin_array(struct json_writer *w)
{
    json_open(w, '[');
}
void json_end_array(struct json_writer *w)
{
    json_close(w, ']');
}

static void json_write_string(FILE *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len = strlen(str), i = 0;

    fputc('"', out);
    while (i < len) {
        size_t start = i;
        uint32_t cp = sspi_utf8_next(str, len, &i);

        if (cp == (uint32_t)-1) {
            fputs("\\ufffd", out);
            i++;
            continue;
        }
        /* C1, bidirectional and separator characters are valid JSON, but
         * a terminal showing the output must not act on them. */
        if (cp >= 0x80 && sspi_escape_hidden(cp)) {
            fprintf(out, "\\u%04x", (unsigned)cp);
            continue;
        }
        if (cp >= 0x80) {
            fwrite(s + start, 1, i - start, out);
            continue;
        }
        switch (cp) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (cp < 0x20 || cp == 0x7F)
                fprintf(out, "\\u%04x", (unsigned)cp);
            else
                fputc((int)cp, out);
        }
    }
    fputc('"', out);
}

void json_key(struct json_writer *w, const char *key)
{
    json_pre_value(w);
    json_write_string(w->out, key);
    fputs(w->compact ? ":" : ": ", w->out);
    w->after_key = true;
}

void json_string(struct json_writer *w, const char *s)
{
    json_pre_value(w);
    if (s)
        json_write_string(w->out, s);
    else
        fputs("null", w->out);
}

void json_int(struct json_writer *w, int64_t v)
{
    json_pre_value(w);
    fprintf(w->out, "%" PRId64, v);
}

void json_uint(struct json_writer *w, uint64_t v)
{
    json_pre_value(w);
    fprintf(w->out, "%" PRIu64, v);
}

void json_double(struct json_writer *w, double v)
{
    json_pre_value(w);
    if (isfinite(v))
        fprintf(w->out, "%.3f", v);
    else
        fputs("null", w->out);
}

void json_bool(struct json_writer *w, bool v)
{
    json_pre_value(w);
    fputs(v ? "true" : "false", w->out);
}

void json_null(struct json_writer *w)
{
    json_pre_value(w);
    fputs("null", w->out);
}

void json_kv_string(struct json_writer *w, const char *key, const char *s)
{
    json_key(w, key);
    json_string(w, s);
}

void json_kv_int(struct json_writer *w, const char *key, int64_t v)
{
    json_key(w, key);
    json_int(w, v);
}

void json_kv_uint(struct json_writer *w, const char *key, uint64_t v)
{
    json_key(w, key);
    json_uint(w, v);
}

void json_kv_double(struct json_writer *w, const char *key, double v)
{
    json_key(w, key);
    json_double(w, v);
}

void json_kv_bool(struct json_writer *w, const char *key, bool v)
{
    json_key(w, key);
    json_bool(w, v);
}

void json_finish(struct json_writer *w)
{
    fputc('\n', w->out);
    fflush(w->out);
}
