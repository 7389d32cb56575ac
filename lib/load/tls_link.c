// SPDX-License-Identifier: MIT
/*
 * Thread-local storage while loading: where each SHF_TLS section goes in the extension's TLS
 * block (a stage, before resolution, which gives TLS symbols their offsets), which TLS
 * relocations are refused, and the GOT entries of the dynamic models, which scan.c counts and
 * reloc.c fills through the helpers here.
 *
 * The block is the TLS sections one after the other, each at its own alignment, like a linker's
 * PT_TLS segment; .tdata sections stay in the rodata region, as the images a new block is
 * initialised from (tls.c), and .tbss sections take no room in the reservation. GOT items:
 *
 *   descriptor  {resolver, module, offset}   one per symbol with a TLSDESC or GD relocation;
 *   GD pair     {module, offset}             its last two entries (__tls_get_addr's argument);
 *   LD pair     {module, 0}                  one per extension.
 *
 * All of it is written before rodata becomes read-only and never changes: the resolver finds a
 * thread's block by itself, so descriptors need no lazy update.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "load/load.h"
#include "runtime/ext.h"
#include "runtime/tls.h"
#include "runtime/tls_static.h"

/* What one extension's block may hold, and how it may be aligned: per thread, from the heap. */
#define TLS_MAX_SIZE ((uint64_t)64 << 20)
#define TLS_MAX_ALIGN ((uint64_t)64 << 10)

static bool is_tls_sect(const struct llext_load *ld, size_t i)
{
	const Elf64_Shdr *sh = ld->elf.shdr[i];

	return (sh->sh_flags & (SHF_TLS | SHF_ALLOC)) == (SHF_TLS | SHF_ALLOC) &&
	       !(ld->elf.discarded && ld->elf.discarded[i]);
}

/* A TLS section's header, from the file: checked here rather than in elf.c, which keeps to
 * what every loaded section must be. */
static int check_tls_sect(const struct llext_load *ld, size_t i)
{
	const Elf64_Shdr *sh = ld->elf.shdr[i];
	const char *name = llext_elf_sect_name(&ld->elf, i);

	if ((sh->sh_flags & SHF_EXECINSTR) || !(sh->sh_flags & SHF_WRITE) ||
	    (sh->sh_type != SHT_PROGBITS && sh->sh_type != SHT_NOBITS)) {
		LOG_ERR("%s: thread-local section %s must be writable data (SHF_WRITE, not "
		        "SHF_EXECINSTR; SHT_PROGBITS or SHT_NOBITS)",
		        ld->name, name);
		return -EINVAL;
	}
	if (sh->sh_addralign > TLS_MAX_ALIGN || sh->sh_size > TLS_MAX_SIZE) {
		LOG_ERR("%s: thread-local section %s: size 0x%llx or alignment 0x%llx is more than "
		        "the 0x%llx and 0x%llx an extension's thread-local block may have",
		        ld->name, name, (unsigned long long)sh->sh_size,
		        (unsigned long long)sh->sh_addralign, (unsigned long long)TLS_MAX_SIZE,
		        (unsigned long long)TLS_MAX_ALIGN);
		return -EINVAL;
	}
	return 0;
}

/*
 * Whether the object's code uses initial- or local-exec against its own variables (a symbol of
 * one of its TLS sections, anchors included), which needs its block in static TLS; false too
 * if a TLS section has relocations, which the copy the C library makes of the image would not
 * get.
 */
