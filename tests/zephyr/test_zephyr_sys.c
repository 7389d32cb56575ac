// SPDX-License-Identifier: MIT
/*
 * System calls, inspection and the platform's configuration, the way Zephyr code meets them.
 *
 * - The build runs llext-zephyr-syscalls on ext/zsys_calls.h. The extensions call the wrappers it
 *   wrote; this host implements every z_impl_ function but z_impl_zsys_missing() and links the
 *   exports file it wrote, which exports the missing one as NULL.
 * - ext/zinspect.c has something in every region: its region headers must carry the file range
 *   their sections span, computed here independently from the object with libelf.
 * - ext/zconfig.c reports the CONFIG_ options it was built with, by default and with -D
 *   overrides.
 *
 * Each test runs for every compiler the fixtures were built with (its prestate).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <link.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <llext-zephyr.h>
#include <llext/log.h>
#include <zephyr/kernel.h>
#include <zephyr/llext/fs_loader.h>
#include <zephyr/llext/inspect.h>
#include <zephyr/llext/llext.h>
#include <zephyr/llext/symbol.h>

/* The four headers of subsystems a process lacks compile, beside everything else. */
#include <zephyr/fs/fs.h>
#include <zephyr/llext/semihost_loader.h>
#include <zephyr/storage/flash_map.h>
#include <zephyr/sys/libc-hooks.h>

#include "zconfig_bits.h"
#include "zsys_calls.h"

/* ---- failed checks and libllext's log ---- */

static void fail_hook(const struct llext_zephyr_failure *f, void *user)
{
	(void)user;
	fail_msg("%s:%d: %s: %s %s", f->file, f->line, f->func, f->cond, f->msg);
}

static char logbuf[8192];

static void log_sink(enum llext_log_level level, const char *msg, void *user)
{
	size_t len = strlen(logbuf);

	(void)level;
	(void)user;
	snprintf(logbuf + len, sizeof(logbuf) - len, "%s\n", msg);
}

static int setup(void **state)
{
	(void)state;
	logbuf[0] = '\0';
	llext_set_log(LLEXT_LOG_ERR, log_sink, NULL);
	llext_zephyr_set_fail_hook(fail_hook, NULL);
	return 0;
}

static int teardown(void **state)
{
	static const char *const names[] = {"zsys", "zsys_weak", "zsys_missing", "zinspect",
	                                    "zconfig"};

	(void)state;
	/* What a failed test left loaded, so that the next one loads afresh. */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct llext *e;

		while ((e = llext_by_name(names[i])) != NULL) {
			llext_unload(&e);
		}
	}
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
	llext_zephyr_set_fail_hook(NULL, NULL);
	return 0;
}

/* ---- loading ---- */

static const char *fixture(const char *base, void **state)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s-%s.o", ZFIXTURE_DIR, base, (const char *)*state);
	return path;
}

static int try_load(const char *path, const char *name, bool keep, struct llext **ext)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;

	param.keep_section_info = keep;
	*ext = NULL;
	return llext_load(&ldr.loader, name, ext, &param);
}

static struct llext *load(const char *path, const char *name, bool keep)
{
	struct llext *ext;
	int ret = try_load(path, name, keep, &ext);

	if (ret) {
		fail_msg("%s: llext_load() = %d\n%s", path, ret, logbuf);
	}
	return ext;
}

static const void *sym(struct llext *ext, const char *name)
{
	const void *p = llext_find_sym(&ext->exp_tab, name);

	if (!p) {
		fail_msg("%s does not export %s", ext->name, name);
	}
	return p;
}

/* ---- system calls ---- */

/* The extension calls each wrapper; each reaches the host's z_impl_ function. */
static void test_syscalls(void **state)
{
	struct llext *ext = load(fixture("zsys", state), "zsys", false);
	long (*run)(void) = (long (*)(void))(uintptr_t)sym(ext, "zsys_run");
	unsigned long before = z_impl_zsys_count();

	/* zsys_describe() is the third counted call of the run and reports the count then. */
	assert_int_equal(run(), 1000 + (long)(before + 3));
	/* add, upcase, describe, swap64, and the final add. */
	assert_int_equal(z_impl_zsys_count() - before, 5);
	assert_int_equal(llext_unload(&ext), 0);
}

