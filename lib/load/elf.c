// SPDX-License-Identifier: MIT
/*
 * Reading and validating the ELF object: the first stage of a load.
 *
 * Every offset, size, index and count taken from the file is checked here, before anything else
 * uses it: the file is untrusted input. What cannot be checked until symbols are resolved or
 * relocations are looked at is checked by resolve.c and scan.c, before use as well.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "load/load.h"
#include "runtime/ext.h"
#include "runtime/symbol.h"

/* Alignment above this is refused: it would only waste address space. */
#define MAX_SECTION_ALIGN ((uint64_t)1 << 30)

static int read_at(struct llext_loader *ldr, size_t pos, void *buf, size_t len)
{
	int ret = llext_seek(ldr, pos);

	if (ret == 0) {
		ret = llext_read(ldr, buf, len);
	}
	return ret > 0 ? -EIO : ret;
}

/* LLVM bitcode, bare ('BC' 0xC0DE) or in its wrapper (0x0B17C0DE, little-endian). */
static bool is_bitcode(const unsigned char *m)
{
	static const unsigned char bare[4] = {'B', 'C', 0xc0, 0xde},
				   wrapped[4] = {0xde, 0xc0, 0x17, 0x0b};

	return memcmp(m, bare, 4) == 0 || memcmp(m, wrapped, 4) == 0;
}

static int check_ehdr(const Elf64_Ehdr *eh, const char *what)
{
	const struct llext_arch *host = llext_arch_host();
	const struct llext_arch *arch;

	if (is_bitcode(eh->e_ident)) {
		LOG_ERR("%s: LLVM bitcode, not machine code (clang -flto writes it); compile the "
		        "extension without -flto",
		        what);
		return -ENOEXEC;
	}
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) {
		LOG_ERR("%s: not an ELF file (bad magic)", what);
		return -EINVAL;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
		LOG_ERR("%s: ELF class %u is not ELFCLASS64", what, eh->e_ident[EI_CLASS]);
		return -EINVAL;
	}
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		LOG_ERR("%s: ELF data encoding %u is not little-endian", what,
		        eh->e_ident[EI_DATA]);
		return -EINVAL;
	}
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT) {
		LOG_ERR("%s: unknown ELF version %u", what, eh->e_ident[EI_VERSION]);
		return -EINVAL;
	}
	if (eh->e_machine != host->machine) {
		arch = llext_arch_find(eh->e_machine);
		LOG_ERR("%s: object is for %s (e_machine %u), this host is %s", what,
		        arch ? arch->name : "another machine", eh->e_machine, host->name);
		return -ENOEXEC;
	}
	if (eh->e_type != ET_REL) {
		LOG_ERR("%s: ELF type %u is not ET_REL: only relocatable objects (.o) are loaded",
		        what, eh->e_type);
		return -EINVAL;
	}
	if (eh->e_ehsize < sizeof(Elf64_Ehdr)) {
		LOG_ERR("%s: e_ehsize %u is too small", what, eh->e_ehsize);
		return -EINVAL;
	}
	if (eh->e_shentsize != sizeof(Elf64_Shdr)) {
		LOG_ERR("%s: e_shentsize %u is not %zu", what, eh->e_shentsize, sizeof(Elf64_Shdr));
		return -EINVAL;
	}
	if (eh->e_shoff == 0 || eh->e_shoff < eh->e_ehsize) {
		LOG_ERR("%s: no section header table (e_shoff 0x%llx)", what,
		        (unsigned long long)eh->e_shoff);
		return -EINVAL;
	}
	return 0;
}

