/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-schannel.c - libFuzzer target for the Schannel package: arbitrary
 * bytes into AcceptSecurityContext (as a ClientHello and later legs),
 * into InitializeSecurityContext (as the server's answer to a real
 * ClientHello), and into DecryptMessage on an established TLS 1.3 or 1.2
 * context, following SECBUFFER_EXTRA and SEC_I_RENEGOTIATE the way a
 * caller would.  Every call must return a defined status; the sanitizers
 * catch the rest.
 *
 * Input: byte 0 selects the mode (low two bits); for the handshake modes
 * byte 1 says where the first leg ends (in 1/256ths of the rest).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/schannel/tls-test.h"

static struct tls_pki pki;
static CredHandle server_cred, client_cred[2];
static bool ready;

static char conf[512];

static void fuzz_cleanup(void)
{
    unlink(conf);
    tls_pki_remove(&pki);
}

static void fuzz_setup(void)
{
    FILE *f;

    if (ready)
        return;
    if (!tls_pki_make(&pki))
        abort();
    atexit(fuzz_cleanup);
    snprintf(conf, sizeof(conf), "%s/fuzz.conf", pki.dir);
    f = fopen(conf, "w");
    if (f == NULL)
        abort();
    fputs("autoload = no\ndropin_dir = none\n", f);
    fclose(f);
    if (getenv("LIBSSPI_CONFIG") == NULL)
        setenv("LIBSSPI_CONFIG", conf, 1);
    if (tls_load_package() != SEC_E_OK ||
        tls_server_cred(pki.server, 0, &server_cred) != SEC_E_OK ||
        tls_client_cred(pki.ca, NULL, SP_PROT_TLS1_3_CLIENT, 0, &client_cred[0]) != SEC_E_OK ||
        tls_client_cred(pki.ca, NULL, SP_PROT_TLS1_2_CLIENT, 0, &client_cred[1]) != SEC_E_OK)
        abort();
    ready = true;
}

/* Feed `data` to a side as its peer's bytes, leg by leg, as a caller would. */
static void fuzz_legs(struct tls_side *s, const uint8_t *data, size_t len, size_t first)
{
    size_t pos = 0;

    for (int leg = 0; leg < 8; leg++) {
        uint8_t *out = NULL;
        size_t out_len = 0, n = leg == 0 ? first : len - pos;
        SECURITY_STATUS st;

        tls_side_feed(s, data + pos, n);
        pos += n;
        st = tls_side_step(s, &out, &out_len);
        free(out);
        if (!SEC_SUCCESS(st) || st == SEC_E_OK)
            break;
        if (st == SEC_E_INCOMPLETE_MESSAGE && pos == len)
            break;
    }
}

/* DecryptMessage over `data` on an established pair, EXTRA by EXTRA. */
static void fuzz_records(int version, const uint8_t *data, size_t len)
{
    struct tls_side c = {.cred = client_cred[version], .target = "localhost"};
    struct tls_side s = {.cred = server_cred, .server = true};
    uint8_t *buf = malloc(len ? len : 1);

    memcpy(buf, data, len);
    if (tls_handshake(&c, &s) == SEC_E_OK && tls_drain(&c) == SEC_E_OK) {
        size_t pos = 0;

        for (int i = 0; i < 64 && pos <= len; i++) {
            uint8_t *plain;
            size_t plain_len, used;
            SECURITY_STATUS st =
                tls_decrypt(&c.ctx, buf + pos, len - pos, &plain, &plain_len, &used);

            if (st == SEC_I_RENEGOTIATE) {
                uint8_t *out = NULL;
                size_t out_len = 0;

                pos += used;
                c.in_len = 0;
                tls_side_feed(&c, buf + pos, len - pos);
                st = tls_side_step(&c, &out, &out_len);
                free(out);
                break;
            }
            if (st != SEC_E_OK || used == 0)
                break;
            pos += used;
        }
    }
    free(buf);
    tls_side_free(&c);
    tls_side_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    fuzz_setup();
    switch (data[0] & 3) {
    case 0: { /* the server reads a ClientHello and what follows */
        struct tls_side s = {.cred = server_cred, .server = true};

        fuzz_legs(&s, data + 2, size - 2,
                  (size - 2) * data[1] / 256 + 1 > size - 2 ? size - 2
                                                            : (size - 2) * data[1] / 256 + 1);
        tls_side_free(&s);
        break;
    }
    case 1: { /* the client sent a real ClientHello; the answer is fuzz */
        struct tls_side c = {.cred = client_cred[data[1] & 1], .target = "localhost"};
        uint8_t *out = NULL;
        size_t out_len = 0;

        if (tls_side_step(&c, &out, &out_len) == SEC_I_CONTINUE_NEEDED)
            fuzz_legs(&c, data + 2, size - 2, size - 2);
        free(out);
        tls_side_free(&c);
        break;
    }
    default: /* records on an established TLS 1.3 (2) or 1.2 (3) context */
        fuzz_records((data[0] & 3) == 3, data + 2, size - 2);
        break;
    }
    return 0;
}
