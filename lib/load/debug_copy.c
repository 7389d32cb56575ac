// SPDX-License-Identifier: MIT
/*
 * Stage, at the end of a load: the copy of the object that debuggers read, registered with them
 * through observe/debug.c (the GDB JIT Compilation Interface). What we register is a copy of the
 * relocatable object that the debugger can use as it is:
 *
 *   - loaded sections keep their headers, with the load address in sh_addr, but become NOBITS:
 *     debuggers read code and data from the process (or core file), never from the copy;
 *   - .eh_frame is the exception: debuggers unwind from the copy's bytes, so they are taken from
 *     the extension's memory, already relocated for the address they are registered at;
 *   - .debug_* sections are copied and their .rela.debug_* applied here (S + A, or S + A - P),
 *     so the relocation sections are left out and a debugger that applies only a few relocation
 *     types itself (lldb) reads the same values as gdb; perf_files.c relocates its copy of
 *     .debug_line with the same function, llext_debug_relocate();
 *   - the symbol table stays, with common symbols made absolute at their run-time address and
 *     symbols of allocated sections that were not loaded made undefined (their sections keep
 *     SHF_ALLOC: gdb 13.1 crashes on a copy that clears it);
 *   - everything else (.rela.text, groups, notes, .comment) becomes SHT_NULL. Section indexes
 *     do not change, so the symbol table needs no renumbering.
 *
 * The relocations of non-allocated sections were not read by the loader: every entry is checked
 * here before use. A copy that cannot be built leaves the extension loaded but invisible to
 * debuggers, with an error saying why (docs/debugging.md).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "load/load.h"
#include "observe/debug.h"
#include "runtime/ext.h"

static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static bool env_off;

static void read_env(void)
{
	const char *v = getenv("LLEXT_DEBUG_REGISTER");

	env_off = v && strcmp(v, "0") == 0;
}

/* Every section starts 8-aligned in the copy: the symbol table is rewritten in place, and the
 * file's sh_addralign, which may be anything, says nothing about where the bytes are. */
#define COPY_ALIGN 8

/* What the copy holds of a section. */
enum how {
	H_DROP,    /* SHT_NULL */
	H_NOBITS,  /* allocated: header only */
	H_MEMORY,  /* the loaded .eh_frame: its relocated bytes from the extension's memory */
	H_FILE,    /* the object's bytes (names, strings, extended indexes) */
	H_DEBUG,   /* the object's bytes, then its relocations applied */
	H_SYMBOLS, /* the symbol table, rewritten */
};

static bool is_debug(const struct llext_elf *e, size_t i)
{
	const Elf64_Shdr *sh = e->shdr[i];

	return sh->sh_type == SHT_PROGBITS && !(sh->sh_flags & SHF_COMPRESSED) &&
	       strncmp(llext_elf_sect_name(e, i), ".debug_", 7) == 0;
}

static enum how how_of(const struct llext_load *ld, size_t i, size_t shstrndx)
{
	const struct llext_elf *e = &ld->elf;
	const Elf64_Shdr *sh = e->shdr[i];

	if (i == 0) {
		return H_DROP;
	}
	if (sh->sh_flags & SHF_ALLOC) {
		return ld->sect[i].region != LLEXT_MEM_COUNT && i == e->eh_frame ? H_MEMORY
		                                                                 : H_NOBITS;
	}
	if (e->discarded && e->discarded[i]) {
		return H_DROP; /* debug information of a dropped COMDAT group, as a linker does */
	}
	if (i == e->symtab) {
		return H_SYMBOLS;
	}
	if (i == shstrndx || i == e->shdr[e->symtab]->sh_link ||
	    (sh->sh_type == SHT_SYMTAB_SHNDX && e->xndx)) {
		return H_FILE;
	}
	return is_debug(e, i) ? H_DEBUG : H_DROP;
}

/* Bytes of the copy a section takes (before alignment). */
static uint64_t bytes_of(const struct llext_elf *e, size_t i, enum how how)
{
	return how == H_DROP || how == H_NOBITS ? 0 : e->shdr[i]->sh_size;
}

/* The section name table's index, which the loader checked but did not keep. */
static int find_shstrndx(const struct llext_elf *e, size_t *idx)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)e->image;
	uint16_t raw;

	memcpy(&raw, &eh->e_shstrndx, sizeof(raw));
	*idx = raw == SHN_XINDEX ? e->shdr[0]->sh_link : raw;
	if (*idx == 0 || *idx >= e->shnum ||
	    e->image + e->shdr[*idx]->sh_offset != (const uint8_t *)e->shstr) {
		LOG_ERR("debug copy: section name table index %zu is not the loader's", *idx);
		return -EINVAL;
	}
	return 0;
}

