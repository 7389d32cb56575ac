// SPDX-License-Identifier: MIT
/*
 * Linking: resolve symbols, find what relocations need (GOT entries, stubs, an address in reach
 * of external symbols), apply them, and build the extension's exports and constructor tables.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llext_priv.h"

const char *llext_reloc_name(const struct llext_arch *arch, uint32_t type, char buf[24])
{
	const struct llext_reloc_desc *d = llext_arch_reloc(arch, type);

	if (d) {
		return d->name;
	}
	snprintf(buf, 24, "type %u", type);
	return buf;
}

/*
 * The descriptor of a relocation type: a small direct-mapped cache in front of the backend's
 * table, since a load looks a type up twice per relocation and uses only a handful of types.
 */
static const struct llext_reloc_desc *desc_of(struct llext_load *ld, uint32_t type)
{
	const struct llext_reloc_desc **slot = &ld->desc_cache[type % ARRAY_SIZE(ld->desc_cache)];

	if (!*slot || (*slot)->type != type) {
		const struct llext_reloc_desc *d = llext_arch_reloc(ld->arch, type);

		if (!d) {
			return NULL;
		}
		*slot = d;
	}
	return *slot;
}

/* ---- resolution ---- */

static uint64_t load_generation;

/* Find an undefined symbol: host exports, then other extensions' exports, then the process. */
static int resolve_one(struct llext_load *ld, const char *name, uint64_t *addr)
{
	struct llext_internal *ie = ld->ie;
	uint32_t h = llext_hash(name);
	const struct llext_export_node *n;
	const void *p;

	p = llext_host_lookup(name, h);
	if (p) {
		*addr = (uintptr_t)p;
		return 0;
	}
	n = llext_exports_lookup(name, h);
	if (n) {
		*addr = (uintptr_t)n->addr;
		if (n->owner->mark != load_generation) {
			struct llext_internal **d =
			    llext_realloc(ie->deps, (ie->ndeps + 1) * sizeof(*ie->deps));

			if (!d) {
				return -ENOMEM;
			}
			ie->deps = d;
			ie->deps[ie->ndeps++] = n->owner;
			n->owner->mark = load_generation;
		}
		return 0;
	}
	if (!ld->param->exports_only) {
		void *q;

		if (llext_process_lookup(name, h, &q)) {
			*addr = (uintptr_t)q;
			return 0;
		}
	}
	return -ENODATA;
}

/*
 * Global symbols defined in a dropped COMDAT group stand for the definition of the same name in
 * the group that was kept: alias them to it.
 */
static int resolve_dropped(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	struct llext_symtable kept = {0};
	size_t n = 0;
	int ret;

	kept.syms = llext_calloc(e->nsyms, sizeof(*kept.syms));
	if (!kept.syms) {
		return -ENOMEM;
	}
	for (size_t i = 1; i < e->nsyms; i++) {
		if (ld->sym[i].kind == LLEXT_SYM_DEFINED && !ld->sym[i].unloadable &&
		    ELF64_ST_BIND(e->syms[i].st_info) != STB_LOCAL) {
			kept.syms[n].name = e->str + e->syms[i].st_name;
			kept.syms[n].addr = (void *)(uintptr_t)i;
			n++;
		}
	}
	kept.sym_cnt = n;
	ret = llext_symindex_build(&kept);
	for (size_t i = 1; i < e->nsyms && !ret; i++) {
		const char *name = e->str + e->syms[i].st_name;
		const struct llext_symbol *k;
		size_t shndx = llext_elf_sym_shndx(e, i);

		if (ld->sym[i].kind != LLEXT_SYM_DEFINED || shndx >= e->shnum ||
		    !e->discarded[shndx] || ELF64_ST_BIND(e->syms[i].st_info) == STB_LOCAL) {
			continue;
		}
		k = llext_symtable_lookup(&kept, name, llext_hash(name));
		if (k) {
			ld->sym[i].kind = LLEXT_SYM_ALIAS;
			ld->sym[i].unloadable = 0;
			ld->sym[i].addr = (uintptr_t)k->addr; /* symbol index until relocation */
		}
	}
	llext_symindex_free(&kept);
	free(kept.syms);
	return ret;
}

