/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-elf.c - libFuzzer target for the loader's ELF probe (elf-probe.c),
 * which reads a module's dynamic symbol table before the module is
 * loaded.  The input is the file; any answer is fine, a crash, leak or
 * read outside the file is not.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"SpLsaModeInitialize", "InitSecurityInterfaceW",
                                        "InitSecurityInterfaceA", ""};
    bool found[4];
    int fd = memfd_create("fuzz-elf", MFD_CLOEXEC);

    if (fd < 0)
        return 0;
    if (write(fd, data, size) == (ssize_t)size)
        (void)sspi_elf_defines(fd, names, 4, found);
    close(fd);
    return 0;
}
