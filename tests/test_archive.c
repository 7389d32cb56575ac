// SPDX-License-Identifier: MIT
/*
 * Static archives: named as libraries (the load's libraries, LLEXT_NEEDS()), their members are
 * pulled in as a static linker pulls them and become part of the extension; given to the loader
 * themselves, every member is loaded as one extension. Debian's libz.a and archives built from
 * the arc_*.c fixtures (tests/ext/meson.build: with a symbol index, without one, thin).
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/buf_loader.h>

#include "base/base.h"
#include "common.h"
#include "logcap.h"

#if defined(__x86_64__)
#define ZLIB_A "/usr/lib/x86_64-linux-gnu/libz.a"
#else
#define ZLIB_A "/usr/lib/aarch64-linux-gnu/libz.a"
#endif

/* The exports of the extension, called. */
static int call(struct llext *ext, const char *name)
{
	int (*fn)(void) = (int (*)(void))ext_sym(ext, name);

	return fn();
}

static int load_with(const char *file, const char *name, const char *lib, struct llext **ext)
{
	/* A copy: fixture_path() answers in one buffer. */
	char *copy = strdup(lib);
	const char *libs[] = {copy, NULL};
	struct llext_load_param p = LLEXT_LOAD_PARAM_DEFAULT;
	int ret;

	assert_non_null(copy);
	p.libraries = libs;
	ret = load_fixture(file, name, ext, &p);
	free(copy);
	return ret;
}

/* compress2() and uncompress() from libz.a, linked into the extension, round trip. */
static void test_zlib_library(void **state)
{
	struct llext *ext;

	(void)state;
	assert_int_equal(load_with("zlib-user.o", "zuser", ZLIB_A, &ext), 0);
	assert_true(call(ext, "zlib_round_trip") > 0);
	/* Members pulled in are the extension's own: their functions are its exports. */
	assert_non_null(llext_find_sym(&ext->exp_tab, "compress2"));
	assert_non_null(llext_find_sym(&ext->exp_tab, "inflate"));
	/* gzip file functions: nothing needs them, so their member stays out. */
	assert_null(llext_find_sym(&ext->exp_tab, "gzopen"));
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(registry_count(), 0);
}

/* The whole of libz.a as an extension, through the buffer loader; another links against it. */
static void test_zlib_whole(void **state)
{
	struct llext *z, *user;
	size_t len;
	void *buf = read_file(ZLIB_A, &len);

	(void)state;
	assert_int_equal(load_buffer(buf, len, "libz", &z, NULL), 0);
	assert_non_null(llext_find_sym(&z->exp_tab, "gzopen"));
	assert_int_equal(load_fixture("zlib-user.o", "zuser", &user, NULL), 0);
	assert_true(call(user, "zlib_round_trip") > 0);
	assert_int_equal(llext_unload(&user), 0);
	assert_int_equal(llext_unload(&z), 0);
	free(buf);
}

