// SPDX-License-Identifier: MIT
/*
 * The llext test suite in Zephyr's shape: a ztest host, run by the ztest runner, whose suite
 * `llext` loads each extension of tests/zephyr/ext/ (as ZCOMP built it) once through the file
 * loader and once through the buffer loader, brings it up, calls into it, checks with zassert
 * and unloads it:
 *
 * - zhello: the simplest extension, its test_entry printing and asserting;
 * - zsys, zsys_weak, zsys_missing: system calls through the wrappers llext-zephyr-syscalls
 *   wrote; this host implements every z_impl_ function but z_impl_zsys_missing() and links the
 *   exports file the tool wrote, which exports that one as NULL;
 * - zinspect: its regions and sections, against this host's own reading of the object's ELF
 *   headers (<elf.h>, no libllext or libelf);
 * - zrodata: LLEXT_RODATA_NO_RELOC data;
 * - zprovider and zconsumer: one extension linking against the other's EXPORT_SYMBOL()s.
 *
 * The suite's setup installs a log sink and returns the fixture; its after() unloads whatever a
 * failed case left; teardown checks that every load was matched by an unload. A case skips
 * itself for a feature libllext lacks, a second suite is turned away by its predicate without
 * user mode, and a last suite checks that the first one's teardown ran and left nothing loaded.
 * check-ztest.py reads the report; built with -DLLEXT_SUITE_BROKEN, the system call cases
 * expect a wrong result, and the report must say they failed.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/log.h>
#include <zephyr/kernel.h>
#include <zephyr/llext/buf_loader.h>
#include <zephyr/llext/fs_loader.h>
#include <zephyr/llext/inspect.h>
#include <zephyr/llext/llext.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest.h>

#include "zsys_calls.h"

/* ---- the suite's state ---- */

enum how {
	FROM_FILE,
	FROM_BUFFER,
};

struct llext_fixture {
	/* libllext's log since the running case began. */
	char log[8192];
	/* The object last read, as it is in its file. */
	uint8_t *obj;
	size_t obj_len;
	/* Loads that succeeded, and the unloads that matched them. */
	int loads, unloads;
};

/* Every extension the cases load, by the name they load it under; a consumer before its
 * provider, so that suite_after() never unloads a provider a consumer still holds. */
static const char *const ext_names[] = {"zhello",   "zsys",    "zsys_weak", "zsys_missing",
                                        "zinspect", "zrodata", "zconsumer", "zprovider"};

static bool teardown_ran;

static void log_sink(enum llext_log_level level, const char *msg, void *user)
{
	struct llext_fixture *f = user;
	size_t len = strlen(f->log);

	(void)level;
	snprintf(f->log + len, sizeof(f->log) - len, "%s\n", msg);
}

static void *suite_setup(void)
{
	static struct llext_fixture f;

	llext_set_log(LLEXT_LOG_ERR, log_sink, &f);
	for (size_t i = 0; i < ARRAY_SIZE(ext_names); i++) {
		zassert_is_null(llext_by_name(ext_names[i]), "%s loaded before the suite",
		                ext_names[i]);
	}
	return &f;
}

static void suite_before(void *data)
{
	struct llext_fixture *f = data;

	f->log[0] = '\0';
}

/* A failed zassert leaves its case at once, with its extensions loaded: unload them here. */
static void suite_after(void *data)
{
	struct llext_fixture *f = data;

	for (size_t i = 0; i < ARRAY_SIZE(ext_names); i++) {
		struct llext *e;

		while ((e = llext_by_name(ext_names[i])) != NULL) {
			/* Those a consumer holds go with it, as its dependencies. */
			if (llext_unload(&e) == 0) {
				f->unloads++;
			}
		}
	}
	free(f->obj);
	f->obj = NULL;
	f->obj_len = 0;
}

static void suite_teardown(void *data)
{
	struct llext_fixture *f = data;

	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
	teardown_ran = true;
	zassert_true(f->loads > 0, "the cases loaded something");
	zassert_equal(f->loads, f->unloads, "%d loads, %d unloads", f->loads, f->unloads);
}

