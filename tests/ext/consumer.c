// SPDX-License-Identifier: MIT
/* Links against provider.c's exports: a call and a data reference. */
extern int provider_data;
int provider_value(int x);

int consumer_call(int x)
{
	provider_data++;
	return provider_value(x) + provider_data;
}