/* a needs b needs c needs the hidden helper: all pulled, the unused member not. */
static void check_arc(const char *archive)
{
	struct llext *ext;

	assert_int_equal(load_with("arc-user.o", "arcuser", fixture_path(archive), &ext), 0);
	assert_int_equal(call(ext, "arc_user_chain"), 1000 + 100 + 10 + 1);
	/* The extension reaches the archive's hidden function, as a static link would... */
	assert_int_equal(call(ext, "arc_user_hidden"), 1005);
	/* ...which nobody can reach from outside it. */
	assert_null(llext_find_sym(&ext->exp_tab, "arc_hidden"));
	assert_non_null(llext_find_sym(&ext->exp_tab, "arc_b"));
	/* arc_unused.o was not pulled in: had it been, its reference to a function nobody
	 * defines would have failed the load and its constructor would have run. */
	assert_null(llext_find_sym(&ext->exp_tab, "arc_unused_marker"));
	/* The member with a long name. */
	assert_int_equal(call(ext, "arc_user_count"), 1);
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_pull_index(void **state)
{
	(void)state;
	check_arc("libarc.a");
}

static void test_pull_no_index(void **state)
{
	(void)state;
	check_arc("libarc-noindex.a");
}

static void test_pull_thin(void **state)
{
	(void)state;
	check_arc("libarc-thin.a");
}

/* LLEXT_NEEDS("/path/to/libarc.a") in the source. */
static void test_needs_archive(void **state)
{
	struct llext *ext;

	(void)state;
	assert_int_equal(load_fixture("arc-user-needs.o", "arcneeds", &ext, NULL), 0);
	assert_int_equal(call(ext, "arc_user_chain"), 1111);
	assert_int_equal(call(ext, "arc_user_hidden"), 1005);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Two extensions pulling the same member get a copy each: its static counter is theirs. */
static void test_private_copies(void **state)
{
	struct llext *one, *two;
	char *lib = strdup(fixture_path("libarc.a"));

	(void)state;
	assert_non_null(lib);
	assert_int_equal(load_with("arc-user.o", "arc1", lib, &one), 0);
	assert_int_equal(load_with("arc-user.o", "arc2", lib, &two), 0);
	assert_int_equal(call(one, "arc_user_count"), 1);
	assert_int_equal(call(one, "arc_user_count"), 2);
	assert_int_equal(call(two, "arc_user_count"), 1);
	assert_int_equal(call(one, "arc_user_count"), 3);
	assert_ptr_not_equal(llext_find_sym(&one->exp_tab, "arc_count"),
	                     llext_find_sym(&two->exp_tab, "arc_count"));
	assert_int_equal(llext_unload(&two), 0);
	assert_int_equal(call(one, "arc_user_count"), 4);
	assert_int_equal(llext_unload(&one), 0);
	free(lib);
}

/* The whole archive as one extension, read from its file: even the unused member is in. */
static void test_whole_file(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	/* arc_unused.o's reference to arc_never_defined cannot be resolved. */
	assert_int_equal(load_fixture("libarc.a", "arcwhole", &ext, NULL), -ENODATA);
	log_capture_stop();
	assert_true(log_contains("undefined symbol 'arc_never_defined'"));
	assert_null(ext);
	assert_int_equal(registry_count(), 0);
}

/* A definition of the object and one of a member that is pulled in: an error, both named. */
static void test_multiple_definition(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_with("arc-conflict.o", "conflict", fixture_path("libarc.a"), &ext),
	                 -EEXIST);
	log_capture_stop();
	assert_true(log_contains("multiple definition of 'arc_c_other' in conflict and "));
	assert_true(log_contains("libarc.a(arc-c.o)"));
	assert_null(ext);
	assert_int_equal(registry_count(), 0);
}

/* A thin archive through a loader has no folder its members could be found in. */
static void test_thin_buffer(void **state)
{
	struct llext *ext;
	size_t len;
	void *buf = read_file(fixture_path("libarc-thin.a"), &len);

	(void)state;
	log_capture_start();
	assert_int_equal(load_buffer(buf, len, "thin", &ext, NULL), -ENOTSUP);
	log_capture_stop();
	assert_true(log_contains("name the archive by its path"));
	assert_int_equal(registry_count(), 0);
	free(buf);
}

/* An archive that cannot be opened. */
static void test_missing_archive(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_with("arc-user.o", "arcmiss", "/nonexistent/libnothing.a", &ext),
	                 -ENOENT);
	log_capture_stop();
	assert_true(log_contains("cannot open '/nonexistent/libnothing.a'"));
	assert_int_equal(registry_count(), 0);
}

/*
 * Joining moves every .eh_frame relocation with its record: one in no record has no place in
 * the joined object (it was written past the space counted for the relocations).
 */
static void test_eh_frame_reloc_in_no_record(void **state)
{
	char *lib = strdup(fixture_path("libarc.a")); /* fixture_path() answers in one buffer */
	const char *libs[] = {lib, NULL};
	struct llext_load_param p = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;
	size_t len;
	uint8_t *b = read_file(fixture_path("arc-user.o"), &len);
	const Elf64_Shdr *eh = obj_section(b, ".eh_frame"),
			 *rela = obj_section(b, ".rela.eh_frame");
	Elf64_Rela r;

	(void)state;
	assert_non_null(lib);
	assert_non_null(eh);
	assert_non_null(rela);
	assert_true(rela->sh_size >= sizeof(r));
	memcpy(&r, b + rela->sh_offset, sizeof(r));
	r.r_offset = eh->sh_size + 0x1000;
	memcpy(b + rela->sh_offset, &r, sizeof(r));
	p.libraries = libs;
	log_capture_start();
	assert_int_equal(load_buffer(b, len, "ehrec", &ext, &p), -ENOEXEC);
	log_capture_stop();
	assert_true(log_contains(".eh_frame relocation 0 at 0x"));
	assert_true(log_contains("is in no record"));
	assert_null(ext);
	assert_int_equal(registry_count(), 0);
	free(lib);
	free(b);
}

/* Appends a member header for @name (blank-padded) and @n bytes of @data, padded to even. */
static size_t put_member(uint8_t *out, size_t at, const char *name, const void *data, size_t n)
{
	char h[61];

	snprintf(h, sizeof(h), "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", name, "0", "0", "0", "644", n);
	memcpy(out + at, h, 60);
	memcpy(out + at + 60, data, n);
	at += 60 + n;
	if (at & 1) {
		out[at++] = '\n';
	}
	return at;
}

/*
 * What GNU ar writes only for archives past 4 GiB, made by hand: a 64-bit symbol index
 * ("/SYM64/"), a long-name table and a member named through it ("/0"), of an odd size padded to
 * an even offset.
 */
