// SPDX-License-Identifier: MIT
/* The failure path of zassert, zassume and zexpect. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <llext-zephyr.h>
#include <llext/symbol.h>
#include <zephyr/ztest.h>

#include "runtime_priv.h"

/* Exit statuses without a hook: a failed test, and a skipped one (as Automake and Meson read). */
enum { EXIT_FAILED = 1, EXIT_SKIPPED = 77 };

static pthread_mutex_t hook_lock = PTHREAD_MUTEX_INITIALIZER;
static llext_zephyr_fail_fn hook;
static void *hook_user;
static unsigned int failures;

void llext_zephyr_set_fail_hook(llext_zephyr_fail_fn fn, void *user)
{
	pthread_mutex_lock(&hook_lock);
	hook = fn;
	hook_user = user;
	pthread_mutex_unlock(&hook_lock);
}

unsigned int llext_zephyr_failures(void)
{
	unsigned int n;

	pthread_mutex_lock(&hook_lock);
	n = failures;
	pthread_mutex_unlock(&hook_lock);
	return n;
}

void llext_zephyr_reset_failures(void)
{
	pthread_mutex_lock(&hook_lock);
	failures = 0;
	pthread_mutex_unlock(&hook_lock);
}

static void print_failure(const struct llext_zephyr_failure *f)
{
	static const char *const what[] = {
	    [Z_LLEXT_ASSERT] = "Assertion",
	    [Z_LLEXT_ASSUME] = "Assumption",
	    [Z_LLEXT_EXPECT] = "Expectation",
	};

	/* What the extension printed so far comes first. */
	fflush(stdout);
	if (!f->file[0]) {
		/* ztest_test_fail() and ztest_test_skip(): no check, no place to name. */
		fprintf(stderr, "\n    %s\n", f->cond);
	} else {
		fprintf(stderr, "\n    %s failed at %s:%d: %s: %s\n", what[f->kind], f->file,
			f->line, f->func, f->cond);
	}
	if (f->msg[0]) {
		fprintf(stderr, "    %s\n", f->msg);
	}
	fflush(stderr);
}

/* What a failure does when the host set no hook. */
static void default_action(enum z_llext_check kind)
{
	if (kind == Z_LLEXT_ASSERT) {
		exit(EXIT_FAILED);
	}
	if (kind == Z_LLEXT_ASSUME) {
		exit(EXIT_SKIPPED);
	}
}

static void report(struct llext_zephyr_failure *f)
{
	llext_zephyr_fail_fn fn;
	void *user;

	pthread_mutex_lock(&hook_lock);
	failures++;
	fn = hook;
	user = hook_user;
	pthread_mutex_unlock(&hook_lock);

	print_failure(f);
	/* Called unlocked: the hook may longjmp() away, or fail another check. */
	if (fn) {
		fn(f, user);
	} else {
		default_action(f->kind);
	}
}

bool z_llext_check(enum z_llext_check kind, bool cond, const char *default_msg, const char *file,
		   int line, const char *func, const char *fmt, ...)
{
	/*
	 * On the stack, cut to fit: a hook that leaves with longjmp() must leave nothing to free.
	 * A check's message is a line or two.
	 */
	char msg[1024] = "";
	struct llext_zephyr_failure f = {kind, file, line, func, default_msg, msg};
	va_list ap;

	if (cond) {
		return true;
	}
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	report(&f);
	return false;
}

void ztest_test_fail(void)
{
	z_llext_check(Z_LLEXT_ASSERT, false, "ztest_test_fail() called", "", 0, "", NULL);
}

void ztest_test_skip(void)
{
	z_llext_check(Z_LLEXT_ASSUME, false, "ztest_test_skip() called", "", 0, "", NULL);
}

EXPORT_SYMBOL(z_llext_check);
EXPORT_SYMBOL(ztest_test_fail);
EXPORT_SYMBOL(ztest_test_skip);