static bool add_overflows(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

/* The number of sections, from e_shnum or, with extended numbering, section 0's sh_size. */
static int count_sections(struct llext_loader *ldr, const Elf64_Ehdr *eh, const char *what,
                          uint64_t *shnum)
{
	Elf64_Shdr sh0;
	int ret;

	*shnum = eh->e_shnum;
	if (*shnum) {
		return 0;
	}
	ret = read_at(ldr, eh->e_shoff, &sh0, sizeof(sh0));
	if (ret) {
		LOG_ERR("%s: cannot read section header 0 at 0x%llx: %s", what,
		        (unsigned long long)eh->e_shoff, strerror(-ret));
		return ret;
	}
	*shnum = sh0.sh_size;
	if (*shnum == 0) {
		LOG_ERR("%s: no sections", what);
		return -EINVAL;
	}
	return 0;
}

/* Raises *@end to the end of every section of @sh (headers @first..) with bytes in the file. */
static int sections_end(const Elf64_Shdr *sh, size_t n, uint64_t first, const char *what,
                        uint64_t *end)
{
	for (size_t j = 0; j < n; j++) {
		uint64_t send;

		/* Every section but 0 and NOBITS ones must have its bytes in the file, whatever
		 * its type: this is the only check of their extent. */
		if (sh[j].sh_type == SHT_NOBITS || first + j == 0) {
			continue;
		}
		if (add_overflows(sh[j].sh_offset, sh[j].sh_size, &send)) {
			LOG_ERR("%s: section %llu: offset 0x%llx + size 0x%llx overflows", what,
			        (unsigned long long)(first + j),
			        (unsigned long long)sh[j].sh_offset,
			        (unsigned long long)sh[j].sh_size);
			return -EINVAL;
		}
		if (send > *end) {
			*end = send;
		}
	}
	return 0;
}

/*
 * Work out how many bytes the object spans (headers and every section with file contents),
 * reading the section headers through the loader, and prove that the loader has them all by
 * reading the last byte. Only then is the object handed to libelf as one block of memory.
 */
static int find_extent(struct llext_loader *ldr, const Elf64_Ehdr *eh, const char *what,
                       size_t *extent)
{
	Elf64_Shdr chunk[64];
	uint64_t shnum, table_end, end = eh->e_ehsize;
	uint8_t last;
	int ret;

	ret = count_sections(ldr, eh, what, &shnum);
	if (ret) {
		return ret;
	}
	if (shnum > SIZE_MAX / sizeof(Elf64_Shdr) ||
	    add_overflows(eh->e_shoff, shnum * sizeof(Elf64_Shdr), &table_end)) {
		LOG_ERR("%s: section header table (%llu entries at 0x%llx) overflows", what,
		        (unsigned long long)shnum, (unsigned long long)eh->e_shoff);
		return -EINVAL;
	}
	if (table_end > end) {
		end = table_end;
	}
	for (uint64_t i = 0; i < shnum; i += ARRAY_SIZE(chunk)) {
		size_t n = shnum - i < ARRAY_SIZE(chunk) ? (size_t)(shnum - i) : ARRAY_SIZE(chunk);
		uint64_t at = eh->e_shoff + i * sizeof(Elf64_Shdr);

		ret = read_at(ldr, at, chunk, n * sizeof(chunk[0]));
		if (ret) {
			LOG_ERR("%s: cannot read section headers %llu..%llu at 0x%llx (file "
			        "truncated?): %s",
			        what, (unsigned long long)i, (unsigned long long)(i + n - 1),
			        (unsigned long long)at, strerror(-ret));
			return ret;
		}
		ret = sections_end(chunk, n, i, what, &end);
		if (ret) {
			return ret;
		}
	}
	ret = end > SIZE_MAX ? -EINVAL : read_at(ldr, (size_t)end - 1, &last, 1);
	if (ret) {
		LOG_ERR("%s: file is truncated: its headers describe 0x%llx bytes (%s)", what,
		        (unsigned long long)end, strerror(-ret));
		return ret;
	}
	*extent = (size_t)end;
	return 0;
}

static pthread_once_t libelf_once = PTHREAD_ONCE_INIT;
static bool libelf_ok;

static void libelf_init(void)
{
	libelf_ok = elf_version(EV_CURRENT) != EV_NONE;
}

/* A string table is usable if it ends with a NUL: every offset below its size is a string. */
static int check_strtab(const struct llext_elf *e, size_t idx, const char *what, const char *role)
{
	const Elf64_Shdr *sh = e->shdr[idx];

	if (sh->sh_type != SHT_STRTAB || sh->sh_size == 0 ||
	    e->image[sh->sh_offset + sh->sh_size - 1] != '\0') {
		LOG_ERR("%s: %s (section %zu) is not a NUL-terminated string table", what, role,
		        idx);
		return -EINVAL;
	}
	return 0;
}

/* A section that is not loaded: only the tables the loader reads need noting. */
static int check_unloaded(struct llext_elf *e, size_t i, const char *what, size_t *xndx)
{
	const Elf64_Shdr *sh = e->shdr[i];

	switch (sh->sh_type) {
	case SHT_SYMTAB:
		if (e->symtab) {
			LOG_ERR("%s: more than one symbol table", what);
			return -EINVAL;
		}
		e->symtab = i;
		return 0;
	case SHT_SYMTAB_SHNDX:
		*xndx = i;
		return 0;
	case SHT_REL:
		if (sh->sh_info < e->shnum && (e->shdr[sh->sh_info]->sh_flags & SHF_ALLOC)) {
			LOG_ERR("%s: section %s: SHT_REL relocations are not used on %s and are "
			        "not supported",
			        what, llext_elf_sect_name(e, i), llext_arch_host()->name);
			return -ENOEXEC;
		}
		return 0;
	default:
		return 0;
	}
}

/* A section that is loaded: never writable and executable, no linker tables. (A thread-local
 * one is checked further by tls_link.c.) */
static int check_loaded(const struct llext_elf *e, size_t i, const char *what)
{
	const Elf64_Shdr *sh = e->shdr[i];
	const char *name = llext_elf_sect_name(e, i);

	if ((sh->sh_flags & SHF_WRITE) && (sh->sh_flags & SHF_EXECINSTR)) {
		LOG_ERR("%s: section %s is writable and executable; W^X forbids it", what, name);
		return -ENOEXEC;
	}
	switch (sh->sh_type) {
	case SHT_SYMTAB:
	case SHT_DYNSYM:
	case SHT_RELA:
	case SHT_REL:
	case SHT_DYNAMIC:
	case SHT_GROUP:
	case SHT_SYMTAB_SHNDX:
	case SHT_HASH:
	case SHT_GNU_HASH:
		LOG_ERR("%s: section %s of type %u must not be allocated", what, name, sh->sh_type);
		return -EINVAL;
	default:
		return 0;
	}
}

/* One section header on its own: name, alignment, flags, and what it may be. */
static int check_section(struct llext_elf *e, size_t i, const char *what, size_t *xndx)
{
	const Elf64_Shdr *sh = e->shdr[i];
	const char *name;

	if (sh->sh_name >= e->shstr_size) {
		LOG_ERR("%s: section %zu: name offset %u is outside the section name table", what,
		        i, sh->sh_name);
		return -EINVAL;
	}
	name = e->shstr + sh->sh_name;
	if (sh->sh_addralign & (sh->sh_addralign - 1)) {
		LOG_ERR("%s: section %s: alignment 0x%llx is not a power of two", what, name,
		        (unsigned long long)sh->sh_addralign);
		return -EINVAL;
	}
	if ((sh->sh_flags & SHF_ALLOC) && sh->sh_addralign > MAX_SECTION_ALIGN) {
		LOG_ERR("%s: section %s: alignment 0x%llx exceeds the supported 0x%llx", what, name,
		        (unsigned long long)sh->sh_addralign,
		        (unsigned long long)MAX_SECTION_ALIGN);
		return -EINVAL;
	}
	if (strcmp(name, ".note.GNU-stack") == 0 && (sh->sh_flags & SHF_EXECINSTR)) {
		LOG_ERR("%s: the object requests an executable stack (.note.GNU-stack is "
		        "executable); rebuild without -z execstack or nested functions that "
		        "need trampolines",
		        what);
		return -ENOEXEC;
	}
	return (sh->sh_flags & SHF_ALLOC) ? check_loaded(e, i, what)
	                                  : check_unloaded(e, i, what, xndx);
}

/* The symbol table's shape, and its string table. */
static int check_symtab(struct llext_elf *e, const char *what)
{
	const Elf64_Shdr *st;
	int ret;

	if (!e->symtab) {
		LOG_ERR("%s: no symbol table", what);
		return -EINVAL;
	}
	st = e->shdr[e->symtab];
	if (st->sh_entsize != sizeof(Elf64_Sym) || st->sh_size % sizeof(Elf64_Sym) ||
	    st->sh_size == 0) {
		LOG_ERR("%s: symbol table: entry size %llu or size %llu is invalid", what,
		        (unsigned long long)st->sh_entsize, (unsigned long long)st->sh_size);
		return -EINVAL;
	}
	if (st->sh_link == 0 || st->sh_link >= e->shnum) {
		LOG_ERR("%s: symbol table: string table index %u is invalid", what, st->sh_link);
		return -EINVAL;
	}
	ret = check_strtab(e, st->sh_link, what, "symbol string table");
	if (ret) {
		return ret;
	}
	e->nsyms = st->sh_size / sizeof(Elf64_Sym);
	if (st->sh_info > e->nsyms) {
		LOG_ERR("%s: symbol table: first global %u is beyond its %zu entries", what,
		        st->sh_info, e->nsyms);
		return -EINVAL;
	}
	e->str = (const char *)e->image + e->shdr[st->sh_link]->sh_offset;
	e->str_size = e->shdr[st->sh_link]->sh_size;
	return 0;
}

/* A relocation section's target and shape; those of debug sections are not loaded. */
static int check_rela(const struct llext_elf *e, size_t i, const char *what)
{
	const Elf64_Shdr *sh = e->shdr[i];

	if (sh->sh_info == 0 || sh->sh_info >= e->shnum || sh->sh_info == i) {
		LOG_ERR("%s: relocation section %s: target section %u is invalid", what,
		        llext_elf_sect_name(e, i), sh->sh_info);
		return -EINVAL;
	}
	if (!(e->shdr[sh->sh_info]->sh_flags & SHF_ALLOC)) {
		return 0; /* relocates debug information: not loaded */
	}
	if (sh->sh_link != e->symtab) {
		LOG_ERR("%s: relocation section %s: symbol table index %u is not the symbol table "
		        "(%zu)",
		        what, llext_elf_sect_name(e, i), sh->sh_link, e->symtab);
		return -EINVAL;
	}
	if (sh->sh_entsize != sizeof(Elf64_Rela) || sh->sh_size % sizeof(Elf64_Rela)) {
		LOG_ERR("%s: relocation section %s: entry size %llu or size %llu is invalid", what,
		        llext_elf_sect_name(e, i), (unsigned long long)sh->sh_entsize,
		        (unsigned long long)sh->sh_size);
		return -EINVAL;
	}
	return 0;
}

static int check_sections(struct llext_elf *e, const char *what)
{
	size_t xndx = 0;
	int ret;

	for (size_t i = 1; i < e->shnum; i++) {
		ret = check_section(e, i, what, &xndx);
		if (ret) {
			return ret;
		}
	}
	ret = check_symtab(e, what);
	for (size_t i = 1; i < e->shnum && !ret; i++) {
		if (e->shdr[i]->sh_type == SHT_RELA) {
			ret = check_rela(e, i, what);
		}
	}
	if (!ret && xndx &&
	    (e->shdr[xndx]->sh_link != e->symtab ||
	     e->shdr[xndx]->sh_size < e->nsyms * sizeof(Elf32_Word))) {
		LOG_ERR("%s: extended section index table does not match the symbol table", what);
		ret = -EINVAL;
	}
	return ret;
}

/* A group section's header and members; true for a valid COMDAT group. */
static int check_group(const struct llext_elf *e, size_t i, const char *what, bool *comdat)
{
	const Elf64_Shdr *sh = e->shdr[i];
	const uint8_t *p = e->image + sh->sh_offset;
	uint32_t flags;

	if (sh->sh_link != e->symtab || sh->sh_info == 0 || sh->sh_info >= e->nsyms ||
	    sh->sh_entsize != 4 || sh->sh_size < 4 || sh->sh_size % 4 ||
	    e->syms[sh->sh_info].st_name >= e->str_size) {
		LOG_ERR("%s: group section %zu: bad symbol table link, signature or size", what, i);
		return -EINVAL;
	}
	for (uint64_t k = 4; k < sh->sh_size; k += 4) {
		uint32_t member;

		memcpy(&member, p + k, 4);
		if (member == 0 || member >= e->shnum || member == i) {
			LOG_ERR("%s: group section %zu: member %u is not a section", what, i,
			        member);
			return -EINVAL;
		}
	}
	memcpy(&flags, p, 4);
	*comdat = flags & GRP_COMDAT;
	return 0;
}

/* Marks the members of group section @grp as discarded. */
static int discard_group(struct llext_elf *e, size_t grp, const char *what)
{
	const Elf64_Shdr *sh = e->shdr[grp];

	if (!e->discarded) {
		e->discarded = llext_calloc(e->shnum, 1);
		if (!e->discarded) {
			return -ENOMEM;
		}
	}
	LOG_DBG("%s: dropping group %s (section %zu): an earlier group has its signature", what,
	        llext_elf_sym_name(e, sh->sh_info), grp);
	for (uint64_t off = 4; off < sh->sh_size; off += 4) {
		uint32_t member;

		memcpy(&member, e->image + sh->sh_offset + off, 4);
		e->discarded[member] = 1;
	}
	return 0;
}

/*
 * COMDAT groups: the first group of each signature is kept, later ones are dropped, as a linker
 * does. `ld -r` already leaves one copy per signature; this handles objects put together
 * otherwise. Symbols defined in dropped sections are resolved to the kept copy by name.
 */
static int check_groups(struct llext_elf *e, const char *what)
{
	/* Each COMDAT group's signature; the index keeps a name's first entry. The group section
	 * of sigs.syms[k] is grp[k]. */
	struct llext_symtable sigs = {0};
	size_t *grp = NULL;
	int ret = 0;

	for (size_t i = 1; i < e->shnum && !ret; i++) {
		bool comdat;

		if (e->shdr[i]->sh_type != SHT_GROUP) {
			continue;
		}
		ret = check_group(e, i, what, &comdat);
		if (ret || !comdat) {
			continue;
		}
		if (!sigs.syms) {
			sigs.syms = llext_calloc(e->shnum, sizeof(*sigs.syms));
			grp = llext_calloc(e->shnum, sizeof(*grp));
			if (!sigs.syms || !grp) {
				ret = -ENOMEM;
				break;
			}
		}
		sigs.syms[sigs.sym_cnt].name = llext_elf_sym_name(e, e->shdr[i]->sh_info);
		grp[sigs.sym_cnt++] = i;
	}
	if (!ret && sigs.sym_cnt) {
		ret = llext_symindex_build(&sigs);
	}
	for (size_t k = 0; k < sigs.sym_cnt && !ret; k++) {
		const char *sig = sigs.syms[k].name;

		if (llext_symtable_lookup(&sigs, sig, llext_hash(sig)) != &sigs.syms[k]) {
			ret = discard_group(e, grp[k], what);
		}
	}
	llext_symindex_free(&sigs);
	free(sigs.syms);
	free(grp);
	return ret;
}

/* Keeps @p (a copy of a table) until llext_elf_close(); frees it if it cannot. */
static int keep_copy(struct llext_elf *e, void *p)
{
	void **n = llext_realloc(e->owned, (e->nowned + 1) * sizeof(*n));

	if (!n) {
		free(p);
		return -ENOMEM;
	}
	e->owned = n;
	e->owned[e->nowned++] = p;
	return 0;
}

/* A section's contents as libelf reads them, aligned to @align (copied if needed). */
static const void *aligned_table(struct llext_elf *e, size_t idx, Elf_Type type, size_t align)
{
	Elf_Data *d = elf_getdata(elf_getscn(e->elf, idx), NULL);
	void *copy;

	if (!d || d->d_type != type || d->d_size != e->shdr[idx]->sh_size) {
		return NULL;
	}
	if ((uintptr_t)d->d_buf % align == 0) {
		return d->d_buf;
	}
	/* libelf hands out the file's bytes as they are; a misaligned table gets copied. */
	copy = llext_malloc(d->d_size ? d->d_size : 1);
	if (!copy || keep_copy(e, copy) != 0) {
		return NULL;
	}
	memcpy(copy, d->d_buf, d->d_size);
	return copy;
}

/*
 * The whole object as one block of memory: the loader's own (peek) if it has one, else read into
 * ours once every header has been seen to lie within it.
 */
static int read_image(struct llext_elf *e, struct llext_loader *ldr, const char *what)
{
	Elf64_Ehdr eh;
	int ret;

	ret = read_at(ldr, 0, &eh, sizeof(eh));
	if (ret) {
		LOG_ERR("%s: cannot read the ELF header (file too short?): %s", what,
		        strerror(-ret));
		return ret;
	}
	ret = check_ehdr(&eh, what);
	if (ret) {
		return ret;
	}
	e->machine = eh.e_machine;
	ret = find_extent(ldr, &eh, what, &e->size);
	if (ret) {
		return ret;
	}
	e->image = llext_peek(ldr, 0);
	if (e->image) {
		return 0;
	}
	e->copy = llext_malloc(e->size);
	if (!e->copy) {
		LOG_ERR("%s: cannot allocate %zu bytes to read the object", what, e->size);
		return -ENOMEM;
	}
	ret = read_at(ldr, 0, e->copy, e->size);
	if (ret) {
		LOG_ERR("%s: reading %zu bytes failed: %s", what, e->size, strerror(-ret));
		return ret;
	}
	e->image = e->copy;
	return 0;
}

/* libelf's view of the image, aligned copies of the section headers, and their names. */
static int read_headers(struct llext_elf *e, const char *what)
{
	size_t shstrndx;
	int ret;

	pthread_once(&libelf_once, libelf_init);
	if (!libelf_ok) {
		LOG_ERR("libelf: %s", elf_errmsg(-1));
		return -ENOMEM;
	}
	/* libelf reads the image in place (it never writes to it); tables it would hand out
	 * misaligned are copied by aligned_table(). */
	e->elf = elf_memory((char *)e->image, e->size);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF) {
		LOG_ERR("%s: libelf rejects the object: %s", what, elf_errmsg(-1));
		return -EINVAL;
	}
	if (elf_getshdrnum(e->elf, &e->shnum) != 0 || elf_getshdrstrndx(e->elf, &shstrndx) != 0) {
		LOG_ERR("%s: bad section count or name table index: %s", what, elf_errmsg(-1));
		return -EINVAL;
	}
	if (shstrndx == 0 || shstrndx >= e->shnum) {
		LOG_ERR("%s: section name table index %zu is invalid", what, shstrndx);
		return -EINVAL;
	}
	/* Copies of the headers: the file may place them at any alignment. */
	e->shdr = llext_calloc(e->shnum, sizeof(*e->shdr) + sizeof(Elf64_Shdr));
	if (!e->shdr) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < e->shnum; i++) {
		const Elf64_Shdr *sh = elf64_getshdr(elf_getscn(e->elf, i));

		if (!sh) {
			LOG_ERR("%s: section header %zu: %s", what, i, elf_errmsg(-1));
			return -EINVAL;
		}
		e->shdr[i] = (Elf64_Shdr *)(e->shdr + e->shnum) + i;
		memcpy(e->shdr[i], sh, sizeof(Elf64_Shdr));
	}
	/* Names are needed to report anything else, so their table is checked first. */
	ret = check_strtab(e, shstrndx, what, "section name table");
	if (ret) {
		return ret;
	}
	e->shstr_size = e->shdr[shstrndx]->sh_size;
	e->shstr = (const char *)e->image + e->shdr[shstrndx]->sh_offset;
	return 0;
}