static void test_sym64_long_names(void **state)
{
	static const char names[] = "a_member_name_longer_than_sixteen_bytes.o/\n";
	size_t olen, at = 8, member;
	uint8_t *raw = read_file(fixture_path("basic-gcc-default.o"), &olen);
	uint8_t *obj = calloc(1, olen + 1), *ar = calloc(1, olen + 512), idx[32] = {0};
	struct llext *ext;
	int (*ops)(int, int, int);

	(void)state;
	assert_non_null(ar);
	assert_non_null(obj);
	memcpy(obj, raw, olen);
	memcpy(ar, "!<arch>\n", 8);
	/* The member's header: after the index (16 + 10 bytes) and the table, both with headers. */
	member = 8 + 60 + 26 + 60 + sizeof(names) - 1 + ((sizeof(names) - 1) & 1);
	idx[7] = 1;
	for (int i = 0; i < 8; i++) {
		idx[8 + i] = (uint8_t)(member >> (56 - 8 * i));
	}
	memcpy(idx + 16, "basic_ops", 10);
	at = put_member(ar, at, "/SYM64/", idx, 26);
	at = put_member(ar, at, "//", names, sizeof(names) - 1);
	assert_int_equal(at, member);
	/* One byte more than the object: the odd size makes the padding. */
	at = put_member(ar, at, "/0", obj, olen + (olen % 2 == 0));
	assert_int_equal(load_buffer(ar, at, "sym64", &ext, NULL), 0);
	ops = (int (*)(int, int, int))(uintptr_t)llext_find_sym(&ext->exp_tab, "basic_ops");
	assert_non_null(ops);
	assert_int_equal(ops(2, 6, 7), 42);
	assert_int_equal(llext_unload(&ext), 0);
	free(ar);
	free(obj);
	free(raw);
}

/*
 * An archive of an object and one with more sections than e_shnum counts, loaded whole: the
 * joined object numbers its sections past SHN_LORESERVE (SHN_XINDEX, SHT_SYMTAB_SHNDX), and the
 * sections that land on 0xfff1 (SHN_ABS as a raw index) and 0xfff2 (SHN_COMMON) stay sections.
 */
static void test_extended_numbering(void **state)
{
	size_t blen, mlen, at = 8;
	uint8_t *basic = read_file(fixture_path("basic-gcc-default.o"), &blen);
	uint8_t *many = read_file(fixture_path("many-sections.o"), &mlen);
	uint8_t *ar = malloc(8 + 2 * 61 + blen + mlen);
	int (*ops)(int, int, int);
	struct llext *ext;

	(void)state;
	assert_non_null(ar);
	memcpy(ar, "!<arch>\n", 8);
	at = put_member(ar, at, "basic.o/", basic, blen);
	at = put_member(ar, at, "many.o/", many, mlen);
	assert_int_equal(load_buffer(ar, at, "joinmany", &ext, NULL), 0);
	ops = (int (*)(int, int, int))(uintptr_t)llext_find_sym(&ext->exp_tab, "basic_ops");
	assert_non_null(ops);
	assert_int_equal(ops(2, 6, 7), 42);
	for (int i = 0; i < 66000; i += (i > 65000 && i < 65400) ? 1 : 97) {
		char name[16];
		int (*f)(void);

		snprintf(name, sizeof(name), "f%d", i);
		f = (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, name);
		assert_non_null(f);
		assert_int_equal(f(), i);
	}
	assert_int_equal(llext_unload(&ext), 0);
	free(ar);
	free(many);
	free(basic);
}

/* C++: two members sharing COMDAT groups (inline functions, DW.ref.__gxx_personality_v0), an
 * exception thrown in one and caught in the other; the archive loaded whole, then pulled from. */
static void test_cxx_members(void **state)
{
	size_t llen, ulen, at = 8;
	uint8_t *lib = read_file(fixture_path("cxx-lib-gcc.o"), &llen);
	uint8_t *use = read_file(fixture_path("cxx-use-gcc.o"), &ulen);
	uint8_t *ar = malloc(8 + 2 * 61 + llen + ulen);
	char path[4096], out[16];
	int fd;
	struct llext *ext;
	int (*join)(const char *, char *, int);

	(void)state;
	assert_non_null(ar);
	scratch_path(path, sizeof(path), "llext-cxx-XXXXXX.a");
	fd = mkstemps(path, 2);
	assert_true(fd >= 0);
	memcpy(ar, "!<arch>\n", 8);
	at = put_member(ar, at, "cxx-lib.o/", lib, llen);
	at = put_member(ar, at, "cxx-use.o/", use, ulen);
	assert_int_equal(load_buffer(ar, at, "cxxar", &ext, NULL), 0);
	join = (int (*)(const char *, char *, int))ext_sym(ext, "cxx_use_join");
	assert_int_equal(join("--", out, sizeof(out)), 7);
	assert_string_equal(out, "a--b--c");
	assert_int_equal(call(ext, "cxx_use_throw"), (int)strlen("nothing to join"));
	assert_int_equal(llext_unload(&ext), 0);

	/* cxx-use.o with an archive holding cxx-lib.o only: cxx_join() pulls it in. */
	at = put_member(ar, 8, "cxx-lib.o/", lib, llen);
	assert_int_equal(write(fd, ar, at), (ssize_t)at);
	close(fd);
	assert_int_equal(load_with("cxx-use-gcc.o", "cxxpull", path, &ext), 0);
	assert_int_equal(call(ext, "cxx_use_throw"), (int)strlen("nothing to join"));
	assert_int_equal(llext_unload(&ext), 0);
	unlink(path);
	free(ar);
	free(use);
	free(lib);
}

