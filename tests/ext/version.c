// SPDX-License-Identifier: MIT
/*
 * One of two versions of an extension (VERSION 1 or 2), larger than the file loader's mapping
 * threshold used to be, whose code and data say which version they are: a load built from
 * bytes of both would answer neither.
 */
#define PAD 300000

const char version_pad[PAD] = {[0 ... PAD - 1] = VERSION};

/* VERSION if every byte of the data agrees with the code, -1 otherwise. */
int version_check(void)
{
	for (int i = 0; i < PAD; i++) {
		if (version_pad[i] != VERSION) {
			return -1;
		}
	}
	return VERSION;
}
