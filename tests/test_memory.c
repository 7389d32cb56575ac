// SPDX-License-Identifier: MIT
/*
 * Memory: W^X at every moment, protections as /proc/self/maps shows them, faults on writes to
 * text, alignment above a page, memory domains, and placement far from libc.
 */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "maps.h"
#include "reserve.h"
#include "host_api.h"

/*
 * Every mmap() and mprotect() the loader makes goes through these (the loader is linked into
 * this program, so its calls bind here); each call is checked on the spot.
 */
static int wx_violations, exec_grants;

static void check_prot(int prot)
{
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC)) {
		wx_violations++;
	}
	if (prot & PROT_EXEC) {
		exec_grants++;
	}
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);

	if (!real) {
		real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	}
	check_prot(prot);
	return real(addr, len, prot, flags, fd, off);
}

int mprotect(void *addr, size_t len, int prot)
{
	static int (*real)(void *, size_t, int);

	if (!real) {
		real = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "mprotect");
	}
	check_prot(prot);
	return real(addr, len, prot);
}

#define BASIC "basic-gcc-default.o"

static void test_never_writable_and_executable(void **state)
{
	static const char *const files[] = {"basic-gcc-default.o", "basic-gcc-pic.o",
	                                    "ctors-gcc-large.o", "multi-gcc-default.o", "align.o"};

	(void)state;
	wx_violations = exec_grants = 0;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct llext *ext;
		int ret = load_fixture(files[i], "wx", &ext, NULL);

		if (ret == -ENOENT) {
			continue; /* a flag set this architecture does not build */
		}
		assert_int_equal(ret, 0);
		assert_int_equal(llext_bringup(ext), 0);
		assert_int_equal(llext_unload(&ext), 0);
	}
	/* Text was made executable each time, and never while writable. */
	assert_true(exec_grants >= 3);
	assert_int_equal(wx_violations, 0);
}

/*
 * @perms as @want (perms_of_prot()'s spelling) says. Under qemu-user, which shows a page's
 * protection as that of the first page of its host mapping, perms_of_prot() spells read-only as
 * read+execute when the probe's read-only page follows its read+execute one in one host mapping;
 * next to sealed text (LLEXT_SEALED_TEXT=1 runs this suite too), which is a mapping of a file of
 * its own, read-only pages are shown as they are.
 */
static void expect_rwx(const char *perms, const char *want)
{
	const char *ro = perms_of_prot(PROT_READ);

	if (strcmp(want, ro) == 0 && strcmp(perms, "r--p") == 0 && getenv("LLEXT_SEALED_TEXT")) {
		return;
	}
	assert_string_equal(perms, want);
}

static void expect_perms(void *addr, const char *want)
{
	char perms[5];

	assert_true(maps_perms((uintptr_t)addr, perms));
	expect_rwx(perms, want);
}

static void test_region_protections(void **state)
{
	struct llext *ext;
	uintptr_t lo, hi;

	(void)state;
	assert_int_equal(load_fixture(BASIC, "prot", &ext, NULL), 0);
	const char *rx = perms_of_prot(PROT_READ | PROT_EXEC), *ro = perms_of_prot(PROT_READ);
	const char *rw = perms_of_prot(PROT_READ | PROT_WRITE);

	/* Natively "r-xp", "r--p" and "rw-p". */
	expect_perms(ext->mem[LLEXT_MEM_TEXT], rx);
	expect_perms(ext->mem[LLEXT_MEM_RODATA], ro);
	expect_perms(ext->mem[LLEXT_MEM_DATA], rw);
	expect_perms(ext->mem[LLEXT_MEM_BSS], rw);
	/* The last byte of each region has its region's protection too. */
	expect_perms((char *)ext->mem[LLEXT_MEM_TEXT] + ext->mem_size[LLEXT_MEM_TEXT] - 1, rx);
	expect_perms((char *)ext->mem[LLEXT_MEM_RODATA] + ext->mem_size[LLEXT_MEM_RODATA] - 1, ro);

	lo = (uintptr_t)ext->mem[LLEXT_MEM_TEXT];
	hi = (uintptr_t)ext->mem[LLEXT_MEM_BSS] + ext->mem_size[LLEXT_MEM_BSS];
	assert_false(maps_any_wx(lo, hi));
	assert_int_equal(llext_unload(&ext), 0);
	/* Unloading unmaps it all. */
	char perms[5];

	assert_false(maps_perms(lo, perms));
}