struct note_hunt {
	const char *name;
	bool found;
	const void *addr;
};

/* Looks through the program's own LLEXT notes for @h->name, as an independent reader. */
static int hunt(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct note_hunt *h = arg;

	(void)size;
	if (info->dlpi_name && info->dlpi_name[0]) {
		return 0; /* the program is the module with the empty name */
	}
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
		const uint8_t *end = p + ph->p_memsz;

		while (ph->p_type == PT_NOTE && end - p >= 12) {
			uint32_t nsz, dsz, type;
			int64_t off;

			memcpy(&nsz, p, 4);
			memcpy(&dsz, p + 4, 4);
			memcpy(&type, p + 8, 4);
			const uint8_t *desc = p + 12 + ((nsz + 3u) & ~3u);
			if (type == LLEXT_NOTE_EXPORT && nsz == 6 && dsz == 8 &&
			    memcmp(p + 12, "LLEXT", 6) == 0) {
				memcpy(&off, desc, 8);
				const struct llext_const_symbol *s = (const void *)(desc + off);
				if (strcmp(s->name, h->name) == 0) {
					h->found = true;
					h->addr = s->addr;
				}
			}
			p = desc + ((dsz + 3u) & ~3u);
		}
	}
	return 0;
}

/*
 * Every declared call is exported, the implemented ones at their address and the missing one
 * at NULL (Zephyr's test_ext_syscall_fail looks up the latter).
 */
static void test_exports_weak(void **state)
{
	struct note_hunt missing = {"z_impl_zsys_missing", false, NULL};
	struct note_hunt add = {"z_impl_zsys_add", false, NULL};

	(void)state;
	dl_iterate_phdr(hunt, &missing);
	dl_iterate_phdr(hunt, &add);
	assert_true(missing.found);
	assert_null(missing.addr);
	assert_true(add.found);
	assert_ptr_equal(add.addr, (const void *)&z_impl_zsys_add);
	assert_null(llext_find_sym(NULL, "z_impl_zsys_missing"));
	assert_ptr_equal(llext_find_sym(NULL, "z_impl_zsys_add"), (const void *)&z_impl_zsys_add);
	assert_ptr_equal(llext_find_sym(NULL, "z_impl_zsys_count"),
	                 (const void *)&z_impl_zsys_count);
}

/* An extension that calls the missing one fails to load, naming it, as in Zephyr. */
static void test_missing_fails(void **state)
{
	struct llext *ext;

	assert_int_equal(try_load(fixture("zsys_missing", state), "zsys_missing", false, &ext),
	                 -ENODATA);
	assert_null(ext);
	assert_non_null(strstr(logbuf, "z_impl_zsys_missing"));
	assert_null(llext_by_name("zsys_missing"));
}

/* One that refers to it weakly loads and sees NULL; the implemented one is the host's. */
static void test_weak_null(void **state)
{
	struct llext *ext = load(fixture("zsys_weak", state), "zsys_weak", false);
	const void *(*missing)(void) =
	    (const void *(*)(void))(uintptr_t)sym(ext, "zsys_missing_addr");
	const void *(*add)(void) = (const void *(*)(void))(uintptr_t)sym(ext, "zsys_add_addr");
	int (*try_missing)(void) = (int (*)(void))(uintptr_t)sym(ext, "zsys_try_missing");

	assert_null(missing());
	assert_ptr_equal(add(), (const void *)&z_impl_zsys_add);
	assert_int_equal(try_missing(), -ENOSYS);
	assert_int_equal(llext_unload(&ext), 0);
}

/* ---- inspection ---- */

struct obj {
	int fd;
	Elf *elf;
	size_t shnum;
};

static void obj_open(struct obj *o, const char *path)
{
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	o->fd = open(path, O_RDONLY);
	assert_true(o->fd >= 0);
	o->elf = elf_begin(o->fd, ELF_C_READ, NULL);
	assert_non_null(o->elf);
	assert_int_equal(elf_getshdrnum(o->elf, &o->shnum), 0);
}

static void obj_close(struct obj *o)
{
	elf_end(o->elf);
	close(o->fd);
}