/* The LLEXT_NEEDS() list: whole NUL-terminated names, in one section. */
static int read_needs(struct llext_elf *e, size_t i, const char *what)
{
	const Elf64_Shdr *sh = e->shdr[i];

	if (e->needs) {
		LOG_ERR("%s: more than one %s section", what, LLEXT_NEEDS_SECTION);
		return -EINVAL;
	}
	if (sh->sh_type == SHT_NOBITS || sh->sh_size == 0) {
		return 0;
	}
	if (sh->sh_flags & SHF_EXECINSTR) {
		/* Code is read only into the extension's memory (llext_elf_read_section()). */
		LOG_ERR("%s: %s is marked executable; it holds library names", what,
		        LLEXT_NEEDS_SECTION);
		return -EINVAL;
	}
	e->needs = (const char *)e->image + sh->sh_offset;
	e->needs_size = sh->sh_size;
	if (e->needs[e->needs_size - 1] != '\0') {
		LOG_ERR("%s: %s does not end with a NUL: its last library name is cut", what,
		        LLEXT_NEEDS_SECTION);
		return -EINVAL;
	}
	return 0;
}

/* The tables later stages read: symbols, extended indexes, relocations; and .eh_frame. */
static int read_tables(struct llext_elf *e, const char *what)
{
	e->syms = aligned_table(e, e->symtab, ELF_T_SYM, _Alignof(Elf64_Sym));
	e->rela = llext_calloc(e->shnum, sizeof(*e->rela));
	if (!e->syms || !e->rela) {
		LOG_ERR("%s: cannot read the symbol table: %s", what,
		        e->rela ? elf_errmsg(-1) : "out of memory");
		return e->rela ? -EINVAL : -ENOMEM;
	}
	for (size_t i = 1; i < e->shnum; i++) {
		const Elf64_Shdr *sh = e->shdr[i];

		if (sh->sh_type == SHT_SYMTAB_SHNDX) {
			e->xndx = aligned_table(e, i, ELF_T_WORD, _Alignof(Elf32_Word));
			if (!e->xndx) {
				LOG_ERR("%s: cannot read the extended section index table", what);
				return -EINVAL;
			}
		}
		if (sh->sh_type == SHT_RELA && (e->shdr[sh->sh_info]->sh_flags & SHF_ALLOC)) {
			e->rela[i].r = aligned_table(e, i, ELF_T_RELA, _Alignof(Elf64_Rela));
			if (!e->rela[i].r) {
				LOG_ERR("%s: cannot read relocation section %s: %s", what,
				        llext_elf_sect_name(e, i), elf_errmsg(-1));
				return -EINVAL;
			}
			e->rela[i].n = sh->sh_size / sizeof(Elf64_Rela);
		}
		if (!e->eh_frame && (sh->sh_flags & SHF_ALLOC) &&
		    strcmp(llext_elf_sect_name(e, i), ".eh_frame") == 0) {
			e->eh_frame = i;
		}
		if (strcmp(llext_elf_sect_name(e, i), LLEXT_NEEDS_SECTION) == 0) {
			int ret = read_needs(e, i, what);

			if (ret) {
				return ret;
			}
		}
	}
	return 0;
}

