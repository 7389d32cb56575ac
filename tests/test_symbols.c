// SPDX-License-Identifier: MIT
/* Symbol resolution and what the loader refuses: undefined, weak, TLS, executable stack. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <llext/buf_loader.h>
#include <llext/fs_loader.h>

#include "common.h"
#include "runtime/symbol.h"
#include "logcap.h"
#include "maps.h"
#include "host_api.h"

static void test_undefined_symbols_are_all_named(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("undefined.o", "undef", &ext, NULL), -ENODATA);
	log_capture_stop();
	assert_null(ext);
	assert_true(log_contains("llext_test_nowhere_fn"));
	assert_true(log_contains("llext_test_nowhere_var"));
	assert_true(log_contains("2 undefined symbols"));
	assert_int_equal(registry_count(), 0);
}

static void test_exports_only(void **state)
{
	struct llext_load_param strict = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;

	(void)state;
	/* By default, the process's symbols (libc here) are found as dlsym() finds them. */
	assert_int_equal(load_fixture("libc-only.o", "libc", &ext, NULL), 0);
	size_t (*len)(const char *) = ext_sym(ext, "libc_only_len");

	assert_int_equal(len("twelve chars"), 12);
	assert_int_equal(llext_unload(&ext), 0);

	/* Zephyr's behaviour: only exported tables. Nothing exports strlen. */
	strict.exports_only = true;
	log_capture_start();
	assert_int_equal(load_fixture("libc-only.o", "libc", &ext, &strict), -ENODATA);
	log_capture_stop();
	assert_true(log_contains("'strlen'"));

	/* Host exports still resolve under exports_only. */
	assert_int_equal(load_fixture("provider-gcc-default.o", "prov", &ext, &strict), 0);
	int (*value)(int) = ext_sym(ext, "provider_value");

	assert_int_equal(value(1), 101);
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(registry_count(), 0);
}

/* Host exports first, then other extensions' exports (first loaded wins), then the process. */
static void test_resolution_order(void **state)
{
	struct llext *shadow, *shadow2, *user;

	(void)state;
	assert_int_equal(load_fixture("shadow.o", "shadow", &shadow, NULL), 0);
	assert_int_equal(load_fixture("shadow.o", "shadow2", &shadow2, NULL), 0);
	assert_int_equal(load_fixture("shadow-user.o", "user", &user, NULL), 0);
	int (*add)(int, int) = ext_sym(user, "shadow_user_add");
	int (*to_int)(const char *) = ext_sym(user, "shadow_user_atoi");

	/* host_add: the host's EXPORT_SYMBOL wins over the extensions' definitions. */
	assert_int_equal(add(2, 3), 5);
	/* atoi: an extension's export wins over libc; the first loaded of the two. */
	assert_int_equal(to_int("5"), -7);
	assert_int_equal(shadow->use_count, 2);
	assert_int_equal(shadow2->use_count, 1);
	assert_int_equal(llext_unload(&user), 0);
	assert_int_equal(shadow->use_count, 1);
	assert_int_equal(llext_unload(&shadow2), 0);
	assert_int_equal(llext_unload(&shadow), 0);

	/* With no extension defining atoi, the process's (libc's) is found. */
	assert_int_equal(load_fixture("shadow-user.o", "user", &user, NULL), 0);
	to_int = ext_sym(user, "shadow_user_atoi");
	assert_int_equal(to_int("5"), 5);
	assert_int_equal(llext_unload(&user), 0);
}

/* Links shadow-user.o and says which extension its atoi came from: the one whose use count it
 * raised. */
static struct llext *atoi_from(struct llext *const *exts, size_t n)
{
	unsigned int before[3];
	struct llext *user, *from = NULL;

	for (size_t i = 0; i < n; i++) {
		before[i] = exts[i]->use_count;
	}
	assert_int_equal(load_fixture("shadow-user.o", "user", &user, NULL), 0);
	int (*to_int)(const char *) = ext_sym(user, "shadow_user_atoi");