static GElf_Shdr obj_shdr(const struct obj *o, size_t i)
{
	GElf_Shdr h;

	assert_non_null(gelf_getshdr(elf_getscn(o->elf, i), &h));
	return h;
}

/* The index of the first section of type @type, 0 if none. */
static size_t obj_find_type(const struct obj *o, uint32_t type)
{
	for (size_t i = 1; i < o->shnum; i++) {
		if (obj_shdr(o, i).sh_type == type) {
			return i;
		}
	}
	return 0;
}

/* The span, in the file as libelf reads it, of the sections libllext says went to @r. */
static bool expected_span(const struct obj *o, struct llext *ext, enum llext_mem r, uint64_t *lo,
                          uint64_t *hi, uint64_t *nobits)
{
	*lo = UINT64_MAX;
	*hi = 0;
	*nobits = 0;
	for (size_t i = 1; i < o->shnum; i++) {
		enum llext_mem in;
		GElf_Shdr h = obj_shdr(o, i);

		assert_int_equal(
		    llext_get_section_info(NULL, ext, (unsigned int)i, NULL, &in, NULL), 0);
		if (in != r) {
			continue;
		}
		*lo = h.sh_offset < *lo ? h.sh_offset : *lo;
		if (h.sh_type == SHT_NOBITS) {
			*nobits += h.sh_size; /* no bytes in the file */
			*hi = h.sh_offset > *hi ? h.sh_offset : *hi;
		} else {
			*hi = h.sh_offset + h.sh_size > *hi ? h.sh_offset + h.sh_size : *hi;
		}
	}
	return *lo <= *hi;
}

static void check_one_table(const struct obj *o, struct llext *ext, enum llext_mem r, size_t i)
{
	const elf_shdr_t *hdr;
	GElf_Shdr h = obj_shdr(o, i);

	assert_true(i > 0);
	assert_int_equal(llext_get_region_info(NULL, ext, r, &hdr, NULL, NULL), 0);
	assert_int_equal(hdr->sh_offset, h.sh_offset);
	assert_int_equal(hdr->sh_size, h.sh_size);
}

/* Each region's header carries the file range its sections span. */
static void check_region_spans(const struct obj *o, struct llext *ext)
{
	size_t shstrndx;

	for (int r = LLEXT_MEM_TEXT; r < LLEXT_MEM_PARTITIONS; r++) {
		const elf_shdr_t *hdr;
		uint64_t lo, hi, nobits;
		size_t size;

		assert_int_equal(
		    llext_get_region_info(NULL, ext, (enum llext_mem)r, &hdr, NULL, &size), 0);
		assert_non_null(hdr);
		assert_true(expected_span(o, ext, (enum llext_mem)r, &lo, &hi, &nobits));
		assert_int_not_equal(hdr->sh_offset, 0);
		assert_int_equal(hdr->sh_offset, lo);
		if (r == LLEXT_MEM_BSS) {
			/* Sections without bytes: the header holds all of them, as memory does. */
			assert_true(nobits >= 4 + 64 * 4);
			assert_true(hdr->sh_size >= nobits);
			assert_int_equal(hdr->sh_size, size);
		} else {
			assert_int_equal(nobits, 0);
			assert_int_equal(hdr->sh_size, hi - lo);
		}
	}
	assert_int_equal(elf_getshdrstrndx(o->elf, &shstrndx), 0);
	check_one_table(o, ext, LLEXT_MEM_SYMTAB, obj_find_type(o, SHT_SYMTAB));
	check_one_table(o, ext, LLEXT_MEM_STRTAB,
	                obj_shdr(o, obj_find_type(o, SHT_SYMTAB)).sh_link);
	check_one_table(o, ext, LLEXT_MEM_SHSTRTAB, shstrndx);
}