/* Both members define the inline arc_cxx_twice(): joined, the second copy and its FDE are left
 * out, and an exception thrown in the first copy unwinds into both members' callers. */
static void test_cxx_dropped_copy(void **state)
{
	size_t alen, blen, at = 8;
	uint8_t *a = read_file(fixture_path("arc-cxx-a.o"), &alen);
	uint8_t *b = read_file(fixture_path("arc-cxx-b.o"), &blen);
	uint8_t *ar = malloc(8 + 2 * 61 + alen + blen);
	struct llext *ext;
	int (*fa)(int), (*fb)(int);

	(void)state;
	assert_non_null(ar);
	memcpy(ar, "!<arch>\n", 8);
	at = put_member(ar, at, "arc-cxx-a.o/", a, alen);
	at = put_member(ar, at, "arc-cxx-b.o/", b, blen);
	assert_int_equal(load_buffer(ar, at, "cxxdrop", &ext, NULL), 0);
	fa = (int (*)(int))ext_sym(ext, "arc_cxx_a");
	fb = (int (*)(int))ext_sym(ext, "arc_cxx_b");
	assert_int_equal(fa(4), 8);
	assert_int_equal(fb(4), 9);
	assert_int_equal(fa(-1), -1);
	assert_int_equal(fb(-1), -2);
	/* One copy of the inline function, the first member's. */
	assert_true((uintptr_t)ext_sym(ext, "_Z13arc_cxx_twicei") < (uintptr_t)(void *)fb);
	assert_int_equal(llext_unload(&ext), 0);
	free(ar);
	free(b);
	free(a);
}

/* Every allocation and mapping of a load that pulls from an archive, failing in turn: each
 * failure comes back as a negative errno, with nothing registered (and, under ASan, nothing
 * leaked). */
static void test_faults_in_turn(void **state)
{
	char *lib = strdup(fixture_path("libarc.a"));
	long n;

	(void)state;
	assert_non_null(lib);
	log_capture_start();
	for (n = 1;; n++) {
		struct llext *ext;
		int ret;
		bool reached;

		atomic_store(&llext_fault_countdown, n);
		ret = load_with("arc-user.o", "arcfault", lib, &ext);
		reached = atomic_load(&llext_fault_countdown) == 0;
		atomic_store(&llext_fault_countdown, 0);
		if (!reached || ret == 0) {
			assert_int_equal(ret, 0);
			assert_int_equal(call(ext, "arc_user_chain"), 1111);
			assert_int_equal(llext_unload(&ext), 0);
			if (!reached) {
				break;
			}
			continue;
		}
		assert_true(ret < 0);
		assert_null(ext);
		assert_int_equal(registry_count(), 0);
	}
	log_capture_stop();
	/* The archive's mapping, its members', the joined object's: many points. */
	assert_true(n > 20);
	free(lib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_zlib_library),
	    cmocka_unit_test(test_zlib_whole),
	    cmocka_unit_test(test_pull_index),
	    cmocka_unit_test(test_pull_no_index),
	    cmocka_unit_test(test_pull_thin),
	    cmocka_unit_test(test_needs_archive),
	    cmocka_unit_test(test_private_copies),
	    cmocka_unit_test(test_whole_file),
	    cmocka_unit_test(test_multiple_definition),
	    cmocka_unit_test(test_thin_buffer),
	    cmocka_unit_test(test_missing_archive),
	    cmocka_unit_test(test_sym64_long_names),
	    cmocka_unit_test(test_extended_numbering),
	    cmocka_unit_test(test_cxx_members),
	    cmocka_unit_test(test_cxx_dropped_copy),
	    cmocka_unit_test(test_eh_frame_reloc_in_no_record),
	    cmocka_unit_test(test_faults_in_turn),
	};

	return cmocka_run_group_tests_name("archive", tests, NULL, NULL);
}
