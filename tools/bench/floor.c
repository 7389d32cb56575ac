// SPDX-License-Identifier: MIT
/*
 * The floor under a load: what any loader that gives an extension fresh memory with W^X must do
 * at the least, measured the way libllext does it but with nothing else. The object's allocated
 * sections are grouped into text, read-only data and writable data, each region starting on a
 * page; the memory is mapped (2 MiB-aligned and with transparent huge pages from 512 KiB, its
 * small pages faulted in by one call from 64 KiB, as libllext maps it), the sections' bytes
 * copied in, text made read+execute and read-only data read-only, and everything unmapped. No
 * parsing, no symbols, no relocations. The object is read from its file before the clock starts.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_FROM ((size_t)512 << 10)
#define POPULATE_FROM ((size_t)64 << 10)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

enum { TEXT, RODATA, DATA, NREGIONS };

struct object {
	uint8_t *bytes;
	size_t len;
	const Elf64_Shdr *sh;
	size_t shnum;
};

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int region_of(const Elf64_Shdr *sh)
{
	if (sh->sh_flags & SHF_EXECINSTR) {
		return TEXT;
	}
	return sh->sh_flags & SHF_WRITE ? DATA : RODATA;
}

static struct object read_object(const char *path)
{
	struct object o = {0};
	FILE *f = fopen(path, "rb");
	const Elf64_Ehdr *eh;

	if (!f || fseek(f, 0, SEEK_END) != 0) {
		die(path, "cannot read");
	}
	o.len = (size_t)ftell(f);
	o.bytes = malloc(o.len);
	rewind(f);
	if (!o.bytes || fread(o.bytes, 1, o.len, f) != o.len) {
		die(path, "cannot read");
	}
	fclose(f);
	eh = (const Elf64_Ehdr *)o.bytes;
	o.sh = (const Elf64_Shdr *)(o.bytes + eh->e_shoff);
	o.shnum = eh->e_shnum;
	return o;
}

/* Each allocated section's offset in the mapping, and the regions' starts and sizes. */
static size_t lay_out(const struct object *o, size_t *off, size_t start[NREGIONS],
                      size_t size[NREGIONS])
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pos = 0;

	memset(size, 0, NREGIONS * sizeof(*size));
	for (size_t i = 1; i < o->shnum; i++) {
		const Elf64_Shdr *sh = &o->sh[i];
		int r = region_of(sh);

		if (!(sh->sh_flags & SHF_ALLOC)) {
			continue;
		}
		off[i] = align_up(size[r], sh->sh_addralign ? sh->sh_addralign : 1);
		size[r] = off[i] + sh->sh_size;
	}
	for (int r = 0; r < NREGIONS; r++) {
		start[r] = pos;
		pos = align_up(pos + size[r], page);
	}
	return pos >= HUGE_FROM ? align_up(pos, HUGE_PAGE) : pos;
}

/* A fresh mapping of @len bytes, on huge pages when large, as libllext maps an extension. */
static uint8_t *fresh(size_t len, uint8_t **whole, size_t *whole_len)
{
	size_t extra = len >= HUGE_FROM ? HUGE_PAGE : 0;
	uint8_t *p =
	    mmap(NULL, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		die("floor", "mmap");
	}
	*whole = p;
	*whole_len = len + extra;
	if (!extra) {
		if (len >= POPULATE_FROM) {
			/* One call faults in every page, as libllext does. */
			madvise(p, len, MADV_POPULATE_WRITE);
		}
		return p;
	}
	p = (uint8_t *)align_up((uintptr_t)p, HUGE_PAGE);
	madvise(p, len, MADV_HUGEPAGE);
	return p;
}

uint64_t floor_cycle(const char *obj)
{
	static const char *cached_path;
	static struct object o;
	static size_t *off;
	size_t start[NREGIONS], size[NREGIONS], len, whole_len;
	uint8_t *map, *whole;
	uint64_t t0;

	if (cached_path != obj) {
		free(o.bytes);
		free(off);
		o = read_object(obj);
		off = calloc(o.shnum, sizeof(*off));
		cached_path = obj;
	}
	t0 = now_ns();
	len = lay_out(&o, off, start, size);
	map = fresh(len, &whole, &whole_len);
	for (size_t i = 1; i < o.shnum; i++) {
		const Elf64_Shdr *sh = &o.sh[i];

		if ((sh->sh_flags & SHF_ALLOC) && sh->sh_type != SHT_NOBITS) {
			memcpy(map + start[region_of(sh)] + off[i], o.bytes + sh->sh_offset,
			       sh->sh_size);
		}
	}
	if (size[TEXT]) {
		mprotect(map + start[TEXT], size[TEXT], PROT_READ | PROT_EXEC);
	}
	if (size[RODATA]) {
		mprotect(map + start[RODATA], size[RODATA], PROT_READ);
	}
	munmap(whole, whole_len);
	return now_ns() - t0;
}
