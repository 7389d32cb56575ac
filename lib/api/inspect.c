// SPDX-License-Identifier: MIT
/*
 * Inspection of a loaded extension: its regions, and, when it was loaded with
 * keep_section_info, its sections and where each one went (tables.c keeps that information).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <llext/inspect.h>

#include "base/base.h"
#include "runtime/ext.h"
#include "runtime/sections.h"

static const struct llext_sections *kept(const struct llext *ext)
{
	return to_internal(ext)->sections;
}

/* The index of the section called @name, or a negative errno. */
static int find(const struct llext *ext, const char *name)
{
	const struct llext_sections *k = kept(ext);

	if (!k) {
		return -ENOTSUP;
	}
	for (size_t i = 1; i < k->n; i++) {
		if (k->shdr[i].sh_name < k->names_size &&
		    strcmp(k->names + k->shdr[i].sh_name, name) == 0) {
			return (int)i;
		}
	}
	return -ENOENT;
}

LLEXT_EXPORT int llext_get_section_header(const struct llext_loader *loader,
                                          const struct llext *ext, const char *search_name,
                                          elf_shdr_t *shdr)
{
	int i;

	(void)loader;
	if (!ext || !search_name || !shdr) {
		return -EINVAL;
	}
	i = find(ext, search_name);
	if (i < 0) {
		return i;
	}
	*shdr = kept(ext)->shdr[i];
	return 0;
}

LLEXT_EXPORT int llext_free_inspection_data(struct llext_loader *ldr, struct llext *ext)
{
	struct llext_internal *ie;

	(void)ldr;
	if (!ext) {
		return -EINVAL;
	}
	ie = to_internal(ext);
	if (ie->sections) {
		ext->alloc_size -= llext_sections_size(ie->sections);
		free(ie->sections);
		ie->sections = NULL;
	}
	return 0;
}

LLEXT_EXPORT unsigned int llext_section_count(const struct llext *ext)
{
	return ext && kept(ext) ? (unsigned int)kept(ext)->n : 0;
}

LLEXT_EXPORT const elf_shdr_t *llext_section_headers(const struct llext *ext)
{
	return ext && kept(ext) ? kept(ext)->shdr : NULL;
}

LLEXT_EXPORT int llext_get_region_info(const struct llext_loader *ldr, const struct llext *ext,
                                       enum llext_mem region, const elf_shdr_t **hdr,
                                       const void **addr, size_t *size)
{
	(void)ldr;
	if (!ext || (unsigned int)region >= LLEXT_MEM_COUNT) {
		return -EINVAL;
	}
	if (hdr) {
		*hdr = kept(ext) ? &kept(ext)->region_hdr[region] : NULL;
	}
	if (addr) {
		*addr = ext->mem[region];
	}
	if (size) {
		*size = ext->mem_size[region];
	}
	return 0;
}

LLEXT_EXPORT int llext_section_shndx(const struct llext_loader *ldr, const struct llext *ext,
                                     const char *section_name)
{
	(void)ldr;
	if (!ext || !section_name) {
		return -EINVAL;
	}
	return find(ext, section_name);
}

LLEXT_EXPORT int llext_get_section_info(const struct llext_loader *ldr, const struct llext *ext,
                                        unsigned int shndx, const elf_shdr_t **hdr,
                                        enum llext_mem *region, size_t *offset)
{
	const struct llext_sections *k;

	(void)ldr;
	if (!ext) {
		return -EINVAL;
	}
	k = kept(ext);
	if (!k) {
		return -ENOTSUP;
	}
	if (shndx >= k->n) {
		return -EINVAL;
	}
	if (hdr) {
		*hdr = &k->shdr[shndx];
	}
	if (region) {
		*region = (enum llext_mem)k->region[shndx];
	}
	if (offset) {
		*offset = k->offset[shndx];
	}
	return 0;
}
