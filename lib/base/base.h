/* SPDX-License-Identifier: MIT */
/*
 * What every file of libllext may use: the export marker, small arithmetic helpers, fault
 * injection and logging. No libllext structure at all.
 */
#ifndef LLEXT_BASE_H
#define LLEXT_BASE_H

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

/* ---- log.c ---- */

void llext_log(enum llext_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool llext_log_enabled(enum llext_log_level level);

/* ---- loadopt.c: what a load asks of its loader beyond struct llext_loader's functions ---- */

/*
 * True while llext_load() on this thread runs its loader's prepare for a load whose parameters
 * say no_file_cache: the file loader then reads the file afresh, into memory of its own. The
 * loader's prepare has no other way to learn a load parameter.
 */
extern _Thread_local bool llext_load_no_file_cache;

/*
 * True while llext_load() on this thread runs a load whose parameters do not say allow_noexec,
 * from its loader's prepare on: the file loader then refuses a file on a file system mounted
 * noexec, and so does the load for the static archives it links from. False for anything else
 * that prepares a loader (llext_find_section() only reads).
 */
extern _Thread_local bool llext_load_refuse_noexec;

/*
 * Set by the file loader's prepare to the path of its file, which the load driver takes (and
 * clears) after prepare: the record of code written for LLEXT_PERF_MAP names the object file.
 */
extern _Thread_local const char *llext_load_file;

#define LOG_ERR(...) llext_log(LLEXT_LOG_ERR, __VA_ARGS__)
#define LOG_WRN(...) llext_log(LLEXT_LOG_WRN, __VA_ARGS__)
#define LOG_INF(...) llext_log(LLEXT_LOG_INF, __VA_ARGS__)
#define LOG_DBG(...)                                                                               \
	do {                                                                                       \
		if (llext_log_enabled(LLEXT_LOG_DBG)) {                                            \
			llext_log(LLEXT_LOG_DBG, __VA_ARGS__);                                     \
		}                                                                                  \
	} while (0)

#endif /* LLEXT_BASE_H */
