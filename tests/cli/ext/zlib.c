// SPDX-License-Identifier: MIT
/* Compresses a text with zlib and back: linked with libz.a, or with libz.a loaded before it. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

int main(void)
{
	static const char text[] = "static archive, static archive, static archive, static archive";
	unsigned char packed[128], unpacked[128];
	uLongf plen = sizeof(packed), ulen = sizeof(unpacked);

	if (compress2(packed, &plen, (const unsigned char *)text, sizeof(text), 9) != Z_OK ||
	    uncompress(unpacked, &ulen, packed, plen) != Z_OK) {
		return 3;
	}
	if (ulen != sizeof(text) || memcmp(unpacked, text, ulen) != 0) {
		return 4;
	}
	printf("%s\n", plen < sizeof(text) ? "round trip, smaller" : "round trip, not smaller");
	return 0;
}
