// SPDX-License-Identifier: MIT
/*
 * An extension with something in every region and in a section of its own, named with
 * Z_GENERIC_SECTION() as Zephyr code names it, and read-only data marked
 * LLEXT_RODATA_NO_RELOC: tests/zephyr/test_zephyr_sys.c inspects where each one went.
 */
#include <stdint.h>

/* Only this, as Zephyr's inspect extension: it brings Z_GENERIC_SECTION(). */
#include <zephyr/llext/symbol.h>

#ifndef ZEPHYR_INCLUDE_TOOLCHAIN_H_
#error "<zephyr/llext/symbol.h> must bring <zephyr/toolchain.h>"
#endif

int number_in_bss;
int number_in_data = 1;
const int number_in_rodata = 2;
Z_GENERIC_SECTION(.my_rodata) const int number_in_my_rodata = 3;
/* A second bss section, as -fdata-sections makes them: the bss region's header covers both. */
Z_GENERIC_SECTION(.bss.more) int more_in_bss[64];

/* LLEXT_RODATA_NO_RELOC comes with the loader API. */
#include <zephyr/llext/llext.h>

LLEXT_RODATA_NO_RELOC const uint32_t noreloc_data = 0x12345678;

/* Read-only data that needs a relocation, beside the data that needs none. (Not forced into
 * .rodata: a position-independent build makes a section with relocated data writable.) */
const void *const relocated_ptr = &number_in_data;

int function_in_text(void)
{
	return number_in_bss + number_in_data + number_in_rodata + number_in_my_rodata +
	       more_in_bss[0];
}

/* What the extension itself reads: the value and the pointer, through its own relocations. */
uint32_t read_noreloc(void)
{
	return noreloc_data + (relocated_ptr == &number_in_data ? 1 : 0);
}

EXPORT_SYMBOL(number_in_bss);
EXPORT_SYMBOL(number_in_data);
EXPORT_SYMBOL(number_in_rodata);
EXPORT_SYMBOL(number_in_my_rodata);
EXPORT_SYMBOL(noreloc_data);
EXPORT_SYMBOL(function_in_text);
EXPORT_SYMBOL(read_noreloc);
