// SPDX-License-Identifier: MIT
/*
 * One C++ definition across modules: the statics, template static members, vtables and
 * typeinfo that a header defines in every module including it (tests/ext/odr.h) are one object
 * in the whole process, whichever module provides it first: another extension, or the host
 * (tests/support/odr_host.cc), through its EXPORT_SYMBOL() table or its global dynamic symbols.
 * The two extensions, odr_a.cc and odr_b.cc, are built by each compiler with and without -fPIC.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "logcap.h"

/* The host's side, from odr_host.cc. */
int host_odr_shared_bump(void);
int host_odr_lonely_bump(void);
long host_odr_tally_long(void);
extern int host_odr_shared __asm__("_ZZ15odr_shared_bumpvE7counter");
extern int host_odr_lonely __asm__("_ZZ15odr_lonely_bumpvE7counter");
extern int host_odr_tally __asm__("_ZN8OdrTallyIlE4hitsE");

#define COUNTER "_ZZ8odr_bumpvE7counter"
#define GUARD "_ZGVZ8odr_bumpvE7counter"
#define TALLY "_ZN8OdrTallyIiE4hitsE"

/* A pair of fixture variants: "gcc-default" builds odr-a-gcc-default.o, say. */
struct pair {
	const char *a, *b;
};

static const struct pair pairs[] = {
    {"gcc-default", "gcc-default"},
    {"gcc-pic", "gcc-pic"},
    {"clang-default", "clang-default"},
    {"clang-pic", "clang-pic"},
    /* g++'s STB_GNU_UNIQUE with clang++'s STB_WEAK. */
    {"gcc-default", "clang-pic"},
    {"clang-default", "gcc-pic"},
};

/* How many times each static's initialiser ran in this process, by its tag (odr_start()). */
static int inits[4];

static void count_inits(void)
{
	for (size_t i = 0; i < host_nrecords; i++) {
		if (host_records[i] > 0 && host_records[i] < 4) {
			inits[host_records[i]]++;
		}
	}
	host_records_clear();
}

static struct llext *load_odr(const char *src, const char *variant, const char *name,
                              struct llext_load_param *param)
{
	char file[64];
	struct llext *ext = NULL;

	snprintf(file, sizeof(file), "odr-%s-%s.o", src, variant);
	assert_int_equal(load_fixture(file, name, &ext, param), 0);
	return ext;
}

/* The extensions' entry points, by type. */
typedef int (*int_fn)(void);
typedef long (*long_fn)(void);
typedef void *(*make_fn)(void);
typedef const void *(*typeid_fn)(void);
typedef int (*sides_fn)(void *);
typedef void (*free_fn)(void *);

#define CALL(ext, type, name, ...) ((type)ext_sym(ext, name))(__VA_ARGS__)

/* Two extensions that increment the same counter and template member read one object. */
static void test_two_extensions(void **state)
{
	const struct pair *p = *state;
	struct llext *a, *b;

	host_records_clear();
	a = load_odr("a", p->a, "odr-a", NULL);
	b = load_odr("b", p->b, "odr-b", NULL);
	assert_int_equal(CALL(a, int_fn, "odr_a_bump"), 101);
	assert_int_equal(CALL(b, int_fn, "odr_b_bump"), 102);
	assert_int_equal(CALL(a, int_fn, "odr_a_bump"), 103);
	/* The guard is one too: the initialiser ran once, in whichever ran first. */
	count_inits();
	assert_int_equal(inits[1], 1);
	inits[1] = 0;
	assert_int_equal(CALL(a, int_fn, "odr_a_tally"), 1);
	assert_int_equal(CALL(b, int_fn, "odr_b_tally"), 2);
	/* The one that stood back exports the object it uses. */
	assert_ptr_equal(ext_sym(a, COUNTER), ext_sym(b, COUNTER));
	assert_ptr_equal(ext_sym(a, GUARD), ext_sym(b, GUARD));
	assert_ptr_equal(ext_sym(a, TALLY), ext_sym(b, TALLY));
	assert_int_equal(*(int *)ext_sym(b, COUNTER), 103);
	assert_int_equal(llext_unload(&b), 0);
	assert_int_equal(llext_unload(&a), 0);
	assert_int_equal(registry_count(), 0);
}

/* A class with inline virtual functions has one vtable and one typeinfo. */
static void test_vtables(void **state)
{
	const struct pair *p = *state;
	struct llext *a, *b;
	void *sa, *sb;

	a = load_odr("a", p->a, "odr-a", NULL);
	b = load_odr("b", p->b, "odr-b", NULL);
	sa = CALL(a, make_fn, "odr_a_make");
	sb = CALL(b, make_fn, "odr_b_make");
	assert_ptr_equal(CALL(a, typeid_fn, "odr_a_typeid"), CALL(b, typeid_fn, "odr_b_typeid"));
	/* Each constructor stores the vtable's address: the same one. */
	assert_ptr_equal(*(void **)sa, *(void **)sb);
	assert_ptr_equal(*(void **)sa, (char *)ext_sym(a, "_ZTV9OdrSquare") + 16);
	assert_int_equal(CALL(b, sides_fn, "odr_b_square_sides", sa), 4);
	assert_int_equal(CALL(a, sides_fn, "odr_a_square_sides", sb), 4);
	CALL(b, free_fn, "odr_b_free", sa);
	CALL(a, free_fn, "odr_a_free", sb);
	assert_int_equal(llext_unload(&b), 0);
	assert_int_equal(llext_unload(&a), 0);
}

