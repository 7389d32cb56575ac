// SPDX-License-Identifier: MIT
/*
 * The parts of current Zephyr's llext API that libllext adds to Zephyr 3.5's: llext_bootstrap(),
 * the setup and cleanup function tables, the regions that show them, section inspection with
 * keep_section_info, exports under other names and in groups, and a load's symbol overrides.
 * What the object holds is read here with libelf, independently of libllext.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/fs_loader.h>
#include <llext/inspect.h>
#include <llext/symbol.h>

#include "common.h"
#include "host_api.h"

/* Exported under other names and in a group (tests/ext/named.c uses them). */
static int group_fn(void)
{
	return 100;
}
EXPORT_SYMBOL_NAMED(host_add, host_plus);
EXPORT_GROUP_SYMBOL_NAMED(TESTS, group_fn, host_group_fn);
EXPORT_GROUP_SYMBOL_NAMED(TESTS, group_fn, host_group_alias);

int sensor_read(void);
int sensor_read(void)
{
	return 10;
}
EXPORT_SYMBOL(sensor_read);

/* The order GCC documents for tests/ext/ctors.c: preinit, priorities ascending, then source
 * order; destructors the reverse. */
static const int setup_order[] = {1, 101, 200, 1000, 1001};
static const int cleanup_order[] = {-1001, -1000, -200, -101};

static void assert_records(const int *want, size_t n, size_t from)
{
	assert_true(host_nrecords >= from + n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(host_records[from + i], want[i]);
	}
}

static void test_fn_tables(void **state)
{
	void (*fns[8])(void), (*one)(void);
	struct llext *ext;

	(void)state;
	host_records_clear();
	assert_int_equal(load_fixture("ctors-gcc-default.o", "fntab", &ext, NULL), 0);
	assert_int_equal(llext_get_fn_table(ext, true, NULL, 0), 5 * sizeof(void *));
	assert_int_equal(llext_get_fn_table(ext, true, fns, 4 * sizeof(void *)), -ENOMEM);
	assert_int_equal(llext_get_fn_table(ext, true, fns, sizeof(fns)), 5 * sizeof(void *));
	/* Calling the table in order is what bringup does. */
	for (size_t i = 0; i < 5; i++) {
		fns[i]();
	}
	assert_records(setup_order, 5, 0);
	assert_int_equal(llext_get_fn_table(ext, false, fns, sizeof(fns)), 4 * sizeof(void *));
	for (size_t i = 0; i < 4; i++) {
		fns[i]();
	}
	assert_records(cleanup_order, 4, 5);

	/* One entry at a time, as current Zephyr asks. */
	assert_int_equal(llext_get_fn_table_entry(ext, true, NULL, 0), 5 * sizeof(void *));
	assert_int_equal(llext_get_fn_table_entry(ext, false, (void **)&one, 3), 0);
	assert_ptr_equal(one, fns[3]);
	assert_int_equal(llext_get_fn_table_entry(ext, false, (void **)&one, 4), -EINVAL);
	assert_int_equal(llext_get_fn_table(NULL, true, NULL, 0), -EINVAL);

	/* The same lists as regions: preinit first, then init, then fini. */
	assert_int_equal(ext->mem_size[LLEXT_MEM_PREINIT], sizeof(void *));
	assert_int_equal(ext->mem_size[LLEXT_MEM_INIT], 4 * sizeof(void *));
	assert_int_equal(ext->mem_size[LLEXT_MEM_FINI], 4 * sizeof(void *));
	assert_int_equal(llext_get_fn_table(ext, true, fns, sizeof(fns)), 5 * sizeof(void *));
	assert_ptr_equal(((void **)ext->mem[LLEXT_MEM_PREINIT])[0], (void *)fns[0]);
	assert_ptr_equal(((void **)ext->mem[LLEXT_MEM_INIT])[0], (void *)fns[1]);
	assert_int_equal(llext_unload(&ext), 0);
}

static void entry(void *arg)
{
	host_record(*(int *)arg);
}

