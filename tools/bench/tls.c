// SPDX-License-Identifier: MIT
/*
 * The benchmark's thread-local storage: one access to a __thread variable per call. Built as
 * an extension (tls.o) and as a shared library (tls.so) with the same flags, so that the two
 * differ only in who provides the access: libllext's or the C library's __tls_get_addr() or
 * descriptor resolver.
 */
__thread int bench_tls_counter;

int bench_tls_bump(void);

int bench_tls_bump(void)
{
	return ++bench_tls_counter;
}