int llext_link_resolve(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	size_t missing = 0;
	int ret;

	ret = llext_host_refresh();
	if (ret) {
		return ret;
	}
	load_generation++;

	for (size_t i = 1; i < e->nsyms; i++) {
		const Elf64_Sym *s = &e->syms[i];
		struct llext_symval *v = &ld->sym[i];
		unsigned int bind = ELF64_ST_BIND(s->st_info), type = ELF64_ST_TYPE(s->st_info);
		size_t shndx;
		const char *name;

		if (s->st_name >= e->str_size) {
			LOG_ERR("%s: symbol %zu: name offset %u is outside the string table",
			        ld->name, i, s->st_name);
			return -EINVAL;
		}
		if (s->st_shndx == SHN_XINDEX && !e->xndx) {
			LOG_ERR("%s: symbol %zu uses SHN_XINDEX without an extended index table",
			        ld->name, i);
			return -EINVAL;
		}
		/* Special indexes are in the raw field; only SHN_XINDEX defers to the table, whose
		 * entries are always real section indexes (0xfff1 there is a section, not ABS). */
		shndx = llext_elf_sym_shndx(e, i);
		name = e->str + s->st_name;

		if (s->st_shndx == SHN_UNDEF) {
			if (type == STT_TLS) {
				continue; /* its TLS relocations are refused with a clearer message
				           */
			}
			if (bind == STB_LOCAL || !*name) {
				LOG_ERR("%s: symbol %zu is undefined but not global", ld->name, i);
				return -EINVAL;
			}
			if (strcmp(name, "_GLOBAL_OFFSET_TABLE_") == 0) {
				v->kind = LLEXT_SYM_GOTBASE;
				ld->need_got = true;
				continue;
			}
			if (strcmp(name, "__dso_handle") == 0) {
				/* Identifies this extension to __cxa_atexit(); a linker defines it
				 * in every module, hidden. */
				v->kind = LLEXT_SYM_DSO;
				ld->ie->dso_handle = true;
				continue;
			}
			ret = resolve_one(ld, name, &v->addr);
			if (ret == 0) {
				v->kind = LLEXT_SYM_EXTERNAL;
			} else if (ret != -ENODATA) {
				return ret;
			} else if (bind == STB_WEAK) {
				v->kind = LLEXT_SYM_WEAK_NULL;
				v->addr = 0;
			} else {
				LOG_ERR("%s: undefined symbol '%s'", ld->name, name);
				missing++;
			}
			continue;
		}
		if (s->st_shndx == SHN_ABS) {
			v->kind = LLEXT_SYM_ABS;
			v->addr = s->st_value;
			continue;
		}
		if (s->st_shndx == SHN_COMMON) {
			v->kind = LLEXT_SYM_COMMON;
			continue;
		}
		if (shndx == 0 || shndx >= e->shnum ||
		    (s->st_shndx >= SHN_LORESERVE && s->st_shndx != SHN_XINDEX)) {
			LOG_ERR("%s: symbol '%s': section index %zu is invalid", ld->name, name,
			        shndx);
			return -EINVAL;
		}
		if (s->st_value > e->shdr[shndx]->sh_size) {
			LOG_ERR("%s: symbol '%s': value 0x%llx is beyond section %s (0x%llx bytes)",
			        ld->name, llext_elf_sym_name(e, i), (unsigned long long)s->st_value,
			        llext_elf_sect_name(e, shndx),
			        (unsigned long long)e->shdr[shndx]->sh_size);
			return -EINVAL;
		}
		v->kind = LLEXT_SYM_DEFINED;
		v->unloadable = ld->sect[shndx].region == LLEXT_MEM_COUNT;
	}
	if (e->discarded) {
		ret = resolve_dropped(ld);
		if (ret) {
			return ret;
		}
	}
	if (missing) {
		LOG_ERR("%s: %zu undefined symbol%s; export %s with EXPORT_SYMBOL() or load the "
		        "extension defining %s first",
		        ld->name, missing, missing == 1 ? "" : "s", missing == 1 ? "it" : "them",
		        missing == 1 ? "it" : "them");
		return -ENODATA;
	}
	return 0;
}

/* ---- scan: validate every relocation, count GOT entries and stubs, find constraints ---- */

static void rel_context(const struct llext_load *ld, size_t sec, const Elf64_Rela *r, char *buf,
                        size_t len)
{
	const struct llext_elf *e = &ld->elf;
	size_t symi = ELF64_R_SYM(r->r_info);
	char tbuf[24];

	snprintf(buf, len, "%s at %s+0x%llx against '%s'",
	         llext_reloc_name(ld->arch, (uint32_t)ELF64_R_TYPE(r->r_info), tbuf),
	         llext_elf_sect_name(e, e->shdr[sec]->sh_info), (unsigned long long)r->r_offset,
	         symi < e->nsyms ? llext_elf_sym_name(e, symi) : "?");
}

