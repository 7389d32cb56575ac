/* SPDX-License-Identifier: MIT */
/* What the parts of llext-bench share. */
#ifndef LLEXT_BENCH_H
#define LLEXT_BENCH_H

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

/* workloads.c: how fast code runs loaded by libllext against the same library by dlopen().
 * Prints one line each for zlib (ZLIB.o, ZLIB.so) and sqlite3 (SQLITE.o, SQLITE.so). */
void workloads(const char *zlib_o, const char *zlib_so, const char *sqlite_o, const char *sqlite_so,
               int rounds);
/* The parameters workloads() loads its extensions with: NULL for the defaults. */
extern const struct llext_load_param *workload_param;

/* sealed.c, row l: the load cycle of @obj with anonymous text, with sealed text and of @so by
 * dlopen(), interleaved, @n rounds; @sym is looked up (NULL: the first export both have). */
void sealed_row(const char *label, const char *obj, const char *so, const char *sym, int n);
/* Row h's workloads with sealed text. */
void sealed_speed(const char *zlib_o, const char *zlib_so, const char *sqlite_o,
                  const char *sqlite_so, int rounds);

#endif
