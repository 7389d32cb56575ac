// SPDX-License-Identifier: MIT
/* A GMP user, default flags: 2^200 with mpz, printed by gmp_printf to stdout. */
#include <gmp.h>

int main(int argc, char **argv)
{
	mpz_t x;

	mpz_init(x);
	mpz_ui_pow_ui(x, 2, 200);
	gmp_printf("%Zd\n", x);
	mpz_clear(x);
	return 0;
}