/*
 * GCC's -flto writes "slim" objects: its intermediate language in .gnu.lto_* sections and no
 * machine code, marked by the symbol __gnu_lto_slim. Loaded, one would be an empty extension.
 */
static int check_not_slim_lto(const struct llext_elf *e, const char *what)
{
	for (size_t i = e->shdr[e->symtab]->sh_info; i < e->nsyms; i++) {
		if (e->syms[i].st_name < e->str_size &&
		    strcmp(e->str + e->syms[i].st_name, "__gnu_lto_slim") == 0) {
			LOG_ERR(
			    "%s: a GCC LTO object holding only GCC's intermediate language, no "
			    "machine code (gcc -flto writes it); compile without -flto, or with "
			    "-flto -ffat-lto-objects",
			    what);
			return -ENOEXEC;
		}
	}
	return 0;
}

int llext_elf_read_section(const struct llext_elf *e, size_t i, void *out, const char *what)
{
	const Elf64_Shdr *sh = e->shdr[i];
	int ret;

	/* A loader that refuses a range refuses whole sections; both ends are asked all the same,
	 * lest bytes it does not hold be copied. */
	if (e->copy || (llext_peek(e->ldr, sh->sh_offset) &&
	                llext_peek(e->ldr, sh->sh_offset + sh->sh_size - 1))) {
		memcpy(out, e->image + sh->sh_offset, sh->sh_size);
		return 0;
	}
	ret = read_at(e->ldr, sh->sh_offset, out, sh->sh_size);
	if (ret) {
		LOG_ERR("%s: cannot read section %s: %s", what, llext_elf_sect_name(e, i),
		        strerror(-ret));
	}
	return ret;
}