/* Zephyr's checks for one symbol: its section is in its region, and it is in both. */
static void check_symbol(struct llext *ext, enum llext_mem r, const char *sect, const char *name)
{
	const elf_shdr_t *sect_hdr, *reg_hdr;
	enum llext_mem sect_region;
	const void *reg_addr;
	size_t reg_size, sect_off;
	uintptr_t at = (uintptr_t)sym(ext, name), base;
	int shndx = llext_section_shndx(NULL, ext, sect);

	assert_true(shndx > 0);
	assert_int_equal(llext_get_region_info(NULL, ext, r, &reg_hdr, &reg_addr, &reg_size), 0);
	assert_int_equal(llext_get_section_info(NULL, ext, (unsigned int)shndx, &sect_hdr,
	                                        &sect_region, &sect_off),
	                 0);
	base = (uintptr_t)reg_addr;
	assert_int_equal(sect_region, r);
	assert_true(sect_hdr->sh_offset >= reg_hdr->sh_offset);
	assert_true(sect_hdr->sh_offset + sect_hdr->sh_size <=
	            reg_hdr->sh_offset + reg_hdr->sh_size);
	assert_true(sect_off < reg_size);
	assert_true(at >= base && at < base + reg_size);
	assert_true(at >= base + sect_off && at < base + sect_off + sect_hdr->sh_size);
}

/* Zephyr's section listing matches the object. */
static void check_listing(const struct obj *o, struct llext *ext)
{
	const elf_shdr_t *all = llext_section_headers(ext);

	assert_int_equal(llext_section_count(ext), o->shnum);
	assert_non_null(all);
	for (size_t i = 0; i < o->shnum; i++) {
		GElf_Shdr h = obj_shdr(o, i);

		assert_int_equal(all[i].sh_offset, h.sh_offset);
		assert_int_equal(all[i].sh_size, h.sh_size);
		assert_int_equal(all[i].sh_type, h.sh_type);
	}
}

static void test_inspect(void **state)
{
	const char *path = fixture("zinspect", state);
	struct llext *ext = load(path, "zinspect", true);
	struct obj o;
	size_t before;

	obj_open(&o, path);
	check_region_spans(&o, ext);
	check_listing(&o, ext);
	check_symbol(ext, LLEXT_MEM_BSS, ".bss", "number_in_bss");
	check_symbol(ext, LLEXT_MEM_DATA, ".data", "number_in_data");
	check_symbol(ext, LLEXT_MEM_RODATA, ".rodata", "number_in_rodata");
	check_symbol(ext, LLEXT_MEM_RODATA, ".my_rodata", "number_in_my_rodata");
	check_symbol(ext, LLEXT_MEM_RODATA, LLEXT_SECTION_RODATA_NO_RELOC, "noreloc_data");
	check_symbol(ext, LLEXT_MEM_TEXT, ".text", "function_in_text");
	obj_close(&o);

	before = ext->alloc_size;
	assert_int_equal(llext_free_inspection_data(NULL, ext), 0);
	assert_true(ext->alloc_size < before);
	assert_int_equal(llext_section_count(ext), 0);
	assert_null(llext_section_headers(ext));
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(llext_section_count(NULL), 0);
	assert_null(llext_section_headers(NULL));
}

/* Without keep_section_info there is no listing, and the region headers are NULL. */
static void test_inspect_not_kept(void **state)
{
	struct llext *ext = load(fixture("zinspect", state), "zinspect", false);
	const elf_shdr_t *hdr = (const elf_shdr_t *)&hdr;

	assert_int_equal(llext_section_count(ext), 0);
	assert_null(llext_section_headers(ext));
	assert_int_equal(llext_get_region_info(NULL, ext, LLEXT_MEM_TEXT, &hdr, NULL, NULL), 0);
	assert_null(hdr);
	assert_int_equal(llext_unload(&ext), 0);
}

/* LLEXT_RODATA_NO_RELOC data is read-only data like any other: copied, read right. */
static void test_rodata_no_reloc(void **state)
{
	struct llext *ext = load(fixture("zinspect", state), "zinspect", false);
	const uint32_t *v = sym(ext, "noreloc_data");
	uint32_t (*read)(void) = (uint32_t(*)(void))(uintptr_t)sym(ext, "read_noreloc");
	uintptr_t ro = (uintptr_t)ext->mem[LLEXT_MEM_RODATA];

	assert_int_equal(*v, 0x12345678);
	assert_int_equal(read(), 0x12345679);
	assert_true((uintptr_t)v >= ro && (uintptr_t)v < ro + ext->mem_size[LLEXT_MEM_RODATA]);
	assert_int_equal(llext_unload(&ext), 0);
}

