// SPDX-License-Identifier: MIT
/*
 * A thread-local variable defined outside the extension (HOST_SYM): libstdc++'s std::call_once
 * state, the C library's errno, the test program's own, a library's too large for static TLS,
 * another extension's. tests/ext/meson.build compiles it in every model: general dynamic,
 * descriptors, initial-exec, the default flags (initial-exec where the compiler makes
 * position-independent executables), local-exec (refused). Only the variable's first four bytes
 * are used, so that every one of them fits.
 */
extern __thread int host_var __asm__(HOST_SYM);

int *tls_host_addr(void)
{
	return &host_var;
}

void tls_host_set(int v)
{
	host_var = v;
}

int tls_host_get(void)
{
	return host_var;
}
