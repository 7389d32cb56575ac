// SPDX-License-Identifier: MIT
/*
 * Thread-local storage in extensions (tests/ext/tls.c, tls_cxx.cc): every dynamic model and
 * dialect the compilers emit, from many threads at once; the same object loaded twice; unloading
 * while other threads hold blocks or have C++ thread_local destructors pending; threads created
 * before and after the load; the models that must be refused. Run under ThreadSanitizer too
 * (tools/run-tests.sh), and under ASan and valgrind, which check that every block is freed once.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "logcap.h"

#define THREADS 8
#define ITERATIONS 2000

static const char *const variants[] = {TLS_VARIANTS};
static const char *const refused[] = {TLS_REFUSED};

/* The fixture's functions. */
struct tls_fns {
	int (*bump)(void);
	int *(*counter_addr)(void);
	long (*get_init)(void);
	void (*set_init)(long v);
	const char *(*get_name)(void);
	uintptr_t (*aligned_at)(int i);
	int (*aligned_byte)(int i);
	int (*pair)(int v);
};

static struct tls_fns fns_of(struct llext *ext)
{
	return (struct tls_fns){
	    ext_sym(ext, "tls_bump"),         ext_sym(ext, "tls_counter_addr"),
	    ext_sym(ext, "tls_get_init"),     ext_sym(ext, "tls_set_init"),
	    ext_sym(ext, "tls_get_name"),     ext_sym(ext, "tls_aligned_at"),
	    ext_sym(ext, "tls_aligned_byte"), ext_sym(ext, "tls_pair"),
	};
}

static atomic_int failures;

#define CHECK(cond) THREAD_CHECK(failures, cond)

/* What a thread that has not touched the variables yet must see: the images, zeroes. */
static void check_fresh(const struct tls_fns *f)
{
	CHECK(f->get_init() == 1234);
	CHECK(strcmp(f->get_name(), "tls-extension") == 0);
	CHECK(f->aligned_at(0) % 64 == 0);
	CHECK(f->aligned_byte(0) == 7 && f->aligned_byte(2) == 9 && f->aligned_byte(95) == 0);
	CHECK(*f->counter_addr() == 0);
}

/* Reads and writes its own copies many times; they must never see another thread's. */
static void *hammer(void *arg)
{
	const struct tls_fns *f = arg;

	check_fresh(f);
	for (int i = 1; i <= ITERATIONS; i++) {
		CHECK(f->bump() == i);
		f->set_init(i);
		CHECK(f->pair(1) == i * 1000 - 2 * i);
	}
	CHECK(f->get_init() == ITERATIONS);
	CHECK(*f->counter_addr() == ITERATIONS);
	return (void *)f->counter_addr();
}

static void run_threads(void *(*fn)(void *), void *arg, int n, void **results)
{
	pthread_t t[THREADS];

	for (int i = 0; i < n; i++) {
		assert_int_equal(pthread_create(&t[i], NULL, fn, arg), 0);
	}
	for (int i = 0; i < n; i++) {
		assert_int_equal(pthread_join(t[i], results ? &results[i] : NULL), 0);
	}
}

