// SPDX-License-Identifier: MIT
/*
 * Sealed text under the policies that need it. Each case forks a child that installs the policy
 * itself (PR_SET_MDWE, or a seccomp filter with the rules of systemd's MemoryDenyWriteExecute=yes)
 * and then loads and runs extensions with the default parameters, or execs another test program
 * of the suite, which then runs whole under the policy; the child's exit status is the verdict.
 * The controls (LLEXT_SEALED_TEXT, the load's text_mode) and what /proc/self/maps shows of sealed
 * text are checked in the same children.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "logcap.h"
#include "maps.h"

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN (1UL << 0)
#endif

/* R_X86_64_64, R_AARCH64_ABS64: S + A in 64 bits. */
#if defined(__x86_64__)
#define ABS64 1
#else
#define ABS64 257
#endif

enum policy { MDWE, SECCOMP };

static const char *const policy_name[] = {"PR_SET_MDWE", "seccomp"};

/* Which test programs to run whole under each policy: argv[1..] (tests/meson.build). */
static char **programs;
static int nprograms;

/* Valgrind preloads its own libraries into the programs it runs. */
static bool under_valgrind(void)
{
	const char *pre = getenv("LD_PRELOAD");

	return pre && strstr(pre, "vgpreload");
}

/* The end of the last region of @ext. */
static uintptr_t ext_end(const struct llext *ext)
{
	uintptr_t end = 0;

	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		uintptr_t e = (uintptr_t)ext->mem[r] + ext->mem_size[r];

		end = ext->mem[r] && e > end ? e : end;
	}
	return end;
}

/* ---- the policies ---- */

static int install_mdwe(void)
{
	return prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L) == 0 ? 0 : -errno;
}

#if defined(__x86_64__)
#define THIS_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#define ARG_LO(n) (offsetof(struct seccomp_data, args) + (n) * sizeof(uint64_t))
#define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/* mmap() with PROT_WRITE|PROT_EXEC, mprotect() and pkey_mprotect() adding PROT_EXEC: EPERM, as
 * systemd's MemoryDenyWriteExecute=yes. Protections fit in the argument's low 32 bits. */
static int install_seccomp(void)
{
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_AUDIT_ARCH, 1, 0),
	    ALLOW,
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 5),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
	    BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PROT_WRITE | PROT_EXEC),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_WRITE | PROT_EXEC, 0, 1),
	    DENY,
	    ALLOW,
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 1, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_pkey_mprotect, 0, 3),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
	    DENY,
	    ALLOW,
	};
	struct sock_fprog prog = {.len = ARRAY_SIZE(f), .filter = f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		return -errno;
	}
	return 0;
}

/* Whether this kernel has PR_SET_MDWE: asked in a child, which the answer does not outlive. */
static bool install_mdwe_supported(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		_exit(install_mdwe() == -EINVAL ? 1 : 0);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int install(enum policy p)
{
	return p == MDWE ? install_mdwe() : install_seccomp();
}

/* True if the policy is in force: an anonymous page cannot become executable. */
static bool refuses_exec(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool refused = mprotect(m, page, PROT_READ | PROT_EXEC) != 0;

	munmap(m, page);
	return refused;
}

/* ---- children ---- */

/* In a child: report the failed condition and exit with its line. */
#define CHILD_CHECK(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);                 \
			_exit(__LINE__ & 0x7f ? __LINE__ & 0x7f : 1);                              \
		}                                                                                  \
	} while (0)

/* Runs @fn in a child under @p (none if @p < 0); says so and checks nothing if the kernel lacks
 * PR_SET_MDWE.
 * Fails if the child's exit status is not 0. */
static void in_child(int p, void (*fn)(void *), void *arg)
{
	pid_t pid;
	int st = 0;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int ret = p >= 0 ? install((enum policy)p) : 0;

		if (ret == -EINVAL && p == MDWE) {
			_exit(77);
		}
		CHILD_CHECK(ret == 0);
		CHILD_CHECK(p < 0 || refuses_exec());
		fn(arg);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		/* Not cmocka's skip(): its TAP line, "not ok N # SKIP", is a failure to meson. */
		print_message("# not run: this kernel has no PR_SET_MDWE (prctl says EINVAL); "
		              "nothing was checked under it\n");
		return;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fail_msg("child under %s: %s %d", p >= 0 ? policy_name[p] : "no policy",
		         WIFEXITED(st) ? "exit status" : "signal",
		         WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
}

/* ---- what the children check ---- */

/* True if the mapping holding @text is the memory file @name ("/memfd:NAME "), read+execute. */
static bool text_in_memfd(uintptr_t text, const char *name)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512], want[128];
	bool found = false;

	snprintf(want, sizeof(want), "/memfd:%s ", name);
	CHILD_CHECK(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[5];

		if (sscanf(line, "%llx-%llx %4s", &lo, &hi, perms) == 3 && lo <= text &&
		    text < hi) {
			found = strstr(line, want) && strcmp(perms, "r-xp") == 0;
		}
	}
	fclose(f);
	return found;
}

