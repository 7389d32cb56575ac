// SPDX-License-Identifier: MIT
/* A thread-local variable defined outside the extension (errno-like): defined nowhere, so the load
 * fails, naming it. */
extern __thread int some_tls_var;

int tls_extern_read(void)
{
	return some_tls_var;
}
