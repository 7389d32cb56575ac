// SPDX-License-Identifier: MIT
/*
 * Zephyr extensions (tests/zephyr/ext/) run by a host written against the Zephyr-named API:
 * <zephyr/llext/...> headers, the buffer and file loaders, bringup, call, teardown, unload,
 * with libllext-zephyr linked for printk, ztest checks, logging and the kernel. The host
 * takes printk and log output and failed checks through <llext-zephyr.h>, and shares a
 * semaphore, a mutex and a system call with the extensions through EXPORT_SYMBOL().
 *
 * Each test runs for every compiler the fixtures were built with (its prestate).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <llext-zephyr.h>
#include <zephyr/kernel.h>
#include <zephyr/llext/buf_loader.h>
#include <zephyr/llext/fs_loader.h>
#include <zephyr/llext/llext.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/llext/inspect.h>

#include "zhost.h"

/* ---- what the host shares with the extensions ---- */

K_SEM_DEFINE(zhost_go, 0, 1);
K_SEM_DEFINE(zhost_done, 0, 1);
K_MUTEX_DEFINE(zhost_lock);
int zhost_counter;

int z_impl_zhost_twice(int x)
{
	return 2 * x;
}

EXPORT_SYMBOL(zhost_go);
EXPORT_SYMBOL(zhost_done);
EXPORT_SYMBOL(zhost_lock);
EXPORT_SYMBOL(zhost_counter);
EXPORT_SYSCALL(zhost_twice);

/* ---- printk, log and failure capture ---- */

static char out[16384];
static size_t outlen;

static void print_sink(const char *text, size_t len, void *user)
{
	(void)user;
	if (outlen + len < sizeof(out)) {
		memcpy(out + outlen, text, len);
		outlen += len;
		out[outlen] = '\0';
	}
}

struct log_rec {
	int level;
	char module[32];
	char msg[512];
};
static struct log_rec logs[32];
static size_t nlogs;

static void log_sink(int level, const char *module, const char *msg, void *user)
{
	(void)user;
	if (nlogs < sizeof(logs) / sizeof(logs[0])) {
		logs[nlogs].level = level;
		snprintf(logs[nlogs].module, sizeof(logs[0].module), "%s", module);
		snprintf(logs[nlogs].msg, sizeof(logs[0].msg), "%s", msg);
		nlogs++;
	}
}

/* The last failure, copied; where a failure goes (a test that expects one sets @escape). */
static struct {
	enum z_llext_check kind;
	char file[256], func[64], cond[256], msg[256];
	int line;
} last;
static jmp_buf *escape;
static bool hook_returns;

static void fail_hook(const struct llext_zephyr_failure *f, void *user)
{
	(void)user;
	last.kind = f->kind;
	last.line = f->line;
	snprintf(last.file, sizeof(last.file), "%s", f->file);
	snprintf(last.func, sizeof(last.func), "%s", f->func);
	snprintf(last.cond, sizeof(last.cond), "%s", f->cond);
	snprintf(last.msg, sizeof(last.msg), "%s", f->msg);
	if (hook_returns || f->kind == Z_LLEXT_EXPECT) {
		return;
	}
	if (escape) {
		longjmp(*escape, 1);
	}
	fail_msg("%s:%d: %s: %s %s", f->file, f->line, f->func, f->cond, f->msg);
}

static int setup(void **state)
{
	(void)state;
	outlen = 0;
	out[0] = '\0';
	nlogs = 0;
	escape = NULL;
	hook_returns = false;
	llext_zephyr_reset_failures();
	llext_zephyr_set_print(print_sink, NULL);
	llext_zephyr_set_log(log_sink, NULL);
	llext_zephyr_set_fail_hook(fail_hook, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	llext_zephyr_set_print(NULL, NULL);
	llext_zephyr_set_log(NULL, NULL);
	llext_zephyr_set_fail_hook(NULL, NULL);
	return 0;
}

/* ---- loading, as Zephyr host code does ---- */

static const char *fixture(const char *base, void **state)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s-%s.o", ZFIXTURE_DIR, base, (const char *)*state);
	return path;
}

