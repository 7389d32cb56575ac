// SPDX-License-Identifier: MIT
/* Thread-local storage, which extensions cannot have: the load must be refused. */
__thread int tls_counter;

int tls_bump(void)
{
	return ++tls_counter;
}
