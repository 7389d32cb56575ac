// SPDX-License-Identifier: MIT
/*
 * The pages of a built extension after its load: a region made writable for a moment (Zephyr
 * 3.5's arch_elf_relocate*() API patches text; sealed text is replaced by a copy, then by a new
 * sealed file), and the unmapping. Laying them out and mapping them is the load's stage,
 * load/map.c.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "base/base.h"
#include "runtime/ext.h"
#include "runtime/pages.h"
#include "runtime/sealed.h"

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

/*
 * Sealed text's pages [@lo, @lo + @len) for a patch: a sealed file cannot change, and a process
 * that needs sealed text may not make its private copy of a page executable again. So the pages
 * become an anonymous read+write copy of themselves (not executable), and after the patch a new
 * sealed file holding the patched bytes, mapped read+execute over them (sealed.c).
 */
static int sealed_set_writable(struct llext_internal *ie, uintptr_t lo, size_t len, bool writable)
{
	uint8_t *copy;
	int err = 0;

	if (!writable) {
		err = llext_sealed_map((void *)lo, len, ie->pub.name);
		if (!err && ie->arch->sync_icache) {
			ie->arch->sync_icache((void *)lo, len);
		}
		return err;
	}
	copy = llext_malloc(len);
	if (!copy) {
		LOG_ERR("%s: out of memory", ie->pub.name);
		return -ENOMEM;
	}
	memcpy(copy, (void *)lo, len);
	if (llext_mmap((void *)lo, len, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == (void *)lo) {
		memcpy((void *)lo, copy, len);
	} else {
		err = errno;
		LOG_ERR("%s: cannot map a writable copy of its sealed text: %s", ie->pub.name,
		        strerror(err));
	}
	free(copy);
	return -err;
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
		return sealed_set_writable(ie, lo, hi - lo, writable);
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
