// SPDX-License-Identifier: MIT
/* Uses a function of tests/ext/libexport.c that only dlsym() can find. */
int libexport_plain(int v);

int libexport_plain_user(int v)
{
	return libexport_plain(v) * 10;
}
