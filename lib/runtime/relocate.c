// SPDX-License-Identifier: MIT
/*
 * One relocation applied after a load, at an address the caller owns, for Zephyr 3.5's
 * arch_elf_relocate*() API; the host backend's encoder does the work, as it does for a load's
 * relocations (load/reloc.c).
 */
#include <errno.h>

#include "arch.h"
#include "base/base.h"
#include "runtime/relocate.h"

/* Why an encoder refused, in words. */
const char *llext_reloc_error(enum llext_reloc_err err)
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

int llext_reloc_one(const elf_rela_t *rel, uintptr_t loc, uint64_t S, const char *sym_name)
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
		        llext_arch_reloc_name(arch, type, tbuf), sym_name ? sym_name : "?");
		return -ENOEXEC;
	}
	err = arch->apply(&r);
	if (err != LLEXT_RELOC_OK) {
		LOG_ERR("%s at %p against '%s': %s", r.desc->name, (void *)loc,
		        sym_name ? sym_name : "?", llext_reloc_error(err));
		return -ENOEXEC;
	}
	return 0;
}
