// SPDX-License-Identifier: MIT
/*
 * Thread-local storage in an extension: initialised (.tdata) and zeroed (.tbss) variables, one
 * aligned beyond the default, a pointer in .tdata that needs a relocation, globals (general
 * dynamic) and statics (local dynamic, when the compiler chooses it). Built with every TLS
 * model and dialect (tests/ext/meson.build); tests/test_tls.c drives it from many threads.
 */
#include <stdint.h>

__thread int tls_counter;
__thread long tls_init = 1234;
__thread const char *tls_name = "tls-extension";
static __thread char tls_aligned[96] __attribute__((aligned(64))) = {7, 8, 9};
static __thread int tls_a, tls_b;

int tls_bump(void)
{
	return ++tls_counter;
}

int *tls_counter_addr(void)
{
	return &tls_counter;
}

long tls_get_init(void)
{
	return tls_init;
}

void tls_set_init(long v)
{
	tls_init = v;
}

const char *tls_get_name(void)
{
	return tls_name;
}

/* The address (to check its alignment) and a byte of the aligned array. */
uintptr_t tls_aligned_at(int i)
{
	return (uintptr_t)&tls_aligned[i];
}

int tls_aligned_byte(int i)
{
	return tls_aligned[i];
}

/* Two statics in one function: local dynamic, where the compiler uses it. */
int tls_pair(int v)
{
	tls_a += v;
	tls_b -= 2 * v;
	return tls_a * 1000 + tls_b;
}