ZTEST_SUITE(llext, NULL, suite_setup, suite_before, suite_after, suite_teardown);

/* ---- loading ---- */

/* Reads the object @base as ZCOMP built it into f->obj; the file is closed before any check. */
static void read_object(struct llext_fixture *f, const char *base, char *path, size_t size)
{
	FILE *fp;
	long len;

	snprintf(path, size, "%s/%s-%s.o", ZFIXTURE_DIR, base, ZCOMP);
	fp = fopen(path, "rb");
	zassert_not_null(fp, "cannot open %s", path);
	len = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
	free(f->obj);
	f->obj = len > 0 ? malloc((size_t)len) : NULL;
	f->obj_len = 0;
	if (f->obj) {
		rewind(fp);
		f->obj_len = fread(f->obj, 1, (size_t)len, fp);
	}
	fclose(fp);
	zassert_true(len > 0 && f->obj, "cannot read %s", path);
	zassert_equal(f->obj_len, (size_t)len, "short read of %s", path);
}

/*
 * Loads object @base as @name, from its file or from a buffer, and returns llext_load()'s
 * result. The buffer is scribbled over and freed as soon as llext_load() returns: the loaded
 * extension must not refer to it.
 */
static int try_load(struct llext_fixture *f, const char *base, const char *name, enum how how,
                    bool keep, struct llext **ext)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	char path[4096];
	int ret;

	read_object(f, base, path, sizeof(path));
	param.keep_section_info = keep;
	*ext = NULL;
	if (how == FROM_FILE) {
		struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);

		ret = llext_load(&ldr.loader, name, ext, &param);
	} else {
		uint8_t *copy = malloc(f->obj_len);
		struct llext_buf_loader ldr = LLEXT_TEMPORARY_BUF_LOADER(copy, f->obj_len);

		zassert_not_null(copy);
		memcpy(copy, f->obj, f->obj_len);
		ret = llext_load(&ldr.loader, name, ext, &param);
		memset(copy, 0xa5, f->obj_len);
		free(copy);
	}
	if (ret == 0) {
		f->loads++;
	}
	return ret;
}

static struct llext *load(struct llext_fixture *f, const char *base, enum how how, bool keep)
{
	struct llext *ext;
	int ret = try_load(f, base, base, how, keep, &ext);

	zassert_ok(ret, "llext_load(%s) = %d\n%s", base, ret, f->log);
	zassert_not_null(ext);
	zassert_str_equal(ext->name, base);
	return ext;
}

static void unload(struct llext_fixture *f, struct llext **ext)
{
	const char *name = (*ext)->name;
	char copy[LLEXT_MAX_NAME_LEN + 1];

	snprintf(copy, sizeof(copy), "%s", name);
	zassert_ok(llext_unload(ext));
	f->unloads++;
	zassert_is_null(*ext);
	zassert_is_null(llext_by_name(copy), "%s is still loaded", copy);
}

static const void *sym(struct llext *ext, const char *name)
{
	const void *p = llext_find_sym(&ext->exp_tab, name);

	zassert_not_null(p, "%s does not export %s", ext->name, name);
	return p;
}

/* What a case checks between bringup and teardown. */
typedef void (*check_fn)(struct llext_fixture *f, struct llext *ext);

/* One case: load, bring up, check, tear down, unload; nothing of it stays loaded. */
static void load_unload(struct llext_fixture *f, const char *base, enum how how, bool keep,
                        check_fn check)
{
	struct llext *ext = load(f, base, how, keep);

	zassert_ok(llext_bringup(ext));
	check(f, ext);
	zassert_ok(llext_teardown(ext));
	unload(f, &ext);
}

