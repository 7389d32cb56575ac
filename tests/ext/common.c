// SPDX-License-Identifier: MIT
/* Tentative definitions built with -fcommon: SHN_COMMON symbols the loader allocates. */
int common_a;
long common_b[64];

long common_use(int v)
{
	common_a += v;
	common_b[63] += common_a;
	return common_b[63];
}
