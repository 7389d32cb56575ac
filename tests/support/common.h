/* SPDX-License-Identifier: MIT */
/* Helpers shared by the test programs. */
#ifndef TESTS_COMMON_H
#define TESTS_COMMON_H

#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <llext/llext.h>

#include "fixtures.h"
#include "testutil.h"

/* The record kept by host_record() (tests/support/host.c). */
extern int host_records[64];
extern size_t host_nrecords;
void host_records_clear(void);

/* Full path of a fixture object in the build tree ("basic-gcc-default.o"). */
const char *fixture_path(const char *file);
/* @name (a mkstemp() template) in the build tree, beside the fixtures, in @buf: the tests load
 * the files they write, and /tmp may be mounted noexec, where the file loader refuses them. */
void scratch_path(char *buf, size_t n, const char *name);
/* Whole file in a malloc'd buffer; fails the test if it cannot be read. */
void *read_file(const char *path, size_t *len);

/* The header of section @name of the 64-bit object @obj in memory, to edit it in place; fails
 * the test if there is none. */
Elf64_Shdr *obj_section(uint8_t *obj, const char *name);

/* Load a fixture with the file loader. Returns the llext_load() result. */
int load_fixture(const char *file, const char *name, struct llext **ext,
                 struct llext_load_param *param);
/* Load an object held in memory with the buffer loader. */
int load_buffer(const void *buf, size_t len, const char *name, struct llext **ext,
                struct llext_load_param *param);

/* A symbol of an extension, failing the test if it is not exported. */
void *ext_sym(struct llext *ext, const char *name);

/* Number of registered extensions. */
int registry_count(void);

/* A check that any thread may make: counts a failure in @count (an atomic_int) and says where;
 * the test asserts the count once its threads are joined. */
#define THREAD_CHECK(count, cond)                                                                  \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			atomic_fetch_add(&(count), 1);                                             \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);                 \
		}                                                                                  \
	} while (0)

/* Runs @fn(i) on @n threads at once, i from 0 to @n - 1 (as a void *), and joins them all. */
void run_numbered_threads(void *(*fn)(void *), int n);

/* Run a test group whose tests are built at run time (one per fixture variant, say). */
int run_dynamic_tests(const char *group, struct CMUnitTest *tests, size_t n);

#endif