/* Two cases, test_NAME_file and test_NAME_buffer, for object @base. */
#define LOAD_UNLOAD(name, base, keep, check)                                                       \
	ZTEST_F(llext, test_##name##_file)                                                         \
	{                                                                                          \
		load_unload(fixture, base, FROM_FILE, keep, check);                                \
	}                                                                                          \
	ZTEST_F(llext, test_##name##_buffer)                                                       \
	{                                                                                          \
		load_unload(fixture, base, FROM_BUFFER, keep, check);                              \
	}

/* ---- hello world ---- */

/* Its test_entry prints, and a failed zassert there would fail this case. */
static void check_entry(struct llext_fixture *f, struct llext *ext)
{
	(void)f;
	zassert_ok(llext_call_fn(ext, "test_entry"));
}

LOAD_UNLOAD(hello_world, "zhello", false, check_entry)

/* ---- system calls ---- */

#ifdef LLEXT_SUITE_BROKEN
/* A wrong expectation, so that the report must show these cases failed. */
#define ZSYS_EXTRA 1
#else
#define ZSYS_EXTRA 0
#endif

/* zsys_run() calls each wrapper; each reaches this host's z_impl_ function. */
static void check_syscalls(struct llext_fixture *f, struct llext *ext)
{
	long (*run)(void) = (long (*)(void))(uintptr_t)sym(ext, "zsys_run");
	unsigned long before = z_impl_zsys_count();

	(void)f;
	/* zsys_describe() is the third counted call and reports the count then. */
	zassert_equal(run(), 1000 + (long)(before + 3) + ZSYS_EXTRA);
	/* add, upcase, describe, swap64, and the last add; zsys_count() is not counted. */
	zassert_equal(z_impl_zsys_count() - before, 5);
}

LOAD_UNLOAD(syscall, "zsys", false, check_syscalls)

/* A weak reference to the call nothing implements is NULL; the implemented one is ours. */
static void check_weak(struct llext_fixture *f, struct llext *ext)
{
	const void *(*missing)(void) =
	    (const void *(*)(void))(uintptr_t)sym(ext, "zsys_missing_addr");
	const void *(*add)(void) = (const void *(*)(void))(uintptr_t)sym(ext, "zsys_add_addr");
	int (*try_missing)(void) = (int (*)(void))(uintptr_t)sym(ext, "zsys_try_missing");

	(void)f;
	zassert_is_null(missing());
	zassert_equal_ptr(add(), (const void *)&z_impl_zsys_add);
	zassert_equal(try_missing(), -ENOSYS);
}

LOAD_UNLOAD(syscall_weak, "zsys_weak", false, check_weak)

/* A strong call to it: the load fails, naming it, and registers nothing. */
static void check_missing(struct llext_fixture *f, enum how how)
{
	struct llext *ext;

	zassert_equal(try_load(f, "zsys_missing", "zsys_missing", how, false, &ext), -ENODATA);
	zassert_is_null(ext);
	zassert_not_null(strstr(f->log, "z_impl_zsys_missing"), "the log names it:\n%s", f->log);
	zassert_is_null(llext_by_name("zsys_missing"));
	zassert_is_null(llext_find_sym(NULL, "zsys_call_missing"), "nothing exported");
}

ZTEST_F(llext, test_syscall_missing_file)
{
	check_missing(fixture, FROM_FILE);
}

ZTEST_F(llext, test_syscall_missing_buffer)
{
	check_missing(fixture, FROM_BUFFER);
}

/* The host's table has every declared call: the implemented ones, and NULL for the other. */
ZTEST(llext, test_syscall_exports)
{
	zassert_equal_ptr(llext_find_sym(NULL, "z_impl_zsys_add"), (const void *)&z_impl_zsys_add);
	zassert_equal_ptr(llext_find_sym(NULL, "z_impl_zsys_swap64"),
	                  (const void *)&z_impl_zsys_swap64);
	zassert_is_null(llext_find_sym(NULL, "z_impl_zsys_missing"));
}

/* What every extension calls is in the host's table. */
ZTEST(llext, test_printk_exported)
{
	zassert_equal_ptr(llext_find_sym(NULL, "printk"), (const void *)&printk);
}

/* ---- inspection, against the object's own ELF headers ---- */

/* Section @i of the object, as its section header table says; the table checked first. */
static const Elf64_Shdr *obj_shdr(const struct llext_fixture *f, size_t i)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f->obj;

	zassert_true(f->obj_len >= sizeof(*eh) && eh->e_ident[EI_CLASS] == ELFCLASS64);
	zassert_equal(eh->e_shentsize, sizeof(Elf64_Shdr));
	zassert_true(i < eh->e_shnum);
	zassert_true(eh->e_shoff <= f->obj_len &&
	             (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) <= f->obj_len - eh->e_shoff);
	return (const Elf64_Shdr *)(f->obj + eh->e_shoff) + i;
}

static size_t obj_shnum(const struct llext_fixture *f)
{
	return ((const Elf64_Ehdr *)f->obj)->e_shnum;
}

/* The index of section @name, 0 if the object has none. */
static size_t obj_find(const struct llext_fixture *f, const char *name)
{
	const Elf64_Shdr *names = obj_shdr(f, ((const Elf64_Ehdr *)f->obj)->e_shstrndx);

	for (size_t i = 1; i < obj_shnum(f); i++) {
		uint32_t at = obj_shdr(f, i)->sh_name;

		zassert_true(at < names->sh_size &&
		             names->sh_offset + names->sh_size <= f->obj_len);
		if (strcmp((const char *)f->obj + names->sh_offset + at, name) == 0) {
			return i;
		}
	}
	return 0;
}

/* The index of the first section of @type. */
static size_t obj_find_type(const struct llext_fixture *f, uint32_t type)
{
	for (size_t i = 1; i < obj_shnum(f); i++) {
		if (obj_shdr(f, i)->sh_type == type) {
			return i;
		}
	}
	zassert_unreachable("the object has no section of type %u", type);
	return 0;
}

/*
 * Each region's header spans, in the file, exactly the sections libllext says it holds. The
 * bss sections have no bytes there: the bss header starts at the first and is as large as the
 * region is in memory, which holds them all.
 */
static void check_region_spans(const struct llext_fixture *f, struct llext *ext)
{
	for (int r = LLEXT_MEM_TEXT; r < LLEXT_MEM_PARTITIONS; r++) {
		const elf_shdr_t *hdr;
		uint64_t lo = UINT64_MAX, hi = 0, nobits = 0;
		size_t size;

		zassert_ok(llext_get_region_info(NULL, ext, (enum llext_mem)r, &hdr, NULL, &size));
		zassert_not_null(hdr, "region %d has a header", r);
		for (size_t i = 1; i < obj_shnum(f); i++) {
			const Elf64_Shdr *s = obj_shdr(f, i);
			uint64_t end = s->sh_offset + (s->sh_type == SHT_NOBITS ? 0 : s->sh_size);
			enum llext_mem in;

			zassert_ok(
			    llext_get_section_info(NULL, ext, (unsigned int)i, NULL, &in, NULL));
			if (in == (enum llext_mem)r) {
				lo = s->sh_offset < lo ? s->sh_offset : lo;
				hi = end > hi ? end : hi;
				nobits += s->sh_type == SHT_NOBITS ? s->sh_size : 0;
			}
		}
		zassert_true(lo <= hi, "region %d holds a section", r);
		zassert_equal(hdr->sh_offset, lo, "region %d starts at its first section", r);
		if (r == LLEXT_MEM_BSS) {
			zassert_true(nobits > 0 && hdr->sh_size >= nobits,
			             "the bss header holds it");
			zassert_equal(hdr->sh_size, size, "the bss header is the region's size");
		} else {
			zassert_equal(hdr->sh_size, hi - lo, "region %d ends at its last section",
			              r);
		}
	}
}

/* The region of a table is that table's section. */
static void check_table(const struct llext_fixture *f, struct llext *ext, enum llext_mem r,
                        size_t i)
{
	const elf_shdr_t *hdr;

	zassert_ok(llext_get_region_info(NULL, ext, r, &hdr, NULL, NULL));
	zassert_equal(hdr->sh_offset, obj_shdr(f, i)->sh_offset);
	zassert_equal(hdr->sh_size, obj_shdr(f, i)->sh_size);
}

/* Section @sect went to region @r, and symbol @name is in both, where they were placed. */
static void check_placed(const struct llext_fixture *f, struct llext *ext, enum llext_mem r,
                         const char *sect, const char *name)
{
	size_t i = obj_find(f, sect);
	const elf_shdr_t *sh;
	enum llext_mem in;
	const void *base;
	size_t size, off;
	uintptr_t at = (uintptr_t)sym(ext, name);

	zassert_true(i > 0, "the object has %s", sect);
	zassert_equal(llext_section_shndx(NULL, ext, sect), (int)i);
	zassert_ok(llext_get_section_info(NULL, ext, (unsigned int)i, &sh, &in, &off));
	zassert_equal(in, r, "%s is in region %d", sect, in);
	zassert_equal(sh->sh_offset, obj_shdr(f, i)->sh_offset);
	zassert_ok(llext_get_region_info(NULL, ext, r, NULL, &base, &size));
	zassert_true(off + sh->sh_size <= size);
	zassert_true(at >= (uintptr_t)base + off && at < (uintptr_t)base + off + sh->sh_size,
	             "%s lies in %s as placed", name, sect);
}

static void check_inspect(struct llext_fixture *f, struct llext *ext)
{
	const elf_shdr_t *all = llext_section_headers(ext);
	size_t symtab = obj_find_type(f, SHT_SYMTAB);

	zassert_equal(llext_section_count(ext), obj_shnum(f));
	zassert_not_null(all);
	for (size_t i = 0; i < obj_shnum(f); i++) {
		zassert_equal(all[i].sh_type, obj_shdr(f, i)->sh_type);
		zassert_equal(all[i].sh_offset, obj_shdr(f, i)->sh_offset);
		zassert_equal(all[i].sh_size, obj_shdr(f, i)->sh_size);
	}
	check_region_spans(f, ext);
	check_table(f, ext, LLEXT_MEM_SYMTAB, symtab);
	check_table(f, ext, LLEXT_MEM_STRTAB, obj_shdr(f, symtab)->sh_link);
	check_table(f, ext, LLEXT_MEM_SHSTRTAB, ((const Elf64_Ehdr *)f->obj)->e_shstrndx);
	check_placed(f, ext, LLEXT_MEM_TEXT, ".text", "function_in_text");
	check_placed(f, ext, LLEXT_MEM_DATA, ".data", "number_in_data");
	check_placed(f, ext, LLEXT_MEM_BSS, ".bss", "number_in_bss");
	check_placed(f, ext, LLEXT_MEM_RODATA, ".rodata", "number_in_rodata");
	check_placed(f, ext, LLEXT_MEM_RODATA, ".my_rodata", "number_in_my_rodata");
	check_placed(f, ext, LLEXT_MEM_RODATA, LLEXT_SECTION_RODATA_NO_RELOC, "noreloc_data");
	zassert_ok(llext_free_inspection_data(NULL, ext));
	zassert_equal(llext_section_count(ext), 0);
	zassert_is_null(llext_section_headers(ext));
}

LOAD_UNLOAD(inspect, "zinspect", true, check_inspect)

/* ---- LLEXT_RODATA_NO_RELOC ---- */

/* The extension reads its data right, and the data is among the read-only data. */
static void check_rodata(struct llext_fixture *f, struct llext *ext)
{
	uintptr_t ro = (uintptr_t)ext->mem[LLEXT_MEM_RODATA];
	uintptr_t table = (uintptr_t)sym(ext, "zrodata_table");
	const char *text = sym(ext, "zrodata_text");

	(void)f;
	zassert_ok(llext_call_fn(ext, "test_entry"));
	zassert_equal(((const uint32_t *)table)[4], 81);
	zassert_str_equal(text, "no relocation");
	zassert_true(table >= ro && table < ro + ext->mem_size[LLEXT_MEM_RODATA]);
	zassert_true((uintptr_t)text >= ro &&
	             (uintptr_t)text < ro + ext->mem_size[LLEXT_MEM_RODATA]);
}

LOAD_UNLOAD(rodata_no_reloc, "zrodata", false, check_rodata)

/* ---- one extension using another's exports ---- */

/*
 * zconsumer links against zprovider's EXPORT_SYMBOL()s: it holds the provider, which stays
 * after its own unload until the consumer goes.
 */
static void check_dependency(struct llext_fixture *f, enum how how)
{
	struct llext *provider = load(f, "zprovider", how, false);
	struct llext *consumer;

	zassert_not_null(llext_find_sym(&provider->exp_tab, "zprovider_scale"));
	zassert_is_null(llext_find_sym(&provider->exp_tab, "zprovider_hidden"), "not exported");
	consumer = load(f, "zconsumer", how, false);
	/* The provider's load and the consumer's hold it: its unload leaves it loaded. */
	zassert_equal(llext_unload(&provider), 1);
	f->unloads++;
	provider = llext_by_name("zprovider");
	zassert_not_null(provider, "the consumer holds the provider");
	zassert_ok(llext_bringup(consumer));
	/* The consumer's test_entry asserts what it reads through the provider's exports. */
	zassert_ok(llext_call_fn(consumer, "test_entry"));
	zassert_ok(llext_teardown(consumer));
	unload(f, &consumer);
	zassert_is_null(llext_by_name("zprovider"), "the provider went with its last user");
}

ZTEST_F(llext, test_export_dependency_file)
{
	check_dependency(fixture, FROM_FILE);
}

ZTEST_F(llext, test_export_dependency_buffer)
{
	check_dependency(fixture, FROM_BUFFER);
}

/* Without its provider, the consumer does not load, and nothing of it is registered. */
ZTEST_F(llext, test_export_dependency_missing)
{
	struct llext *ext;

	zassert_equal(try_load(fixture, "zconsumer", "zconsumer", FROM_FILE, false, &ext),
	              -ENODATA);
	zassert_is_null(ext);
	zassert_not_null(strstr(fixture->log, "zprovider_scale"), "the log names it:\n%s",
	                 fixture->log);
	zassert_is_null(llext_by_name("zconsumer"));
}

/* ---- what libllext lacks ---- */

/*
 * Zephyr loads an extension in place from a writable buffer with CONFIG_LLEXT_STORAGE_WRITABLE.
 * libllext always copies (the option stays undefined), so the case is skipped, as Zephyr skips
 * a case for an option a board lacks.
 */
ZTEST(llext, test_writable_storage)
{
	if (!IS_ENABLED(CONFIG_LLEXT_STORAGE_WRITABLE)) {
		ztest_test_skip();
	}
	zassert_unreachable("libllext has no in-place loading, yet CONFIG_LLEXT_STORAGE_WRITABLE "
	                    "is set");
}

/* ---- llext_user: Zephyr runs it in user mode, which a Linux process lacks ---- */

static bool with_userspace(const void *global_state)
{
	(void)global_state;
	return IS_ENABLED(CONFIG_USERSPACE);
}

ZTEST_SUITE(llext_user, with_userspace, NULL, NULL, NULL, NULL);

static bool user_case_ran;

ZTEST_USER(llext_user, test_user_hello)
{
	user_case_ran = true;
	zassert_unreachable("without CONFIG_USERSPACE the predicate keeps this suite from running");
}

/* ---- zz_after: runs after the others (suites run in name order) ---- */

ZTEST_SUITE(zz_after, NULL, NULL, NULL, NULL, NULL);

ZTEST(zz_after, test_nothing_left)
{
	zassert_true(teardown_ran, "llext's teardown ran");
	zassert_false(user_case_ran);
	for (size_t i = 0; i < ARRAY_SIZE(ext_names); i++) {
		zassert_is_null(llext_by_name(ext_names[i]), "%s is still loaded", ext_names[i]);
	}
}
