// SPDX-License-Identifier: MIT
/* Choosing a backend, and looking up its relocation types. */
#include "arch.h"

#include <elf.h>
#include <stdio.h>

const struct llext_arch *llext_arch_find(uint16_t machine)
{
	switch (machine) {
	case EM_X86_64:
		return &llext_arch_x86_64;
	case EM_AARCH64:
		return &llext_arch_aarch64;
	default:
		return NULL;
	}
}

const struct llext_arch *llext_arch_host(void)
{
#if defined(__x86_64__)
	return &llext_arch_x86_64;
#elif defined(__aarch64__)
	return &llext_arch_aarch64;
#else
#error "libllext supports x86_64 and aarch64 hosts"
#endif
}

const struct llext_reloc_desc *llext_arch_reloc(const struct llext_arch *arch, uint32_t type)
{
	size_t lo = 0, hi = arch->nrelocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t t = arch->relocs[mid].type;

		if (t == type) {
			return &arch->relocs[mid];
		}
		if (t < type) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

const char *llext_arch_reloc_name(const struct llext_arch *arch, uint32_t type, char buf[24])
{
	const struct llext_reloc_desc *d = llext_arch_reloc(arch, type);

	if (d) {
		return d->name;
	}
	snprintf(buf, 24, "type %u", type);
	return buf;
}
