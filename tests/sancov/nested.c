// SPDX-License-Identifier: MIT
/*
 * A bug behind six nested one-byte comparisons: only the input starting "FUZZED" reaches it.
 * Blind mutation needs some 2^48 tries; with the edge counters and the comparison traces of
 * -fsanitize=fuzzer-no-link, libFuzzer solves one byte at a time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int nested_check(const uint8_t *d, size_t n)
{
	if (n >= 6 && d[0] == 'F') {
		if (d[1] == 'U') {
			if (d[2] == 'Z') {
				if (d[3] == 'Z') {
					if (d[4] == 'E') {
						if (d[5] == 'D') {
							abort();
						}
					}
				}
			}
		}
	}
	return 0;
}
