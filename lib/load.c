// SPDX-License-Identifier: MIT
/*
 * Reading and validating the ELF object, and the order of the load stages.
 *
 * Every offset, size, index and count taken from the file is checked here, before anything else
 * uses it: the file is untrusted input. What cannot be checked until symbols or relocations are
 * looked at is checked in link.c, before use as well.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llext_priv.h"

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

static int check_ehdr(const Elf64_Ehdr *eh, const char *what)
{
	const struct llext_arch *host = llext_arch_host();
	const struct llext_arch *arch;

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

/*
 * Work out how many bytes the object spans (headers and every section with file contents),
 * reading the section headers through the loader, and prove that the loader has them all by
 * reading the last byte. Only then is the object handed to libelf as one block of memory.
 */
static int find_extent(struct llext_loader *ldr, const Elf64_Ehdr *eh, const char *what,
                       size_t *extent)
{
	Elf64_Shdr chunk[64];
	uint64_t shnum = eh->e_shnum, table_end, end = eh->e_ehsize;
	uint8_t last;
	int ret;

	if (shnum == 0) {
		/* Extended numbering: the count is in section 0's sh_size. */
		ret = read_at(ldr, eh->e_shoff, chunk, sizeof(chunk[0]));
		if (ret) {
			LOG_ERR("%s: cannot read section header 0 at 0x%llx: %s", what,
			        (unsigned long long)eh->e_shoff, strerror(-ret));
			return ret;
		}
		shnum = chunk[0].sh_size;
		if (shnum == 0) {
			LOG_ERR("%s: no sections", what);
			return -EINVAL;
		}
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

		ret =
		    read_at(ldr, eh->e_shoff + i * sizeof(Elf64_Shdr), chunk, n * sizeof(chunk[0]));
		if (ret) {
			LOG_ERR("%s: cannot read section headers %llu..%llu at 0x%llx (file "
			        "truncated?): %s",
			        what, (unsigned long long)i, (unsigned long long)(i + n - 1),
			        (unsigned long long)(eh->e_shoff + i * sizeof(Elf64_Shdr)),
			        strerror(-ret));
			return ret;
		}
		for (size_t j = 0; j < n; j++) {
			uint64_t send;

			/* Every section but 0 and NOBITS ones must have its bytes in the file,
			 * whatever its type: this is the only check of their extent. */
			if (chunk[j].sh_type == SHT_NOBITS || i + j == 0) {
				continue;
			}
			if (add_overflows(chunk[j].sh_offset, chunk[j].sh_size, &send)) {
				LOG_ERR("%s: section %llu: offset 0x%llx + size 0x%llx overflows",
				        what, (unsigned long long)(i + j),
				        (unsigned long long)chunk[j].sh_offset,
				        (unsigned long long)chunk[j].sh_size);
				return -EINVAL;
			}
			if (send > end) {
				end = send;
			}
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

const char *llext_elf_sect_name(const struct llext_elf *e, size_t idx)
{
	if (idx >= e->shnum || e->shdr[idx]->sh_name >= e->shstr_size) {
		return "?";
	}
	return e->shstr + e->shdr[idx]->sh_name;
}

/* Names for messages: never trusting an index or offset that may not have been checked yet. */
const char *llext_elf_sym_name(const struct llext_elf *e, size_t idx)
{
	const Elf64_Sym *s;

	if (idx == 0 || idx >= e->nsyms) {
		return "";
	}
	s = &e->syms[idx];
	if (ELF64_ST_TYPE(s->st_info) == STT_SECTION) {
		return llext_elf_sect_name(e, llext_elf_sym_shndx(e, idx));
	}
	return s->st_name < e->str_size ? e->str + s->st_name : "?";
}

size_t llext_elf_sym_shndx(const struct llext_elf *e, size_t idx)
{
	uint16_t shndx = e->syms[idx].st_shndx;

	if (shndx == SHN_XINDEX && e->xndx) {
		return e->xndx[idx];
	}
	return shndx;
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

static int check_sections(struct llext_elf *e, const char *what)
{
	size_t xndx = 0;
	int ret;

	for (size_t i = 1; i < e->shnum; i++) {
		const Elf64_Shdr *sh = e->shdr[i];
		const char *name;

		if (sh->sh_name >= e->shstr_size) {
			LOG_ERR("%s: section %zu: name offset %u is outside the section name table",
			        what, i, sh->sh_name);
			return -EINVAL;
		}
		name = e->shstr + sh->sh_name;
		if (sh->sh_addralign & (sh->sh_addralign - 1)) {
			LOG_ERR("%s: section %s: alignment 0x%llx is not a power of two", what,
			        name, (unsigned long long)sh->sh_addralign);
			return -EINVAL;
		}
		if ((sh->sh_flags & SHF_ALLOC) && sh->sh_addralign > MAX_SECTION_ALIGN) {
			LOG_ERR("%s: section %s: alignment 0x%llx exceeds the supported 0x%llx",
			        what, name, (unsigned long long)sh->sh_addralign,
			        (unsigned long long)MAX_SECTION_ALIGN);
			return -EINVAL;
		}
		if (strcmp(name, ".note.GNU-stack") == 0 && (sh->sh_flags & SHF_EXECINSTR)) {
			LOG_ERR(
			    "%s: the object requests an executable stack (.note.GNU-stack is "
			    "executable); rebuild without -z execstack or nested functions that "
			    "need trampolines",
			    what);
			return -ENOEXEC;
		}
		if (!(sh->sh_flags & SHF_ALLOC)) {
			switch (sh->sh_type) {
			case SHT_SYMTAB:
				if (e->symtab) {
					LOG_ERR("%s: more than one symbol table", what);
					return -EINVAL;
				}
				e->symtab = i;
				break;
			case SHT_SYMTAB_SHNDX:
				xndx = i;
				break;
			case SHT_REL:
				if (sh->sh_info < e->shnum &&
				    (e->shdr[sh->sh_info]->sh_flags & SHF_ALLOC)) {
					LOG_ERR(
					    "%s: section %s: SHT_REL relocations are not used on "
					    "%s and are not supported",
					    what, name, llext_arch_host()->name);
					return -ENOEXEC;
				}
				break;
			default:
				break;
			}
			continue;
		}
		if ((sh->sh_flags & SHF_WRITE) && (sh->sh_flags & SHF_EXECINSTR)) {
			LOG_ERR("%s: section %s is writable and executable; W^X forbids it", what,
			        name);
			return -ENOEXEC;
		}
		if (sh->sh_flags & SHF_TLS) {
			LOG_ERR(
			    "%s: section %s holds thread-local storage, which extensions cannot "
			    "have",
			    what, name);
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
			LOG_ERR("%s: section %s of type %u must not be allocated", what, name,
			        sh->sh_type);
			return -EINVAL;
		default:
			break;
		}
	}

	if (!e->symtab) {
		LOG_ERR("%s: no symbol table", what);
		return -EINVAL;
	}
	{
		const Elf64_Shdr *st = e->shdr[e->symtab];

		if (st->sh_entsize != sizeof(Elf64_Sym) || st->sh_size % sizeof(Elf64_Sym) ||
		    st->sh_size == 0) {
			LOG_ERR("%s: symbol table: entry size %llu or size %llu is invalid", what,
			        (unsigned long long)st->sh_entsize,
			        (unsigned long long)st->sh_size);
			return -EINVAL;
		}
		if (st->sh_link == 0 || st->sh_link >= e->shnum) {
			LOG_ERR("%s: symbol table: string table index %u is invalid", what,
			        st->sh_link);
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
	}

	for (size_t i = 1; i < e->shnum; i++) {
		const Elf64_Shdr *sh = e->shdr[i];

		if (sh->sh_type != SHT_RELA) {
			continue;
		}
		if (sh->sh_info == 0 || sh->sh_info >= e->shnum || sh->sh_info == i) {
			LOG_ERR("%s: relocation section %s: target section %u is invalid", what,
			        llext_elf_sect_name(e, i), sh->sh_info);
			return -EINVAL;
		}
		if (!(e->shdr[sh->sh_info]->sh_flags & SHF_ALLOC)) {
			continue; /* relocates debug information: not loaded */
		}
		if (sh->sh_link != e->symtab) {
			LOG_ERR(
			    "%s: relocation section %s: symbol table index %u is not the symbol "
			    "table (%zu)",
			    what, llext_elf_sect_name(e, i), sh->sh_link, e->symtab);
			return -EINVAL;
		}
		if (sh->sh_entsize != sizeof(Elf64_Rela) || sh->sh_size % sizeof(Elf64_Rela)) {
			LOG_ERR(
			    "%s: relocation section %s: entry size %llu or size %llu is invalid",
			    what, llext_elf_sect_name(e, i), (unsigned long long)sh->sh_entsize,
			    (unsigned long long)sh->sh_size);
			return -EINVAL;
		}
	}

	if (xndx) {
		const Elf64_Shdr *sh = e->shdr[xndx];

		if (sh->sh_link != e->symtab || sh->sh_size < e->nsyms * sizeof(Elf32_Word)) {
			LOG_ERR("%s: extended section index table does not match the symbol table",
			        what);
			return -EINVAL;
		}
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
	/* Each COMDAT group's signature, named after it; the index keeps a name's first entry. */
	struct llext_symtable sigs = {0};
	int ret = 0;

	for (size_t i = 1; i < e->shnum; i++) {
		const Elf64_Shdr *sh = e->shdr[i];
		const uint8_t *p;
		uint32_t flags;

		if (sh->sh_type != SHT_GROUP) {
			continue;
		}
		p = e->image + sh->sh_offset;
		if (sh->sh_link != e->symtab || sh->sh_info == 0 || sh->sh_info >= e->nsyms ||
		    sh->sh_entsize != 4 || sh->sh_size < 4 || sh->sh_size % 4 ||
		    e->syms[sh->sh_info].st_name >= e->str_size) {
			LOG_ERR("%s: group section %zu: bad symbol table link, signature or size",
			        what, i);
			ret = -EINVAL;
			goto out;
		}
		for (uint64_t k = 4; k < sh->sh_size; k += 4) {
			uint32_t member;

			memcpy(&member, p + k, 4);
			if (member == 0 || member >= e->shnum || member == i) {
				LOG_ERR("%s: group section %zu: member %u is not a section", what,
				        i, member);
				ret = -EINVAL;
				goto out;
			}
		}
		memcpy(&flags, p, 4);
		if (!(flags & GRP_COMDAT)) {
			continue;
		}
		if (!sigs.syms) {
			sigs.syms = llext_calloc(e->shnum, sizeof(*sigs.syms));
			if (!sigs.syms) {
				return -ENOMEM;
			}
		}
		sigs.syms[sigs.sym_cnt].name = llext_elf_sym_name(e, sh->sh_info);
		sigs.syms[sigs.sym_cnt].addr = (void *)(uintptr_t)i;
		sigs.sym_cnt++;
	}
	if (!sigs.sym_cnt || (ret = llext_symindex_build(&sigs)) != 0) {
		goto out;
	}

	for (size_t k = 0; k < sigs.sym_cnt; k++) {
		const char *sig = sigs.syms[k].name;
		const Elf64_Shdr *sh;

		if (llext_symtable_lookup(&sigs, sig, llext_hash(sig)) == &sigs.syms[k]) {
			continue; /* the first group of its signature: kept */
		}
		if (!e->discarded) {
			e->discarded = llext_calloc(e->shnum, 1);
			if (!e->discarded) {
				ret = -ENOMEM;
				goto out;
			}
		}
		sh = e->shdr[(uintptr_t)sigs.syms[k].addr];
		LOG_DBG("%s: dropping group %s (section %zu): an earlier group has its signature",
		        what, sig, (size_t)(uintptr_t)sigs.syms[k].addr);
		for (uint64_t off = 4; off < sh->sh_size; off += 4) {
			uint32_t member;

			memcpy(&member, e->image + sh->sh_offset + off, 4);
			e->discarded[member] = 1;
		}
	}
out:
	llext_symindex_free(&sigs);
	free(sigs.syms);
	return ret;
}

static int own(struct llext_elf *e, void *p)
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

const void *llext_elf_data(struct llext_elf *e, size_t idx, Elf_Type type, size_t align)
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
	if (!copy || own(e, copy) != 0) {
		return NULL;
	}
	memcpy(copy, d->d_buf, d->d_size);
	return copy;
}

int llext_elf_open(struct llext_elf *e, struct llext_loader *ldr, const char *what)
{
	Elf64_Ehdr eh;
	size_t shstrndx;
	int ret;

	memset(e, 0, sizeof(*e));
	e->ldr = ldr;

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
	if (!e->image) {
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
	}

	pthread_once(&libelf_once, libelf_init);
	if (!libelf_ok) {
		LOG_ERR("libelf: %s", elf_errmsg(-1));
		return -ENOMEM;
	}
	/* libelf reads the image in place (it never writes to it); tables it would hand out
	 * misaligned are copied by llext_elf_data(). */
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

	ret = check_sections(e, what);
	if (ret) {
		return ret;
	}
	e->syms = llext_elf_data(e, e->symtab, ELF_T_SYM, _Alignof(Elf64_Sym));
	if (!e->syms) {
		LOG_ERR("%s: cannot read the symbol table: %s", what, elf_errmsg(-1));
		return -EINVAL;
	}
	for (size_t i = 1; i < e->shnum; i++) {
		if (e->shdr[i]->sh_type == SHT_SYMTAB_SHNDX) {
			e->xndx = llext_elf_data(e, i, ELF_T_WORD, _Alignof(Elf32_Word));
			if (!e->xndx) {
				LOG_ERR("%s: cannot read the extended section index table", what);
				return -EINVAL;
			}
		}
		if (!e->eh_frame && (e->shdr[i]->sh_flags & SHF_ALLOC) &&
		    strcmp(llext_elf_sect_name(e, i), ".eh_frame") == 0) {
			e->eh_frame = i;
		}
	}
	return check_groups(e, what);
}

void llext_elf_close(struct llext_elf *e)
{
	if (e->elf) {
		elf_end(e->elf);
	}
	free(e->shdr);
	free(e->copy);
	free(e->discarded);
	for (size_t i = 0; i < e->nowned; i++) {
		free(e->owned[i]);
	}
	free(e->owned);
	memset(e, 0, sizeof(*e));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int llext_do_load(struct llext_load *ld, struct llext_loader *ldr)
{
	struct llext_internal *ie = ld->ie;
	uint64_t t0, t1, t2;
	int ret;

	t0 = now_ns();
	ret = llext_elf_open(&ld->elf, ldr, ld->name);
	if (ret) {
		return ret;
	}
	ld->arch = ie->arch = llext_arch_host();
	ld->sect = llext_calloc(ld->elf.shnum, sizeof(*ld->sect));
	ld->sym = llext_calloc(ld->elf.nsyms, sizeof(*ld->sym));
	ie->sect_addr = llext_calloc(ld->elf.shnum, sizeof(*ie->sect_addr));
	ie->reloc_counts =
	    llext_calloc(ld->arch->nrelocs ? ld->arch->nrelocs : 1, sizeof(*ie->reloc_counts));
	if (!ld->sect || !ld->sym || !ie->sect_addr || !ie->reloc_counts) {
		LOG_ERR("%s: out of memory", ld->name);
		return -ENOMEM;
	}
	ie->nsect = ld->elf.shnum;

	t1 = now_ns();
	llext_mem_classify(ld);
	ret = llext_link_resolve(ld);
	if (!ret) {
		ret = llext_link_scan(ld);
	}
	if (!ret) {
		ret = llext_mem_layout(ld);
	}
	if (!ret) {
		ret = llext_mem_place(ld);
	}
	if (ret) {
		return ret;
	}

	t2 = now_ns();
	ret = llext_mem_copy(ld);
	if (!ret) {
		ret = llext_link_relocate(ld);
	}
	if (!ret) {
		ret = llext_link_finish(ld);
	}
	if (!ret) {
		ret = llext_mem_protect(ld);
	}
	if (ret) {
		return ret;
	}
	if (ld->elf.eh_frame && ld->sect[ld->elf.eh_frame].region != LLEXT_MEM_COUNT) {
		const struct llext_sect *s = &ld->sect[ld->elf.eh_frame];
		uint64_t text = (uintptr_t)ie->pub.mem[LLEXT_MEM_TEXT];

		ret = llext_unwind_check(ie->map + s->offset,
		                         ld->elf.shdr[ld->elf.eh_frame]->sh_size, s->addr, text,
		                         text + ie->pub.mem_size[LLEXT_MEM_TEXT], ld->name);
		if (ret) {
			return ret;
		}
		llext_unwind_register(ie, (void *)(uintptr_t)s->addr);
	}
	llext_debug_register(ld);
	ie->stats.parse_ns = t1 - t0;
	ie->stats.place_ns = t2 - t1;
	ie->stats.link_ns = now_ns() - t2;
	ldr->prog_data_size = ie->pub.mem_size[LLEXT_MEM_DATA];
	return 0;
}

LLEXT_EXPORT ssize_t llext_find_section(struct llext_loader *loader, const char *search_name)
{
	struct llext_elf e;
	ssize_t ret = -ENOENT;
	int err;

	if (!loader || !search_name) {
		return -EINVAL;
	}
	if (loader->prepare) {
		err = loader->prepare(loader);
		if (err) {
			return err;
		}
	}
	err = llext_elf_open(&e, loader, "llext_find_section");
	if (err) {
		ret = err;
	} else {
		for (size_t i = 1; i < e.shnum; i++) {
			if (strcmp(llext_elf_sect_name(&e, i), search_name) == 0) {
				ret = (ssize_t)e.shdr[i]->sh_offset;
				break;
			}
		}
	}
	llext_elf_close(&e);
	if (loader->finalize) {
		loader->finalize(loader);
	}
	return ret;
}
