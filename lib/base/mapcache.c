// SPDX-License-Identifier: MIT
/*
 * Scratch mappings kept from one load for the next. A load needs large blocks that it frees when
 * it ends: the file loader's copy of the file, the per-symbol tables. Fresh memory costs a page
 * fault per page touched (or one fault clearing a whole huge page), and heap blocks of that size
 * come and go with the heap's top, faulted in again on every load: together a sixth of loading a
 * large object in a loop. A kept mapping is faulted in once. While a large one waits, the kernel
 * may take its pages back (MADV_FREE), and the next user then faults them in, as it would fresh
 * ones; unless its last user tagged it, saying that its contents matter to the next one (the file
 * loader's copy of a file that may be loaded again).
 *
 * Each kind of scratch keeps one mapping, the largest any load needed. A user that finds none
 * large enough (or none at all: another thread's load has it, or an extension's constructor loads
 * another extension) maps its own; when it gives that back, the larger of the two is kept and the
 * other unmapped. Extensions themselves never get kept memory: theirs is always fresh.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/base.h"
#include "base/mapcache.h"

/* Smaller mappings are kept as they are: the kernel could take little back, and the call costs
 * as much as a small load's other system calls together. */
#define FREE_FROM ((size_t)256 << 10)

/* @align made at least a page, and the length of a mapping of @len bytes aligned to it. */
static size_t mapping_len(size_t len, size_t *align)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	*align = *align > page ? *align : page;
	return llext_align_up(len ? len : 1, *align);
}

size_t llext_mapcache_len(size_t len, size_t align)
{
	return mapping_len(len, &align);
}

void *llext_mapcache_take(struct llext_mapcache *k, size_t len, size_t align, uint64_t *tag)
{
	size_t want = mapping_len(len, &align);
	uint8_t *p = NULL;
	uint64_t t = 0;

	pthread_mutex_lock(&k->lock);
	if (k->p && k->len >= want && !k->out) {
		/* Handed out whole: it stays the size of the largest need so far, which loads in
		 * a row repeat. One at a time, so that its length is known when it comes back. */
		p = k->p;
		t = k->tag;
		k->out = p;
		k->out_len = k->len;
		k->p = NULL;
		k->len = 0;
		k->tag = 0;
	}
	pthread_mutex_unlock(&k->lock);
	if (tag) {
		*tag = t;
	}
	if (p) {
		return p;
	}
	p = llext_mmap_aligned(want, align);
	if (!p) {
		return NULL;
	}
	if (align >= LLEXT_HUGE_PAGE) {
		/* Before the first touch; a kernel without THP for us says no, and that is fine. */
		madvise(p, want, MADV_HUGEPAGE);
	}
	/* Scratch has no place in a core file; and marked so, the mapping never merges with an
	 * extension's next to it, which /proc/self/maps would then show as one. */
	madvise(p, want, MADV_DONTDUMP);
	return p;
}

void llext_mapcache_give(struct llext_mapcache *k, void *p, size_t len, size_t align, uint64_t tag)
{
	size_t plen = mapping_len(len, &align);
	void *old;
	size_t old_len;

	if (!p) {
		return;
	}
	pthread_mutex_lock(&k->lock);
	if (p == k->out) {
		plen = k->out_len;
		k->out = NULL;
	}
	pthread_mutex_unlock(&k->lock);
	if (plen >= FREE_FROM && !tag) {
		madvise(p, plen, MADV_FREE);
	}
	pthread_mutex_lock(&k->lock);
	if (!k->p || k->len < plen) {
		/* The larger one stays. */
		old = k->p;
		old_len = k->len;
		k->p = p;
		k->len = plen;
		k->tag = tag;
	} else {
		old = p;
		old_len = plen;
	}
	pthread_mutex_unlock(&k->lock);
	if (old) {
		munmap(old, old_len);
	}
}

void llext_mapcache_free(struct llext_mapcache *k)
{
	pthread_mutex_lock(&k->lock);
	if (k->p) {
		munmap(k->p, k->len);
		k->p = NULL;
		k->len = 0;
	}
	pthread_mutex_unlock(&k->lock);
}
