/* SPDX-License-Identifier: MIT */
/*
 * Scratch mappings kept from one load for the next (see mapcache.c).
 */
#ifndef LLEXT_BASE_MAPCACHE_H
#define LLEXT_BASE_MAPCACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct llext_mapcache {
	pthread_mutex_t lock;
	void *p; /* the kept mapping, or NULL */
	size_t len;
	uint64_t tag; /* what its last user said of its contents */
	void *out;    /* the kept mapping while a user has it, and its length */
	size_t out_len;
};

#define LLEXT_MAPCACHE_INIT                                                                            \
	{                                                                                          \
		.lock = PTHREAD_MUTEX_INITIALIZER                                                  \
	}

/*
 * A read+write mapping of at least @len bytes, aligned to @align (0 for a page): the kept one if
 * it is large enough, else a fresh one. Its contents are undefined (the last user's, or zeros).
 * NULL when out of memory. The kept mapping is never shrunk: it is as large as the largest need
 * so far. If @tag is not NULL, *@tag is the tag the kept mapping was given back with, or 0 for a
 * fresh mapping.
 */
void *llext_mapcache_take(struct llext_mapcache *k, size_t len, size_t align, uint64_t *tag);
/* How long a mapping llext_mapcache_take(@len, @align) maps is: the least one it hands out. */
size_t llext_mapcache_len(size_t len, size_t align);
/*
 * Gives back what llext_mapcache_take(@k, @len, @align) returned: kept for the next user if it is
 * larger than the one kept, else unmapped. NULL is ignored. A nonzero @tag says that the contents
 * matter to the next user, who gets the tag back: the kernel is then not offered the pages.
 */
void llext_mapcache_give(struct llext_mapcache *k, void *p, size_t len, size_t align, uint64_t tag);
/* Unmaps the kept mapping, at exit. */
void llext_mapcache_free(struct llext_mapcache *k);

#endif /* LLEXT_BASE_MAPCACHE_H */
