// SPDX-License-Identifier: MIT
/*
 * The pages of a built extension after its load: a region made writable for a moment (Zephyr
 * 3.5's arch_elf_relocate*() API patches text), and the unmapping. Laying them out and mapping
 * them is the load's stage, load/map.c.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "base/base.h"
#include "runtime/ext.h"
#include "runtime/pages.h"

uint64_t llext_page_size(void)
{
	/* Written by whichever thread gets here first, always with the same value. */
	static _Atomic uint64_t page;
	uint64_t p = atomic_load_explicit(&page, memory_order_relaxed);

	if (!p) {
		p = (uint64_t)sysconf(_SC_PAGESIZE);
		atomic_store_explicit(&page, p, memory_order_relaxed);
	}
	return p;
}

int llext_mem_set_writable(struct llext_internal *ie, enum llext_mem region, uintptr_t addr,
                           size_t len, bool writable)
{
	struct k_mem_partition *p = &ie->parts[region];
	uint64_t page = llext_page_size();
	uintptr_t lo = addr & ~(uintptr_t)(page - 1);
	uintptr_t hi = (uintptr_t)llext_align_up(addr + len, page);
	int prot = writable ? (int)K_MEM_PARTITION_P_RW_U_RW : (int)p->attr;

	if (!p->size || lo < p->start || hi > p->start + p->size) {
		return -ENOENT;
	}
	if (region == LLEXT_MEM_TEXT && ie->text_sealed) {
		/* A sealed file cannot change: that is what sealing is for. A private copy of the
		 * page made writable would be writable memory made executable again, which the
		 * processes that need sealed text forbid. */
		LOG_ERR("%s: its text is sealed (mapped from a sealed memory file) and cannot be "
		        "patched; load it with text_mode LLEXT_TEXT_ANONYMOUS to patch its code",
		        ie->pub.name);
		return -EPERM;
	}
	if (!writable && region == LLEXT_MEM_TEXT && ie->arch->sync_icache) {
		ie->arch->sync_icache((void *)addr, len);
	}
	if (llext_mprotect((void *)lo, hi - lo, prot) != 0) {
		int err = errno;

		LOG_ERR("%s: mprotect: %s", ie->pub.name, strerror(err));
		return -err;
	}
	return 0;
}

void llext_mem_free(struct llext_internal *ie)
{
	if (ie->map) {
		munmap(ie->map, ie->map_size);
		ie->map = NULL;
	}
}