static void test_variant(void **state)
{
	char file[64];
	struct llext *ext;
	void *addrs[THREADS];

	snprintf(file, sizeof(file), "tls-%s.o", (const char *)*state);
	assert_int_equal(load_fixture(file, "tls", &ext, NULL), 0);
	struct tls_fns f = fns_of(ext);

	/* This thread first; the values it leaves must not leak into new threads. */
	check_fresh(&f);
	assert_int_equal(f.bump(), 1);
	assert_ptr_equal(f.counter_addr(), f.counter_addr());
	assert_int_equal(f.pair(1), 998);
	f.set_init(99);
	run_threads(hammer, &f, THREADS, addrs);
	assert_int_equal(atomic_load(&failures), 0);
	for (int i = 0; i < THREADS; i++) {
		assert_ptr_not_equal(addrs[i], f.counter_addr());
	}
	/* Untouched by the others. */
	assert_int_equal(f.get_init(), 99);
	assert_int_equal(f.bump(), 2);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Loaded twice under two names: two modules, two sets of variables in each thread. */
static void test_two_names(void **state)
{
	struct llext *a, *b;

	(void)state;
	assert_int_equal(load_fixture("tls-gcc-pic.o", "tls-a", &a, NULL), 0);
	assert_int_equal(load_fixture("tls-gcc-pic.o", "tls-b", &b, NULL), 0);
	struct tls_fns fa = fns_of(a), fb = fns_of(b);

	assert_int_equal(fa.bump(), 1);
	assert_int_equal(fa.bump(), 2);
	assert_int_equal(fb.bump(), 1);
	fb.set_init(5);
	assert_int_equal(fa.get_init(), 1234);
	assert_ptr_not_equal(fa.counter_addr(), fb.counter_addr());
	assert_int_equal(llext_unload(&a), 0);
	/* b's variables outlive a's. */
	assert_int_equal(fb.bump(), 2);
	assert_int_equal(fb.get_init(), 5);
	assert_int_equal(llext_unload(&b), 0);
}

/* A module index reused by the next load: this thread's stale slot must not be taken for it. */
static void test_index_reused(void **state)
{
	struct llext *ext;

	(void)state;
	for (int round = 0; round < 3; round++) {
		assert_int_equal(load_fixture("tls-gcc-pic.o", "tls-again", &ext, NULL), 0);
		struct tls_fns f = fns_of(ext);

		check_fresh(&f);
		assert_int_equal(f.bump(), 1);
		f.set_init(round);
		assert_int_equal(llext_unload(&ext), 0);
	}
	assert_int_equal(atomic_load(&failures), 0);
}

/* Threads that outlive the extension, some holding blocks, some never touching it. */
struct holder {
	const struct tls_fns *f;
	pthread_barrier_t *touched, *unloaded;
	bool touch;
};

static void *hold(void *arg)
{
	struct holder *h = arg;

	if (h->touch) {
		CHECK(h->f->bump() == 1);
	}
	pthread_barrier_wait(h->touched);
	/* The extension is gone now: its code must not run, and its blocks are freed. */
	pthread_barrier_wait(h->unloaded);
	return NULL;
}

static void test_unload_while_held(void **state)
{
	pthread_barrier_t touched, unloaded;
	struct holder h[THREADS];
	pthread_t t[THREADS];
	struct llext *ext;

	(void)state;
	assert_int_equal(load_fixture("tls-gcc-pic.o", "tls-held", &ext, NULL), 0);
	struct tls_fns f = fns_of(ext);

	pthread_barrier_init(&touched, NULL, THREADS + 1);
	pthread_barrier_init(&unloaded, NULL, THREADS + 1);
	for (int i = 0; i < THREADS; i++) {
		h[i] = (struct holder){&f, &touched, &unloaded, i % 3 != 0};
		assert_int_equal(pthread_create(&t[i], NULL, hold, &h[i]), 0);
	}
	pthread_barrier_wait(&touched);
	assert_int_equal(llext_unload(&ext), 0);
	pthread_barrier_wait(&unloaded);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
	}
	pthread_barrier_destroy(&touched);
	pthread_barrier_destroy(&unloaded);
	assert_int_equal(atomic_load(&failures), 0);
}

/* Threads that existed before the load use it afterwards. */
struct waiter {
	pthread_barrier_t *loaded;
	struct tls_fns *f;
};

static void *wait_then_use(void *arg)
{
	struct waiter *w = arg;

	pthread_barrier_wait(w->loaded);
	return hammer(w->f);
}

static void test_threads_before_load(void **state)
{
	pthread_barrier_t loaded;
	struct tls_fns f;
	struct waiter w = {&loaded, &f};
	pthread_t t[THREADS];
	struct llext *ext;

	(void)state;
	pthread_barrier_init(&loaded, NULL, THREADS + 1);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_create(&t[i], NULL, wait_then_use, &w), 0);
	}
	assert_int_equal(load_fixture(FIXTURE_HAVE_CLANG ? "tls-clang-pic.o" : "tls-gcc-pic.o",
	                              "tls-late", &ext, NULL),
	                 0);
	f = fns_of(ext);
	pthread_barrier_wait(&loaded);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
	}
	pthread_barrier_destroy(&loaded);
	assert_int_equal(atomic_load(&failures), 0);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Initial-exec and local-exec, and another module's variable: refused, naming the variable. */
