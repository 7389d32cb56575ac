// SPDX-License-Identifier: MIT
/*
 * libFuzzer target aimed at the tables a loader trusts most: symbols, relocations, groups and
 * unwind data, and the line table perf's jitdump file gets. The input picks one of a few valid
 * objects and is a list of edits confined to those sections, so every run gets past the headers
 * and exercises resolution, relocation and (LLEXT_PERF_JITDUMP is on) the line table reader.
 *
 * Input: [object index] then edits of [table] [offset: 4 bytes] [width: 1] [value: width bytes].
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/buf_loader.h>
#include <llext/llext.h>
#include <llext/log.h>

#include "fixtures.h"
#include "fuzz_jitdump.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const seeds[] = {
    "basic-gcc-default.o", "basic-clang-large.o", "ctors-gcc-default.o",
    "multi-gcc-pic.o",     "cxx-gcc-default.o",   "exports.o",
};
#define NSEEDS (sizeof(seeds) / sizeof(seeds[0]))

static struct {
	uint8_t *buf;
	size_t len;
} objs[NSEEDS];

static void quiet(enum llext_log_level level, const char *msg, void *user)
{
	(void)level;
	(void)msg;
	(void)user;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < NSEEDS; i++) {
		char path[1024];
		FILE *f;
		long n;

		snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, seeds[i]);
		f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "fuzz_tables: cannot open %s\n", path);
			exit(1);
		}
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		objs[i].buf = malloc((size_t)n);
		objs[i].len = fread(objs[i].buf, 1, (size_t)n, f);
		fclose(f);
	}
	llext_set_log(LLEXT_LOG_ERR, quiet, NULL);
	fuzz_jitdump_init();
	return 0;
}

/* The file range of the n-th section of a kind the edits aim at, or 0 if none. The last kind
 * is .debug_line and its relocations, which the other kinds seldom reach. */
static size_t table(const uint8_t *b, uint8_t which, size_t *off)
{
	static const uint32_t kinds[] = {SHT_SYMTAB, SHT_RELA,     SHT_STRTAB,
	                                 SHT_GROUP,  SHT_PROGBITS, SHT_PROGBITS};
	const Elf64_Ehdr *eh = (const void *)b;
	const Elf64_Shdr *sh = (const void *)(b + eh->e_shoff);
	const char *names = (const char *)b + sh[eh->e_shstrndx].sh_offset;
	uint32_t kind = kinds[which % 6];
	size_t nth = which / 6, seen = 0;

	for (int i = 1; i < eh->e_shnum; i++) {
		const char *name = names + sh[i].sh_name;

		if (which % 6 == 5 && strncmp(name, ".debug_line", 11) != 0 &&
		    strncmp(name, ".rela.debug_line", 16) != 0) {
			continue;
		}
		if (which % 6 == 5) {
			kind = sh[i].sh_type;
		}
		if (sh[i].sh_type == kind && sh[i].sh_size && seen++ == nth % 8) {
			*off = sh[i].sh_offset;
			return sh[i].sh_size;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct llext_buf_loader bl;
	struct llext *ext;
	uint8_t *b;
	size_t len;

	if (size < 1) {
		return 0;
	}
	len = objs[data[0] % NSEEDS].len;
	b = malloc(len);
	memcpy(b, objs[data[0] % NSEEDS].buf, len);
	for (size_t i = 1; i + 6 <= size;) {
		uint32_t where;
		uint8_t width = data[i + 5] % 8 + 1;
		size_t off, tsize = table(b, data[i], &off);

		memcpy(&where, data + i + 1, 4);
		i += 6;
		if (i + width > size) {
			break;
		}
		if (tsize >= width) {
			memcpy(b + off + where % (tsize - width + 1), data + i, width);
		}
		i += width;
	}
	bl = (struct llext_buf_loader)LLEXT_BUF_LOADER(b, len);
	if (llext_load(&bl.loader, "fuzz", &ext, NULL) == 0) {
		fuzz_jitdump_discard();
		llext_unload(&ext);
	}
	free(b);
	return 0;
}