static bool own_fixed(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	bool fixed = false;

	for (size_t sec = 1; sec < e->shnum; sec++) {
		if (!e->rela[sec].r) {
			continue;
		}
		if (e->shdr[sec]->sh_info < e->shnum && is_tls_sect(ld, e->shdr[sec]->sh_info) &&
		    e->rela[sec].n) {
			snprintf(ld->tls_static_why, sizeof(ld->tls_static_why),
			         "an initial value in %s needs a relocation",
			         llext_elf_sect_name(e, e->shdr[sec]->sh_info));
			return false;
		}
		for (size_t k = 0; k < e->rela[sec].n && !fixed; k++) {
			const Elf64_Rela *r = &e->rela[sec].r[k];
			const struct llext_reloc_desc *d =
			    llext_load_desc(ld, (uint32_t)ELF64_R_TYPE(r->r_info));
			size_t symi = ELF64_R_SYM(r->r_info), shndx;

			if (!d || !(d->flags & LLEXT_RF_TLS_FIXED) || symi >= e->nsyms) {
				continue;
			}
			shndx = llext_elf_sym_shndx(e, symi);
			/* A dropped COMDAT group's variable: resolution makes it the kept one. */
			fixed = shndx && shndx < e->shnum &&
			        (is_tls_sect(ld, shndx) || (e->discarded && e->discarded[shndx] &&
			                                    (e->shdr[shndx]->sh_flags & SHF_TLS)));
		}
	}
	return fixed;
}

/* The block in static TLS, through the C library (runtime/tls_static.c), its image the TLS
 * sections' bytes; if the C library cannot, the block stays libllext's and the scan refuses
 * the relocations that needed it. */
static int place_static(struct llext_load *ld, uint64_t size, uint64_t align)
{
	uint64_t filesz = 0;
	uint8_t *image;
	char why[200];
	struct llext_tls_asked *h;
	int64_t tpoff;
	size_t modid;

	/* Only the initialised part goes into the library's file: the rest of the block is zero
	 * however large .tbss is. */
	for (size_t i = 1; i < ld->elf.shnum; i++) {
		const Elf64_Shdr *sh = ld->elf.shdr[i];

		if (is_tls_sect(ld, i) && sh->sh_type == SHT_PROGBITS && sh->sh_size &&
		    ld->sect[i].tls_off + sh->sh_size > filesz) {
			filesz = ld->sect[i].tls_off + sh->sh_size;
		}
	}
	image = llext_calloc(1, filesz ? filesz : 1);
	if (!image) {
		return -ENOMEM;
	}
	for (size_t i = 1; i < ld->elf.shnum; i++) {
		const Elf64_Shdr *sh = ld->elf.shdr[i];
		int ret;

		if (is_tls_sect(ld, i) && sh->sh_type == SHT_PROGBITS && sh->sh_size) {
			ret = llext_elf_read_section(&ld->elf, i, image + ld->sect[i].tls_off,
			                             "thread-local image");
			if (ret) {
				free(image);
				return ret;
			}
		}
	}
	h = llext_tls_static_block(image, filesz, size, align, &tpoff, &modid, why, sizeof(why));
	free(image);
	if (!h) {
		LOG_DBG("%s: no static TLS for the extension's block: %s", ld->name, why);
		snprintf(ld->tls_static_why, sizeof(ld->tls_static_why), "%s", why);
		return 0;
	}
	llext_tls_module_static(ld->ie, h, tpoff, modid);
	return 0;
}

int llext_tls_layout(struct llext_load *ld)
{
	uint64_t size = 0, align = 1;
	size_t ninit = 0, nsect = 0;
	int ret;

	for (size_t i = 1; i < ld->elf.shnum; i++) {
		const Elf64_Shdr *sh = ld->elf.shdr[i];
		uint64_t a = sh->sh_addralign ? sh->sh_addralign : 1;

		if (!is_tls_sect(ld, i)) {
			continue;
		}
		ret = check_tls_sect(ld, i);
		if (ret) {
			return ret;
		}
		/* Both bounded above: no overflow. */
		ld->sect[i].tls_off = llext_align_up(size, a);
		size = ld->sect[i].tls_off + sh->sh_size;
		align = a > align ? a : align;
		ninit += sh->sh_type == SHT_PROGBITS && sh->sh_size;
		nsect++;
		if (size > TLS_MAX_SIZE) {
			LOG_ERR("%s: %llu bytes of thread-local storage, more than the %llu an "
			        "extension may have",
			        ld->name, (unsigned long long)size,
			        (unsigned long long)TLS_MAX_SIZE);
			return -ENOEXEC;
		}
	}
	if (!nsect) {
		return 0;
	}
	ret = llext_tls_module_new(ld->ie, size, align, ninit);
	if (!ret && own_fixed(ld)) {
		ret = place_static(ld, size, align);
	}
	if (ret == -ENOMEM) {
		LOG_ERR("%s: out of memory", ld->name);
	}
	return ret;
}

