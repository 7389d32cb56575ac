// SPDX-License-Identifier: MIT
/* Compresses a buffer with zlib and back (static libz.a, its members joined to this object). */
#include <string.h>
#include <zlib.h>

int zlib_round_trip(void);

int zlib_round_trip(void)
{
	static const char text[] = "libllext links zlib's members into this extension, "
	                           "libllext links zlib's members into this extension.";
	unsigned char packed[256], unpacked[256];
	uLongf plen = sizeof(packed), ulen = sizeof(unpacked);

	if (compress2(packed, &plen, (const unsigned char *)text, sizeof(text), 9) != Z_OK) {
		return -1;
	}
	if (plen >= sizeof(text)) {
		return -2; /* the repetition must compress */
	}
	if (uncompress(unpacked, &ulen, packed, plen) != Z_OK) {
		return -3;
	}
	if (ulen != sizeof(text) || memcmp(unpacked, text, ulen) != 0) {
		return -4;
	}
	return (int)plen;
}

int main(void)
{
	return zlib_round_trip() > 0 ? 0 : 1;
}