/* ---- configuration ---- */

/* What this platform is, from the compiler's own predefined macros. */
static unsigned int platform_bits(void)
{
	unsigned int bits = ZC_LLEXT | ZC_RELOCATABLE | ZC_EXPORT_DEPS | ZC_TLS | ZC_CPP;

	if (sizeof(void *) == 8) {
		bits |= ZC_64BIT;
	}
#if defined(__x86_64__)
	bits |= ZC_X86 | ZC_X86_64;
#elif defined(__aarch64__)
	bits |= ZC_ARM64;
#endif
	return bits;
}

static const char *platform_arch(void)
{
#if defined(__x86_64__)
	return "x86";
#else
	return "arm64";
#endif
}

static void test_config_default(void **state)
{
	struct llext *ext = load(fixture("zconfig", state), "zconfig", false);
	unsigned int (*bits)(void) = (unsigned int (*)(void))(uintptr_t)sym(ext, "zconfig_bits");
	const char *(*arch)(void) = (const char *(*)(void))(uintptr_t)sym(ext, "zconfig_arch");

	assert_int_equal(bits(), platform_bits());
	assert_string_equal(arch(), platform_arch());
	assert_null(llext_find_sym(&ext->exp_tab, "zconfig_heap_size"));
	assert_int_equal(llext_unload(&ext), 0);
}

/* Built with -DCONFIG_CPP=0 -DCONFIG_THREAD_LOCAL_STORAGE=0, the object type switched, an int
 * and a string option set (tests/zephyr/meson.build). */
static void test_config_override(void **state)
{
	struct llext *ext = load(fixture("zconfig-override", state), "zconfig", false);
	unsigned int (*bits)(void) = (unsigned int (*)(void))(uintptr_t)sym(ext, "zconfig_bits");
	const char *(*arch)(void) = (const char *(*)(void))(uintptr_t)sym(ext, "zconfig_arch");
	unsigned int want = (platform_bits() & ~(ZC_CPP | ZC_TLS | ZC_RELOCATABLE)) | ZC_OBJECT;

	assert_int_equal(bits(), want);
	assert_string_equal(arch(), "custom");
	assert_int_equal(*(const int *)sym(ext, "zconfig_heap_size"), 16);
	assert_int_equal(llext_unload(&ext), 0);
}

/* The host sees the same configuration, and the lacked subsystems' calls refuse. */
static void test_config_host(void **state)
{
	struct fs_file_t f;
	const struct flash_area *fa = (const struct flash_area *)&fa;

	(void)state;
	assert_int_equal(IS_ENABLED(CONFIG_64BIT), sizeof(void *) == 8);
	assert_true(IS_ENABLED(CONFIG_LLEXT_TYPE_ELF_RELOCATABLE));
	assert_false(IS_ENABLED(CONFIG_USERSPACE));
	assert_false(IS_ENABLED(CONFIG_LLEXT_STORAGE_WRITABLE));
	assert_false(IS_ENABLED(CONFIG_LLEXT_RODATA_NO_RELOC));
#ifdef Z_LIBC_PARTITION_EXISTS
	fail_msg("Z_LIBC_PARTITION_EXISTS is defined without user mode");
#endif
	fs_file_t_init(&f);
	assert_int_equal(fs_open(&f, "/lfs/x", FS_O_CREATE | FS_O_WRITE), -ENOTSUP);
	assert_int_equal(flash_area_open(0, &fa), -ENOTSUP);
	assert_null(fa);
}

#define ZT(fn, variant) cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, variant)
#define ZTESTS(variant)                                                                            \
	ZT(test_syscalls, variant), ZT(test_missing_fails, variant), ZT(test_weak_null, variant),  \
	    ZT(test_inspect, variant), ZT(test_inspect_not_kept, variant),                         \
	    ZT(test_rodata_no_reloc, variant), ZT(test_config_default, variant),                   \
	    ZT(test_config_override, variant)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZT(test_exports_weak, NULL),
		ZT(test_config_host, NULL),
		ZTESTS("gcc"),
#if ZHAVE_CLANG
		ZTESTS("clang"),
#endif
	};

	return cmocka_run_group_tests_name("zephyr-sys", tests, NULL, NULL);
}
