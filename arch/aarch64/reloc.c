// SPDX-License-Identifier: MIT
/* AArch64 relocations: placeholder until the backend lands. */
#include <elf.h>

#include "../arch.h"

static enum llext_reloc_err aarch64_apply(const struct llext_reloc *r)
{
	(void)r;
	return LLEXT_RELOC_UNSUPPORTED;
}

static void aarch64_write_stub(uint8_t *loc, uint64_t addr, uint64_t slot)
{
	(void)loc;
	(void)addr;
	(void)slot;
}

const struct llext_arch llext_arch_aarch64 = {
    .name = "aarch64",
    .machine = EM_AARCH64,
    .relocs = NULL,
    .nrelocs = 0,
    .apply = aarch64_apply,
    .stub_size = 16,
    .write_stub = aarch64_write_stub,
    .sync_icache = NULL,
    .max_span = 0x8000000,
    .pic_hint = "-fPIC",
};