/* No mapping is writable and executable; the extension's text is the memory file named after it,
 * read+execute; no mapping of that file is writable. */
static void check_maps_of(struct llext *ext, const char *name)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512], want[128];
	uintptr_t text = (uintptr_t)ext->mem[LLEXT_MEM_TEXT];
	int named = 0, named_writable = 0;

	/* The whole process; under valgrind, whose own code cache is writable and executable, the
	 * extension's reservation. */
	CHILD_CHECK(!maps_any_wx(under_valgrind() ? text : 0,
	                         under_valgrind() ? ext_end(ext) : UINTPTR_MAX));
	snprintf(want, sizeof(want), "/memfd:%s ", name);
	CHILD_CHECK(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[5];

		if (sscanf(line, "%llx-%llx %4s", &lo, &hi, perms) != 3 || !strstr(line, want)) {
			continue;
		}
		named++;
		named_writable += perms[1] == 'w';
	}
	fclose(f);
	CHILD_CHECK(named >= 1 && named_writable == 0);
	CHILD_CHECK(text_in_memfd(text, name));
}

static void *sym(struct llext *ext, const char *name)
{
	void *p = ext_sym(ext, name);

	CHILD_CHECK(p != NULL);
	return p;
}

/* C with a function-pointer table in relocated data, and calls into the host, at each placement:
 * near the host (small code model, stubs) and anywhere (large code model, GOT). */
static void run_basic(void *arg)
{
	static const char *const files[] = {"basic-gcc-default.o", "basic-gcc-large.o",
	                                    "basic-clang-medium.o", "basic-gcc-pic.o",
	                                    "basic-gcc-noplt.o"};
	(void)arg;
	/* Finding the policy and sealing leave nothing above LLEXT_LOG_INF's "loaded". */
	log_capture_start_at(LLEXT_LOG_WRN);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct llext *ext;
		char name[32];

		if (access(fixture_path(files[i]), R_OK) != 0) {
			continue; /* a flag set this architecture does not build */
		}
		snprintf(name, sizeof(name), "basic%zu", i);
		CHILD_CHECK(load_fixture(files[i], name, &ext, NULL) == 0);
		int (*ops)(int, int, int) = (int (*)(int, int, int))sym(ext, "basic_ops");
		int (*host_call)(int, int) = (int (*)(int, int))sym(ext, "basic_host_call");

		CHILD_CHECK(ops(0, 20, 22) == 42 && ops(1, 50, 8) == 42 && ops(2, 6, 7) == 42);
		CHILD_CHECK(host_call(20, 1) == 42);
		check_maps_of(ext, name);
		CHILD_CHECK(llext_unload(&ext) == 0);
	}
	CHILD_CHECK(log_text()[0] == '\0');
	log_capture_stop();
}

/* A policy installed after a load found none (as in a child forked by a process that had loaded
 * before): the next load still succeeds, with sealed text, and logs nothing above LLEXT_LOG_INF. */
static void run_late_policy(void *arg)
{
	struct llext *ext = NULL;

	CHILD_CHECK(load_fixture("basic-gcc-default.o", "before", &ext, NULL) == 0);
	CHILD_CHECK(!text_in_memfd((uintptr_t)ext->mem[LLEXT_MEM_TEXT], "before"));
	CHILD_CHECK(llext_unload(&ext) == 0);
	CHILD_CHECK(install(*(const enum policy *)arg) == 0 && refuses_exec());
	log_capture_start_at(LLEXT_LOG_WRN);
	CHILD_CHECK(load_fixture("basic-gcc-default.o", "after", &ext, NULL) == 0);
	CHILD_CHECK(((int (*)(int, int, int))sym(ext, "basic_ops"))(0, 40, 2) == 42);
	check_maps_of(ext, "after");
	CHILD_CHECK(log_text()[0] == '\0');
	log_capture_stop();
	CHILD_CHECK(llext_unload(&ext) == 0);
}

