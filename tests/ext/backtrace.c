// SPDX-License-Identifier: MIT
/*
 * Calls glibc's backtrace() two extension frames deep, and spins in a function of its own for
 * profilers to find. The empty asm statements keep each call from becoming a tail call, so that
 * every frame is really there.
 */
#include <execinfo.h>

__attribute__((noinline)) static int bt_inner(void **buf, int max)
{
	int n = backtrace(buf, max);

	__asm__ volatile("" ::: "memory");
	return n;
}

__attribute__((noinline)) int bt_outer(void **buf, int max)
{
	int n = bt_inner(buf, max);

	__asm__ volatile("" ::: "memory");
	return n;
}

/* Busy for about @iterations steps: the hot function a profile must name. */
__attribute__((noinline)) unsigned long bt_hot_loop(unsigned long iterations)
{
	unsigned long x = 1;

	for (unsigned long i = 0; i < iterations; i++) {
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

unsigned long bt_hot_result;

/* For llext-run --call under perf record: a fraction of a second in bt_hot_loop(). */
void bt_hot(void)
{
	bt_hot_result = bt_hot_loop(300000000ul);
}
