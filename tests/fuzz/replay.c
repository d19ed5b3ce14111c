/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * replay.c - runs a libFuzzer target over the files of a seed corpus (and
 * over every truncation of each file) without libFuzzer, so `make check`
 * exercises the fuzz harnesses and the code they reach on every build.
 * Usage: replay-<target> [DIR|FILE]...; with no argument it replays
 * $top_srcdir/tests/fuzz/corpus/<CORPUS_NAME>.  Prints a Check-style summary.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static unsigned runs;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    uint8_t *buf = malloc(1 << 20);
    if (buf == NULL) {
        fclose(f);
        return -1;
    }
    size_t n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    for (size_t cut = 0; cut <= n; cut++) {
        /* Copy each prefix into an exact-size block so a read past the end
         * is caught by ASan/valgrind. */
        uint8_t *exact = malloc(cut ? cut : 1);
        if (exact == NULL)
            break;
        memcpy(exact, buf, cut);
        LLVMFuzzerTestOneInput(exact, cut);
        free(exact);
        runs++;
    }
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned files = 0;
    char defdir[4096];
    const char *top = getenv("top_srcdir");
    char *defargs[] = {argv[0], defdir, NULL};

    snprintf(defdir, sizeof(defdir), "%s/tests/fuzz/corpus/%s", top != NULL ? top : ".",
             CORPUS_NAME);
    if (argc < 2) {
        argc = 2;
        argv = defargs;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (d == NULL) {
            if (run_file(argv[i]) == 0)
                files++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            char path[8192];
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            if (run_file(path) == 0)
                files++;
        }
        closedir(d);
    }
    if (files == 0) {
        fprintf(stderr, "replay: no corpus files found\n");
        return 1;
    }
    printf("replayed %u corpus files, %u inputs\n", files, runs);
    printf("100%%: Checks: %u, Failures: 0, Errors: 0\n", files);
    return 0;
}