/* 10,000 extensions loaded at once with 64 file descriptors allowed: each memory file is
 * closed once mapped. */
static void run_many(void *arg)
{
	enum { N = 10000 };
	struct rlimit lim = {64, 64};
	struct llext **ext = calloc(N, sizeof(*ext));
	(void)arg;

	CHILD_CHECK(ext && setrlimit(RLIMIT_NOFILE, &lim) == 0);
	for (int i = 0; i < N; i++) {
		char name[32];

		snprintf(name, sizeof(name), "many%d", i);
		CHILD_CHECK(load_fixture("basic-gcc-default.o", name, &ext[i], NULL) == 0);
		int (*ops)(int, int, int) = (int (*)(int, int, int))sym(ext[i], "basic_ops");

		CHILD_CHECK(ops(0, i, 1) == i + 1);
	}
	for (int i = 0; i < N; i++) {
		CHILD_CHECK(llext_unload(&ext[i]) == 0);
	}
	free(ext);
}

/* LLEXT_SEALED_TEXT=0 under the policy: the load fails and says why and what to change. */
static void run_forbidden(void *arg)
{
	const char *policy = arg;
	struct llext *ext = NULL;

	setenv("LLEXT_SEALED_TEXT", "0", 1);
	log_capture_start();
	CHILD_CHECK(load_fixture("basic-gcc-default.o", "off", &ext, NULL) < 0 && !ext);
	CHILD_CHECK(log_contains("LLEXT_SEALED_TEXT=0"));
	CHILD_CHECK(log_contains(policy));
	log_capture_stop();
}

/* A load's text_mode overrides LLEXT_SEALED_TEXT=@arg ("0" or "1"): the other mode is used. */
static void run_param(void *arg)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	bool seal = strcmp(arg, "0") == 0;
	struct llext *ext = NULL;
	char perms[5];
	int ret;

	setenv("LLEXT_SEALED_TEXT", arg, 1);
	param.text_mode = seal ? LLEXT_TEXT_SEALED : LLEXT_TEXT_ANONYMOUS;
	ret = load_fixture("basic-gcc-default.o", "param", &ext, &param);
	if (!seal && refuses_exec()) {
		CHILD_CHECK(ret < 0 && !ext); /* anonymous text is what the policy forbids */
		return;
	}
	CHILD_CHECK(ret == 0);
	CHILD_CHECK(((int (*)(int, int, int))sym(ext, "basic_ops"))(2, 6, 7) == 42);
	if (seal) {
		check_maps_of(ext, "param");
	} else {
		CHILD_CHECK(maps_perms((uintptr_t)ext->mem[LLEXT_MEM_TEXT], perms));
		CHILD_CHECK(strcmp(perms, perms_of_prot(PROT_READ | PROT_EXEC)) == 0);
		CHILD_CHECK(!text_in_memfd((uintptr_t)ext->mem[LLEXT_MEM_TEXT], "param"));
	}
	CHILD_CHECK(llext_unload(&ext) == 0);
}

/* arch_elf_relocate_local() patches sealed text: the patched pages become a new sealed file, so
 * the code is never writable and executable, under the policies too. */
static void run_patch(void *arg)
{
	struct llext *ext = NULL;
	uint64_t got;
	(void)arg;

	CHILD_CHECK(load_fixture("exports.o", "patch", &ext, NULL) == 0);
	CHILD_CHECK(text_in_memfd((uintptr_t)ext->mem[LLEXT_MEM_TEXT], "patch"));
	elf_rela_t rel = {.r_info = ELF64_R_INFO(1, ABS64), .r_addend = 0x21};
	Elf64_Sym s = {.st_shndx = SHN_ABS, .st_value = 0x1200};

	log_capture_start();
	arch_elf_relocate_local(NULL, ext, &rel, &s, 0);
	CHILD_CHECK(log_text()[0] == '\0');
	log_capture_stop();
	memcpy(&got, ext->mem[LLEXT_MEM_TEXT], sizeof(got));
	CHILD_CHECK(got == 0x1221); /* S + A */
	check_maps_of(ext, "patch");
	CHILD_CHECK(llext_unload(&ext) == 0);
}

