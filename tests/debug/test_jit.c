// SPDX-License-Identifier: MIT
/*
 * The GDB JIT interface without a debugger: what is registered, when, and what the registered
 * object says. tests/debug/test_debuggers.py shows that gdb and lldb understand it.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "observe/debug.h"
#include "runtime/ext.h"

/* The registered copies, in the list's order. */
static size_t jit_count(void)
{
	size_t n = 0;

	for (struct jit_code_entry *e = __jit_debug_descriptor.first_entry; e; e = e->next) {
		assert_true(e->next == NULL || e->next->prev == e);
		n++;
	}
	return n;
}

/* The copy registered for the most recent load. */
static const uint8_t *jit_newest(size_t *size)
{
	struct jit_code_entry *e = __jit_debug_descriptor.first_entry;

	assert_non_null(e);
	assert_null(e->prev);
	*size = e->symfile_size;
	return (const uint8_t *)e->symfile_addr;
}

static const Elf64_Shdr *shdr(const uint8_t *img, size_t i)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;

	return (const Elf64_Shdr *)(img + eh->e_shoff) + i;
}

static const char *sect_name(const uint8_t *img, size_t i)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;

	return (const char *)img + shdr(img, eh->e_shstrndx)->sh_offset + shdr(img, i)->sh_name;
}

static size_t find_sect(const uint8_t *img, const char *name)
{
	for (size_t i = 1; i < ((const Elf64_Ehdr *)img)->e_shnum; i++) {
		if (strcmp(sect_name(img, i), name) == 0) {
			return i;
		}
	}
	fail_msg("no section %s in the copy", name);
	return 0;
}

static const Elf64_Sym *find_sym(const uint8_t *img, const char *name)
{
	size_t st = 0;

	for (size_t i = 1; i < ((const Elf64_Ehdr *)img)->e_shnum; i++) {
		st = shdr(img, i)->sh_type == SHT_SYMTAB ? i : st;
	}
	assert_true(st != 0);
	const Elf64_Sym *s = (const Elf64_Sym *)(img + shdr(img, st)->sh_offset);
	const char *str = (const char *)img + shdr(img, shdr(img, st)->sh_link)->sh_offset;

	for (size_t i = 1; i < shdr(img, st)->sh_size / sizeof(*s); i++) {
		if (strcmp(str + s[i].st_name, name) == 0) {
			return &s[i];
		}
	}
	fail_msg("no symbol %s in the copy", name);
	return NULL;
}

/* Loaded sections are NOBITS at their load addresses; .eh_frame carries its relocated bytes;
 * no relocation section is left; debug information is relocated to the load addresses. */
static void test_copy_layout(void **state)
{
	struct llext *ext;
	const struct llext_internal *ie;
	const uint8_t *img;
	size_t size, before = jit_count();
	size_t text, eh, info;

	(void)state;
	assert_int_equal(load_fixture("basic-gcc-default.o", "jit", &ext, NULL), 0);
	ie = to_internal(ext);
	assert_int_equal(jit_count(), before + 1);
	assert_int_equal(__jit_debug_descriptor.version, 1);
	assert_int_equal(__jit_debug_descriptor.action_flag, 0);
	assert_null(__jit_debug_descriptor.relevant_entry);
	img = jit_newest(&size);
	assert_memory_equal(img, ELFMAG, SELFMAG);
	assert_int_equal(((const Elf64_Ehdr *)img)->e_type, ET_REL);
	assert_true(((const Elf64_Ehdr *)img)->e_shoff + ie->nsect * sizeof(Elf64_Shdr) <= size);

	text = find_sect(img, ".text");
	assert_int_equal(shdr(img, text)->sh_type, SHT_NOBITS);
	assert_true(shdr(img, text)->sh_flags & SHF_ALLOC);
	assert_int_equal(shdr(img, text)->sh_addr, ie->sect_addr[text]);
	eh = find_sect(img, ".eh_frame");
	assert_int_equal(shdr(img, eh)->sh_type, SHT_PROGBITS);
	assert_int_equal(shdr(img, eh)->sh_addr, ie->sect_addr[eh]);
	assert_memory_equal(img + shdr(img, eh)->sh_offset,
	                    (const void *)(uintptr_t)ie->sect_addr[eh], shdr(img, eh)->sh_size);
	for (size_t i = 1; i < ie->nsect; i++) {
		assert_int_not_equal(shdr(img, i)->sh_type, SHT_RELA);
		assert_int_not_equal(shdr(img, i)->sh_type, SHT_GROUP);
	}
	assert_int_equal(find_sym(img, "basic_ops")->st_shndx, text);

	/* The compile unit's DW_AT_low_pc (or a range) is somewhere in .debug_*: at least one
	 * 8-byte value of .debug_info or .debug_rnglists/.debug_aranges is the text address. */
	info = find_sect(img, ".debug_aranges");
	{
		bool found = false;
		const uint8_t *p = img + shdr(img, info)->sh_offset;

		for (size_t k = 0; k + 8 <= shdr(img, info)->sh_size; k++) {
			uint64_t v;

			memcpy(&v, p + k, 8);
			found = found || v == ie->sect_addr[text];
		}
		assert_true(found);
	}
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(jit_count(), before);
	assert_null(__jit_debug_descriptor.relevant_entry);
}