/* A symbol's value S for relocating debug information, as a linker would resolve it. */
static uint64_t sym_value(const struct llext_load *ld, size_t i)
{
	const struct llext_symval *v = &ld->sym[i];
	const Elf64_Sym *s = &ld->elf.syms[i];

	switch (v->kind) {
	case LLEXT_SYM_DEFINED:
		if (!v->unloadable) {
			return v->addr;
		}
		/* Not loaded: allocated sections resolve to 0 (undefined in the copy); others are
		 * at address 0 in the copy, so a symbol there is its offset. */
		return ld->elf.shdr[llext_elf_sym_shndx(&ld->elf, i)]->sh_flags & SHF_ALLOC
		           ? 0
		           : s->st_value;
	case LLEXT_SYM_ALIAS:
	case LLEXT_SYM_NONE:
	case LLEXT_SYM_WEAK_NULL:
		return 0;
	default:
		return v->addr;
	}
}

/* Rewrites the copied symbol table; see the top of the file. */
static void rewrite_symbols(const struct llext_load *ld, Elf64_Sym *out)
{
	const struct llext_elf *e = &ld->elf;

	for (size_t i = 1; i < e->nsyms; i++) {
		const struct llext_symval *v = &ld->sym[i];
		Elf64_Sym *s = &out[i];
		bool gone = v->kind == LLEXT_SYM_ALIAS || v->unified ||
		            (v->kind == LLEXT_SYM_DEFINED && v->unloadable &&
		             (e->shdr[llext_elf_sym_shndx(e, i)]->sh_flags & SHF_ALLOC));

		if (v->kind == LLEXT_SYM_COMMON) {
			s->st_shndx = SHN_ABS;
			s->st_value = v->addr;
		} else if (gone && ELF64_ST_TYPE(s->st_info) != STT_SECTION) {
			s->st_shndx = SHN_UNDEF;
			s->st_value = 0;
			s->st_size = 0;
		}
	}
}

/* How a relocation type found in debug information is computed: width and PC-relativity. */
struct dbg_reloc {
	uint32_t type;
	uint8_t size;   /* bytes written, 0 for none */
	bool pcrel;     /* S + A - P rather than S + A */
	bool is_signed; /* the value must fit as a signed number of size bytes */
};

/* DWARF and .debug_frame use these; anything else is refused rather than guessed. */
static const struct dbg_reloc x86_64_relocs[] = {
    {R_X86_64_NONE, 0, false, false}, {R_X86_64_64, 8, false, false},
    {R_X86_64_32, 4, false, false},   {R_X86_64_32S, 4, false, true},
    {R_X86_64_PC32, 4, true, true},   {R_X86_64_PC64, 8, true, true},
};
static const struct dbg_reloc aarch64_relocs[] = {
    {R_AARCH64_NONE, 0, false, false},  {256 /* R_AARCH64_NONE, old number */, 0, false, false},
    {R_AARCH64_ABS64, 8, false, false}, {R_AARCH64_ABS32, 4, false, false},
    {R_AARCH64_ABS16, 2, false, false}, {R_AARCH64_PREL64, 8, true, true},
    {R_AARCH64_PREL32, 4, true, true},  {R_AARCH64_PREL16, 2, true, true},
};

static const struct dbg_reloc *dbg_reloc_of(uint16_t machine, uint32_t type)
{
	const struct dbg_reloc *t = machine == EM_X86_64 ? x86_64_relocs : aarch64_relocs;
	size_t n = machine == EM_X86_64 ? ARRAY_SIZE(x86_64_relocs) : ARRAY_SIZE(aarch64_relocs);

	for (size_t k = 0; k < n; k++) {
		if (t[k].type == type) {
			return &t[k];
		}
	}
	return NULL;
}

static bool fits(uint64_t v, unsigned int size, bool is_signed)
{
	int64_t s = (int64_t)v;

	if (size == 0 || size == 8) {
		return true; /* nothing written, or every value fits */
	}
	if (is_signed) {
		return s >= -((int64_t)1 << (size * 8 - 1)) && s < ((int64_t)1 << (size * 8 - 1));
	}
	/* Unsigned fields also take negative values that wrap, as ld accepts for ABS32. */
	return v < ((uint64_t)1 << (size * 8)) || (s < 0 && s >= -((int64_t)1 << (size * 8 - 1)));
}

/* Applies one relocation section of debug information to its copy at @out; every entry is
 * checked, since the loader never read them. */
