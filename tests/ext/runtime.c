// SPDX-License-Identifier: MIT
/*
 * Code for which compilers call libgcc: 128-bit division (__divti3, __udivti3), quad-precision
 * arithmetic (__addtf3, __multf3; long double on AArch64, __float128 on x86_64) and, on AArch64
 * with GCC's default -moutline-atomics, atomics (__aarch64_ldadd4_acq_rel, __aarch64_cas8_acq).
 */
#include <stdint.h>

#if defined(__aarch64__)
typedef long double quad;
#else
typedef __float128 quad;
#endif

__int128 rt_div(__int128 a, __int128 b)
{
	return a / b;
}

unsigned __int128 rt_udiv(unsigned __int128 a, unsigned __int128 b)
{
	return a / b;
}

/* (a + b) * c in quad precision, returned as a double. */
double rt_quad(double a, double b, double c)
{
	quad x = (quad)a + (quad)b;

	return (double)(x * (quad)c);
}

static int counter;
static uint64_t word;

int rt_atomic_add(int n)
{
	return __atomic_add_fetch(&counter, n, __ATOMIC_ACQ_REL);
}

/* Compare-and-swap: sets the word to @want if it holds @expect; returns the old value. */
uint64_t rt_atomic_cas(uint64_t expect, uint64_t want)
{
	__atomic_compare_exchange_n(&word, &expect, want, 0, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE);
	return expect;
}
