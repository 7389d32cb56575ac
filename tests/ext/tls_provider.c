// SPDX-License-Identifier: MIT
/*
 * An extension that defines and exports a thread-local variable, which the tls-host-ext-*
 * fixtures (tls_host.c), loaded after it, use in every model. -fPIC: its own accesses are
 * general dynamic or descriptors.
 */
__thread int llext_test_shared_tls = 5;

int *tls_provider_addr(void)
{
	return &llext_test_shared_tls;
}