static void test_bootstrap(void **state)
{
	struct llext *ext;
	int mark = 7777;

	(void)state;
	host_records_clear();
	assert_int_equal(load_fixture("ctors-gcc-default.o", "boot", &ext, NULL), 0);
	llext_bootstrap(ext, entry, &mark);
	assert_int_equal(host_nrecords, 5 + 1 + 4);
	assert_records(setup_order, 5, 0);
	assert_int_equal(host_records[5], 7777);
	assert_records(cleanup_order, 4, 6);
	/* Torn down already: unloading runs nothing more. */
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(host_nrecords, 10);
}

/* What libelf says of section @name of a fixture: its index and header; and the value of
 * symbol @sym. */
struct elf_facts {
	size_t shndx;
	GElf_Shdr shdr;
	uint64_t sym_value;
};

static struct elf_facts facts_of(const char *file, const char *name, const char *sym)
{
	struct elf_facts f = {0};
	int fd = open(fixture_path(file), O_RDONLY);
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;

		gelf_getshdr(scn, &sh);
		if (strcmp(elf_strptr(elf, shstrndx, sh.sh_name), name) == 0) {
			f.shndx = elf_ndxscn(scn);
			f.shdr = sh;
		}
		if (sh.sh_type == SHT_SYMTAB) {
			Elf_Data *d = elf_getdata(scn, NULL);

			for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
				GElf_Sym s;

				gelf_getsym(d, (int)i, &s);
				if (strcmp(elf_strptr(elf, sh.sh_link, s.st_name), sym) == 0) {
					f.sym_value = s.st_value;
				}
			}
		}
	}
	elf_end(elf);
	close(fd);
	assert_true(f.shndx > 0);
	return f;
}

static void test_section_info(void **state)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct elf_facts text = facts_of("basic-gcc-default.o", ".text", "basic_ops");
	struct elf_facts bss = facts_of("basic-gcc-default.o", ".bss", "basic_zeroes");
	struct elf_facts comment = facts_of("basic-gcc-default.o", ".comment", "");
	const elf_shdr_t *hdr;
	enum llext_mem region;
	const void *addr;
	struct llext *ext;
	elf_shdr_t sh;
	size_t off, size;

	(void)state;
	param.keep_section_info = true;
	assert_int_equal(load_fixture("basic-gcc-default.o", "inspect", &ext, &param), 0);
	assert_int_equal(llext_section_shndx(NULL, ext, ".text"), (int)text.shndx);
	assert_int_equal(llext_section_shndx(NULL, ext, ".no-such"), -ENOENT);
	assert_int_equal(llext_get_section_header(NULL, ext, ".text", &sh), 0);
	assert_int_equal(sh.sh_size, text.shdr.sh_size);
	assert_int_equal(sh.sh_offset, text.shdr.sh_offset);

	/* A function's address is its section's region, plus the section's offset there, plus
	 * its value. */
	assert_int_equal(llext_get_section_info(NULL, ext, text.shndx, &hdr, &region, &off), 0);
	assert_int_equal(region, LLEXT_MEM_TEXT);
	assert_int_equal(hdr->sh_flags, text.shdr.sh_flags);
	assert_ptr_equal((uint8_t *)ext->mem[LLEXT_MEM_TEXT] + off + text.sym_value,
	                 ext_sym(ext, "basic_ops"));
	assert_int_equal(llext_get_section_info(NULL, ext, bss.shndx, NULL, &region, &off), 0);
	assert_int_equal(region, LLEXT_MEM_BSS);
	assert_ptr_equal((uint8_t *)ext->mem[LLEXT_MEM_BSS] + off + bss.sym_value,
	                 ext_sym(ext, "basic_zeroes"));
	assert_int_equal(llext_get_section_info(NULL, ext, comment.shndx, NULL, &region, &off), 0);
	assert_int_equal(region, LLEXT_MEM_COUNT);
	assert_int_equal(llext_get_section_info(NULL, ext, 100000, NULL, NULL, NULL), -EINVAL);

	assert_int_equal(llext_get_region_info(NULL, ext, LLEXT_MEM_TEXT, &hdr, &addr, &size), 0);
	assert_ptr_equal(addr, ext->mem[LLEXT_MEM_TEXT]);
	assert_int_equal(size, ext->mem_size[LLEXT_MEM_TEXT]);
	assert_non_null(hdr);
	assert_int_equal(hdr->sh_addr, (uintptr_t)addr);
	assert_true(hdr->sh_flags & SHF_EXECINSTR);
	assert_int_equal(llext_get_region_info(NULL, ext, LLEXT_MEM_COUNT, NULL, NULL, NULL),
	                 -EINVAL);

	/* Freed: section questions go unanswered, regions are still known. */
	assert_int_equal(llext_free_inspection_data(NULL, ext), 0);
	assert_int_equal(llext_section_shndx(NULL, ext, ".text"), -ENOTSUP);
	assert_int_equal(llext_get_section_header(NULL, ext, ".text", &sh), -ENOTSUP);
	assert_int_equal(llext_get_region_info(NULL, ext, LLEXT_MEM_TEXT, &hdr, &addr, NULL), 0);
	assert_null(hdr);
	assert_ptr_equal(addr, ext->mem[LLEXT_MEM_TEXT]);
	assert_int_equal(llext_unload(&ext), 0);

	/* Not asked for: not kept. */
	assert_int_equal(load_fixture("basic-gcc-default.o", "inspect", &ext, NULL), 0);
	assert_int_equal(llext_get_section_info(NULL, ext, text.shndx, NULL, NULL, NULL), -ENOTSUP);
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_named_exports(void **state)
{
	struct llext *ext;

	(void)state;
	assert_ptr_equal(llext_find_sym(NULL, "host_plus"), (const void *)host_add);
	assert_non_null(llext_find_sym(NULL, "host_group_fn"));
	assert_int_equal(load_fixture("named.o", "named", &ext, NULL), 0);
	int (*sum)(int, int) = ext_sym(ext, "named_public_sum");

	assert_null(llext_find_sym(&ext->exp_tab, "named_sum"));
	assert_int_equal(sum(2, 3), 5 + 100 + 100);
	assert_int_equal(llext_unload(&ext), 0);
}