bool llext_tls_sym(const struct llext_load *ld, const struct llext_symval *v)
{
	if (v->kind == LLEXT_SYM_ALIAS) {
		v = &ld->sym[v->alias];
	}
	return v->kind == LLEXT_SYM_TLS || v->kind == LLEXT_SYM_TLS_OUT;
}

bool llext_tls_wants_static(struct llext_load *ld, size_t symi)
{
	const struct llext_elf *e = &ld->elf;

	/* Once per variable defined outside that the object uses, which few objects have. */
	for (size_t sec = 1; sec < e->shnum; sec++) {
		for (size_t k = 0; e->rela[sec].r && k < e->rela[sec].n; k++) {
			const Elf64_Rela *r = &e->rela[sec].r[k];
			const struct llext_reloc_desc *d;

			if (ELF64_R_SYM(r->r_info) != symi) {
				continue;
			}
			d = llext_load_desc(ld, (uint32_t)ELF64_R_TYPE(r->r_info));
			if (d && (d->flags & LLEXT_RF_TLS_IE)) {
				return true;
			}
		}
	}
	return false;
}

/*
 * A variable defined outside: general dynamic and descriptors name its module, which our
 * __tls_get_addr() and resolvers handle; initial-exec needs its block in static TLS, at one
 * offset from the thread pointer in every thread; local-exec and the local dynamic offsets
 * (DTPOFF) assume the variable is in the extension's own block.
 */
static const char *refuse_outside(struct llext_load *ld, const struct llext_reloc_desc *d,
                                  size_t symi)
{
	const char *name = llext_elf_sym_name(&ld->elf, symi);
	int64_t tpoff;

	/* The markers of a descriptor sequence (TLSDESC_CALL, AArch64's TLSDESC_LDR and _ADD)
	 * patch nothing: the descriptor its other relocations name does the work. */
	if ((d->flags & (LLEXT_RF_TLS_GD | LLEXT_RF_TLS_DESC)) || d->size == 0) {
		return NULL;
	}
	if ((d->flags & LLEXT_RF_TLS_IE) &&
	    llext_tls_static_offset(ld->tls_out[ld->sym[symi].alias], &tpoff)) {
		return NULL;
	}
	if (d->flags & LLEXT_RF_TLS_IE) {
		snprintf(
		    ld->why, sizeof(ld->why),
		    "'%s' uses initial-exec thread-local storage, but is defined in an extension "
		    "or a library opened later, whose variables are not at a fixed offset from "
		    "the thread pointer (not in static TLS%s%s); build the extension with -fPIC "
		    "or -ftls-model=global-dynamic",
		    name, *ld->tls_static_why ? ", and the C library gives none: " : "",
		    ld->tls_static_why);
		return ld->why;
	}
	snprintf(ld->why, sizeof(ld->why),
	         "'%s' is defined outside the extension, and this relocation (%s) reaches only "
	         "the extension's own thread-local variables; build the extension with -fPIC or "
	         "-ftls-model=global-dynamic",
	         name, (d->flags & LLEXT_RF_TLS_FIXED) ? "local-exec" : "a module offset");
	return ld->why;
}

/*
 * The variable a relocation names, for messages: GCC's AArch64 code refers to local variables
 * through a section anchor (.LANCHOR0 + A); the variable is the named symbol of the same section
 * that covers the place.
 */
static const char *var_name(const struct llext_load *ld, size_t symi, int64_t A)
{
	const struct llext_elf *e = &ld->elf;
	const char *name = llext_elf_sym_name(e, symi);
	size_t shndx = llext_elf_sym_shndx(e, symi);
	uint64_t off = e->syms[symi].st_value + (uint64_t)A;

	if (*name != '.' || shndx == SHN_UNDEF || shndx >= SHN_LORESERVE) {
		return name;
	}
	for (size_t i = 1; i < e->nsyms; i++) {
		const Elf64_Sym *s = &e->syms[i];
		const char *n = llext_elf_sym_name(e, i);

		if (llext_elf_sym_shndx(e, i) == shndx && ELF64_ST_TYPE(s->st_info) == STT_TLS &&
		    *n != '.' && *n != '$' && off >= s->st_value &&
		    off - s->st_value < s->st_size) {
			return n;
		}
	}
	return name;
}