static void narrow(int64_t *lo, int64_t *hi, size_t *lo_rel, size_t *hi_rel, int64_t nlo,
                   int64_t nhi, size_t code)
{
	if (nlo > *lo) {
		*lo = nlo;
		*lo_rel = code;
	}
	if (nhi < *hi) {
		*hi = nhi;
		*hi_rel = code;
	}
}

/* Record what placement must satisfy for one relocation; 0 or -ENOEXEC. */
static int constrain(struct llext_load *ld, size_t sec, size_t idx,
                     const struct llext_reloc_desc *d, const Elf64_Rela *r)
{
	const struct llext_symval *v = &ld->sym[ELF64_R_SYM(r->r_info)];
	size_t code = (sec << 32) | idx;
	int64_t min = d->min, max = d->max, A = r->r_addend;
	bool fixed = v->kind == LLEXT_SYM_EXTERNAL || v->kind == LLEXT_SYM_WEAK_NULL ||
	             v->kind == LLEXT_SYM_ABS || v->kind == LLEXT_SYM_NONE;
	char ctx[200];

	if (d->reach == LLEXT_REACH_ANY) {
		return 0;
	}
	if (!fixed) {
		/*
		 * Against the extension itself: PC-relative references stay in reach because the
		 * extension spans less than max_span; absolute ones need the whole reservation
		 * within [min - A, max - A].
		 */
		if (d->reach == LLEXT_REACH_ABS) {
			narrow(&ld->abs_lo, &ld->abs_hi, &ld->abs_lo_rel, &ld->abs_hi_rel,
			       llext_sat_sub(min, A), llext_sat_sub(max, A), code);
		}
		return 0;
	}
	if ((d->flags & LLEXT_RF_STUB) && v->kind != LLEXT_SYM_ABS && v->kind != LLEXT_SYM_NONE) {
		return 0; /* a stub will reach it */
	}
	if (d->reach == LLEXT_REACH_ABS) {
		int64_t val = (int64_t)(v->addr + (uint64_t)A);

		if (val < min || val > max) {
			rel_context(ld, sec, r, ctx, sizeof(ctx));
			LOG_ERR("%s: %s: the symbol's address 0x%llx is out of reach of absolute "
			        "addressing; rebuild the extension with %s",
			        ld->name, ctx, (unsigned long long)v->addr, ld->arch->pic_hint);
			return -ENOEXEC;
		}
		return 0;
	}
	if (d->reach == LLEXT_REACH_PAGE) {
		/* Page(S + A) - Page(P) in [min, max] holds if S + A - P does, a page inside. */
		min += 4095;
		max -= 4095;
	}
	/* S + A - P in [min, max], with P = section address + r_offset. */
	{
		struct llext_sect *t = &ld->sect[ld->elf.shdr[sec]->sh_info];
		int64_t target =
		    llext_sat_sub((int64_t)(v->addr + (uint64_t)A), (int64_t)r->r_offset);

		narrow(&t->lo, &t->hi, &t->lo_rel, &t->hi_rel, llext_sat_sub(target, max),
		       llext_sat_sub(target, min), code);
	}
	return 0;
}

