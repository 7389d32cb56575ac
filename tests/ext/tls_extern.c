// SPDX-License-Identifier: MIT
/* A reference to thread-local storage elsewhere (errno-like): refused as well. */
extern __thread int some_tls_var;

int tls_extern_read(void)
{
	return some_tls_var;
}