const char *llext_tls_refuse(struct llext_load *ld, const struct llext_reloc_desc *d,
                             const Elf64_Rela *r)
{
	size_t symi = ELF64_R_SYM(r->r_info);
	const struct llext_symval *v = &ld->sym[symi];
	bool tls = llext_tls_sym(ld, v);

	int64_t tpoff;

	if (v->kind == LLEXT_SYM_TLS_OUT && (d->flags & LLEXT_RF_TLS)) {
		return refuse_outside(ld, d, symi);
	}
	if ((d->flags & LLEXT_RF_TLS_FIXED) && tls && ld->ie->tls &&
	    llext_tls_static_offset(ld->ie->tls, &tpoff)) {
		return NULL; /* its own variable, in a block in static TLS */
	}
	if (d->flags & LLEXT_RF_TLS_FIXED) {
		/* The C library's room for blocks of libraries opened later is used up: say how
		 * to get more, besides building without the fixed-offset models. */
		bool full = strstr(ld->tls_static_why, "static TLS") != NULL;

		snprintf(ld->why, sizeof(ld->why),
		         "'%s' uses initial-exec or local-exec thread-local storage, which needs a "
		         "fixed offset from the thread pointer, and the extension's block gets no "
		         "static TLS%s%s; build with -fPIC or -ftls-model=global-dynamic%s",
		         var_name(ld, symi, r->r_addend), *ld->tls_static_why ? ": " : "",
		         ld->tls_static_why,
		         full ? ", or give the C library more room with GLIBC_TUNABLES="
		                "glibc.rtld.optional_static_tls=N (bytes)"
		              : "");
		return ld->why;
	}
	if ((d->flags & (LLEXT_RF_TLS_GD | LLEXT_RF_TLS_LD | LLEXT_RF_TLS_DESC)) && !ld->ie->tls &&
	    v->kind != LLEXT_SYM_TLS_OUT) {
		/* _TLS_MODULE_BASE_ in an object without a TLS section: no module to name. */
		return "a thread-local relocation in an object without thread-local sections";
	}
	if ((d->flags & LLEXT_RF_TLS) && !tls) {
		return "a thread-local relocation against a symbol that is not thread-local";
	}
	if (!(d->flags & LLEXT_RF_TLS) && tls) {
		return "the symbol is thread-local: its address differs in every thread, and this "
		       "relocation type cannot reach it";
	}
	return NULL;
}

void llext_tls_count(struct llext_load *ld, const struct llext_reloc_desc *d,
                     struct llext_symval *v)
{
	if (d->flags & LLEXT_RF_TLS_LD) {
		if (!ld->tls_ld_got) {
			ld->tls_ld_got = (uint32_t)ld->ngot + 1;
			ld->ngot += 2;
		}
	} else if ((d->flags & (LLEXT_RF_TLS_GD | LLEXT_RF_TLS_DESC)) && !v->tls_got) {
		v->tls_got = (uint32_t)ld->ngot + 1;
		ld->ngot += 3;
	} else if ((d->flags & LLEXT_RF_TLS_IE) && !v->got) {
		/* The symbol's ordinary entry, which no other relocation of a thread-local
		 * variable uses: it holds the offset from the thread pointer. */
		v->got = (uint32_t)++ld->ngot;
	}
}

/* The module the GOT items of @v name: the extension's, or the one its variable is in. */
static struct llext_tls_module *module_of(const struct llext_load *ld, const struct llext_symval *v)
{
	if (v->kind == LLEXT_SYM_TLS_OUT) {
		return ld->tls_out[v->alias];
	}
	return ld->ie->tls;
}