int llext_link_scan(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	struct llext_internal *ie = ld->ie;
	char ctx[200];

	ld->abs_lo = INT64_MIN;
	ld->abs_hi = INT64_MAX;
	for (size_t sec = 1; sec < e->shnum; sec++) {
		const Elf64_Shdr *sh = e->shdr[sec];
		const Elf64_Shdr *target;

		if (sh->sh_type != SHT_RELA || ld->sect[sh->sh_info].region == LLEXT_MEM_COUNT) {
			continue;
		}
		target = e->shdr[sh->sh_info];
		ld->sect[sec].rela =
		    llext_elf_data(&ld->elf, sec, ELF_T_RELA, _Alignof(Elf64_Rela));
		if (!ld->sect[sec].rela) {
			LOG_ERR("%s: cannot read relocation section %s: %s", ld->name,
			        llext_elf_sect_name(e, sec), elf_errmsg(-1));
			return -EINVAL;
		}
		ld->sect[sec].nrela = sh->sh_size / sizeof(Elf64_Rela);
		if (ld->sect[sec].nrela && target->sh_type == SHT_NOBITS) {
			LOG_ERR("%s: relocation section %s patches %s, which has no contents",
			        ld->name, llext_elf_sect_name(e, sec),
			        llext_elf_sect_name(e, sh->sh_info));
			return -ENOEXEC;
		}

		for (size_t i = 0; i < ld->sect[sec].nrela; i++) {
			const Elf64_Rela *r = &ld->sect[sec].rela[i];
			size_t symi = ELF64_R_SYM(r->r_info);
			uint32_t type = (uint32_t)ELF64_R_TYPE(r->r_info);
			const struct llext_reloc_desc *d;
			const char *why = NULL;
			struct llext_symval *v;
			uint64_t end;
			int ret;

			if (symi >= e->nsyms) {
				LOG_ERR("%s: relocation %zu of %s: symbol index %zu is beyond the "
				        "symbol table (%zu entries)",
				        ld->name, i, llext_elf_sect_name(e, sec), symi, e->nsyms);
				return -ENOEXEC;
			}
			v = &ld->sym[symi];
			d = desc_of(ld, type);
			if (!d) {
				why = "unknown relocation type";
			} else if ((d->flags & LLEXT_RF_TLS) ||
			           (v->kind == LLEXT_SYM_NONE && symi != 0)) {
				/* The second case: an undefined TLS symbol, left unresolved. */
				why = "thread-local storage is not supported in extensions";
			} else if (d->flags & LLEXT_RF_DYNAMIC) {
				why = "a dynamic relocation has no place in a relocatable object";
			} else if (__builtin_add_overflow(r->r_offset, d->size, &end) ||
			           end > target->sh_size) {
				why = "the bytes it patches lie outside the section";
			} else if (v->unloadable) {
				why = "the symbol is in a section that is not loaded";
			}
			if (why) {
				/* Formatted only on failure: this loop runs for every relocation.
				 */
				rel_context(ld, sec, r, ctx, sizeof(ctx));
				LOG_ERR("%s: %s: %s", ld->name, ctx, why);
				return -ENOEXEC;
			}
			ie->reloc_counts[d - ld->arch->relocs]++;
			if (d->flags & LLEXT_RF_GOTBASE) {
				ld->need_got = true;
			}
			if ((d->flags & LLEXT_RF_STUB) &&
			    (v->kind == LLEXT_SYM_EXTERNAL || v->kind == LLEXT_SYM_WEAK_NULL) &&
			    !v->stub) {
				v->stub = (uint32_t)++ld->nstub;
			}
			if ((d->flags & LLEXT_RF_GOT) || v->stub) {
				if (!v->got) {
					v->got = (uint32_t)++ld->ngot;
				}
			}
			ret = constrain(ld, sec, i, d, r);
			if (ret) {
				return ret;
			}
		}
	}
	return 0;
}

/* ---- relocation ---- */

/* Why an encoder refused, in words. */
static const char *reloc_error(enum llext_reloc_err err)
{
	static const char *const text[] = {
	    [LLEXT_RELOC_RANGE] = "the value is out of range",
	    [LLEXT_RELOC_ALIGN] = "the value is not aligned as the instruction requires",
	    [LLEXT_RELOC_NOGOT] = "no GOT entry was allocated for it",
	    [LLEXT_RELOC_INSN] = "the instruction at the place is not one it can patch",
	    [LLEXT_RELOC_UNSUPPORTED] = "the relocation type is not supported",
	};

	return (size_t)err < ARRAY_SIZE(text) && text[err] ? text[err] : "failed";
}

