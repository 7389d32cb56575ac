/* SPDX-License-Identifier: MIT */
/*
 * An object file's function and object symbols, and the sizes of its sections, read with libelf
 * straight from the file: what llext_addr_info(), the perf map, the jitdump file and the section
 * bounds must agree with.
 */
#ifndef TESTS_OBJSYMS_H
#define TESTS_OBJSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct objsym {
	char *name;
	uint64_t size;
	unsigned char type; /* STT_FUNC or STT_OBJECT (untyped code counts as STT_FUNC) */
	bool global;        /* STB_GLOBAL, STB_WEAK or STB_GNU_UNIQUE */
	bool code;          /* in an executable section */
};

/* Reads @path's symbols into a malloc'd array; fails the test if the file cannot be read. */
size_t objsyms_read(const char *path, struct objsym **out);
void objsyms_free(struct objsym *syms, size_t n);
/* The entry called @name, or NULL. */
const struct objsym *objsyms_find(const struct objsym *syms, size_t n, const char *name);
/* How many entries are functions. */
size_t objsyms_nfuncs(const struct objsym *syms, size_t n);
/* The total size of @path's sections called @name; fails the test if the file cannot be read. */
size_t objsyms_sections_size(const char *path, const char *name);

#endif
