/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-config.c - libFuzzer target for the configuration parser.  The input
 * becomes the main configuration file (from LIBSSPI_CONFIG, so every key is
 * honoured); its drop-in directory, if it names one, is whatever exists.
 * Any parse result is fine; a crash, leak or overread is not.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (path[0] == '\0') {
        snprintf(path, sizeof(path), "/tmp/libsspi-fuzz-config-%ld.conf", (long)getpid());
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    close(fd);
    struct sspi_conf *conf = sspi_conf_load(path, true, "/nonexistent/packages");
    if (conf != NULL) {
        /* Touch everything the parser returned. */
        size_t total = 0;
        for (size_t i = 0; i < conf->nmodules; i++) {
            const struct sspi_conf_module *m = &conf->modules[i];
            total += strlen(m->file) + (m->module ? strlen(m->module) : 0);
            for (size_t j = 0; j < m->noptions; j++)
                total += strlen(m->options[j].key) + strlen(m->options[j].value);
            for (size_t j = 0; j < m->npackages; j++)
                total += strlen(m->packages[j]);
        }
        for (size_t i = 0; i < conf->ndiags; i++)
            total += strlen(conf->diags[i].message);
        (void)total;
        sspi_conf_free(conf);
    }
    unlink(path);
    return 0;
}
