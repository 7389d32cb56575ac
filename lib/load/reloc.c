// SPDX-License-Identifier: MIT
/*
 * Applying relocations, once the extension is mapped and its sections copied in: symbols get
 * their final addresses, the GOT and the stubs are written, and every relocation the scan
 * accepted is handed to the backend's encoder with S, A, P, G and L computed here. A single
 * relocation applied after the load is the run-time service runtime/relocate.c.
 */
#include <errno.h>
#include <stdio.h>

#include "base/base.h"
#include "load/load.h"
#include "runtime/ext.h"
#include "runtime/relocate.h"

/* The GOT's base, 0 if the extension has none. */
static uint64_t got_base(const struct llext_load *ld)
{
	return (ld->ngot || ld->need_got) ? (uintptr_t)ld->ie->map + ld->got_off : 0;
}

/* The address of symbol @i's stub, 0 if none. */
static uint64_t stub_addr(const struct llext_load *ld, const struct llext_symval *v)
{
	if (!v->stub) {
		return 0;
	}
	return (uintptr_t)ld->ie->map + ld->stub_off +
	       (uint64_t)(v->stub - 1) * ld->arch->stub_size;
}

/* Every symbol's final address (S), and its GOT entry and stub. */
static void set_symbols(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	uint64_t base = (uintptr_t)ld->ie->map, got = got_base(ld);

	/* Aliases last: their target is a defined symbol, which may come later in the table. */
	for (size_t i = 1; i < e->nsyms; i++) {
		struct llext_symval *v = &ld->sym[i];

		switch (v->kind) {
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
		case LLEXT_SYM_SECT_EDGE:
			v->addr += ld->sect[v->alias].addr;
			break;
		default:
			break;
		}
	}
	for (size_t i = 1; i < e->nsyms; i++) {
		struct llext_symval *v = &ld->sym[i];

		if (v->kind == LLEXT_SYM_ALIAS) {
			v->addr = ld->sym[v->alias].addr;
		}
		if (v->got) {
			v->G = got + (uint64_t)(v->got - 1) * 8;
			llext_put_le(ld->ie->map + (v->G - base), v->addr, 8);
		}
		if (v->stub) {
			v->L = stub_addr(ld, v);
			ld->arch->write_stub(ld->ie->map + (v->L - base), v->L, v->G);
		}
	}
}

/* The encoder refused the relocation at @pos: say why. */
static int refused(struct llext_load *ld, struct llext_relpos pos, const struct llext_reloc *rel,
                   enum llext_reloc_err err)
{
	char ctx[200];

	llext_elf_describe_rel(&ld->elf, ld->arch, pos, ctx, sizeof(ctx));
	LOG_ERR("%s: %s (S 0x%llx, A %lld, P 0x%llx): %s", ld->name, ctx,
	        (unsigned long long)rel->S, (long long)rel->A, (unsigned long long)rel->P,
	        llext_reloc_error(err));
	return -ENOEXEC;
}

static int apply_section(struct llext_load *ld, size_t sec)
{
	const struct llext_rela_tab *tab = &ld->elf.rela[sec];
	const struct llext_sect *t = &ld->sect[ld->elf.shdr[sec]->sh_info];
	const struct llext_reloc_run run = {
	    .arch = ld->arch,
	    .rela = tab->r,
	    .n = tab->n,
	    .syms = &ld->sym[0].rs,
	    .sym_stride = sizeof(ld->sym[0]),
	    .base = ld->ie->map + t->offset,
	    .P0 = t->addr,
	    .got = got_base(ld),
	};
	struct llext_reloc rel;
	enum llext_reloc_err err;

	/* The backend stops at thread-local relocations, whose G is computed here, and at
	 * failures. */
	for (size_t i = ld->arch->apply_run(&run, 0, &rel, &err); i < run.n;
	     i = ld->arch->apply_run(&run, i + 1, &rel, &err)) {
		const Elf64_Rela *r = &tab->r[i];

		if (err == LLEXT_RELOC_OK) {
			const struct llext_symval *v = &ld->sym[ELF64_R_SYM(r->r_info)];

			rel.G = llext_tls_got_item(ld, rel.desc, v);
			rel.S = llext_tls_tp_value(ld, rel.desc, v, rel.S);
			err = ld->arch->apply(&rel);
		}
		if (err != LLEXT_RELOC_OK) {
			return refused(ld, (struct llext_relpos){(uint32_t)sec, (uint32_t)i}, &rel,
			               err);
		}
	}
	ld->ie->stats.relocs += tab->n;
	return 0;
}

int llext_reloc_apply(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	int ret;

	set_symbols(ld);
	llext_tls_write_got(ld);
	for (size_t sec = 1; sec < e->shnum; sec++) {
		if (!e->rela[sec].r || ld->sect[e->shdr[sec]->sh_info].region == LLEXT_MEM_COUNT) {
			continue;
		}
		ret = apply_section(ld, sec);
		if (ret) {
			return ret;
		}
	}
	ld->ie->stats.got_entries = ld->ngot;
	ld->ie->stats.stubs = ld->nstub;
	return 0;
}
