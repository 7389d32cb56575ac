/* SPDX-License-Identifier: MIT */
/*
 * Encoder unit tests: vectors made by the real assembler and linker (gen_vectors.py), applied
 * with a backend's encoder to a byte buffer, and compared.
 */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch.h"
#include "testutil.h"

enum expect { EXPECT_OK, EXPECT_RANGE, EXPECT_ALIGN };

/* Bytes recorded from the place on: the field and what follows it, which must not change. */
#define VEC_BYTES 8

struct vector {
	const char *name;
	uint32_t type;
	uint64_t P, S, A, got, G, L;
	uint8_t before[VEC_BYTES], after[VEC_BYTES];
	enum expect expect;
};

struct stub_vector {
	uint64_t addr, slot;
	uint8_t bytes[16];
};

/* The backend under test, set by the test program before running the vectors. */
extern const struct llext_arch *unit_arch;

/* A descriptor of unit_arch, failing the test if @type is not in its table. */
const struct llext_reloc_desc *unit_desc(uint32_t type);

/* The fixed tests, then one test per vector named after it: one group, so one TAP plan. */
int run_all(const char *group, const struct CMUnitTest *fixed, size_t nfixed,
            const struct vector *v, size_t n);

/* The stubs a backend writes are the instructions the assembler makes of the same source. */
void check_stubs(const struct stub_vector *s, size_t n);

/* The descriptor table is sorted, has no duplicates, and every name has @prefix. */
void check_table(const char *prefix);

#endif