int llext_link_relocate(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	struct llext_internal *ie = ld->ie;
	uint64_t base = (uintptr_t)ie->map;
	uint64_t got = (ld->ngot || ld->need_got) ? base + ld->got_off : 0;
	char ctx[200];

	for (size_t i = 1; i < e->nsyms; i++) {
		struct llext_symval *v = &ld->sym[i];

		switch (v->kind) {
		case LLEXT_SYM_ALIAS:
			/* Its target is a defined symbol, which may come later in the table. */
			v->addr = ld->sect[llext_elf_sym_shndx(e, v->addr)].addr +
			          e->syms[v->addr].st_value;
			break;
		case LLEXT_SYM_DEFINED:
			v->addr = ld->sect[llext_elf_sym_shndx(e, i)].addr + e->syms[i].st_value;
			break;
		case LLEXT_SYM_COMMON:
			v->addr += base;
			break;
		case LLEXT_SYM_GOTBASE:
			v->addr = got;
			break;
		case LLEXT_SYM_DSO:
			v->addr = base;
			break;
		default:
			break;
		}
		if (v->got) {
			llext_put_le(ie->map + ld->got_off + (v->got - 1) * 8, v->addr, 8);
		}
		if (v->stub) {
			uint64_t off = ld->stub_off + (v->stub - 1) * ld->arch->stub_size;

			ld->arch->write_stub(ie->map + off, base + off,
			                     got + (uint64_t)(v->got - 1) * 8);
		}
	}

	for (size_t sec = 1; sec < e->shnum; sec++) {
		const struct llext_sect *rs = &ld->sect[sec];
		const struct llext_sect *t;

		if (!rs->rela) {
			continue;
		}
		t = &ld->sect[e->shdr[sec]->sh_info];
		for (size_t i = 0; i < rs->nrela; i++) {
			const Elf64_Rela *r = &rs->rela[i];
			const struct llext_symval *v = &ld->sym[ELF64_R_SYM(r->r_info)];
			struct llext_reloc rel = {
			    /* Known: the scan looked every type up already. */
			    .desc = desc_of(ld, (uint32_t)ELF64_R_TYPE(r->r_info)),
			    .loc = ie->map + t->offset + r->r_offset,
			    .P = t->addr + r->r_offset,
			    .S = v->addr,
			    .A = (uint64_t)r->r_addend,
			    .got = got,
			    .G = v->got ? got + (uint64_t)(v->got - 1) * 8 : 0,
			    .L = v->stub ? base + ld->stub_off +
			                       (uint64_t)(v->stub - 1) * ld->arch->stub_size
			                 : 0,
			};
			enum llext_reloc_err err = ld->arch->apply(&rel);

			if (err != LLEXT_RELOC_OK) {
				rel_context(ld, sec, r, ctx, sizeof(ctx));
				LOG_ERR("%s: %s (S 0x%llx, A %lld, P 0x%llx): %s", ld->name, ctx,
				        (unsigned long long)rel.S, (long long)r->r_addend,
				        (unsigned long long)rel.P, reloc_error(err));
				return -ENOEXEC;
			}
		}
		ie->stats.relocs += rs->nrela;
	}
	ie->stats.got_entries = ld->ngot;
	ie->stats.stubs = ld->nstub;
	return 0;
}

/* ---- exports ---- */

static int find_loaded_section(const struct llext_load *ld, const char *name)
{
	for (size_t i = 1; i < ld->elf.shnum; i++) {
		if (ld->sect[i].region != LLEXT_MEM_COUNT &&
		    strcmp(llext_elf_sect_name(&ld->elf, i), name) == 0) {
			return (int)i;
		}
	}
	return 0;
}

static bool implicit_export(const struct llext_load *ld, size_t i)
{
	const Elf64_Sym *s = &ld->elf.syms[i];
	unsigned int bind = ELF64_ST_BIND(s->st_info), type = ELF64_ST_TYPE(s->st_info);
	uint8_t kind = ld->sym[i].kind;

	if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) {
		return false;
	}
	if (ELF64_ST_VISIBILITY(s->st_other) != STV_DEFAULT &&
	    ELF64_ST_VISIBILITY(s->st_other) != STV_PROTECTED) {
		return false;
	}
	if (type == STT_SECTION || type == STT_FILE || type == STT_TLS) {
		return false;
	}
	/* A definition in a section that is not loaded has no address to export. */
	return (kind == LLEXT_SYM_DEFINED && !ld->sym[i].unloadable) || kind == LLEXT_SYM_COMMON ||
	       kind == LLEXT_SYM_ABS;
}

/* Checks that @p is a NUL-terminated string inside the extension's memory. */
static bool string_in_map(const struct llext_internal *ie, uint64_t p)
{
	uint64_t base = (uintptr_t)ie->map, end = base + ie->map_size;

	return p >= base && p < end && memchr((void *)(uintptr_t)p, 0, end - p) != NULL;
}

