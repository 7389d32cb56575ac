/* SPDX-License-Identifier: MIT */
/* What the parts of llext-bench share. */
#ifndef LLEXT_BENCH_H
#define LLEXT_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct llext_load_param;

/* llext-bench.c */
uint64_t now_ns(void);
/* Sorts @v. */
double median(uint64_t *v, size_t n);
__attribute__((noreturn)) void die(const char *what, const char *detail);

/* floor.c: the least a load of @obj could cost, in nanoseconds: fresh memory for its loaded
 * sections, their bytes copied in, the final protections set, the memory given back. */
uint64_t floor_cycle(const char *obj);

/* A copy of the file at @path, already unlinked, named by a path through the descriptor kept
 * open in *@fd (/proc/self/fd/N); the caller frees the path and closes *@fd. */
char *copy_of(const char *path, int *fd);

/* workloads.c: @len bytes of text-like runs broken by noise. */
uint8_t *mixed_input(size_t len);
/* Row h: how fast @obj's code runs loaded with anonymous text, with sealed text, and as @so by
 * dlopen(), @rounds interleaved rounds; false (nothing printed) if no workload knows @obj. */
bool speed_row(const char *obj, const char *so, int rounds);
void speed_header(void);

/* first.c, row m: the time to a first result of sqlite3 and (with @zstd_o) zstd, @n rounds of
 * forked children (@small_o is what the "libllext started" ways load first); to be measured
 * before anything is loaded, printed at any time after. */
void first_results_measure(const char *small_o, const char *sqlite_o, const char *sqlite_so,
                           const char *zstd_o, const char *zstd_so, int n);
void first_results_print(void);

/* sealed.c, row l: the load cycle of @obj with anonymous text, with sealed text and of @so by
 * dlopen(), interleaved, @n rounds; @sym is looked up (NULL: the first export both have). */
void sealed_row(const char *label, const char *obj, const char *so, const char *sym, int n);

#endif
