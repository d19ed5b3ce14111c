/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * elf-probe.c - which entry points a shared object defines, read from its
 * dynamic symbol table before it is loaded, so the loader can choose the
 * dlopen() flags for its shape (a provider gets RTLD_DEEPBIND) without
 * running any of its code.
 *
 * Only objects of this process's class and byte order with section
 * headers are read; everything else is "unknown" and the loader falls back
 * to its default flags.  Every offset and size comes from the file, so
 * each is checked against the file size before it is used, and the
 * amounts read are capped.
 */
#include <elf.h>
#include <endian.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/loader.h"

#if __BYTE_ORDER == __LITTLE_ENDIAN
#define PROBE_DATA ELFDATA2LSB
#else
#define PROBE_DATA ELFDATA2MSB
#endif
#if __SIZEOF_POINTER__ == 8
#define PROBE_CLASS   ELFCLASS64
#define PROBE_ST_TYPE ELF64_ST_TYPE
#define PROBE_ST_BIND ELF64_ST_BIND
#define PROBE_ST_VIS  ELF64_ST_VISIBILITY
#else
#define PROBE_CLASS   ELFCLASS32
#define PROBE_ST_TYPE ELF32_ST_TYPE
#define PROBE_ST_BIND ELF32_ST_BIND
#define PROBE_ST_VIS  ELF32_ST_VISIBILITY
#endif

typedef ElfW(Ehdr) probe_ehdr;
typedef ElfW(Shdr) probe_shdr;
typedef ElfW(Sym) probe_sym;

#define PROBE_MAX_SECTIONS 4096u
#define PROBE_MAX_STRTAB   (16u * 1024u * 1024u)
#define PROBE_MAX_SYMBOLS  (1u << 20)

static bool read_at(int fd, void *buf, size_t len, uint64_t off, uint64_t fsize)
{
    size_t done = 0;

    if (off > fsize || len > fsize - off)
        return false;
    while (done < len) {
        ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

static bool read_header(int fd, uint64_t fsize, probe_ehdr *eh)
{
    if (!read_at(fd, eh, sizeof(*eh), 0, fsize))
        return false;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != PROBE_CLASS ||
        eh->e_ident[EI_DATA] != PROBE_DATA || eh->e_type != ET_DYN)
        return false;
    return eh->e_shentsize == sizeof(probe_shdr) && eh->e_shnum > 0 &&
           eh->e_shnum <= PROBE_MAX_SECTIONS;
}

/* The SHT_DYNSYM section and its string table. */
static bool find_dynsym(int fd, uint64_t fsize, const probe_ehdr *eh, probe_shdr *sym,
                        probe_shdr *str)
{
    probe_shdr *sh;
    size_t n = eh->e_shnum;
    bool ok = false;

    sh = calloc(n, sizeof(*sh));
    if (sh == NULL || !read_at(fd, sh, n * sizeof(*sh), eh->e_shoff, fsize))
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (sh[i].sh_type != SHT_DYNSYM)
            continue;
        if (sh[i].sh_link >= n || sh[sh[i].sh_link].sh_type != SHT_STRTAB ||
            sh[i].sh_entsize != sizeof(probe_sym))
            break;
        *sym = sh[i];
        *str = sh[sh[i].sh_link];
        ok = true;
        break;
    }
out:
    free(sh);
    return ok;
}

/* Whether `s` is a function the object defines for others to use. */
static bool exported_function(const probe_sym *s)
{
    unsigned type = PROBE_ST_TYPE(s->st_info), bind = PROBE_ST_BIND(s->st_info);
    unsigned vis = PROBE_ST_VIS(s->st_other);

    return s->st_shndx != SHN_UNDEF && (type == STT_FUNC || type == STT_GNU_IFUNC) &&
           (bind == STB_GLOBAL || bind == STB_WEAK) && (vis == STV_DEFAULT || vis == STV_PROTECTED);
}

/* Bounds as in loader.h: no byte outside the file is read. */
bool sspi_elf_defines(int fd, const char *const *names, size_t count, bool *found)
{
    probe_ehdr eh;
    probe_shdr symsec, strsec;
    probe_sym *syms = NULL;
    char *strtab = NULL;
    struct stat st;
    size_t nsyms;
    bool ok = false;

    memset(found, 0, count * sizeof(*found));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
        return false;
    if (!read_header(fd, (uint64_t)st.st_size, &eh) ||
        !find_dynsym(fd, (uint64_t)st.st_size, &eh, &symsec, &strsec))
        return false;
    if (strsec.sh_size == 0 || strsec.sh_size > PROBE_MAX_STRTAB)
        return false;
    nsyms = symsec.sh_size / sizeof(probe_sym);
    if (nsyms == 0 || nsyms > PROBE_MAX_SYMBOLS)
        return false;
    strtab = malloc(strsec.sh_size);
    syms = calloc(nsyms, sizeof(*syms));
    if (strtab == NULL || syms == NULL ||
        !read_at(fd, strtab, strsec.sh_size, strsec.sh_offset, (uint64_t)st.st_size) ||
        !read_at(fd, syms, nsyms * sizeof(*syms), symsec.sh_offset, (uint64_t)st.st_size))
        goto out;
    for (size_t i = 0; i < nsyms; i++) {
        const char *name;
        size_t room;

        if (!exported_function(&syms[i]) || syms[i].st_name >= strsec.sh_size)
            continue;
        name = strtab + syms[i].st_name;
        room = strsec.sh_size - syms[i].st_name;
        for (size_t k = 0; k < count; k++) {
            size_t len = strlen(names[k]);

            if (len < room && memcmp(name, names[k], len + 1) == 0)
                found[k] = true;
        }
    }
    ok = true;
out:
    free(strtab);
    free(syms);
    return ok;
}