static int build_exports(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	const struct llext_elf *e = &ld->elf;
	struct llext_symtable *tab = &ie->pub.exp_tab;
	int explicit = find_loaded_section(ld, ".exported_sym");
	size_t n = 0, names = 0;
	uint32_t *hashes;
	char *np;
	int ret;

	/* Count, then fill: one array for the symbols, one for their names. */
	if (explicit) {
		const Elf64_Shdr *sh = e->shdr[explicit];
		const uint8_t *p = ie->map + ld->sect[explicit].offset;

		if (sh->sh_size % 16) {
			LOG_ERR("%s: .exported_sym is %llu bytes, not a whole number of entries",
			        ld->name, (unsigned long long)sh->sh_size);
			return -EINVAL;
		}
		n = sh->sh_size / 16;
		for (size_t i = 0; i < n; i++) {
			uint64_t name = llext_get_le(p + 16 * i, 8);

			if (!string_in_map(ie, name)) {
				LOG_ERR("%s: .exported_sym entry %zu: name pointer 0x%llx is not a "
				        "string of the extension",
				        ld->name, i, (unsigned long long)name);
				return -EINVAL;
			}
			names += strlen((const char *)(uintptr_t)name) + 1;
		}
	} else {
		for (size_t i = 1; i < e->nsyms; i++) {
			if (implicit_export(ld, i)) {
				n++;
				names += strlen(e->str + e->syms[i].st_name) + 1;
			}
		}
	}
	if (!n) {
		return 0;
	}

	tab->syms = llext_calloc(n, sizeof(*tab->syms));
	ie->exp_nodes = llext_calloc(n, sizeof(*ie->exp_nodes));
	ie->exp_names = np = llext_malloc(names);
	if (!tab->syms || !ie->exp_nodes || !np) {
		return -ENOMEM;
	}
	if (explicit) {
		const uint8_t *p = ie->map + ld->sect[explicit].offset;

		for (size_t i = 0; i < n; i++) {
			const char *name = (const char *)(uintptr_t)llext_get_le(p + 16 * i, 8);
			size_t len = strlen(name) + 1;

			memcpy(np, name, len);
			tab->syms[i].name = np;
			tab->syms[i].addr = (void *)(uintptr_t)llext_get_le(p + 16 * i + 8, 8);
			np += len;
		}
	} else {
		size_t k = 0;

		for (size_t i = 1; i < e->nsyms; i++) {
			const char *name = e->str + e->syms[i].st_name;
			size_t len;

			if (!implicit_export(ld, i)) {
				continue;
			}
			len = strlen(name) + 1;
			memcpy(np, name, len);
			tab->syms[k].name = np;
			tab->syms[k].addr = (void *)(uintptr_t)ld->sym[i].addr;
			np += len;
			k++;
		}
	}
	tab->sym_cnt = n;
	hashes = llext_malloc(n * sizeof(*hashes));
	if (!hashes) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		hashes[i] = llext_hash(tab->syms[i].name);
		ie->exp_nodes[i].hash = hashes[i];
		ie->exp_nodes[i].name = tab->syms[i].name;
		ie->exp_nodes[i].addr = tab->syms[i].addr;
		ie->exp_nodes[i].owner = ie;
	}
	ret = llext_symindex_build_hashed(tab, hashes);
	free(hashes);
	if (ret) {
		return -ENOMEM;
	}
	ie->pub.mem[LLEXT_MEM_EXPORT] = tab->syms;
	ie->pub.mem_size[LLEXT_MEM_EXPORT] = n * sizeof(*tab->syms);
	ie->pub.mem_on_heap[LLEXT_MEM_EXPORT] = true;
	ie->pub.alloc_size += n * (sizeof(*tab->syms) + sizeof(*ie->exp_nodes)) + names;
	return 0;
}

/* ---- constructors and destructors ---- */

enum fn_kind { FN_PREINIT, FN_INIT, FN_FINI };

struct fn_sect {
	size_t sect;
	uint32_t prio; /* 0..65535 from the name, 65536 for none */
	enum fn_kind kind;
	bool legacy; /* .ctors / .dtors: entries run last to first */
};

/* The priority in a name like ".init_array.00101", or 65536 when there is none. */
static uint32_t name_priority(const char *name, const char *prefix, bool legacy)
{
	size_t len = strlen(prefix);
	unsigned long v = 0;
	const char *p;

	if (strncmp(name, prefix, len) != 0 || name[len] != '.' || !name[len + 1]) {
		return 65536;
	}
	for (p = name + len + 1; *p; p++) {
		if (*p < '0' || *p > '9' || v > 65535) {
			return 65536;
		}
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v > 65535) {
		return 65536;
	}
	/* .ctors.N holds priority 65535 - N, as the linker's SORT_BY_INIT_PRIORITY reads it. */
	return legacy ? 65535 - (uint32_t)v : (uint32_t)v;
}

