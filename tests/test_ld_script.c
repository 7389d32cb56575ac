// SPDX-License-Identifier: MIT
/*
 * The GNU ld script parser (lib/load/ld_script.c) on made-up scripts: the entries it reports,
 * in order, and the malformed ones it refuses without reading past the bytes it is given.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/ld_script.h"

struct seen {
	char text[1024]; /* entries joined by ' ', each AS_NEEDED one marked with a '+' */
};

static int record(void *ctx, const char *entry, bool as_needed)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);

	snprintf(s->text + n, sizeof(s->text) - n, "%s%s%s", n ? " " : "", as_needed ? "+" : "",
	         entry);
	return 0;
}

/* Parses @script (its bytes only: no terminating NUL is visible to the parser). */
static int parse(const char *script, struct seen *s)
{
	size_t len = strlen(script);
	char *copy = malloc(len ? len : 1); /* exactly @len bytes, for ASan to bound */
	size_t where;
	int ret;

	assert_non_null(copy);
	memcpy(copy, script, len);
	memset(s, 0, sizeof(*s));
	ret = llext_ld_script_parse(copy, len, record, s, &where);
	free(copy);
	return ret;
}

static void test_debian_libc(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(parse("/* GNU ld script\n   Use the shared library. */\n"
	                       "OUTPUT_FORMAT(elf64-x86-64)\n"
	                       "GROUP ( /lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/"
	                       "libc_nonshared.a  AS_NEEDED ( /lib64/ld-linux-x86-64.so.2 ) )\n",
	                       &s),
	                 0);
	assert_string_equal(s.text, "/lib/x86_64-linux-gnu/libc.so.6 "
	                            "/usr/lib/x86_64-linux-gnu/libc_nonshared.a "
	                            "+/lib64/ld-linux-x86-64.so.2");
}

static void test_input_and_lnames(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(parse("OUTPUT_FORMAT(\"elf64-littleaarch64\", \"elf64-bigaarch64\", "
	                       "\"elf64-littleaarch64\")\nINPUT(-lfoo, libbar.so.2,\"/a b/c.so\");"
	                       "\nGROUP(AS_NEEDED(-lz x.so))",
	                       &s),
	                 0);
	assert_string_equal(s.text, "-lfoo libbar.so.2 /a b/c.so +-lz +x.so");
	assert_int_equal(parse("", &s), 0);
	assert_string_equal(s.text, "");
	assert_int_equal(parse("/**/INPUT(a/**/b)/* end */", &s), 0);
	assert_string_equal(s.text, "a b");
}

static void test_malformed_scripts(void **state)
{
	static const char *const bad[] = {
	    "INPUT(a",                           /* no ')' */
	    "INPUT a)",                          /* no '(' */
	    "SECTIONS { .text : { *(.text) } }", /* a real linker script, not a stand-in */
	    "INPUT(a) /* never closed",
	    "INPUT(AS_NEEDED(AS_NEEDED(a)))", /* AS_NEEDED does not nest */
	    "INPUT(AS_NEEDED a)",
	    "INPUT(\"unterminated)",
	    "INPUT(\"\")",
	    "INPUT((a))",
	    "OUTPUT_FORMAT(a(b))",
	    "\x7f"
	    "ELF\x02\x01\x01",
	    ")",
	    "/",
	    "/*",
	};
	struct seen s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# %s\n", bad[i]);
		assert_int_equal(parse(bad[i], &s), -EINVAL);
	}
}

/* A NUL inside the bytes, and a name longer than any path, are refused. */
static void test_nul_and_long_names(void **state)
{
	static const char nul[] = "INPUT(a\0b)";
	size_t big = 8192, where;
	char *text = malloc(big);
	struct seen s = {0};

	(void)state;
	assert_int_equal(llext_ld_script_parse(nul, sizeof(nul) - 1, record, &s, &where), -EINVAL);
	assert_non_null(text);
	memcpy(text, "INPUT(", 6);
	memset(text + 6, 'x', big - 7);
	text[big - 1] = ')';
	assert_int_equal(llext_ld_script_parse(text, big, record, &s, &where), -EINVAL);
	free(text);
}

/* Every prefix of a valid script: no prefix reads past its end (ASan), each is 0 or -EINVAL. */
static void test_every_prefix(void **state)
{
	static const char script[] = "/* c */ OUTPUT_FORMAT(\"x\") GROUP(/l/a.so.6 b.a "
				     "AS_NEEDED(-lc)) INPUT(z)";
	struct seen s;

	(void)state;
	for (size_t n = 0; n < sizeof(script); n++) {
		char *copy = malloc(n ? n : 1);
		size_t where;
		int ret;

		assert_non_null(copy);
		memcpy(copy, script, n);
		memset(&s, 0, sizeof(s));
		ret = llext_ld_script_parse(copy, n, record, &s, &where);
		assert_true(ret == 0 || ret == -EINVAL);
		assert_true(where <= n);
		free(copy);
	}
}

/* A callback's nonzero return stops the parse and is what it returns. */
static int refuse_second(void *ctx, const char *entry, bool as_needed)
{
	int *calls = ctx;

	(void)entry;
	(void)as_needed;
	return ++*calls == 2 ? -ENOENT : 0;
}

static void test_callback_stops(void **state)
{
	const char script[] = "INPUT(a b c)";
	int calls = 0;

	(void)state;
	assert_int_equal(
	    llext_ld_script_parse(script, sizeof(script) - 1, refuse_second, &calls, NULL),
	    -ENOENT);
	assert_int_equal(calls, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_debian_libc),       cmocka_unit_test(test_input_and_lnames),
	    cmocka_unit_test(test_malformed_scripts), cmocka_unit_test(test_nul_and_long_names),
	    cmocka_unit_test(test_every_prefix),      cmocka_unit_test(test_callback_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
