// SPDX-License-Identifier: MIT
/*
 * A thread-local variable of a library the host has loaded: HOST_SYM, libstdc++'s std::call_once
 * state (dynamic TLS when dlopen()ed) or the C library's errno (static TLS). Compiled -fPIC
 * (general dynamic on x86-64, a descriptor on AArch64) and with -ftls-model=initial-exec. Only
 * its first four bytes are used, so that both variables fit.
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