static int apply_relocs(const struct llext_load *ld, size_t r, uint8_t *out)
{
	const struct llext_elf *e = &ld->elf;
	const Elf64_Shdr *sh = e->shdr[r];
	uint64_t tsize = e->shdr[sh->sh_info]->sh_size;
	const char *name = llext_elf_sect_name(e, r);

	if (sh->sh_type != SHT_RELA || sh->sh_link != e->symtab ||
	    sh->sh_entsize != sizeof(Elf64_Rela) || sh->sh_size % sizeof(Elf64_Rela)) {
		LOG_ERR("%s: %s: type %u, symbol table %u or entry size %llu is invalid", ld->name,
		        name, sh->sh_type, sh->sh_link, (unsigned long long)sh->sh_entsize);
		return -EINVAL;
	}
	for (uint64_t k = 0; k < sh->sh_size / sizeof(Elf64_Rela); k++) {
		const struct dbg_reloc *d;
		Elf64_Rela rel;
		uint64_t v;

		/* The table may be misaligned in the file. */
		memcpy(&rel, e->image + sh->sh_offset + k * sizeof(rel), sizeof(rel));
		d = dbg_reloc_of(e->machine, (uint32_t)ELF64_R_TYPE(rel.r_info));
		if (ELF64_R_SYM(rel.r_info) >= e->nsyms) {
			LOG_ERR("%s: %s entry %llu: symbol index %llu is beyond the symbol table",
			        ld->name, name, (unsigned long long)k,
			        (unsigned long long)ELF64_R_SYM(rel.r_info));
			return -EINVAL;
		}
		if (!d) {
			LOG_ERR(
			    "%s: %s entry %llu: relocation type %u is not one debug information "
			    "uses",
			    ld->name, name, (unsigned long long)k,
			    (unsigned)ELF64_R_TYPE(rel.r_info));
			return -ENOEXEC;
		}
		if (rel.r_offset > tsize || d->size > tsize - rel.r_offset) {
			LOG_ERR("%s: %s entry %llu: offset 0x%llx is outside %s (0x%llx bytes)",
			        ld->name, name, (unsigned long long)k,
			        (unsigned long long)rel.r_offset,
			        llext_elf_sect_name(e, sh->sh_info), (unsigned long long)tsize);
			return -EINVAL;
		}
		/* Non-allocated sections are at address 0 in the copy: P is the offset. */
		v = sym_value(ld, ELF64_R_SYM(rel.r_info)) + (uint64_t)rel.r_addend -
		    (d->pcrel ? rel.r_offset : 0);
		if (!fits(v, d->size, d->is_signed)) {
			LOG_ERR("%s: %s entry %llu: value 0x%llx does not fit in %u bytes",
			        ld->name, name, (unsigned long long)k, (unsigned long long)v,
			        d->size);
			return -ENOEXEC;
		}
		if (d->size) {
			llext_put_le(out + rel.r_offset, v, d->size);
		}
	}
	return 0;
}

int llext_debug_relocate(const struct llext_load *ld, size_t target, uint8_t *out)
{
	const struct llext_elf *e = &ld->elf;

	for (size_t r = 1; r < e->shnum; r++) {
		const Elf64_Shdr *sh = e->shdr[r];
		int ret;

		if ((sh->sh_type != SHT_RELA && sh->sh_type != SHT_REL) || sh->sh_info != target) {
			continue;
		}
		ret = apply_relocs(ld, r, out);
		if (ret) {
			return ret;
		}
	}
	return 0;
}

/* Where each section goes in the copy; returns the copy's size, or 0 if it would be absurd. */
static uint64_t layout(const struct llext_load *ld, size_t shstrndx, uint64_t *shoff)
{
	const struct llext_elf *e = &ld->elf;
	uint64_t off = sizeof(Elf64_Ehdr), limit;

	/* Sections of a well-formed object do not overlap in the file: the copy is never larger
	 * than the object, .eh_frame, the header table and padding. Overlapping sections could
	 * otherwise make it as large as shnum times the file. Checked as it grows, so that the
	 * sum cannot overflow either. */
	limit = e->size + sizeof(Elf64_Ehdr) + COPY_ALIGN * e->shnum;
	if (e->eh_frame) {
		limit += e->shdr[e->eh_frame]->sh_size;
	}
	for (size_t i = 1; i < e->shnum; i++) {
		uint64_t n = bytes_of(e, i, how_of(ld, i, shstrndx));

		if (n) {
			off = llext_align_up(off, COPY_ALIGN) + n;
		}
		if (off > limit) {
			return 0;
		}
	}
	*shoff = llext_align_up(off, COPY_ALIGN);
	return *shoff + e->shnum * sizeof(Elf64_Shdr);
}