	for (size_t i = 0; i < n; i++) {
		if (exts[i]->use_count == before[i] + 1) {
			assert_null(from);
			from = exts[i];
		}
	}
	assert_non_null(from);
	assert_int_equal(to_int("5"), -7);
	assert_int_equal(llext_unload(&user), 0);
	return from;
}

/*
 * Exporters of one name leave in any order: the name's index entry lives in its first exporter's
 * memory and moves when that one leaves first, and the exporter loaded earliest of those left is
 * always the one found.
 */
static void test_exporters_leave_in_any_order(void **state)
{
	static const char *const names[3] = {"shadow", "shadow2", "shadow3"};
	struct llext *e[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(load_fixture("shadow.o", names[i], &e[i], NULL), 0);
	}
	assert_ptr_equal(atoi_from(e, 3), e[0]);
	/* The first leaves: the second is found. */
	assert_int_equal(llext_unload(&e[0]), 0);
	assert_ptr_equal(atoi_from(&e[1], 2), e[1]);
	/* A new one comes last; the middle one leaves, then the first again. */
	assert_int_equal(load_fixture("shadow.o", names[0], &e[0], NULL), 0);
	assert_int_equal(llext_unload(&e[2]), 0);
	struct llext *left[2] = {e[1], e[0]};

	assert_ptr_equal(atoi_from(left, 2), e[1]);
	assert_int_equal(llext_unload(&e[1]), 0);
	assert_ptr_equal(atoi_from(&e[0], 1), e[0]);
	assert_int_equal(llext_unload(&e[0]), 0);
	assert_int_equal(registry_count(), 0);
}

/* EXPORT_SYMBOL() in a shared library opened at run time, privately (RTLD_LOCAL). */
static void test_export_from_shared_library(void **state)
{
	struct llext_load_param strict = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;
	void *lib;

	(void)state;
	assert_null(llext_find_sym(NULL, "libexport_triple"));
	lib = dlopen(LIBEXPORT_PATH, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(lib);
	/* Not visible to dlsym(RTLD_DEFAULT): only the export note makes it reachable. */
	assert_null(dlsym(RTLD_DEFAULT, "libexport_triple"));
	assert_ptr_equal(llext_find_sym(NULL, "libexport_triple"), dlsym(lib, "libexport_triple"));

	strict.exports_only = true;
	assert_int_equal(load_fixture("libexport-user.o", "libuser", &ext, &strict), 0);
	int (*user)(int) = ext_sym(ext, "libexport_user");

	assert_int_equal(user(4), 13);
	assert_int_equal(llext_unload(&ext), 0);

	/* Closing the library takes its exports away. */
	assert_int_equal(dlclose(lib), 0);
	assert_null(llext_find_sym(NULL, "libexport_triple"));
	log_capture_start();
	assert_int_equal(load_fixture("libexport-user.o", "libuser", &ext, &strict), -ENODATA);
	log_capture_stop();
	assert_true(log_contains("libexport_triple"));
}

static void test_weak_undefined_resolve_to_null(void **state)
{
	static const char *const files[] = {"weak.o", "weak-clang.o"};

	(void)state;
	for (size_t i = 0; i < (FIXTURE_HAVE_CLANG ? 2 : 1); i++) {
		struct llext *ext;

		dlerror(); /* nothing pending before the load */
		assert_int_equal(load_fixture(files[i], "weak", &ext, NULL), 0);
		/* The load looked for weak_missing_fn everywhere and failed, quietly: the
		 * application's next dlerror() is about its own calls. */
		assert_null(dlerror());
		int (*probe)(void) = ext_sym(ext, "weak_probe");
		int (*defined)(void) = ext_sym(ext, "weak_defined");

		/* weak_missing_fn and weak_missing_var are NULL; host_add is found. */
		assert_int_equal(probe(), 4);
		/* A weak definition is exported like any global. */
		assert_int_equal(defined(), 9);
		assert_int_equal(llext_unload(&ext), 0);
	}
}

/* Local-exec TLS (the default model), and a thread-local variable that no module defines;
 * tests/test_tls.c has more. */
static void test_tls_refused(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("tls-gcc-default.o", "tls", &ext, NULL), -ENOEXEC);
	assert_true(log_contains("thread-local"));
	log_capture_start();
	assert_int_equal(load_fixture("tls-extern.o", "tls", &ext, NULL), -ENODATA);
	assert_true(log_contains("undefined thread-local variable"));
	log_capture_stop();
	assert_int_equal(registry_count(), 0);
}