static bool fn_sect_of(const struct llext_load *ld, size_t i, struct fn_sect *f)
{
	const Elf64_Shdr *sh = ld->elf.shdr[i];
	const char *name = llext_elf_sect_name(&ld->elf, i);
	static const struct {
		const char *prefix;
		enum fn_kind kind;
		bool legacy;
	} kinds[] = {
	    {".preinit_array", FN_PREINIT, false},
	    {".init_array", FN_INIT, false},
	    {".fini_array", FN_FINI, false},
	    {".ctors", FN_INIT, true},
	    {".dtors", FN_FINI, true},
	};

	if (ld->sect[i].region == LLEXT_MEM_COUNT || sh->sh_type == SHT_NOBITS) {
		return false;
	}
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		size_t len = strlen(kinds[k].prefix);
		bool typed =
		    (kinds[k].kind == FN_PREINIT && sh->sh_type == SHT_PREINIT_ARRAY) ||
		    (!kinds[k].legacy && kinds[k].kind == FN_INIT &&
		     sh->sh_type == SHT_INIT_ARRAY) ||
		    (!kinds[k].legacy && kinds[k].kind == FN_FINI && sh->sh_type == SHT_FINI_ARRAY);

		if (strncmp(name, kinds[k].prefix, len) == 0 && (!name[len] || name[len] == '.')) {
			f->sect = i;
			f->kind = kinds[k].kind;
			f->legacy = kinds[k].legacy;
			f->prio = name_priority(name, kinds[k].prefix, kinds[k].legacy);
			return true;
		}
		if (typed) {
			/* An array section with an unusual name: run it without a priority. */
			f->sect = i;
			f->kind = kinds[k].kind;
			f->legacy = false;
			f->prio = 65536;
			return true;
		}
	}
	return false;
}

static int cmp_fn_sect(const void *a, const void *b)
{
	const struct fn_sect *x = a, *y = b;

	if (x->kind != y->kind) {
		return x->kind < y->kind ? -1 : 1;
	}
	if (x->prio != y->prio) {
		return x->prio < y->prio ? -1 : 1;
	}
	return x->sect < y->sect ? -1 : x->sect > y->sect;
}

static int build_fn_tables(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	const struct llext_elf *e = &ld->elf;
	uint64_t text = (uintptr_t)ie->pub.mem[LLEXT_MEM_TEXT];
	uint64_t text_end = text + ie->pub.mem_size[LLEXT_MEM_TEXT];
	struct fn_sect *fs;
	size_t nfs = 0, nctors = 0, ndtors = 0;

	fs = llext_calloc(e->shnum, sizeof(*fs));
	if (!fs) {
		return -ENOMEM;
	}
	for (size_t i = 1; i < e->shnum; i++) {
		if (!fn_sect_of(ld, i, &fs[nfs])) {
			continue;
		}
		if (e->shdr[i]->sh_size % 8) {
			LOG_ERR("%s: %s is %llu bytes, not a whole number of pointers", ld->name,
			        llext_elf_sect_name(e, i), (unsigned long long)e->shdr[i]->sh_size);
			free(fs);
			return -EINVAL;
		}
		if (fs[nfs].kind == FN_FINI) {
			ndtors += e->shdr[i]->sh_size / 8;
		} else {
			nctors += e->shdr[i]->sh_size / 8;
		}
		nfs++;
	}
	/* Static link order: preinit, then init by priority, then fini by priority. */
	qsort(fs, nfs, sizeof(*fs), cmp_fn_sect);
	ie->ctors = llext_calloc(nctors + 1, sizeof(*ie->ctors));
	ie->dtors = llext_calloc(ndtors + 1, sizeof(*ie->dtors));
	if (!ie->ctors || !ie->dtors) {
		free(fs);
		return -ENOMEM;
	}
	ie->pub.alloc_size += (nctors + ndtors + 2) * sizeof(void *);

	for (size_t k = 0; k < nfs; k++) {
		const uint8_t *p = ie->map + ld->sect[fs[k].sect].offset;
		size_t n = e->shdr[fs[k].sect]->sh_size / 8;

		for (size_t j = 0; j < n; j++) {
			/* A linker puts .ctors entries into .init_array last to first. */
			uint64_t fn = llext_get_le(p + 8 * (fs[k].legacy ? n - 1 - j : j), 8);

			if (fn == 0 || fn == UINT64_MAX) {
				continue; /* .ctors list terminators */
			}
			if (fn < text || fn >= text_end) {
				LOG_ERR("%s: %s entry %zu (0x%llx) is not in the extension's code",
				        ld->name, llext_elf_sect_name(e, fs[k].sect),
				        fs[k].legacy ? n - 1 - j : j, (unsigned long long)fn);
				free(fs);
				return -ENOEXEC;
			}
			if (fs[k].kind == FN_FINI) {
				ie->dtors[ie->ndtors++] = (void (*)(void))(uintptr_t)fn;
			} else {
				ie->ctors[ie->nctors++] = (void (*)(void))(uintptr_t)fn;
			}
		}
	}
	free(fs);
	/* The fini array runs from its end to its start. */
	for (size_t i = 0; i < ie->ndtors / 2; i++) {
		void (*t)(void) = ie->dtors[i];

		ie->dtors[i] = ie->dtors[ie->ndtors - 1 - i];
		ie->dtors[ie->ndtors - 1 - i] = t;
	}
	return 0;
}