static void test_refused(void **state)
{
	char file[64];
	struct llext *ext;

	snprintf(file, sizeof(file), "tls-%s.o", (const char *)*state);
	log_capture_start();
	assert_int_equal(load_fixture(file, "tls-refused", &ext, NULL), -ENOEXEC);
	log_capture_stop();
	if (!log_contains("-ftls-model=global-dynamic") || !log_contains("'tls_")) {
		print_message("log: %s", log_text());
	}
	assert_true(log_contains("initial-exec or local-exec thread-local storage"));
	assert_true(log_contains("-fPIC or -ftls-model=global-dynamic"));
	assert_true(log_contains("'tls_"));
	assert_null(ext);
	assert_int_equal(registry_count(), 0);
}

static void test_extern_refused(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("tls-extern.o", "tls-extern", &ext, NULL), -ENODATA);
	log_capture_stop();
	assert_true(log_contains("undefined thread-local variable 'some_tls_var'"));
	assert_int_equal(registry_count(), 0);
}

/* ---- Thread-local variables of the host's libraries ---- */

struct host_case {
	const char *fixture, *lib, *sym;
	bool ie_refused; /* initial-exec against a variable in dynamic TLS */
};

struct host_fns {
	int *(*addr)(void);
	void (*set)(int);
	int (*get)(void);
	int *var; /* dlsym()'s address, in the main thread */
	void *lib;
	const char *sym;
};

static void *host_thread(void *arg)
{
	struct host_fns *h = arg;
	int *mine = dlsym(h->lib, h->sym);

	/* This thread's copy: not the main thread's, and not what the main thread wrote. */
	if (h->addr() != mine || mine == h->var || h->get() == 77) {
		return (void *)1;
	}
	h->set(88);
	return *mine == 88 ? NULL : (void *)2;
}

static void test_host_var(void **state)
{
	const struct host_case *c = *state;
	struct llext *ext;
	struct host_fns h = {.sym = c->sym};
	pthread_t th;
	void *res;
	int saved;

	h.lib = dlopen(c->lib, RTLD_NOW | RTLD_GLOBAL);
	assert_non_null(h.lib);
	h.var = dlsym(h.lib, c->sym);
	assert_non_null(h.var);
	log_capture_start();
	int ret = load_fixture(c->fixture, "tls-host", &ext, NULL);
	log_capture_stop();
	if (ret != (c->ie_refused ? -ENOEXEC : 0)) {
		print_message("log: %s", log_text());
	}
	if (c->ie_refused) {
		assert_int_equal(ret, -ENOEXEC);
		assert_true(log_contains("not in static TLS"));
		dlclose(h.lib);
		return;
	}
	assert_int_equal(ret, 0);
	h.addr = ext_sym(ext, "tls_host_addr");
	h.set = ext_sym(ext, "tls_host_set");
	h.get = ext_sym(ext, "tls_host_get");
	assert_ptr_equal(h.addr(), h.var);
	saved = *h.var;
	h.set(77);
	assert_int_equal(*h.var, 77);
	assert_int_equal(pthread_create(&th, NULL, host_thread, &h), 0);
	assert_int_equal(pthread_join(th, &res), 0);
	assert_null(res);
	assert_int_equal(h.get(), 77);
	h.set(saved);
	assert_int_equal(llext_unload(&ext), 0);
	dlclose(h.lib);
}

/* ---- C++ thread_local ---- */

struct cxx_thread {
	int (*use)(int);
	pthread_barrier_t *used, *unloaded; /* NULL: exit at once */
	int got;
};

static void *use_cxx(void *arg)
{
	struct cxx_thread *c = arg;

	c->got = c->use(3);
	if (c->used) {
		pthread_barrier_wait(c->used);
		pthread_barrier_wait(c->unloaded);
	}
	return NULL;
}