/* The host's EXPORT_SYMBOL() table provides a static and its guard; the extension uses them. */
static void test_host_exports(void **state)
{
	const struct pair *p = *state;
	struct llext *a;
	int v;

	host_records_clear();
	a = load_odr("a", p->a, "odr-a", NULL);
	assert_ptr_equal(ext_sym(a, "_ZZ15odr_shared_bumpvE7counter"), &host_odr_shared);
	v = CALL(a, int_fn, "odr_a_shared_bump");
	assert_int_equal(host_odr_shared_bump(), v + 1);
	assert_int_equal(CALL(a, int_fn, "odr_a_shared_bump"), v + 2);
	assert_int_equal(host_odr_shared, v + 2);
	/* Initialised once in the whole run, by the host or by an extension. */
	count_inits();
	assert_int_equal(inits[2], 1);
	assert_int_equal(llext_unload(&a), 0);
}

/* The host's global dynamic symbols provide a template member, unless the load says to use its
 * exports only. */
static void test_host_dynamic(void **state)
{
	const struct pair *p = *state;
	struct llext_load_param strict = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *a;
	long v, h;

	a = load_odr("a", p->a, "odr-a", NULL);
	v = CALL(a, long_fn, "odr_a_tally_long");
	assert_int_equal(host_odr_tally_long(), v + 1);
	assert_int_equal(llext_unload(&a), 0);

	strict.exports_only = true;
	a = load_odr("a", p->a, "odr-a", &strict);
	h = host_odr_tally;
	assert_ptr_not_equal(ext_sym(a, "_ZN8OdrTallyIlE4hitsE"), &host_odr_tally);
	assert_int_equal(CALL(a, long_fn, "odr_a_tally_long"), 1);
	assert_int_equal(CALL(a, long_fn, "odr_a_tally_long"), 2);
	assert_int_equal(host_odr_tally, h);
	assert_int_equal(llext_unload(&a), 0);
}

/* A static whose guard comes from nowhere, or from another module, stays the extension's own
 * with its own guard: initialised once, by the extension. */
static void test_guard_apart(void **state)
{
	const struct pair *p = *state;
	struct llext_load_param strict = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *a;
	int h;

	/* Under exports_only the host's table has the static, and nothing has its guard. */
	strict.exports_only = true;
	host_records_clear();
	log_capture_start_at(LLEXT_LOG_WRN);
	a = load_odr("a", p->a, "odr-a", &strict);
	log_capture_stop();
	assert_true(log_contains("'_ZZ15odr_lonely_bumpvE7counter' and its guard variable are "
	                         "not provided together"));
	h = host_odr_lonely;
	assert_ptr_not_equal(ext_sym(a, "_ZZ15odr_lonely_bumpvE7counter"), &host_odr_lonely);
	assert_int_equal(CALL(a, int_fn, "odr_a_lonely_bump"), 101);
	assert_int_equal(CALL(a, int_fn, "odr_a_lonely_bump"), 102);
	assert_int_equal(host_odr_lonely, h);
	count_inits();
	assert_int_equal(inits[3], 1);
	inits[3] = 0;
	assert_int_equal(llext_unload(&a), 0);

	/* Otherwise the guard is among the host's dynamic symbols: both are the host's. */
	a = load_odr("a", p->a, "odr-a", NULL);
	assert_ptr_equal(ext_sym(a, "_ZZ15odr_lonely_bumpvE7counter"), &host_odr_lonely);
	h = host_odr_lonely_bump();
	assert_int_equal(CALL(a, int_fn, "odr_a_lonely_bump"), h + 1);
	/* The host's initialised it the first time only. */
	count_inits();
	assert_true(inits[3] <= 1);
	inits[3] = 0;
	assert_int_equal(llext_unload(&a), 0);
}

/* The provider unloaded while a user is loaded only drops a use: the object stays until the
 * last user goes, and then the provider goes too. */
