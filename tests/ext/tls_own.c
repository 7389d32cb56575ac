// SPDX-License-Identifier: MIT
/*
 * An extension's own thread-local variables in the models that need a fixed offset from the
 * thread pointer: local-exec (the default flags) or initial-exec. Their initial values need no
 * relocation, so that the block can be given static TLS by the C library.
 */
__thread int tls_own_counter = 41;
static __thread long tls_own_hidden;

int tls_own_bump(void)
{
	tls_own_hidden += 2;
	return ++tls_own_counter;
}

long tls_own_hidden_get(void)
{
	return tls_own_hidden;
}

int *tls_own_addr(void)
{
	return &tls_own_counter;
}
