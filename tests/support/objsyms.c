// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <gelf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "objsyms.h"

/* The same choice as lib/load/addr_table.c makes, stated again from the ELF specification's
 * words. */
static bool keep(Elf *elf, const GElf_Sym *s, const char *name, unsigned char *type, bool *code)
{
	GElf_Shdr sh;

	if (!name[0] || name[0] == '$' || strncmp(name, ".L", 2) == 0) {
		return false;
	}
	if (s->st_shndx == SHN_COMMON) {
		*type = STT_OBJECT;
		*code = false;
		return GELF_ST_TYPE(s->st_info) == STT_OBJECT;
	}
	if (s->st_shndx == SHN_UNDEF || s->st_shndx >= SHN_LORESERVE ||
	    !gelf_getshdr(elf_getscn(elf, s->st_shndx), &sh) || !(sh.sh_flags & SHF_ALLOC)) {
		return false;
	}
	*code = (sh.sh_flags & SHF_EXECINSTR) != 0;
	*type = GELF_ST_TYPE(s->st_info);
	if (*type == STT_NOTYPE && *code) {
		*type = STT_FUNC;
	}
	return *type == STT_FUNC || *type == STT_OBJECT;
}

size_t objsyms_read(const char *path, struct objsym **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct objsym *syms = NULL;
	Elf_Scn *scn = NULL;
	size_t n = 0;
	Elf *elf;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB) {
			continue;
		}
		d = elf_getdata(scn, NULL);
		assert_non_null(d);
		syms = calloc(sh.sh_size / sh.sh_entsize + 1, sizeof(*syms));
		assert_non_null(syms);
		for (size_t i = 1; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *name;
			unsigned char type;
			bool code;

			assert_non_null(gelf_getsym(d, (int)i, &s));
			name = elf_strptr(elf, sh.sh_link, s.st_name);
			if (!name || !keep(elf, &s, name, &type, &code)) {
				continue;
			}
			syms[n++] = (struct objsym){strdup(name), s.st_size, type,
			                            GELF_ST_BIND(s.st_info) != STB_LOCAL, code};
		}
	}
	elf_end(elf);
	close(fd);
	assert_non_null(syms);
	*out = syms;
	return n;
}

void objsyms_free(struct objsym *syms, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(syms[i].name);
	}
	free(syms);
}

const struct objsym *objsyms_find(const struct objsym *syms, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(syms[i].name, name) == 0) {
			return &syms[i];
		}
	}
	return NULL;
}

size_t objsyms_nfuncs(const struct objsym *syms, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		k += syms[i].type == STT_FUNC;
	}
	return k;
}

size_t objsyms_sections_size(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	size_t total = 0, shstrndx;
	Elf_Scn *scn = NULL;
	Elf *elf;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		assert_non_null(gelf_getshdr(scn, &sh));
		if (strcmp(elf_strptr(elf, shstrndx, sh.sh_name), name) == 0) {
			total += sh.sh_size;
		}
	}
	elf_end(elf);
	close(fd);
	return total;
}