/* Another test program of the suite, whole, under the policy the child installed. */
static void run_program(void *arg)
{
	char *const *argv = arg;

	unsetenv("LLEXT_SEALED_TEXT");
	/* Its TAP output is not this program's: to stderr, which the log keeps. */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	execv(argv[0], argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(126);
}

/* ---- the cases ---- */

/* Why no policy can be installed here, or NULL. qemu-user runs the guest's system calls itself:
 * it accepts no seccomp filter and cannot run under PR_SET_MDWE. Valgrind writes the code it
 * translates into memory it then executes, which both policies forbid. Those runs reach sealed
 * text through LLEXT_SEALED_TEXT=1 instead. */
static const char *no_policy_here(void)
{
#ifdef SEALED_CROSS
	return "under qemu-user";
#endif
	return under_valgrind() ? "under valgrind" : NULL;
}

#define NEED_POLICY()                                                                              \
	do {                                                                                       \
		if (no_policy_here()) {                                                            \
			print_message("# not run: %s no policy can be installed; the "             \
			              "LLEXT_SEALED_TEXT=1 cases cover sealed text there\n",       \
			              no_policy_here());                                           \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static void test_mdwe_basic(void **state)
{
	(void)state;
	NEED_POLICY();
	in_child(MDWE, run_basic, NULL);
}

static void test_seccomp_basic(void **state)
{
	(void)state;
	NEED_POLICY();
	in_child(SECCOMP, run_basic, NULL);
}

static void test_mdwe_many(void **state)
{
	(void)state;
	NEED_POLICY();
	in_child(MDWE, run_many, NULL);
}

static void test_seccomp_many(void **state)
{
	(void)state;
	NEED_POLICY();
	in_child(SECCOMP, run_many, NULL);
}

static void test_mdwe_forbidden(void **state)
{
	(void)state;
	NEED_POLICY();
	in_child(MDWE, run_forbidden, "PR_SET_MDWE");
}

static void test_seccomp_forbidden(void **state)
{
	(void)state;
	NEED_POLICY();
	in_child(SECCOMP, run_forbidden, "seccomp");
}

static void test_seccomp_param(void **state)
{
	(void)state;
	NEED_POLICY();
	in_child(SECCOMP, run_param, "0");
	in_child(SECCOMP, run_param, "1");
}

static void test_late_policy(void **state)
{
	static const enum policy mdwe = MDWE, seccomp = SECCOMP;

	(void)state;
	NEED_POLICY();
	in_child(-1, run_late_policy, (void *)&seccomp);
	if (install_mdwe_supported()) {
		in_child(-1, run_late_policy, (void *)&mdwe);
	}
}

/* Without a policy: LLEXT_SEALED_TEXT=1 forces sealed text, and everything works. */
static void test_forced_basic(void **state)
{
	(void)state;
	setenv("LLEXT_SEALED_TEXT", "1", 1);
	in_child(-1, run_basic, NULL);
	unsetenv("LLEXT_SEALED_TEXT");
}

static void test_forced_param(void **state)
{
	(void)state;
	in_child(-1, run_param, "0");
	in_child(-1, run_param, "1");
}

static void test_forced_patch(void **state)
{
	(void)state;
	setenv("LLEXT_SEALED_TEXT", "1", 1);
	in_child(-1, run_patch, NULL);
	unsetenv("LLEXT_SEALED_TEXT");
}

static void test_policy_patch(void **state)
{
	(void)state;
	NEED_POLICY();
	in_child(SECCOMP, run_patch, NULL);
	in_child(MDWE, run_patch, NULL);
}

/* The suite's other programs (C, C++ exceptions, TLS, unwinding, real libraries...), whole. */
static void test_programs(void **state)
{
	(void)state;
	NEED_POLICY();
	for (int p = MDWE; p <= SECCOMP; p++) {
		for (int i = 0; i < nprograms; i++) {
			char *argv[] = {programs[i], NULL};

			print_message("# %s under %s\n", programs[i], policy_name[p]);
			in_child(p, run_program, argv);
		}
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mdwe_basic),     cmocka_unit_test(test_seccomp_basic),
	    cmocka_unit_test(test_mdwe_many),      cmocka_unit_test(test_seccomp_many),
	    cmocka_unit_test(test_mdwe_forbidden), cmocka_unit_test(test_seccomp_forbidden),
	    cmocka_unit_test(test_seccomp_param),  cmocka_unit_test(test_late_policy),
	    cmocka_unit_test(test_forced_basic),   cmocka_unit_test(test_forced_param),
	    cmocka_unit_test(test_forced_patch),   cmocka_unit_test(test_policy_patch),
	    cmocka_unit_test(test_programs),
	};

	programs = argv + 1;
	nprograms = argc - 1;
	unsetenv("LLEXT_SEALED_TEXT");
	return cmocka_run_group_tests_name("sealed", tests, NULL, NULL);
}