/* Common symbols are absolute at their run-time address. */
static void test_common_absolute(void **state)
{
	struct llext *ext;
	const Elf64_Sym *s;
	size_t size;

	(void)state;
	assert_int_equal(load_fixture("common.o", "jitcommon", &ext, NULL), 0);
	s = find_sym(jit_newest(&size), "common_b");
	assert_int_equal(s->st_shndx, SHN_ABS);
	assert_int_equal(s->st_value, (uintptr_t)llext_find_sym(&ext->exp_tab, "common_b"));
	assert_int_equal(llext_unload(&ext), 0);
}

/* A symbol of an allocated section that was not loaded (a dropped COMDAT group) is undefined,
 * and its section, still allocated, claims no addresses. */
static void test_unloaded_section(void **state)
{
	size_t len, size, n;
	uint8_t *b = read_file(fixture_path("comdat.o"), &len);
	uint8_t *p = memmem(b, len, "comdat_fx", 10);
	const uint8_t *img;
	struct llext *ext;

	(void)state;
	/* Both groups get the first one's signature: the second is dropped. */
	assert_non_null(p);
	memcpy(p, "comdat_fn", 10);
	assert_int_equal(load_buffer(b, len, "jitcomdat", &ext, NULL), 0);
	img = jit_newest(&size);
	n = find_sect(img, ".text.comdat_second");
	assert_true(shdr(img, n)->sh_flags & SHF_ALLOC);
	assert_int_equal(shdr(img, n)->sh_size, 0);
	assert_int_equal(shdr(img, n)->sh_addr, 0);
	assert_int_equal(find_sym(img, "comdat_fn")->st_shndx,
	                 find_sect(img, ".text.comdat_first"));
	assert_int_equal(llext_unload(&ext), 0);
	free(b);
}

/* no_debug_register keeps the extension out of the list, and keeps no copy. */
static void test_param_off(void **state)
{
	struct llext_load_param p = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *on, *off;
	size_t before = jit_count();

	(void)state;
	p.no_debug_register = true;
	assert_int_equal(load_fixture("basic-gcc-default.o", "on", &on, NULL), 0);
	assert_int_equal(load_fixture("basic-gcc-default.o", "off", &off, &p), 0);
	assert_int_equal(jit_count(), before + 1);
	assert_null(to_internal(off)->debug);
	assert_int_equal(on->alloc_size - off->alloc_size, llext_debug_size(to_internal(on)));
	assert_int_equal(llext_unload(&off), 0);
	assert_int_equal(llext_unload(&on), 0);
	assert_int_equal(jit_count(), before);
}

/* Loads and unloads in any order keep the list intact. */
static void test_list_order(void **state)
{
	struct llext *e[4];
	const char *names[4] = {"l0", "l1", "l2", "l3"};

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(load_fixture("basic-gcc-default.o", names[i], &e[i], NULL), 0);
	}
	assert_int_equal(jit_count(), 4);
	assert_int_equal(llext_unload(&e[1]), 0);
	assert_int_equal(llext_unload(&e[3]), 0);
	assert_int_equal(jit_count(), 2);
	assert_int_equal(llext_unload(&e[0]), 0);
	assert_int_equal(llext_unload(&e[2]), 0);
	assert_int_equal(jit_count(), 0);
	assert_null(__jit_debug_descriptor.first_entry);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_copy_layout),      cmocka_unit_test(test_common_absolute),
	    cmocka_unit_test(test_unloaded_section), cmocka_unit_test(test_param_off),
	    cmocka_unit_test(test_list_order),
	};

	return cmocka_run_group_tests_name("jit", tests, NULL, NULL);
}
