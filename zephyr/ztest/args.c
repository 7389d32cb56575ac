// SPDX-License-Identifier: MIT
/*
 * The ztest program's command line, as Zephyr's native_sim takes it: -test=PATTERNS runs only
 * the tests the patterns select, -list prints every test instead of running them.
 *
 * PATTERNS is a comma-separated list of SUITE::TEST, SUITE::* (every test of the suite) or
 * SUITE alone (the same, as Zephyr's unit_testing board reads it). Names compare exactly, as in
 * Zephyr: '*' is a wildcard only as the whole test part.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zephyr/ztest.h>

#include "ztest_priv.h"

struct pattern {
	const char *suite;
	const char *test; /* NULL (SUITE alone) or "*": every test of the suite */
};

/* Set by main() before any test runs, read only after: no lock. */
static struct pattern *patterns;
static char *patterns_text; /* the copy of -test='s value they point into */
static size_t n_patterns;
static bool filtering, listing;

static bool matches(const struct pattern *p, const char *suite, const char *test)
{
	return strcmp(p->suite, suite) == 0 &&
	       (!p->test || strcmp(p->test, "*") == 0 || strcmp(p->test, test) == 0);
}

static void usage(FILE *to, const char *prog)
{
	fprintf(
	    to,
	    "usage: %s [-list] [-test=SUITE::TEST[,...]]\n"
	    "  -list                 print every test as SUITE::TEST instead of running it\n"
	    "  -test=PATTERNS        run only the tests PATTERNS select: a comma-separated list\n"
	    "                        of SUITE::TEST, SUITE::* or SUITE (every test of SUITE)\n"
	    "  -help                 print this and exit\n",
	    prog);
}

/* One item of -test=: SUITE, SUITE::* or SUITE::TEST, split in place at "::". */
static int add_pattern(char *item)
{
	char *sep = strstr(item, "::");
	struct pattern p = {item, NULL};

	if (sep) {
		*sep = '\0';
		p.test = sep + 2;
	}
	if (!*p.suite || (p.test && (!*p.test || strchr(p.test, ':'))) || strchr(p.suite, ':')) {
		return -EINVAL;
	}
	patterns[n_patterns++] = p;
	return 0;
}

/* The value of -test=: keeps a copy, which the patterns point into. */
static int set_patterns(const char *value)
{
	size_t items = 1;
	char *item, *save;

	for (const char *c = value; *c; c++) {
		items += *c == ',';
	}
	free(patterns);
	free(patterns_text);
	n_patterns = 0;
	patterns = calloc(items, sizeof(*patterns));
	patterns_text = strdup(value);
	if (!patterns || !patterns_text) {
		return -ENOMEM;
	}
	filtering = true;
	/* Every item must be a pattern: an empty one (",," or a trailing comma) is a typo. */
	if (!*value || value[0] == ',' || value[strlen(value) - 1] == ',' || strstr(value, ",,")) {
		return -EINVAL;
	}
	for (item = strtok_r(patterns_text, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (add_pattern(item) < 0) {
			return -EINVAL;
		}
	}
	return 0;
}

/* "-name" or "--name", as native_sim accepts either: the rest of @arg after it, else NULL. */
static const char *option(const char *arg, const char *name)
{
	size_t len = strlen(name);

	arg += arg[0] == '-' && arg[1] == '-' ? 2 : arg[0] == '-' ? 1 : 0;
	return strncmp(arg, name, len) == 0 ? arg + len : NULL;
}

int z_ztest_parse_args(int argc, char **argv)
{
	const char *prog = argc > 0 && argv[0] ? argv[0] : "ztest";
	const char *rest;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-') {
			fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[i]);
		} else if ((rest = option(argv[i], "list")) && !*rest) {
			listing = true;
			continue;
		} else if ((rest = option(argv[i], "help")) && !*rest) {
			usage(stdout, prog);
			return 1;
		} else if ((rest = option(argv[i], "test="))) {
			int ret = set_patterns(rest);

			if (ret == 0) {
				continue;
			}
			fprintf(stderr,
			        ret == -ENOMEM
			            ? "%s: out of memory for -test=%s\n"
			            : "%s: -test=%s: each comma-separated pattern must be "
			              "SUITE::TEST, SUITE::* or SUITE\n",
			        prog, rest);
			return ret;
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[i]);
		}
		usage(stderr, prog);
		return -EINVAL;
	}
	return 0;
}

bool z_ztest_test_selected(const char *suite, const char *test)
{
	if (!filtering) {
		return true;
	}
	for (size_t i = 0; i < n_patterns; i++) {
		if (matches(&patterns[i], suite, test)) {
			return true;
		}
	}
	return false;
}

bool z_ztest_suite_selected(const char *suite)
{
	for (struct ztest_unit_test *t = z_ztest_get_next_test(suite, NULL); t;
	     t = z_ztest_get_next_test(suite, t)) {
		if (z_ztest_test_selected(suite, t->name)) {
			return true;
		}
	}
	/* A suite without tests runs unless a filter is given (its setup may be the test). */
	return !filtering;
}

bool z_ztest_listing(void)
{
	return listing;
}

void z_ztest_check_selection(void)
{
	for (size_t i = 0; i < n_patterns; i++) {
		bool found = false;

		for (struct ztest_suite_node *s = z_ztest_suites(); s && !found; s = s->z_next) {
			for (struct ztest_unit_test *t = z_ztest_get_next_test(s->name, NULL);
			     t && !found; t = z_ztest_get_next_test(s->name, t)) {
				found = matches(&patterns[i], s->name, t->name);
			}
		}
		if (!found) {
			/* Zephyr runs nothing for it and says nothing; a typo deserves a word. */
			fprintf(stderr, "ztest: -test= pattern '%s%s%s' selects no test\n",
			        patterns[i].suite, patterns[i].test ? "::" : "",
			        patterns[i].test ? patterns[i].test : "");
		}
	}
}
