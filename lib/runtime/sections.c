// SPDX-License-Identifier: MIT
/*
 * The block of section information kept with keep_section_info: its layout, in one place.
 */
#include <string.h>

#include "runtime/sections.h"

#include "base/base.h"

/* Where each part of the block starts, from the block's start, and the block's size. */
struct layout {
	size_t shdr, offset, region, names, size;
};

/*
 * The block, in this order: the structure; the object's n section headers (Elf64_Shdr); each
 * section's offset in its region (uint64_t); each section's region (uint32_t); the section name
 * table (names_size bytes, as in the file). Each part's alignment
 * divides the size of what comes before it, so no padding is needed.
 */
static struct layout layout_of(size_t n, size_t names_size)
{
	struct layout l;

	l.shdr = sizeof(struct llext_sections);
	l.offset = l.shdr + n * sizeof(Elf64_Shdr);
	l.region = l.offset + n * sizeof(uint64_t);
	l.names = l.region + n * sizeof(uint32_t);
	l.size = l.names + names_size;
	return l;
}

struct llext_sections *llext_sections_alloc(size_t n, const char *names, size_t names_size)
{
	struct layout l = layout_of(n, names_size);
	char *b = llext_malloc(l.size);
	struct llext_sections *k = (struct llext_sections *)b;

	if (!k) {
		return NULL;
	}
	k->n = n;
	k->shdr = (Elf64_Shdr *)(b + l.shdr);
	k->offset = (uint64_t *)(b + l.offset);
	k->region = (uint32_t *)(b + l.region);
	memcpy(b + l.names, names, names_size);
	k->names = b + l.names;
	k->names_size = names_size;
	return k;
}

size_t llext_sections_size(const struct llext_sections *k)
{
	return layout_of(k->n, k->names_size).size;
}
