// SPDX-License-Identifier: MIT
/*
 * One of two versions of an extension (VERSION 1 or 2), larger than the file loader's snapshot
 * threshold, whose code and data say which version they are: a load built from bytes of both
 * would answer neither. version_code is an executable section large enough for the file loader
 * to read it straight into the extension's memory, after the rest (lib/loaders/file_cache.c):
 * bytes of the code section and of the data come from the file at different times.
 */
#define PAD 300000
#define CODE_PAD (96 << 10)

const char version_pad[PAD] = {[0 ... PAD - 1] = VERSION};
/* GCC marks a section named .text.* executable ("ax"); these bytes are only read. */
__attribute__((section(".text.version_code")))
const char version_code[CODE_PAD] = {[0 ... CODE_PAD - 1] = VERSION};

/* VERSION if every byte of the data and of the code section agrees, -1 otherwise. */
int version_check(void)
{
	for (int i = 0; i < PAD; i++) {
		if (version_pad[i] != VERSION) {
			return -1;
		}
	}
	for (int i = 0; i < CODE_PAD; i++) {
		if (version_code[i] != VERSION) {
			return -1;
		}
	}
	return VERSION;
}