static void test_unload_provider(void **state)
{
	const struct pair *p = *state;
	struct llext *a, *b;
	int *counter;

	a = load_odr("a", p->a, "odr-a", NULL);
	b = load_odr("b", p->b, "odr-b", NULL);
	counter = ext_sym(a, COUNTER);
	assert_int_equal(CALL(a, int_fn, "odr_a_bump"), 101);
	count_inits();
	inits[1] = 0;
	/* b holds a reference on a. */
	assert_int_equal(llext_unload(&a), 1);
	assert_non_null(llext_by_name("odr-a"));
	assert_int_equal(CALL(b, int_fn, "odr_b_bump"), 102);
	assert_int_equal(*counter, 102);
	assert_int_equal(llext_unload(&b), 0);
	assert_null(llext_by_name("odr-a"));
	assert_int_equal(registry_count(), 0);

	/* A user unloaded first leaves the provider as it was. */
	a = load_odr("a", p->a, "odr-a", NULL);
	b = load_odr("b", p->b, "odr-b", NULL);
	assert_int_equal(CALL(b, int_fn, "odr_b_bump"), 101);
	assert_int_equal(llext_unload(&b), 0);
	assert_int_equal(CALL(a, int_fn, "odr_a_bump"), 102);
	assert_int_equal(llext_unload(&a), 0);
	count_inits();
	assert_int_equal(inits[1], 1);
	inits[1] = 0;
}

/* A provider with an explicit export table still offers its statics, beside its entries. */
static void test_explicit_provider(void **state)
{
	struct llext *a, *b;

	(void)state;
	assert_int_equal(load_fixture("odr-a-explicit.o", "odr-a", &a, NULL), 0);
	b = load_odr("b", "gcc-pic", "odr-b", NULL);
	/* Entries it did not name stay out. */
	assert_null(llext_find_sym(&a->exp_tab, "odr_a_shared_bump"));
	assert_int_equal(CALL(a, int_fn, "odr_a_bump"), 101);
	assert_int_equal(CALL(b, int_fn, "odr_b_bump"), 102);
	assert_int_equal(CALL(a, int_fn, "odr_a_tally"), 1);
	assert_int_equal(CALL(b, int_fn, "odr_b_tally"), 2);
	assert_ptr_equal(ext_sym(a, COUNTER), ext_sym(b, COUNTER));
	assert_int_equal(llext_unload(&b), 0);
	assert_int_equal(llext_unload(&a), 0);
	count_inits();
	inits[1] = 0;
}

/* In C: a weak definition of data is one object; a strong one, and a weak function, are each
 * extension's own; a global object in a COMDAT group is one object. */
static void test_c_definitions(void **state)
{
	typedef int *(*addr_fn)(void);
	struct llext *c1, *c2, *g1, *g2;

	(void)state;
	assert_int_equal(load_fixture("odr-c.o", "odr-c1", &c1, NULL), 0);
	assert_int_equal(load_fixture("odr-c.o", "odr-c2", &c2, NULL), 0);
	assert_ptr_equal(CALL(c1, addr_fn, "odr_c_weak"), CALL(c2, addr_fn, "odr_c_weak"));
	assert_ptr_equal(CALL(c2, addr_fn, "odr_c_weak"), ext_sym(c1, "odr_weak_data"));
	assert_ptr_not_equal(CALL(c1, addr_fn, "odr_c_strong"), CALL(c2, addr_fn, "odr_c_strong"));
	assert_ptr_not_equal(ext_sym(c1, "odr_weak_fn"), ext_sym(c2, "odr_weak_fn"));
	assert_int_equal(*CALL(c2, addr_fn, "odr_c_weak"), 5);

	assert_int_equal(load_fixture("odr-group.o", "odr-g1", &g1, NULL), 0);
	assert_int_equal(load_fixture("odr-group.o", "odr-g2", &g2, NULL), 0);
	assert_ptr_equal(CALL(g1, addr_fn, "odr_group_addr"), CALL(g2, addr_fn, "odr_group_addr"));
	assert_int_equal(*CALL(g2, addr_fn, "odr_group_addr"), 11);
	assert_int_equal(llext_unload(&g2), 0);
	assert_int_equal(llext_unload(&g1), 0);
	assert_int_equal(llext_unload(&c2), 0);
	assert_int_equal(llext_unload(&c1), 0);
}

int main(void)
{
	static const struct {
		const char *name;
		CMUnitTestFunction fn;
	} kinds[] = {
	    {"two_extensions", test_two_extensions}, {"vtables", test_vtables},
	    {"host_exports", test_host_exports},     {"host_dynamic", test_host_dynamic},
	    {"guard_apart", test_guard_apart},       {"unload_provider", test_unload_provider},
	};
	static char names[ARRAY_SIZE(kinds) * ARRAY_SIZE(pairs)][64];
	struct CMUnitTest t[ARRAY_SIZE(names) + 2];
	size_t n = 0;

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
			if (!FIXTURE_HAVE_CLANG &&
			    (strstr(pairs[i].a, "clang") || strstr(pairs[i].b, "clang"))) {
				continue;
			}
			snprintf(names[n], sizeof(names[n]), "%s %s+%s", kinds[k].name, pairs[i].a,
			         pairs[i].b);
			t[n] = (struct CMUnitTest){names[n], kinds[k].fn, NULL, NULL,
			                           (void *)&pairs[i]};
			n++;
		}
	}
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_explicit_provider);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_c_definitions);
	return run_dynamic_tests("cxx-odr", t, n);
}