static void test_executable_stack_refused(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("execstack.o", "stack", &ext, NULL), -ENOEXEC);
	log_capture_stop();
	assert_true(log_contains("executable stack"));
	assert_int_equal(registry_count(), 0);
}

static void test_common_symbols(void **state)
{
	struct llext *ext;

	(void)state;
	assert_int_equal(load_fixture("common.o", "common", &ext, NULL), 0);
	long (*use)(int) = ext_sym(ext, "common_use");
	int *a = ext_sym(ext, "common_a");
	long *b = ext_sym(ext, "common_b");

	assert_int_equal(*a, 0);
	assert_int_equal(use(3), 3);
	assert_int_equal(use(4), 10);
	assert_int_equal(*a, 7);
	assert_int_equal(b[63], 10);
	assert_int_equal((uintptr_t)b % sizeof(long), 0);
	/* Allocated in the extension's bss. */
	assert_true((uintptr_t)a >= (uintptr_t)ext->mem[LLEXT_MEM_BSS] &&
	            (uintptr_t)a <
	                (uintptr_t)ext->mem[LLEXT_MEM_BSS] + ext->mem_size[LLEXT_MEM_BSS]);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Section offsets read straight from the file, to check llext_find_section() against. */
static long section_offset(const uint8_t *buf, const char *name)
{
	const Elf64_Ehdr *eh = (const void *)buf;
	const Elf64_Shdr *sh = (const void *)(buf + eh->e_shoff);
	const char *names = (const char *)buf + sh[eh->e_shstrndx].sh_offset;

	for (int i = 0; i < eh->e_shnum; i++) {
		if (strcmp(names + sh[i].sh_name, name) == 0) {
			return (long)sh[i].sh_offset;
		}
	}
	return -1;
}

/* Over 65279 sections: e_shnum, e_shstrndx and st_shndx all spill into their extended forms. */
static void test_extended_section_numbering(void **state)
{
	size_t len;
	uint8_t *buf = read_file(fixture_path("many-sections.o"), &len);
	const Elf64_Ehdr *eh = (const void *)buf;
	struct llext *ext;

	(void)state;
	/* The fixture really uses extended numbering. */
	assert_int_equal(eh->e_shnum, 0);
	assert_int_equal(eh->e_shstrndx, SHN_XINDEX);
	assert_int_equal(load_buffer(buf, len, "many", &ext, NULL), 0);
	int (*first)(void) = ext_sym(ext, "f0");
	int (*last)(void) = ext_sym(ext, "f65999");
	int (*middle)(void) = ext_sym(ext, "f65300");

	assert_int_equal(first(), 0);
	assert_int_equal(middle(), 65300);
	assert_int_equal(last(), 65999);
	assert_int_equal(ext->exp_tab.sym_cnt, 66000);
	/*
	 * Every function, including those in sections numbered 0xfff1 (SHN_ABS as a raw index) and
	 * 0xfff2 (SHN_COMMON): an extended index is always a section, never a special value.
	 */
	uintptr_t text = (uintptr_t)ext->mem[LLEXT_MEM_TEXT];

	for (int i = 0; i < 66000; i++) {
		char name[16];
		int (*f)(void);

		snprintf(name, sizeof(name), "f%d", i);
		f = (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, name);
		assert_true((uintptr_t)f >= text &&
		            (uintptr_t)f < text + ext->mem_size[LLEXT_MEM_TEXT]);
		assert_int_equal(f(), i);
	}
	assert_int_equal(llext_unload(&ext), 0);
	free(buf);
}

/* A global defined in a section that is not loaded has no address: it is not exported. */
static void test_unloaded_definition_not_exported(void **state)
{
	struct llext *ext;

	(void)state;
	assert_int_equal(load_fixture("unloaded-global.o", "unloaded", &ext, NULL), 0);
	assert_non_null(llext_find_sym(&ext->exp_tab, "loaded_function"));
	assert_null(llext_find_sym(&ext->exp_tab, "in_unloaded_section"));
	assert_int_equal(ext->exp_tab.sym_cnt, 1);
	assert_int_equal(llext_unload(&ext), 0);
}

/* A library that joins the global scope after it was loaded is found then, not only before. */
static void test_library_promoted_to_global(void **state)
{
	struct llext *ext;
	void *local, *global;

	(void)state;
	local = dlopen(LIBEXPORT_PATH, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(local);
	log_capture_start();
	assert_int_equal(load_fixture("libexport-plain-user.o", "plain", &ext, NULL), -ENODATA);
	log_capture_stop();
	assert_true(log_contains("libexport_plain"));
	/* Same library, same module list: only its scope changes. */
	global = dlopen(LIBEXPORT_PATH, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
	assert_ptr_equal(global, local);
	assert_int_equal(load_fixture("libexport-plain-user.o", "plain", &ext, NULL), 0);
	int (*user)(int) = ext_sym(ext, "libexport_plain_user");

	assert_int_equal(user(4), 50);
	assert_int_equal(llext_unload(&ext), 0);
	dlclose(global);
	dlclose(local);
}

/*
 * What dlsym() answered is kept when modules come and go, and stays right: glibc keeps the
 * module that answered libllext for as long as libllext is loaded (lib/runtime/symbol.c), the
 * premise of keeping answers, which this checks too.
 */
static void test_answers_outlive_module_changes(void **state)
{
	unsigned long long before[2], after[2];
	struct llext *ext;
	void *lib, *addr = NULL, *again = NULL;

	(void)state;
	assert_int_equal(load_fixture("libc-only.o", "libc", &ext, NULL), 0);
	assert_int_equal(llext_unload(&ext), 0);
	assert_true(llext_process_cached("strlen"));

	/* A module comes and goes; the next lookup of the host's exports sees the change. */
	llext_module_counters(before);
	lib = dlopen(LIBANSWER_PATH, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(lib);
	assert_int_equal(dlclose(lib), 0);
	llext_module_counters(after);
	assert_true(after[0] > before[0] && after[1] > before[1]);
	assert_null(
	    llext_find_sym(NULL, "libanswer_value")); /* looks at the host's exports again */
	assert_true(llext_process_cached("strlen"));

	/* An answer from a library closed since: glibc kept the library, the answer holds. */
	lib = dlopen(LIBANSWER_PATH, RTLD_NOW | RTLD_GLOBAL);
	assert_non_null(lib);
	assert_true(llext_process_lookup("libanswer_value", llext_hash("libanswer_value"), &addr));
	assert_int_equal(dlclose(lib), 0);
	lib = dlopen(LIBANSWER_PATH, RTLD_NOW | RTLD_NOLOAD);
	assert_non_null(lib);
	assert_int_equal(dlclose(lib), 0);
	assert_true(llext_process_cached("libanswer_value"));
	assert_true(llext_process_lookup("libanswer_value", llext_hash("libanswer_value"), &again));
	assert_ptr_equal(again, addr);
	assert_int_equal(((int (*)(void))addr)(), 42);
}

static void test_find_section(void **state)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(fixture_path("basic-gcc-default.o"));
	static const char junk[] = "definitely not ELF";
	struct llext_buf_loader bad = LLEXT_BUF_LOADER(junk, sizeof(junk));
	size_t len;
	uint8_t *buf = read_file(fixture_path("basic-gcc-default.o"), &len);

	(void)state;
	assert_int_equal(llext_find_section(&fl.loader, ".text"), section_offset(buf, ".text"));
	assert_int_equal(llext_find_section(&fl.loader, ".rodata"), section_offset(buf, ".rodata"));
	assert_int_equal(llext_find_section(&fl.loader, ".symtab"), section_offset(buf, ".symtab"));
	assert_int_equal(llext_find_section(&fl.loader, ".no.such.section"), -ENOENT);
	/* The file loader is closed again after each call. */
	assert_false(fl.is_open);
	log_capture_start();
	assert_int_equal(llext_find_section(&bad.loader, ".text"), -EINVAL);
	log_capture_stop();
	assert_int_equal(llext_find_section(NULL, ".text"), -EINVAL);
	free(buf);
}

/* Zephyr 3.5's per-relocation entry point, on a plain buffer. */
static void test_arch_elf_relocate(void **state)
{
#if defined(__x86_64__)
	const unsigned int abs64 = R_X86_64_64, pc32 = R_X86_64_PC32;
#else
	const unsigned int abs64 = R_AARCH64_ABS64, pc32 = R_AARCH64_PREL32;
#endif
	uint64_t slot = 0;
	uint32_t word = 0;
	elf_rela_t rel = {.r_offset = 0, .r_info = ELF64_R_INFO(1, abs64), .r_addend = 5};

	(void)state;
	assert_int_equal(arch_elf_relocate(&rel, (uintptr_t)&slot, 0x1234, "x", 0), 0);
	assert_int_equal(slot, 0x1239);

	/* S + A - P within 32 bits works; far beyond fails with -ENOEXEC. */
	rel.r_info = ELF64_R_INFO(1, pc32);
	rel.r_addend = 0;
	assert_int_equal(
	    arch_elf_relocate(&rel, (uintptr_t)&word, (uintptr_t)&word + 0x100, "y", 0), 0);
	assert_int_equal(word, 0x100);
	log_capture_start();
	assert_int_equal(
	    arch_elf_relocate(&rel, (uintptr_t)&word, (uintptr_t)&word + (1ULL << 40), "far", 0),
	    -ENOEXEC);
	log_capture_stop();
	assert_true(log_contains("far"));
	rel.r_info = ELF64_R_INFO(1, 0xfff0);
	log_capture_start();
	assert_int_equal(arch_elf_relocate(&rel, (uintptr_t)&word, 0, "z", 0), -ENOEXEC);
	log_capture_stop();
}

static void test_arch_elf_relocate_local(void **state)
{
#if defined(__x86_64__)
	const unsigned int abs64 = R_X86_64_64;
#else
	const unsigned int abs64 = R_AARCH64_ABS64;
#endif
	size_t len;
	uint8_t *buf = read_file(fixture_path("exports.o"), &len);
	const Elf64_Ehdr *eh = (const void *)buf;
	const Elf64_Shdr *sh = (const void *)(buf + eh->e_shoff);
	const Elf64_Sym *sym = NULL;
	struct llext *ext;

	(void)state;
	/* Find exported_var in the file's own symbol table. */
	for (int i = 0; i < eh->e_shnum && !sym; i++) {
		if (sh[i].sh_type != SHT_SYMTAB) {
			continue;
		}
		const Elf64_Sym *s = (const void *)(buf + sh[i].sh_offset);
		const char *str = (const char *)buf + sh[sh[i].sh_link].sh_offset;

		for (size_t k = 0; k < sh[i].sh_size / sizeof(*s); k++) {
			if (strcmp(str + s[k].st_name, "exported_var") == 0) {
				sym = &s[k];
			}
		}
	}
	assert_non_null(sym);
	assert_int_equal(load_fixture("exports.o", "local", &ext, NULL), 0);

	/* Patch the first 8 bytes of text with the address of exported_var. */
	elf_rela_t rel = {.r_info = ELF64_R_INFO(1, abs64), .r_addend = 0};
	uint64_t got;

	arch_elf_relocate_local(NULL, ext, &rel, sym, 0);
	memcpy(&got, ext->mem[LLEXT_MEM_TEXT], sizeof(got));
	assert_int_equal(got, (uintptr_t)ext_sym(ext, "exported_var"));
	/* The text is read+execute again afterwards. */
	char perms[5];

	assert_true(maps_perms((uintptr_t)ext->mem[LLEXT_MEM_TEXT], perms));
	assert_string_equal(perms, perms_of_prot(PROT_READ | PROT_EXEC));
	assert_int_equal(llext_unload(&ext), 0);
	free(buf);
}

static void test_comdat_one_copy_per_signature(void **state)
{
	size_t len, text_size;
	uint8_t *buf = read_file(fixture_path("comdat.o"), &len);
	struct llext *ext;
	uint8_t *name;

	(void)state;
	/* As built: two groups, two functions; call_second reaches the second. */
	assert_int_equal(load_buffer(buf, len, "comdat", &ext, NULL), 0);
	int (*call)(void) = ext_sym(ext, "call_second");

	assert_int_equal(call(), 2);
	assert_non_null(llext_find_sym(&ext->exp_tab, "comdat_fx"));
	text_size = ext->mem_size[LLEXT_MEM_TEXT];
	assert_int_equal(llext_unload(&ext), 0);

	/* Rename the second signature (and function) to the first's: one signature, two groups. */
	name = memmem(buf, len, "comdat_fx", sizeof("comdat_fx"));
	assert_non_null(name);
	name[8] = 'n';
	assert_null(memmem(buf, len, "comdat_fx", sizeof("comdat_fx")));
	assert_int_equal(load_buffer(buf, len, "comdat", &ext, NULL), 0);
	call = ext_sym(ext, "call_second");
	/* Only the first group is loaded; references to the dropped copy reach the kept one. */
	assert_int_equal(call(), 1);
	assert_true(ext->mem_size[LLEXT_MEM_TEXT] < text_size);
	assert_int_equal(ext->exp_tab.sym_cnt, 2); /* comdat_fn once, and call_second */
	assert_int_equal(llext_unload(&ext), 0);
	free(buf);
}

/* LLVM's address-significance table type, not in glibc's elf.h. */
#define SHT_LLVM_ADDRSIG 0x6fff4c03

static bool has_section_type(const char *file, uint32_t type)
{
	size_t len;
	uint8_t *buf = read_file(fixture_path(file), &len);
	const Elf64_Ehdr *eh = (const void *)buf;
	const Elf64_Shdr *sh = (const void *)(buf + eh->e_shoff);
	bool found = false;

	for (int i = 0; i < eh->e_shnum; i++) {
		found |= sh[i].sh_type == type;
	}
	free(buf);
	return found;
}

/* Sections a loader skips (address-significance tables) or loads as data (unwind tables). */
static void test_clang_sections(void **state)
{
	struct llext *ext;

	(void)state;
	if (!FIXTURE_HAVE_CLANG) {
		return;
	}
	assert_true(has_section_type("basic-clang-default.o", SHT_LLVM_ADDRSIG));
#if defined(__x86_64__)
	assert_true(has_section_type("basic-clang-default.o", SHT_X86_64_UNWIND));
#endif
	assert_int_equal(load_fixture("basic-clang-default.o", "clang", &ext, NULL), 0);
	int (*ops)(int, int, int) = ext_sym(ext, "basic_ops");

	assert_int_equal(ops(0, 1, 2), 3);
	assert_int_equal(llext_unload(&ext), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_undefined_symbols_are_all_named),
	    cmocka_unit_test(test_exports_only),
	    cmocka_unit_test(test_resolution_order),
	    cmocka_unit_test(test_exporters_leave_in_any_order),
	    cmocka_unit_test(test_export_from_shared_library),
	    cmocka_unit_test(test_weak_undefined_resolve_to_null),
	    cmocka_unit_test(test_tls_refused),
	    cmocka_unit_test(test_executable_stack_refused),
	    cmocka_unit_test(test_common_symbols),
	    cmocka_unit_test(test_extended_section_numbering),
	    cmocka_unit_test(test_unloaded_definition_not_exported),
	    cmocka_unit_test(test_library_promoted_to_global),
	    cmocka_unit_test(test_answers_outlive_module_changes),
	    cmocka_unit_test(test_find_section),
	    cmocka_unit_test(test_arch_elf_relocate),
	    cmocka_unit_test(test_arch_elf_relocate_local),
	    cmocka_unit_test(test_comdat_one_copy_per_signature),
	    cmocka_unit_test(test_clang_sections),
	};

	return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}
