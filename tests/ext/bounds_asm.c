// SPDX-License-Identifier: MIT
/*
 * Three input sections all named my_vals in one object, with other sections between them and
 * one of them more aligned than the others: what `unique` asks the assembler for, and what
 * -ffunction-sections objects, COMDAT groups and `ld -r --unique` leave. __start_my_vals ..
 * __stop_my_vals spans all three, laid out in input order, each keeping its alignment (the
 * padding is zeros).
 */
#include <stddef.h>

__asm__(".pushsection my_vals, \"a\", %progbits, unique, 1\n"
        ".balign 8\n"
        ".quad 1, 2\n"
        ".popsection");

int bounds_asm_data = 7;

__asm__(".pushsection my_vals, \"a\", %progbits, unique, 2\n"
        ".balign 64\n"
        ".quad 3\n"
        ".popsection\n"
        ".pushsection .rodata.between, \"a\", %progbits\n"
        ".quad 99\n"
        ".popsection");

int bounds_asm_fn(int x)
{
	return x + bounds_asm_data;
}

__asm__(".pushsection my_vals, \"a\", %progbits, unique, 3\n"
        ".balign 8\n"
        ".quad 4, 5\n"
        ".popsection");

extern const long __start_my_vals[], __stop_my_vals[];

const void *bounds_vals_start(void)
{
	return __start_my_vals;
}

const void *bounds_vals_stop(void)
{
	return __stop_my_vals;
}

/* Copies the non-zero entries (padding is zero) to @out, up to @max; how many there are. */
int bounds_vals(long *out, int max)
{
	int n = 0;

	for (const long *p = __start_my_vals; p < __stop_my_vals; p++) {
		if (*p && n < max) {
			out[n] = *p;
		}
		n += *p != 0;
	}
	return n;
}

/* Where entry 3 is: its section asked for 64-byte alignment. */
const void *bounds_vals_three(void)
{
	for (const long *p = __start_my_vals; p < __stop_my_vals; p++) {
		if (*p == 3) {
			return p;
		}
	}
	return NULL;
}