/* The entries initial-exec code reads: the variable's offset from the thread pointer. */
static void write_tpoff(struct llext_load *ld)
{
	uint8_t *got = ld->ie->map + ld->got_off;

	for (size_t i = 1; i < ld->elf.nsyms; i++) {
		const struct llext_symval *v = &ld->sym[i];
		int64_t tpoff;
		uint32_t got_item = v->got;

		/* An alias has its own GOT item, and its target's kind and offset. */
		if (v->kind == LLEXT_SYM_ALIAS) {
			v = &ld->sym[v->alias];
		}
		if (v->kind == LLEXT_SYM_TLS_OUT && got_item &&
		    llext_tls_static_offset(ld->tls_out[v->alias], &tpoff)) {
			llext_put_le(got + (got_item - 1) * 8, (uint64_t)tpoff + v->addr, 8);
		} else if (v->kind == LLEXT_SYM_TLS && got_item && ld->ie->tls &&
		           llext_tls_static_offset(ld->ie->tls, &tpoff)) {
			llext_put_le(got + (got_item - 1) * 8, (uint64_t)tpoff + v->addr, 8);
		}
	}
}

void llext_tls_write_got(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	uint8_t *got = ie->map + ld->got_off;
	struct llext_tls_init *init;
	uint64_t mod = (uintptr_t)ie->tls;
	size_t k = 0;

	write_tpoff(ld);
	if (!ie->tls && !ld->ntls_out) {
		return;
	}
	init = ie->tls ? llext_tls_module_place(ie) : NULL;
	for (size_t i = 1; init && i < ld->elf.shnum; i++) {
		const Elf64_Shdr *sh = ld->elf.shdr[i];

		if (is_tls_sect(ld, i) && sh->sh_type == SHT_PROGBITS && sh->sh_size) {
			init[k++] = (struct llext_tls_init){
			    ld->sect[i].tls_off, ie->map + ld->sect[i].offset, sh->sh_size};
		}
	}
	for (size_t i = 1; i < ld->elf.nsyms; i++) {
		const struct llext_symval *v = &ld->sym[i];
		const struct llext_tls_module *m = v->tls_got ? module_of(ld, v) : NULL;

		if (m) {
			llext_put_le(got + (v->tls_got - 1) * 8, llext_tls_resolver(m), 8);
			llext_put_le(got + v->tls_got * 8, (uintptr_t)m, 8);
			llext_put_le(got + (v->tls_got + 1) * 8, v->addr, 8);
		}
	}
	if (ld->tls_ld_got) {
		llext_put_le(got + (ld->tls_ld_got - 1) * 8, mod, 8);
		llext_put_le(got + ld->tls_ld_got * 8, 0, 8);
	}
}

uint64_t llext_tls_tp_value(const struct llext_load *ld, const struct llext_reloc_desc *d,
                            const struct llext_symval *v, uint64_t S)
{
	int64_t tpoff;

	/* Local-exec: the scan let it through only for the extension's own block in static TLS. */
	if ((d->flags & LLEXT_RF_TLS_FIXED) && !(d->flags & LLEXT_RF_TLS_IE) &&
	    v->kind != LLEXT_SYM_TLS_OUT && ld->ie->tls &&
	    llext_tls_static_offset(ld->ie->tls, &tpoff)) {
		return (uint64_t)tpoff + S;
	}
	return S;
}

uint64_t llext_tls_got_item(const struct llext_load *ld, const struct llext_reloc_desc *d,
                            const struct llext_symval *v)
{
	uint64_t got = (uintptr_t)ld->ie->map + ld->got_off;

	if ((d->flags & LLEXT_RF_TLS_LD) && ld->tls_ld_got) {
		return got + (uint64_t)(ld->tls_ld_got - 1) * 8;
	}
	if (d->flags & LLEXT_RF_TLS_IE) {
		return v->G;
	}
	if (!v->tls_got) {
		return 0;
	}
	/* The GD pair is the descriptor without its first word. */
	return got + (uint64_t)(v->tls_got - 1) * 8 + ((d->flags & LLEXT_RF_TLS_GD) ? 8 : 0);
}
