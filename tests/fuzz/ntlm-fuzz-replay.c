/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ntlm-fuzz-replay.c - runs the four NTLM fuzz targets over their seed
 * corpora (tests/fuzz/corpus/ntlm-<target>/) and over every truncation of
 * each seed, each copied into an exact-size heap block, so `make check`
 * exercises the harnesses and the parsers on every build.  Prints a
 * Check-style summary; fails if a corpus is missing.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ntlm_fuzz_negotiate(const uint8_t *data, size_t size);
int ntlm_fuzz_challenge(const uint8_t *data, size_t size);
int ntlm_fuzz_authenticate(const uint8_t *data, size_t size);
int ntlm_fuzz_av_pairs(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    int (*fn)(const uint8_t *, size_t);
} targets[] = {
    {"negotiate", ntlm_fuzz_negotiate},
    {"challenge", ntlm_fuzz_challenge},
    {"authenticate", ntlm_fuzz_authenticate},
    {"av-pairs", ntlm_fuzz_av_pairs},
};

static unsigned inputs;

static int run_file(int (*fn)(const uint8_t *, size_t), const char *path)
{
    static uint8_t buf[1 << 16];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return -1;
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    for (size_t cut = 0; cut <= n; cut++) {
        uint8_t *exact = malloc(cut ? cut : 1);
        if (!exact)
            return -1;
        memcpy(exact, buf, cut);
        fn(exact, cut);
        free(exact);
        inputs++;
    }
    return 0;
}

int main(void)
{
    const char *top = getenv("top_srcdir");
    unsigned files = 0, failed = 0;

    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        char dir[4096];
        unsigned here = 0;
        DIR *d;
        struct dirent *e;

        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/ntlm-%s", top ? top : ".", targets[t].name);
        d = opendir(dir);
        if (!d) {
            fprintf(stderr, "ntlm-fuzz-replay: no corpus %s\n", dir);
            failed++;
            continue;
        }
        while ((e = readdir(d)) != NULL) {
            char path[8192];
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (run_file(targets[t].fn, path) == 0)
                here++;
        }
        closedir(d);
        if (!here) {
            fprintf(stderr, "ntlm-fuzz-replay: empty corpus %s\n", dir);
            failed++;
        }
        files += here;
    }
    printf("replayed %u corpus files, %u inputs\n", files, inputs);
    printf("%u%%: Checks: %u, Failures: %u, Errors: 0\n",
           files + failed ? 100 * files / (files + failed) : 0, files + failed, failed);
    return failed ? 1 : 0;
}
