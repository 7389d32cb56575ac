// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the DWARF line table reader (lib/observe/dwarf_line.c) on arbitrary bytes,
 * without a whole object around them. Every string a row points to must be readable to its end.
 *
 * Input: [n: 2 bytes] [.debug_line_str and .debug_str: n bytes] [.debug_line: the rest]. Each
 * part is copied into a buffer of exactly its size, so that ASan sees any read past it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "observe/dwarf_line.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int row(void *arg, const struct llext_dwarf_row *r)
{
	size_t *sum = arg;

	if (!r->end_sequence) {
		*sum += strlen(r->name) + (r->dir ? strlen(r->dir) : 0) +
		        (r->comp_dir ? strlen(r->comp_dir) : 0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct llext_dwarf_line_in in = {0};
	uint8_t *strs, *line;
	size_t n, sum = 0;
	char why[256];

	if (size < 2) {
		return 0;
	}
	n = (size_t)(data[0] | data[1] << 8);
	if (n > size - 2) {
		n = size - 2;
	}
	strs = malloc(n ? n : 1);
	line = malloc(size - 2 - n ? size - 2 - n : 1);
	memcpy(strs, data + 2, n);
	memcpy(line, data + 2 + n, size - 2 - n);
	in.line = line;
	in.line_size = size - 2 - n;
	in.line_str = in.str = strs;
	in.line_str_size = in.str_size = n;
	if (llext_dwarf_lines(&in, row, &sum, why, sizeof(why)) == -EINVAL && !why[0]) {
		abort(); /* refused without saying why */
	}
	free(strs);
	free(line);
	return (int)(sum & 0);
}
