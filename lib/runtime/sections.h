/* SPDX-License-Identifier: MIT */
/*
 * The section information an extension keeps when loaded with the keep_section_info load
 * parameter (ie->sections): load/tables.c fills it, api/inspect.c answers from it. It is one
 * block, laid out here only, so that free() releases it and its size is known in one place.
 */
#ifndef LLEXT_RUNTIME_SECTIONS_H
#define LLEXT_RUNTIME_SECTIONS_H

#include <stddef.h>
#include <stdint.h>

#include <llext/llext.h>

struct llext_sections {
	size_t n;
	Elf64_Shdr *shdr;  /* the object's headers, as in the file */
	uint64_t *offset;  /* each section's offset in its region */
	uint32_t *region;  /* each section's region, LLEXT_MEM_COUNT if it was not loaded */
	const char *names; /* the section name table */
	size_t names_size;
	Elf64_Shdr region_hdr[LLEXT_MEM_COUNT]; /* each region described as one section */
};

/*
 * The block for @n sections, with a copy of the section name table @names (@names_size bytes):
 * its arrays placed, n and the names set; shdr, offset, region and region_hdr are the caller's
 * to fill. NULL if out of memory. free() releases it.
 */
struct llext_sections *llext_sections_alloc(size_t n, const char *names, size_t names_size);
/* The bytes @k's block takes, for the extension's alloc_size. */
size_t llext_sections_size(const struct llext_sections *k);

#endif /* LLEXT_RUNTIME_SECTIONS_H */
