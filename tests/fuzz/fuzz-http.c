/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-http.c - fuzz target: the `sspi --http` wire parsing (message heads,
 * base64, URLs).  The first byte picks what the rest is: a request head, a
 * response head, a base64 token or a URL.  A decoded token encodes back to
 * the same text (the decoder is strict), and a parsed head's token is
 * NUL-terminated inside the message structure.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_b64(const char *text, size_t len)
{
    uint8_t *bin = malloc(len + 1);
    char *back = malloc(len + 2);
    size_t n;

    if (bin != NULL && back != NULL && tool_b64_decode(text, len, bin, len, &n)) {
        if (tool_b64_encode(bin, n, back, len + 2) != len || memcmp(back, text, len) != 0)
            abort();
    }
    free(bin);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tool_http_msg m;
    struct tool_http_url u;

    if (size == 0)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    switch (data[0] % 4) {
    case 0:
    case 1:
        if (tool_http_parse_head(text, len, data[0] % 4 == 0, "Negotiate", &m)) {
            if (m.have_auth && (m.token_len >= sizeof(m.token) || m.token[m.token_len] != 0))
                abort();
            check_b64(m.token, m.token_len);
        }
        break;
    case 2:
        check_b64(text, len);
        break;
    default: {
        char *url = malloc(len + 1);
        if (url == NULL)
            return 0;
        memcpy(url, text, len);
        url[len] = 0;
        if (tool_http_parse_url(url, &u) && (u.path[0] != '/' || u.host[0] == 0))
            abort();
        free(url);
        break;
    }
    }
    return 0;
}