/* The buffer loader, from a copy of the file that is freed once llext_load() returns. */
static struct llext *load_buf(const char *path, const char *name)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext = NULL;
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;
	int ret;

	if (!f) {
		fail_msg("%s: cannot open", path);
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	{
		struct llext_buf_loader ldr = LLEXT_TEMPORARY_BUF_LOADER(buf, (size_t)len);

		ret = llext_load(&ldr.loader, name, &ext, &param);
	}
	free(buf);
	assert_int_equal(ret, 0);
	return ext;
}

static struct llext *load_file(const char *path, const char *name)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext = NULL;

	assert_int_equal(llext_load(&ldr.loader, name, &ext, &param), 0);
	return ext;
}

/* Bring up, call test_entry, tear down, unload: the life of a Zephyr test extension. */
static void run_entry(struct llext *ext)
{
	assert_int_equal(llext_bringup(ext), 0);
	assert_int_equal(llext_call_fn(ext, "test_entry"), 0);
	assert_int_equal(llext_teardown(ext), 0);
	assert_int_equal(llext_unload(&ext), 0);
}

static const void *sym(struct llext *ext, const char *name)
{
	const void *p = llext_find_sym(&ext->exp_tab, name);

	if (!p) {
		fail_msg("%s does not export %s", ext->name, name);
	}
	return p;
}

/* ---- the tests ---- */

static void test_hello(void **state)
{
	run_entry(load_buf(fixture("zhello", state), "zhello"));
	assert_string_equal(out, "hello from an extension\n"
	                         "u=42 d=-7 x=0xff s=str c=z pct=%\n"
	                         "ld=-1 lld=1099511627776 zu=8 p=(nil)\n"
	                         "pad=[   42] left=[ab  ] zero=0000beef prec=abc u32=42 f=2.50\n"
	                         "vprintk says 3\n"
	                         "snprintk=9 [truncat]\n");
	assert_int_equal(llext_zephyr_failures(), 0);
}

/* The same extension through the file loader. */
static void test_fs_loader(void **state)
{
	run_entry(load_file(fixture("zhello", state), "zhello"));
	assert_non_null(strstr(out, "vprintk says 3\n"));
}

static void test_checks_pass(void **state)
{
	run_entry(load_buf(fixture("zchecks", state), "zchecks"));
	assert_int_equal(llext_zephyr_failures(), 0);
}

/* What failing(n) reports: its kind, and the condition and message of a few. */
static const struct {
	enum z_llext_check kind;
	const char *cond, *msg;
} failures[] = {
    [0] = {Z_LLEXT_ASSERT, "three == 4 is false", ""},
    [1] = {Z_LLEXT_ASSERT, "three == 3 is true", "plain message"},
    [2] = {Z_LLEXT_ASSERT, "three is non-zero", "ok? 3"},
    [3] = {Z_LLEXT_ASSERT, "0 is zero", ""},
    [4] = {Z_LLEXT_ASSERT, "&three is not NULL", NULL},
    [5] = {Z_LLEXT_ASSERT, "(const char *)NULL is NULL", ""},
    [6] = {Z_LLEXT_ASSERT, "three not equal to 4", "got 3, wanted 4"},
    [7] = {Z_LLEXT_ASSERT, "three equal to 3", ""},
    [8] = {Z_LLEXT_ASSERT, "word not equal to other", ""},
    [9] = {Z_LLEXT_ASSERT, "three not within 10 +/- 2", "10"},
    [10] = {Z_LLEXT_ASSERT, "three not between 4 and 9 inclusive", ""},
    [11] = {Z_LLEXT_ASSERT, "word not equal to other", "mem"},
    [12] = {Z_LLEXT_ASSERT, "word not equal to other", ""},
    [13] = {Z_LLEXT_ASSERT, "Reached unreachable code", "reached with 3"},
    [14] = {Z_LLEXT_ASSERT, "Reached unreachable code", ""},
    [15] = {Z_LLEXT_ASSUME, "three == 4 is false", "assume this"},
    [16] = {Z_LLEXT_ASSUME, "three not equal to 5", ""},
    [17] = {Z_LLEXT_EXPECT, "three not equal to 6", "expect 6"},
    [18] = {Z_LLEXT_EXPECT, "false is false", ""},
    [19] = {Z_LLEXT_ASSERT, "ztest_test_fail() called", ""},
    [20] = {Z_LLEXT_ASSUME, "ztest_test_skip() called", ""},
};

