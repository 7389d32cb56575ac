/* SPDX-License-Identifier: MIT */
/*
 * libllext internals that every file may use: the export marker, fault injection and logging.
 *
 * The private headers follow the layers of the library (docs/design.md draws them):
 *   llext_priv.h   this one: no libllext structure at all
 *   ext_priv.h     the extension object and the services that outlive a load (registry side)
 *   load_priv.h    a load in progress: the ELF object, sections, symbols (the stages only)
 * Within each header, declarations are grouped by the file that owns them.
 */
#ifndef LLEXT_PRIV_H
#define LLEXT_PRIV_H

#include <pthread.h>
#include <stdatomic.h> /* for users of llext_fault_countdown */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <llext/log.h>

/* Marks a definition as part of the public ABI (everything else is hidden). */
#define LLEXT_EXPORT __attribute__((visibility("default")))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A transparent huge page on both supported machines. */
#define LLEXT_HUGE_PAGE ((uint64_t)2 << 20)

/* @v rounded up to a multiple of @a, a power of two. */
static inline uint64_t llext_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* ---- fault.c: every fallible call goes through these, so tests can make each one fail ---- */

extern _Atomic long llext_fault_countdown;
bool llext_fault_now(void);
void *llext_malloc(size_t n);
void *llext_calloc(size_t n, size_t size);
void *llext_realloc(void *p, size_t n);
void *llext_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
/* @size bytes of fresh read+write memory at an address aligned to @align (a power of two, at
 * least a page), or NULL. */
void *llext_mmap_aligned(size_t size, size_t align);
int llext_mprotect(void *addr, size_t len, int prot);

/* ---- kept.c: scratch mappings kept from one load for the next ---- */

struct llext_kept {
	pthread_mutex_t lock;
	void *p; /* the kept mapping, or NULL */
	size_t len;
	uint64_t tag; /* what its last user said of its contents */
	void *out;    /* the kept mapping while a user has it, and its length */
	size_t out_len;
};

#define LLEXT_KEPT_INIT                                                                            \
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
void *llext_kept_take(struct llext_kept *k, size_t len, size_t align, uint64_t *tag);
/* How long a mapping llext_kept_take(@len, @align) maps is: the least one it hands out. */
size_t llext_kept_len(size_t len, size_t align);
/*
 * Gives back what llext_kept_take(@k, @len, @align) returned: kept for the next user if it is
 * larger than the one kept, else unmapped. NULL is ignored. A nonzero @tag says that the contents
 * matter to the next user, who gets the tag back: the kernel is then not offered the pages.
 */
void llext_kept_give(struct llext_kept *k, void *p, size_t len, size_t align, uint64_t tag);
/* Unmaps the kept mapping, at exit. */
void llext_kept_free(struct llext_kept *k);

/* ---- fs_loader.c ---- */

/* How long a file must have stayed unchanged before it was read for the file loader to use its
 * bytes again on the next load of the same file; tests change it. */
#define LLEXT_FS_SETTLE_DEFAULT ((int64_t)2 * 1000000000)
extern int64_t llext_fs_settle_ns;

/* ---- log.c ---- */

void llext_log(enum llext_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool llext_log_enabled(enum llext_log_level level);

#define LOG_ERR(...) llext_log(LLEXT_LOG_ERR, __VA_ARGS__)
#define LOG_WRN(...) llext_log(LLEXT_LOG_WRN, __VA_ARGS__)
#define LOG_INF(...) llext_log(LLEXT_LOG_INF, __VA_ARGS__)
#define LOG_DBG(...)                                                                               \
	do {                                                                                       \
		if (llext_log_enabled(LLEXT_LOG_DBG)) {                                            \
			llext_log(LLEXT_LOG_DBG, __VA_ARGS__);                                     \
		}                                                                                  \
	} while (0)

#endif /* LLEXT_PRIV_H */