/* The header of section @i in the copy, and its contents at @out + @off. */
static Elf64_Shdr copy_section(const struct llext_load *ld, size_t i, enum how how, uint8_t *out,
                               uint64_t off)
{
	const struct llext_elf *e = &ld->elf;
	Elf64_Shdr h = *e->shdr[i];

	/* Group sections are left out, so no section may claim to be in one. */
	h.sh_flags &= ~(uint64_t)SHF_GROUP;
	switch (how) {
	case H_DROP:
		memset(&h, 0, sizeof(h));
		h.sh_name = e->shdr[i]->sh_name;
		break;
	case H_NOBITS:
		h.sh_type = SHT_NOBITS;
		h.sh_offset = off;
		if (ld->sect[i].region != LLEXT_MEM_COUNT) {
			h.sh_addr = ld->sect[i].addr;
		} else {
			/* Not loaded: claims no addresses (its flags stay, see the top). */
			h.sh_addr = 0;
			h.sh_size = 0;
		}
		break;
	case H_MEMORY:
		h.sh_type = SHT_PROGBITS;
		h.sh_offset = off;
		h.sh_addr = ld->sect[i].addr;
		memcpy(out + off, ld->ie->map + ld->sect[i].offset, h.sh_size);
		break;
	default:
		h.sh_offset = off;
		h.sh_addr = 0;
		memcpy(out + off, e->image + e->shdr[i]->sh_offset, h.sh_size);
		if (how == H_SYMBOLS) {
			rewrite_symbols(ld, (Elf64_Sym *)(out + off));
		}
		break;
	}
	return h;
}

static int fill(const struct llext_load *ld, size_t shstrndx, uint8_t *out, uint64_t shoff)
{
	const struct llext_elf *e = &ld->elf;
	uint64_t off = sizeof(Elf64_Ehdr);
	Elf64_Ehdr eh;
	int ret;

	memcpy(&eh, e->image, sizeof(eh));
	eh.e_shoff = shoff;
	eh.e_phoff = 0;
	eh.e_phnum = 0;
	eh.e_phentsize = 0;
	memcpy(out, &eh, sizeof(eh));
	memcpy(out + shoff, e->shdr[0], sizeof(Elf64_Shdr));
	for (size_t i = 1; i < e->shnum; i++) {
		enum how how = how_of(ld, i, shstrndx);
		uint64_t n = bytes_of(e, i, how);
		Elf64_Shdr h;

		if (n) {
			off = llext_align_up(off, COPY_ALIGN);
		}
		h = copy_section(ld, i, how, out, off);
		memcpy(out + shoff + i * sizeof(h), &h, sizeof(h));
		off += n;
	}
	for (size_t r = 1; r < e->shnum; r++) {
		const Elf64_Shdr *sh = e->shdr[r];

		if ((sh->sh_type != SHT_RELA && sh->sh_type != SHT_REL) ||
		    sh->sh_info >= e->shnum || how_of(ld, sh->sh_info, shstrndx) != H_DEBUG) {
			continue;
		}
		ret =
		    apply_relocs(ld, r, out + ((Elf64_Shdr *)(out + shoff))[sh->sh_info].sh_offset);
		if (ret) {
			return ret;
		}
	}
	return 0;
}

/*
 * Builds the copy in one block with room for its registration before it (llext_debug_room()),
 * which llext_debug_register() takes over; *@block is NULL on failure.
 */
static int build(struct llext_load *ld, void **block, uint64_t *size, bool *in_map)
{
	uint64_t shoff;
	size_t shstrndx, room = llext_debug_room();
	uint8_t *b;
	int ret;

	*block = NULL;
	ret = find_shstrndx(&ld->elf, &shstrndx);
	if (ret) {
		return ret;
	}
	*size = layout(ld, shstrndx, &shoff);
	if (!*size) {
		LOG_ERR("%s: sections overlap in the file; no debug copy is made", ld->name);
		return -EINVAL;
	}
	/*
	 * A large extension's mapping is rounded up to huge pages, whose tail is resident and
	 * zeroed: the copy goes there when it fits, costing no memory and none of the page faults
	 * a fresh heap block of this size would take at every load.
	 */
	b = llext_mem_lasting(ld, room + *size, in_map);
	if (!b) {
		return -ENOMEM;
	}
	ret = fill(ld, shstrndx, b + room, shoff);
	if (ret) {
		if (!*in_map) {
			free(b); /* one in the extension's mapping goes with the mapping */
		}
		return ret;
	}
	*block = b;
	return 0;
}

void llext_debug_copy(struct llext_load *ld)
{
	uint64_t size;
	void *block;
	bool in_map;
	int ret;

	pthread_once(&env_once, read_env);
	if (env_off || (ld->param && ld->param->no_debug_register)) {
		return;
	}
	ret = build(ld, &block, &size, &in_map);
	if (ret) {
		LOG_WRN("%s: loaded, but debuggers will not see it: %s", ld->name, strerror(-ret));
		return;
	}
	llext_debug_register(ld->ie, block, size, in_map);
	ld->ie->pub.alloc_size += llext_debug_size(ld->ie);
}