static void check_failure(int n, const char *src)
{
	const char *tail = strrchr(last.file, '/');

	assert_int_equal(last.kind, failures[n].kind);
	assert_string_equal(last.cond, failures[n].cond);
	if (failures[n].msg) {
		assert_string_equal(last.msg, failures[n].msg);
	}
	if (n < 19) {
		/* The check's own place; ztest_test_fail() and _skip() have none. */
		assert_string_equal(tail ? tail + 1 : last.file, src);
		assert_true(last.line > 0);
		assert_string_equal(last.func, "failing");
	}
}

/* Every failing form, left by longjmp() from the hook (zexpect goes on). */
static void test_checks_fail(void **state)
{
	struct llext *ext = load_buf(fixture("zchecks", state), "zchecks");
	int (*failing)(int) = (int (*)(int))(uintptr_t)sym(ext, "failing");
	volatile int n;
	jmp_buf env;

	for (n = 0; n < (int)(sizeof(failures) / sizeof(failures[0])); n++) {
		memset(&last, 0, sizeof(last));
		escape = &env;
		if (setjmp(env) == 0) {
			int went_on = failing(n);

			escape = NULL;
			assert_int_equal(went_on, 1);
			assert_int_equal(failures[n].kind, Z_LLEXT_EXPECT);
		}
		escape = NULL;
		check_failure(n, "zchecks.c");
	}
	assert_int_equal(failing(n), -1);
	assert_int_equal(llext_zephyr_failures(), n);
	/* A hook that returns: the code after the failed check runs. */
	hook_returns = true;
	assert_int_equal(failing(6), 1);
	assert_int_equal(llext_zephyr_failures(), n + 1);
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_logging(void **state)
{
	static const struct {
		int level;
		const char *msg;
	} want[] = {
	    {1, "error 1"},
	    {2, "warning two"},
	    {3, "info 3"},
	    {4, "debug 4"},
	    {1, "hex err\n00000000: 4c 4c 45 58                                     |LLEX|"},
	    {2, "hex wrn\n00000000: 4c 4c 45 58 54                                  |LLEXT|"},
	    {3, "hex inf\n00000000: 4c 4c 45 58 54 00 01 02 ff 00 00 00 00 00 00 00 "
	        "|LLEXT...........|\n00000010: 00 00 00 00                                     "
	        "|....|"},
	    {4, "hex dbg\n00000000: 4c                                              |L|"},
	    {3, "declared info"},
	};

	run_entry(load_buf(fixture("zlog", state), "zlog"));
	assert_int_equal(nlogs, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < nlogs; i++) {
		assert_int_equal(logs[i].level, want[i].level);
		assert_string_equal(logs[i].module, "zlog");
		assert_string_equal(logs[i].msg, want[i].msg);
	}
}

/* The extension's own kernel checks, then a thread of the extension working with the host. */
static void test_kernel(void **state)
{
	struct llext *ext = load_buf(fixture("zkernel", state), "zkernel");
	void (*start)(int) = (void (*)(int))(uintptr_t)sym(ext, "zkernel_start");
	int (*join)(void) = (int (*)(void))(uintptr_t)sym(ext, "zkernel_join");
	int rounds = 3;

	assert_int_equal(llext_call_fn(ext, "test_entry"), 0);
	zhost_counter = 0;
	start(rounds);
	for (int i = 0; i < rounds; i++) {
		k_sem_give(&zhost_go);
		assert_int_equal(k_mutex_lock(&zhost_lock, K_FOREVER), 0);
		zhost_counter++;
		assert_int_equal(k_mutex_unlock(&zhost_lock), 0);
		assert_int_equal(k_sem_take(&zhost_done, K_SECONDS(10)), 0);
	}
	assert_int_equal(join(), 0);
	assert_int_equal(zhost_counter, 2 * rounds);
	assert_int_equal(llext_zephyr_failures(), 0);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Pre-init, init and fini arrays in order, around the call. */
static void check_init_fini(const char *path)
{
	struct llext *ext = load_buf(path, "zinit");
	const int *number = sym(ext, "number");

	assert_int_equal(*number, 0);
	assert_int_equal(llext_bringup(ext), 0);
	assert_int_equal(*number, 0x123);
	assert_int_equal(llext_call_fn(ext, "test_entry"), 0);
	assert_int_equal(llext_teardown(ext), 0);
	assert_int_equal(*number, 0x1234);
	assert_int_equal(llext_unload(&ext), 0);
	assert_string_equal(out, "step 1: 0x1\nstep 2: 0x12\nstep 3: 0x123\n"
	                         "test_entry sees 0x123\nstep 4: 0x1234\n");
}

static void test_init_fini_quoted(void **state)
{
	/* With Clang, the arrays' section names keep Z_GENERIC_SECTION()'s quotes. */
	check_init_fini(fixture("zinit", state));
}

static void test_init_fini_unquoted(void **state)
{
	check_init_fini(fixture("zinit-unquoted", state));
}

/* zconsumer links against zprovider's EXPORT_SYMBOL()s. */
static void test_exports(void **state)
{
	struct llext *provider = load_buf(fixture("zprovider", state), "zprovider");

	assert_non_null(llext_find_sym(&provider->exp_tab, "calls"));
	assert_null(llext_find_sym(&provider->exp_tab, "zprovider_hidden"));
	run_entry(load_buf(fixture("zconsumer", state), "zconsumer"));
	assert_string_equal(out, "consumer: zprovider called 2 times\n");
	assert_int_equal(llext_unload(&provider), 0);
}

static void test_util(void **state)
{
	run_entry(load_buf(fixture("zutil", state), "zutil"));
	assert_int_equal(llext_zephyr_failures(), 0);
}

static void test_cxx(void **state)
{
	run_entry(load_buf(fixture("zcxx", state), "zcxx"));
	assert_string_equal(out, "zcxx: constructed\nzcxx: destroyed\n");
	assert_int_equal(nlogs, 1);
	assert_string_equal(logs[0].module, "zcxx");
	assert_string_equal(logs[0].msg, "area 9");
}

#define ZTEST(fn, variant) cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, variant)
#define ZTESTS_C(variant)                                                                          \
	ZTEST(test_hello, variant), ZTEST(test_fs_loader, variant),                                \
	    ZTEST(test_checks_pass, variant), ZTEST(test_checks_fail, variant),                    \
	    ZTEST(test_logging, variant), ZTEST(test_kernel, variant),                             \
	    ZTEST(test_init_fini_quoted, variant), ZTEST(test_init_fini_unquoted, variant),        \
	    ZTEST(test_exports, variant), ZTEST(test_util, variant)
#define ZTESTS_CXX(variant)                                                                        \
	ZTEST(test_checks_pass, "cxx-" variant), ZTEST(test_checks_fail, "cxx-" variant),          \
	    ZTEST(test_cxx, variant)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZTESTS_C("gcc"),
		ZTESTS_CXX("gcc"),
#if ZHAVE_CLANG
		ZTESTS_C("clang"),
		ZTESTS_CXX("clang"),
#endif
	};

	return cmocka_run_group_tests_name("zephyr", tests, NULL, NULL);
}