int llext_link_finish(struct llext_load *ld)
{
	int ret = build_exports(ld);

	if (ret) {
		if (ret == -ENOMEM) {
			LOG_ERR("%s: out of memory building the export table", ld->name);
		}
		return ret;
	}
	ret = build_fn_tables(ld);
	if (ret == -ENOMEM) {
		LOG_ERR("%s: out of memory building the constructor tables", ld->name);
	}
	return ret;
}

/* ---- the seed's per-relocation entry points ---- */

static int relocate_one(const Elf64_Rela *rel, uintptr_t loc, uint64_t S, const char *sym_name)
{
	const struct llext_arch *arch = llext_arch_host();
	uint32_t type = (uint32_t)ELF64_R_TYPE(rel->r_info);
	struct llext_reloc r = {
	    .desc = llext_arch_reloc(arch, type),
	    .loc = (uint8_t *)loc,
	    .P = loc,
	    .S = S,
	    .A = (uint64_t)rel->r_addend,
	};
	enum llext_reloc_err err;
	char tbuf[24];

	if (!r.desc || (r.desc->flags & (LLEXT_RF_TLS | LLEXT_RF_DYNAMIC))) {
		LOG_ERR("%s against '%s': unsupported relocation",
		        llext_reloc_name(arch, type, tbuf), sym_name ? sym_name : "?");
		return -ENOEXEC;
	}
	err = arch->apply(&r);
	if (err != LLEXT_RELOC_OK) {
		LOG_ERR("%s at %p against '%s': %s", r.desc->name, (void *)loc,
		        sym_name ? sym_name : "?", reloc_error(err));
		return -ENOEXEC;
	}
	return 0;
}

LLEXT_EXPORT int arch_elf_relocate(elf_rela_t *rel, uintptr_t loc, uintptr_t sym_base_addr,
                                   const char *sym_name, uintptr_t load_bias)
{
	(void)load_bias;
	if (!rel || !loc) {
		return -EINVAL;
	}
	return relocate_one(rel, loc, sym_base_addr, sym_name);
}

LLEXT_EXPORT void arch_elf_relocate_local(struct llext_loader *loader, struct llext *ext,
                                          const elf_rela_t *rel, const elf_sym_t *sym,
                                          size_t got_offset)
{
	const struct llext_reloc_desc *desc;
	struct llext_internal *ie;
	uint64_t S;

	(void)loader;
	if (!ext || !rel || !sym) {
		LOG_ERR("arch_elf_relocate_local: NULL argument");
		return;
	}
	ie = to_internal(ext);
	if (sym->st_shndx == SHN_ABS) {
		S = sym->st_value;
	} else if (sym->st_shndx > 0 && sym->st_shndx < ie->nsect && ie->sect_addr[sym->st_shndx]) {
		S = ie->sect_addr[sym->st_shndx] + sym->st_value;
	} else {
		LOG_ERR("%s: arch_elf_relocate_local: symbol section %u is not loaded", ext->name,
		        sym->st_shndx);
		return;
	}
	desc = llext_arch_reloc(ie->arch, (uint32_t)ELF64_R_TYPE(rel->r_info));
	if (!ext->mem[LLEXT_MEM_TEXT] || !desc ||
	    got_offset + desc->size > ext->mem_size[LLEXT_MEM_TEXT]) {
		LOG_ERR("%s: arch_elf_relocate_local: offset %zu is outside the text", ext->name,
		        got_offset);
		return;
	}
	/*
	 * Text is read+execute by now: the pages holding the place become read+write (never both)
	 * while it is patched, so the extension's code must not be running meanwhile. The lock
	 * keeps two patches from interleaving their protection changes.
	 */
	uintptr_t loc = (uintptr_t)ext->mem[LLEXT_MEM_TEXT] + got_offset;

	llext_registry_lock();
	if (llext_mem_set_writable(ie, LLEXT_MEM_TEXT, loc, desc->size, true) == 0) {
		relocate_one(rel, loc, S, NULL);
		llext_mem_set_writable(ie, LLEXT_MEM_TEXT, loc, desc->size, false);
	}
	llext_registry_unlock();
}
