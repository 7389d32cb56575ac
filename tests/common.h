/* SPDX-License-Identifier: MIT */
/* Helpers shared by the test programs. */
#ifndef TESTS_COMMON_H
#define TESTS_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <llext/llext.h>

#include "fixtures.h"

/* The record kept by host_record() (tests/host.c). */
extern int host_records[64];
extern size_t host_nrecords;
void host_records_clear(void);

/* Full path of a fixture object in the build tree ("basic-gcc-default.o"). */
const char *fixture_path(const char *file);
/* Whole file in a malloc'd buffer; fails the test if it cannot be read. */
void *read_file(const char *path, size_t *len);

/* Load a fixture with the file loader. Returns the llext_load() result. */
int load_fixture(const char *file, const char *name, struct llext **ext,
                 struct llext_load_param *param);
/* Load an object held in memory with the buffer loader. */
int load_buffer(const void *buf, size_t len, const char *name, struct llext **ext,
                struct llext_load_param *param);

/* A symbol of an extension, failing the test if it is not exported. */
void *ext_sym(struct llext *ext, const char *name);

/* Messages libllext logged since log_capture_start(), one per line. */
void log_capture_start(void);
void log_capture_stop(void);
bool log_contains(const char *needle);
const char *log_text(void);

/* The permissions ("r-xp") of the mapping holding @addr, from /proc/self/maps; false if none. */
bool maps_perms(uintptr_t addr, char perms[5]);
/*
 * How /proc/self/maps shows a page with protection @prot ("r--p" for PROT_READ) on this system,
 * in an extension's arrangement: read+execute, then read-only, then read+write pages. Measured
 * on a reference mapping, because emulators do not always show what the kernel would: qemu-user
 * 7.2 reports a read-only page that follows an executable one as "r-xp".
 */
const char *perms_of_prot(int prot);
/* Whether any mapping overlapping [start, end) is writable and executable. */
bool maps_any_wx(uintptr_t start, uintptr_t end);

/*
 * Occupy (PROT_NONE, no memory) every free address range within @span of @addr, so that new
 * mappings land farther away. Returns a handle for reserve_release().
 */
void *reserve_around(uintptr_t addr, uint64_t span);
void reserve_release(void *handle);

/* Number of registered extensions. */
int registry_count(void);

/* Run a test group whose tests are built at run time (one per fixture variant, say). */
int run_dynamic_tests(const char *group, struct CMUnitTest *tests, size_t n);

#endif
