// SPDX-License-Identifier: MIT
/*
 * Copy relocations of the main program. A program compiled with -fPIE by x86_64 GCC, or without
 * PIE, holds copies of the C library objects it names (stdout, optarg...) while the rest stay in
 * the C library, far away: an extension that names one of each cannot be placed. Reading the
 * program's own dynamic relocations tells a placement failure caused by this apart from any
 * other, so that its message can name the fix on the host's side.
 */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

#include "base/base.h"
#include "runtime/host_copies.h"

#if defined(__x86_64__)
#define COPY_TYPE R_X86_64_COPY
#else
#define COPY_TYPE R_AARCH64_COPY
#endif

struct copy_query {
	const char *name;
	bool found;
};

/* A d_ptr as the program sees it: ld.so relocates them in place, but tolerate one it did not. */
static uintptr_t dyn_ptr(const struct dl_phdr_info *info, ElfW(Addr) p)
{
	return p < info->dlpi_addr ? info->dlpi_addr + p : p;
}

static void scan_dynamic(const struct dl_phdr_info *info, const ElfW(Dyn) * dyn,
                         struct copy_query *q)
{
	const ElfW(Rela) *rela = NULL;
	const ElfW(Sym) *syms = NULL;
	const char *str = NULL;
	size_t relasz = 0, relaent = sizeof(ElfW(Rela)), strsz = 0;

	for (; dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_RELA:
			rela = (const void *)dyn_ptr(info, dyn->d_un.d_ptr);
			break;
		case DT_RELASZ:
			relasz = dyn->d_un.d_val;
			break;
		case DT_RELAENT:
			relaent = dyn->d_un.d_val;
			break;
		case DT_SYMTAB:
			syms = (const void *)dyn_ptr(info, dyn->d_un.d_ptr);
			break;
		case DT_STRTAB:
			str = (const void *)dyn_ptr(info, dyn->d_un.d_ptr);
			break;
		case DT_STRSZ:
			strsz = dyn->d_un.d_val;
			break;
		}
	}
	if (!rela || !syms || !str || relaent < sizeof(ElfW(Rela))) {
		return;
	}
	for (size_t off = 0; off + relaent <= relasz; off += relaent) {
		const ElfW(Rela) *r = (const void *)((const char *)rela + off);
		ElfW(Word) name;

		if (ELF64_R_TYPE(r->r_info) != COPY_TYPE) {
			continue;
		}
		name = syms[ELF64_R_SYM(r->r_info)].st_name;
		if (name < strsz && strncmp(str + name, q->name, strsz - name) == 0) {
			q->found = true;
			return;
		}
	}
}

static int first_module(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	/* The first module dl_iterate_phdr() reports is the main program. */
	for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) {
			scan_dynamic(info,
			             (const void *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr),
			             data);
		}
	}
	return 1;
}

bool llext_host_copied(const char *name)
{
	struct copy_query q = {.name = name};

	dl_iterate_phdr(first_module, &q);
	return q.found;
}