static bool recorded(int value)
{
	for (size_t i = 0; i < host_nrecords; i++) {
		if (host_records[i] == value) {
			return true;
		}
	}
	return false;
}

static void test_cxx_thread_local(void **state)
{
	pthread_barrier_t used, unloaded;
	struct llext *ext;
	pthread_t t;

	host_records_clear();
	assert_int_equal(load_fixture(*state, "tls-cxx", &ext, NULL), 0);
	struct cxx_thread c = {ext_sym(ext, "tls_cxx_use"), NULL, NULL, 0};

	/* A thread's objects: constructed on first use, destroyed when it exits. */
	assert_int_equal(pthread_create(&t, NULL, use_cxx, &c), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(c.got, 1003);
	assert_true(recorded(101) && recorded(-101));

	/* This thread's: destroyed at the unload, which comes first. */
	assert_int_equal(c.use(1), 2001);
	assert_false(recorded(-102));

	/* Another thread's, pending at the unload: the unload finishes when that thread exits. */
	pthread_barrier_init(&used, NULL, 2);
	pthread_barrier_init(&unloaded, NULL, 2);
	c.used = &used;
	c.unloaded = &unloaded;
	assert_int_equal(pthread_create(&t, NULL, use_cxx, &c), 0);
	pthread_barrier_wait(&used);
	assert_int_equal(c.got, 3003);
	assert_int_equal(llext_unload(&ext), 0);
	assert_true(recorded(-102));
	assert_false(recorded(-103));
	assert_null(llext_by_name("tls-cxx"));
	pthread_barrier_wait(&unloaded);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(recorded(-103));
	pthread_barrier_destroy(&used);
	pthread_barrier_destroy(&unloaded);
}

static const struct host_case host_cases[] = {
    {"tls-host-gd.o", "libstdc++.so.6", "_ZSt15__once_callable", false},
    {"tls-host-ie.o", "libstdc++.so.6", "_ZSt15__once_callable", true},
    {"tls-host-libc-gd.o", "libc.so.6", "errno", false},
    {"tls-host-libc-ie.o", "libc.so.6", "errno", false},
};

int main(void)
{
	static const char *const cxx[] = {"tls-cxx-gcc.o", "tls-cxx-clang.o"};
	size_t nv = ARRAY_SIZE(variants), nr = ARRAY_SIZE(refused), n = 0;
	struct CMUnitTest *t = calloc(nv + nr + 12, sizeof(*t));
	char(*names)[64] = calloc(nv + nr + 2, sizeof(*names));
	int ret;

	/*
	 * The C++ tests first, before the other tests have run threads: the extension opens
	 * libstdc++ (and closes it at unload); done again after many threads have come and gone,
	 * valgrind reports a block of glibc's dlopen() as lost at exit (glibc 2.36), with
	 * libllext's own memory all freed.
	 */
	for (size_t i = 0; i < (FIXTURE_HAVE_CLANG ? 2 : 1); i++, n++) {
		t[n] =
		    (struct CMUnitTest){cxx[i], test_cxx_thread_local, NULL, NULL, (void *)cxx[i]};
	}
	for (size_t i = 0; i < nv + nr; i++, n++) {
		const char *v = i < nv ? variants[i] : refused[i - nv];

		snprintf(names[n], sizeof(names[n]), "%s %s", i < nv ? "tls" : "refused", v);
		t[n] = (struct CMUnitTest){names[n], i < nv ? test_variant : test_refused, NULL,
		                           NULL, (void *)v};
	}
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_two_names);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_index_reused);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_unload_while_held);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_threads_before_load);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_extern_refused);
	for (size_t i = 0; i < ARRAY_SIZE(host_cases); i++, n++) {
		t[n] = (struct CMUnitTest){host_cases[i].fixture, test_host_var, NULL, NULL,
		                           (void *)&host_cases[i]};
	}
	ret = run_dynamic_tests("tls", t, n);
	free(names);
	free(t);
	return ret;
}
