// SPDX-License-Identifier: MIT
/*
 * Read-only data marked LLEXT_RODATA_NO_RELOC, as Zephyr code marks data that needs no
 * relocation: libllext places it with the other read-only data, and the extension reads it
 * there, through its own relocations, from a test entry that asserts as Zephyr's do.
 */
#include <stdint.h>

#include <zephyr/llext/llext.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest_assert.h>

/* Powers of three: no value is another's neighbour, so a misplaced read shows. */
LLEXT_RODATA_NO_RELOC const uint32_t zrodata_table[5] = {1, 3, 9, 27, 81};
EXPORT_SYMBOL(zrodata_table);

LLEXT_RODATA_NO_RELOC const char zrodata_text[] = "no relocation";
EXPORT_SYMBOL(zrodata_text);

void test_entry(void)
{
	uint32_t sum = 0;

	for (unsigned int i = 0; i < sizeof(zrodata_table) / sizeof(zrodata_table[0]); i++) {
		sum += zrodata_table[i];
	}
	zassert_equal(sum, 121, "the table reads back");
	zassert_str_equal(zrodata_text, "no relocation");
}
EXPORT_SYMBOL(test_entry);
