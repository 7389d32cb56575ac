/* SPDX-License-Identifier: MIT */
/*
 * System calls declared as Zephyr declares them, for tests/zephyr/test_zephyr_sys.c: the build
 * runs llext-zephyr-syscalls on this header, the extensions call the wrappers it writes, and
 * the host implements every call but zsys_missing().
 */
#ifndef ZSYS_CALLS_H
#define ZSYS_CALLS_H

#include <stddef.h>
#include <stdint.h>

#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What zsys_describe() fills in. */
struct zsys_info {
	int calls;
	uint32_t magic;
};

/* a + b */
__syscall int zsys_add(int a, int b);

/*
 * Copies at most n - 1 bytes of src into dst, NUL-terminated, upper-cased; returns the length
 * of src. A declaration over several lines, with pointers and const.
 */
__syscall size_t zsys_upcase(char *dst,
			     const char *const src,
			     size_t n);

/* How many times the host's implementations were called; no parameters. */
__syscall unsigned long zsys_count(void);

/* Fills *info; returns nothing. */
__syscall void zsys_describe(struct zsys_info *info);

/* A 64-bit value in and out. */
__syscall uint64_t zsys_swap64(uint64_t v);

/* Declared, never implemented: exported as NULL. */
__syscall int zsys_missing(int a);

#ifdef __cplusplus
}
#endif

#include <zephyr/syscalls/zsys_calls.h>

#endif /* ZSYS_CALLS_H */