/* Runs @fn in a child process; returns the signal that ended it, 0 if it exited. */
static int in_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		/* The test framework catches SIGSEGV; the child must die of it. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		fn(arg);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void write_byte(void *p)
{
	*(volatile unsigned char *)p = 0;
}

static void test_writes_to_text_fault(void **state)
{
	struct llext *ext;

	(void)state;
	assert_int_equal(load_fixture(BASIC, "fault", &ext, NULL), 0);
	assert_int_equal(in_child(write_byte, ext_sym(ext, "basic_ops")), SIGSEGV);
	assert_int_equal(in_child(write_byte, ext->mem[LLEXT_MEM_RODATA]), SIGSEGV);
	/* Data is writable: the same write there does not fault. */
	assert_int_equal(in_child(write_byte, ext->mem[LLEXT_MEM_DATA]), 0);
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_alignment_above_a_page(void **state)
{
	static const char *const files[] = {"align.o", "align-clang.o"};

	(void)state;
	for (size_t i = 0; i < (FIXTURE_HAVE_CLANG ? 2 : 1); i++) {
		struct llext *ext;

		assert_int_equal(load_fixture(files[i], "align", &ext, NULL), 0);
		uintptr_t (*addr)(int) = ext_sym(ext, "align_addr");
		int *data = ext_sym(ext, "align_big_data");
		const int *ro = ext_sym(ext, "align_big_ro");

		assert_int_equal(addr(0) % 65536, 0);
		assert_int_equal(addr(1) % 16384, 0);
		assert_int_equal(addr(2) % 8192, 0);
		assert_ptr_equal((void *)addr(0), data);
		assert_int_equal(data[3], 4);
		assert_int_equal(ro[1], 6);
		assert_int_equal(llext_unload(&ext), 0);
	}
}

static void test_memory_domain(void **state)
{
	struct k_mem_domain dom = {0};
	struct llext *ext;
	long page = sysconf(_SC_PAGESIZE);

	(void)state;
	assert_int_equal(load_fixture(BASIC, "domain", &ext, NULL), 0);
	assert_int_equal(llext_add_domain(ext, &dom), 0);
	assert_int_equal(dom.num_partitions, 4);
	for (int i = 0; i < dom.num_partitions; i++) {
		const struct k_mem_partition *p = dom.partitions[i];
		const char *want = perms_of_prot((int)p->attr);
		char perms[5];

		assert_int_equal(p->start % (uintptr_t)page, 0);
		assert_int_equal(p->size % (size_t)page, 0);
		/* Attributes say what the pages really are. */
		assert_true(maps_perms(p->start, perms));
		expect_rwx(perms, want);
		assert_true(maps_perms(p->start + p->size - 1, perms));
		expect_rwx(perms, want);
	}
	assert_int_equal(dom.partitions[0]->attr, K_MEM_PARTITION_P_RX_U_RX);
	assert_ptr_equal((void *)dom.partitions[0]->start, ext->mem[LLEXT_MEM_TEXT]);

	/* A full domain takes nothing. */
	dom.num_partitions = LLEXT_MAX_DOMAIN_PARTITIONS - 1;
	assert_int_equal(llext_add_domain(ext, &dom), -ENOSPC);
	assert_int_equal(dom.num_partitions, LLEXT_MAX_DOMAIN_PARTITIONS - 1);
	assert_int_equal(llext_add_domain(NULL, &dom), -EINVAL);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Farther than a direct call or branch reaches on this machine. */
#if defined(__x86_64__)
#define BRANCH_REACH (2ULL << 30)
#else
#define BRANCH_REACH (128ULL << 20)
#endif

static uint64_t distance(uintptr_t a, uintptr_t b)
{
	return a > b ? a - b : b - a;
}

/*
 * With every free address within twice a branch's reach of libc reserved, extensions end up out
 * of direct reach of libc: their calls into libc must go through stubs or veneers.
 */
static void test_far_from_libc(void **state)
{
	uintptr_t libc = (uintptr_t)dlsym(RTLD_DEFAULT, "qsort");
	void *gap = reserve_around(libc, 2 * BRANCH_REACH);
	const char *const variants[] = {FIXTURE_VARIANTS};
	size_t far = 0, loaded = 0;

	(void)state;
	assert_true(libc != 0);
	for (size_t i = 0; i < ARRAY_SIZE(variants); i++) {
		char file[96];
		struct llext *ext;
		struct llext_stats st;
		int ret;

		snprintf(file, sizeof(file), "basic-%s.o", variants[i]);
		ret = load_fixture(file, "far", &ext, NULL);
		if (ret == -ENOEXEC) {
			continue; /* -fno-pic in a PIE host: covered by the load tests */
		}
		assert_int_equal(ret, 0);
		loaded++;
		if (distance((uintptr_t)ext->mem[LLEXT_MEM_TEXT], libc) > BRANCH_REACH) {
			far++;
		}
		int (*sort)(int *, size_t) = ext_sym(ext, "basic_sort");
		int (*format)(char *, size_t, int) = ext_sym(ext, "basic_format");
		int v[] = {3, 1, 2};
		char buf[32];

		assert_int_equal(sort(v, 3), 1);
		assert_int_equal(v[2], 3);
		assert_int_equal(format(buf, sizeof(buf), 9), (int)strlen("greeting-9-host"));
		assert_string_equal(buf, "greeting-9-host");
		assert_int_equal(llext_get_stats(ext, &st), 0);
		assert_int_equal(llext_unload(&ext), 0);
	}
	/* Every extension was out of direct reach, and still ran. */
	assert_true(loaded >= 4);
	assert_int_equal(far, loaded);
	reserve_release(gap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_never_writable_and_executable),
	    cmocka_unit_test(test_region_protections),
	    cmocka_unit_test(test_writes_to_text_fault),
	    cmocka_unit_test(test_alignment_above_a_page),
	    cmocka_unit_test(test_memory_domain),
	    cmocka_unit_test(test_far_from_libc),
	};

	return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
