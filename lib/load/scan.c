// SPDX-License-Identifier: MIT
/*
 * The relocation scan, before anything is mapped: every relocation is checked against the
 * object (type, symbol, the bytes it patches), GOT entries and stubs are counted, and the
 * placement windows are narrowed so that an address can be chosen from which every external
 * symbol is in reach.
 */
#include <errno.h>

#include "base/base.h"
#include "load/load.h"

/* Record what placement must satisfy for the relocation at @pos; 0 or -ENOEXEC. */
static int constrain(struct llext_load *ld, struct llext_relpos pos,
                     const struct llext_reloc_desc *d, const Elf64_Rela *r)
{
	const struct llext_symval *v = &ld->sym[ELF64_R_SYM(r->r_info)];
	int64_t min = d->min, max = d->max, A = r->r_addend, target;
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
			llext_window_narrow(&ld->abs, llext_sat_sub(min, A), pos,
			                    llext_sat_sub(max, A), pos);
		}
		return 0;
	}
	if ((d->flags & LLEXT_RF_STUB) && v->kind != LLEXT_SYM_ABS && v->kind != LLEXT_SYM_NONE) {
		return 0; /* a stub will reach it */
	}
	if (d->reach == LLEXT_REACH_ABS) {
		int64_t val = (int64_t)(v->addr + (uint64_t)A);

		if (val < min || val > max) {
			llext_elf_describe_rel(&ld->elf, ld->arch, pos, ctx, sizeof(ctx));
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
	target = llext_sat_sub((int64_t)(v->addr + (uint64_t)A), (int64_t)r->r_offset);
	llext_window_narrow(&ld->sect[ld->elf.shdr[pos.sec]->sh_info].window,
	                    llext_sat_sub(target, max), pos, llext_sat_sub(target, min), pos);
	return 0;
}

/* Why the relocation at @pos cannot be applied, or NULL; sets *@d to its descriptor. */
static const char *refuse(struct llext_load *ld, struct llext_relpos pos,
                          const struct llext_reloc_desc **d)
{
	const Elf64_Rela *r = &ld->elf.rela[pos.sec].r[pos.idx];
	const Elf64_Shdr *target = ld->elf.shdr[ld->elf.shdr[pos.sec]->sh_info];
	size_t symi = ELF64_R_SYM(r->r_info);
	const struct llext_symval *v = &ld->sym[symi];
	const char *why;
	uint64_t end;

	*d = llext_load_desc(ld, (uint32_t)ELF64_R_TYPE(r->r_info));
	if (!*d) {
		return "unknown relocation type";
	}
	if ((*d)->flags & LLEXT_RF_DYNAMIC) {
		return "a dynamic relocation has no place in a relocatable object";
	}
	why = llext_tls_refuse(ld, *d, r);
	if (why) {
		return why;
	}
	if (__builtin_add_overflow(r->r_offset, (*d)->size, &end) || end > target->sh_size) {
		return "the bytes it patches lie outside the section";
	}
	if (v->unloadable) {
		return "the symbol is in a section that is not loaded";
	}
	return NULL;
}

/* Counts what the relocation at @pos needs: a GOT entry, a stub, the GOT's base, TLS items. */
static void count_needs(struct llext_load *ld, const struct llext_reloc_desc *d,
                        struct llext_symval *v)
{
	ld->ie->reloc_counts[d - ld->arch->relocs]++;
	if (d->flags & LLEXT_RF_TLS) {
		llext_tls_count(ld, d, v); /* its own GOT items, no entry holding S */
		return;
	}
	if (d->flags & LLEXT_RF_GOTBASE) {
		ld->need_got = true;
	}
	if ((d->flags & LLEXT_RF_STUB) &&
	    (v->kind == LLEXT_SYM_EXTERNAL || v->kind == LLEXT_SYM_WEAK_NULL) && !v->stub) {
		v->stub = (uint32_t)++ld->nstub;
	}
	if (((d->flags & LLEXT_RF_GOT) || v->stub) && !v->got) {
		v->got = (uint32_t)++ld->ngot;
	}
}

/* A relocation the fast path left: checked, counted and turned into constraints in full. */
static int scan_one(struct llext_load *ld, struct llext_relpos pos)
{
	const Elf64_Rela *r = &ld->elf.rela[pos.sec].r[pos.idx];
	const struct llext_reloc_desc *d;
	const char *why = refuse(ld, pos, &d);
	char ctx[200];

	if (why) {
		/* Formatted only on failure: the scan runs for every relocation. */
		llext_elf_describe_rel(&ld->elf, ld->arch, pos, ctx, sizeof(ctx));
		LOG_ERR("%s: %s: %s", ld->name, ctx, why);
		return -ENOEXEC;
	}
	count_needs(ld, d, &ld->sym[ELF64_R_SYM(r->r_info)]);
	return constrain(ld, pos, d, r);
}

/*
 * What the scan's fast path knows of the types one section uses, one entry per slot of the
 * load's llext_reloc_cache (the same llext_reloc_cache_index()), so that a hit costs no
 * dereference: the descriptor, whether a relocation of the type can take the fast path, how many
 * bytes it patches, and how many such relocations were seen since it took the slot.
 */
struct type_slot {
	const struct llext_reloc_desc *d;
	uint32_t type;
	bool fast;
	uint8_t size;
	uint32_t count;
};

/* Adds the relocations @slot counted to its type's total. */
static void credit(struct llext_load *ld, const struct type_slot *slot)
{
	if (slot->d) {
		ld->ie->reloc_counts[slot->d - ld->arch->relocs] += slot->count;
	}
}

/* Puts @d in @slot, crediting the type it replaces with its count. */
static void take_slot(struct llext_load *ld, struct type_slot *slot,
                      const struct llext_reloc_desc *d)
{
	credit(ld, slot);
	/* The common case: a known type that needs no GOT entry and reaches anywhere the
	 * extension is. */
	*slot =
	    (struct type_slot){.d = d,
	                       .type = d->type,
	                       .size = d->size,
	                       .fast = !(d->flags & ~LLEXT_RF_STUB) && d->reach != LLEXT_REACH_ABS};
}

static int scan_section(struct llext_load *ld, uint32_t sec)
{
	const struct llext_elf *e = &ld->elf;
	const uint8_t *slow = ld->slow;
	uint64_t size = e->shdr[e->shdr[sec]->sh_info]->sh_size;
	size_t nsyms = e->nsyms, n = e->rela[sec].n;
	const Elf64_Rela *rela = e->rela[sec].r;
	struct type_slot slots[LLEXT_RELOC_CACHE_SLOTS] = {0};
	int ret = 0;

	if (n && e->shdr[e->shdr[sec]->sh_info]->sh_type == SHT_NOBITS) {
		LOG_ERR("%s: relocation section %s patches %s, which has no contents", ld->name,
		        llext_elf_sect_name(e, sec), llext_elf_sect_name(e, e->shdr[sec]->sh_info));
		return -ENOEXEC;
	}
	/* Everything the loop reads is in locals: its stores could alias anything else. */
	for (size_t i = 0; i < n && !ret; i++) {
		const Elf64_Rela *r = &rela[i];
		size_t symi = ELF64_R_SYM(r->r_info);
		uint32_t type = (uint32_t)ELF64_R_TYPE(r->r_info);
		struct type_slot *slot = &slots[llext_reloc_cache_index(type)];

		if (symi >= nsyms) {
			LOG_ERR("%s: relocation %zu of %s: symbol index %zu is beyond the symbol "
			        "table (%zu entries)",
			        ld->name, i, llext_elf_sect_name(e, sec), symi, nsyms);
			ret = -ENOEXEC;
			break;
		}
		/* The common case, in a few instructions: a fast type against one of the
		 * extension's own symbols, inside the section. Anything else goes through
		 * scan_one(), which counts it itself. */
		if (slot->d && slot->type == type && slot->fast && !slow[symi] &&
		    slot->size <= size && r->r_offset <= size - slot->size) {
			slot->count++;
			continue;
		}
		if (!slot->d || slot->type != type) {
			const struct llext_reloc_desc *d = llext_load_desc(ld, type);

			if (d) {
				take_slot(ld, slot, d);
			}
		}
		ret = scan_one(ld, (struct llext_relpos){sec, (uint32_t)i});
	}
	for (size_t k = 0; k < ARRAY_SIZE(slots); k++) {
		credit(ld, &slots[k]);
	}
	return ret;
}

int llext_scan_relocs(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	int ret;

	ld->abs = LLEXT_WINDOW_ANY;
	for (size_t sec = 1; sec < e->shnum; sec++) {
		if (!e->rela[sec].r || ld->sect[e->shdr[sec]->sh_info].region == LLEXT_MEM_COUNT) {
			continue;
		}
		ret = scan_section(ld, (uint32_t)sec);
		if (ret) {
			return ret;
		}
	}
	return 0;
}