/* llext_load() with a pointer to const parameters. */
static int load_const(const char *file, const char *name, struct llext **ext,
                      const struct llext_load_param *param)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(fixture_path(file));

	return llext_load(&ldr.loader, name, ext, param);
}

static int mock_sensor_next;

static int mock_sensor(void)
{
	return mock_sensor_next++;
}

static void *no_malloc(size_t n)
{
	(void)n;
	return NULL;
}

static void test_overrides(void **state)
{
	struct llext_symbol syms[] = {{"sensor_read", (void *)mock_sensor}};
	struct llext_symbol nomem[] = {{"malloc", (void *)no_malloc}};
	struct llext_symtable mocks = {.sym_cnt = 1, .syms = syms};
	struct llext_symtable oom = {.sym_cnt = 1, .syms = nomem};
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;

	(void)state;
	/* Without overrides: the host's sensor_read() and the C library's malloc(). */
	assert_int_equal(load_fixture("mockable.o", "mock", &ext, NULL), 0);
	int (*mean)(int) = ext_sym(ext, "mockable_mean");

	assert_int_equal(mean(4), 10);
	assert_int_equal(llext_unload(&ext), 0);

	/* Overrides come before the host's exports: readings 1, 2, 3, 4 give 2. The parameters
	 * are const, as current Zephyr has them. */
	param.overrides = &mocks;
	mock_sensor_next = 1;
	assert_int_equal(load_const("mockable.o", "mock", &ext, &param), 0);
	mean = ext_sym(ext, "mockable_mean");
	assert_int_equal(mean(4), 2);
	assert_int_equal(llext_unload(&ext), 0);

	/* And before the process's symbols: no memory, so no mean. */
	param.overrides = &oom;
	assert_int_equal(load_fixture("mockable.o", "mock", &ext, &param), 0);
	mean = ext_sym(ext, "mockable_mean");
	assert_int_equal(mean(4), -1);
	assert_int_equal(llext_unload(&ext), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fn_tables),    cmocka_unit_test(test_bootstrap),
	    cmocka_unit_test(test_section_info), cmocka_unit_test(test_named_exports),
	    cmocka_unit_test(test_overrides),
	};

	return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