int llext_elf_open(struct llext_elf *e, struct llext_loader *ldr, const char *what)
{
	int ret;

	memset(e, 0, sizeof(*e));
	e->ldr = ldr;
	ret = read_image(e, ldr, what);
	if (!ret) {
		ret = read_headers(e, what);
	}
	if (!ret) {
		ret = check_sections(e, what);
	}
	if (!ret) {
		ret = read_tables(e, what);
	}
	if (!ret) {
		ret = check_not_slim_lto(e, what);
	}
	if (!ret) {
		ret = check_groups(e, what);
	}
	return ret;
}

void llext_elf_close(struct llext_elf *e)
{
	if (e->elf) {
		elf_end(e->elf);
	}
	free(e->shdr);
	free(e->copy);
	free(e->rela);
	free(e->discarded);
	for (size_t i = 0; i < e->nowned; i++) {
		free(e->owned[i]);
	}
	free(e->owned);
	memset(e, 0, sizeof(*e));
}

void llext_elf_describe_rel(const struct llext_elf *e, const struct llext_arch *arch,
                            struct llext_relpos pos, char *buf, size_t len)
{
	const Elf64_Rela *r = &e->rela[pos.sec].r[pos.idx];
	size_t symi = ELF64_R_SYM(r->r_info);
	char tbuf[24];

	snprintf(buf, len, "%s at %s+0x%llx against '%s'",
	         llext_arch_reloc_name(arch, (uint32_t)ELF64_R_TYPE(r->r_info), tbuf),
	         llext_elf_sect_name(e, e->shdr[pos.sec]->sh_info), (unsigned long long)r->r_offset,
	         symi < e->nsyms ? llext_elf_sym_name(e, symi) : "?");
}
