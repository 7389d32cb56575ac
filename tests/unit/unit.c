// SPDX-License-Identifier: MIT
/* The encoder test bodies both unit test programs share (unit.h); unit_arch picks the backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"

const struct llext_reloc_desc *unit_desc(uint32_t type)
{
	const struct llext_reloc_desc *d = llext_arch_reloc(unit_arch, type);

	if (!d) {
		fail_msg("type %u is not in the %s table", type, unit_arch->name);
	}
	return d;
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sprintf(out + 3 * i, "%02x ", b[i]);
	}
}

/* Apply one vector with the encoder and compare with what the linker produced. */
static void run_vector(void **state)
{
	const struct vector *v = *state;
	const struct llext_reloc_desc *d = llext_arch_reloc(unit_arch, v->type);
	static const enum llext_reloc_err want[] = {
	    [EXPECT_OK] = LLEXT_RELOC_OK,
	    [EXPECT_RANGE] = LLEXT_RELOC_RANGE,
	    [EXPECT_ALIGN] = LLEXT_RELOC_ALIGN,
	};
	uint8_t buf[VEC_BYTES];
	char got[3 * VEC_BYTES + 1], exp[3 * VEC_BYTES + 1];
	enum llext_reloc_err err;

	if (!d) {
		fail_msg("%s: type %u is not in the %s table", v->name, v->type, unit_arch->name);
	}
	memcpy(buf, v->before, sizeof(buf));
	err = unit_arch->apply(&(struct llext_reloc){.desc = d,
	                                             .loc = buf,
	                                             .P = v->P,
	                                             .S = v->S,
	                                             .A = v->A,
	                                             .got = v->got,
	                                             .G = v->G,
	                                             .L = v->L});
	if (err != want[v->expect]) {
		fail_msg(
		    "%s (%s, P 0x%llx, S 0x%llx, A 0x%llx): the encoder returned %d, the linker "
		    "says %d",
		    v->name, d->name, (unsigned long long)v->P, (unsigned long long)v->S,
		    (unsigned long long)v->A, err, want[v->expect]);
	}
	/* A refused relocation leaves the place as it was. */
	hex(got, buf, sizeof(buf));
	hex(exp, v->expect == EXPECT_OK ? v->after : v->before, sizeof(buf));
	if (strcmp(got, exp) != 0) {
		fail_msg("%s (%s): bytes %s, the linker wrote %s", v->name, d->name, got, exp);
	}
}

int run_all(const char *group, const struct CMUnitTest *fixed, size_t nfixed,
            const struct vector *v, size_t n)
{
	struct CMUnitTest *t = calloc(nfixed + n, sizeof(*t));
	int ret;

	if (!t) {
		return 1;
	}
	memcpy(t, fixed, nfixed * sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		t[nfixed + i] = (struct CMUnitTest){
		    .name = v[i].name, .test_func = run_vector, .initial_state = (void *)&v[i]};
	}
	ret = _cmocka_run_group_tests(group, t, nfixed + n, NULL, NULL);
	free(t);
	return ret;
}

void check_stubs(const struct stub_vector *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t buf[16 + 4];
		char got[3 * 16 + 1], exp[3 * 16 + 1];

		memset(buf, 0xa5, sizeof(buf));
		unit_arch->write_stub(buf, s[i].addr, s[i].slot);
		hex(got, buf, unit_arch->stub_size);
		hex(exp, s[i].bytes, unit_arch->stub_size);
		if (strcmp(got, exp) != 0) {
			fail_msg("stub at 0x%llx for slot 0x%llx: %s, the assembler says %s",
			         (unsigned long long)s[i].addr, (unsigned long long)s[i].slot, got,
			         exp);
		}
		/* Nothing is written past stub_size. */
		for (size_t k = unit_arch->stub_size; k < sizeof(buf); k++) {
			assert_int_equal(buf[k], 0xa5);
		}
	}
}

void check_table(const char *prefix)
{
	const struct llext_arch *a = unit_arch;

	assert_true(a->nrelocs > 0);
	for (size_t i = 0; i < a->nrelocs; i++) {
		const struct llext_reloc_desc *d = &a->relocs[i];

		if (i > 0 && d->type <= a->relocs[i - 1].type) {
			fail_msg("%s after %s: the table is not in ascending type order", d->name,
			         a->relocs[i - 1].name);
		}
		assert_int_equal(strncmp(d->name, prefix, strlen(prefix)), 0);
		assert_ptr_equal(llext_arch_reloc(a, d->type), d);
		assert_true(d->size <= 16);
		if (d->reach != LLEXT_REACH_ANY) {
			assert_true(d->min < d->max);
		}
		/* What generic code refuses never needs a GOT entry or a stub. */
		if (d->flags & (LLEXT_RF_TLS | LLEXT_RF_DYNAMIC)) {
			assert_int_equal(d->flags & (LLEXT_RF_GOT | LLEXT_RF_STUB), 0);
		}
	}
	assert_null(llext_arch_reloc(a, 0xfffffff0u));
	assert_ptr_equal(llext_arch_find(a->machine), a);
}
