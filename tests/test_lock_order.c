// SPDX-License-Identifier: MIT
/*
 * Lock order: every pair of libllext's locks that docs/design.md ("State and locks") says may be
 * held at once is taken here, by the operations that take it, from several threads at once; and
 * each of those locks is also taken alone, outside the registry lock, where the library does so.
 *
 * Run under ThreadSanitizer (tools/run-tests.sh, the "tsan" build, detect_deadlocks=1): its
 * deadlock detector notes, each time a thread takes a mutex, which mutexes that thread already
 * holds, and reports a lock-order inversion as soon as two mutexes have been taken in both orders
 * anywhere in the run, whether or not the threads happened to deadlock. halt_on_error makes the
 * report fail the test. In the other builds the test only checks that the operations work.
 *
 * The pairs, and what takes them here:
 *
 *   registry -> table_cache, cand_scratch, sort_scratch, writers, jit_lock, sink_lock  every load
 *   registry -> snap_map, kept_file.lock    every load through the file loader (the same files
 *                                           again and again, trusted to have settled)
 *   registry -> fill_lock, libgcc's lock    objects with .eh_frame, loaded; and unloaded from
 *                                           an llext_iterate() callback
 *   registry -> tls_lock                    a TLS object loaded, used and unloaded from an
 *                                           llext_iterate() callback
 *   registry -> perf_lock -> sink_lock      LLEXT_PERF_MAP=1, and a jitdump directory that does
 *                                           not exist: the first load logs under perf_lock
 *
 * and alone: unloads outside the registry lock (llext_free(): writers, tls_lock, jit_lock,
 * libgcc's lock), a thread's first access to an extension's TLS and its exit (tls_lock), the
 * last thread_local destructor finishing an unload on a thread of its own (test_finish_late()).
 * The one-time initialisations (pthread_once) and the dynamic linker's own lock are not mutexes
 * the detector sees; the loads here take them all the same, in the documented order.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/log.h>

#include "common.h"
#include "host_api.h"
#include "loaders/file_cache.h"

#define THREADS 4
#define ITERATIONS 20

static atomic_int failures;
static atomic_int messages;
static atomic_bool perf_warned; /* logged under perf_lock */

#define CHECK(cond) THREAD_CHECK(failures, cond)

/* The log at its most detailed: every message takes the sink's lock, most of them under the
 * registry lock. The sink itself must not call into libllext. */
static void count_message(enum llext_log_level level, const char *msg, void *user)
{
	(void)level;
	(void)user;
	atomic_fetch_add(&messages, 1);
	if (strstr(msg, "jitdump")) {
		atomic_store(&perf_warned, true);
	}
}

typedef int (*int_fn)(void);

/* A thread of its own touching the extension's TLS: its block is made under tls_lock, and
 * freed under it again when the thread exits. */
static void *bump_in_thread(void *arg)
{
	int_fn bump = (int_fn)(uintptr_t)arg;

	CHECK(bump() == 1);
	return NULL;
}

/* A TLS object: its module made and placed under the registry lock, used here and in a thread
 * that exits; its unload is the caller's. */
static struct llext *use_tls(const char *name)
{
	struct llext *ext = NULL;
	pthread_t t;
	int_fn bump;

	CHECK(load_fixture("tls-gcc-pic.o", name, &ext, NULL) == 0);
	if (!ext) {
		return NULL;
	}
	bump = (int_fn)(uintptr_t)llext_find_sym(&ext->exp_tab, "tls_bump");
	CHECK(bump != NULL);
	if (bump) {
		CHECK(bump() == 1 && bump() == 2);
		CHECK(pthread_create(&t, NULL, bump_in_thread, (void *)(uintptr_t)bump) == 0);
		CHECK(pthread_join(t, NULL) == 0);
	}
	return ext;
}

/* An object with exports and .eh_frame, that opens a library besides; its address looked up
 * while it is loaded. */
static struct llext *use_basic(const char *name)
{
	static const char *const libs[] = {LIBANSWER_PATH, NULL};
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext_addr_info info;
	struct llext *ext = NULL;
	int (*sw)(int);
	int ret;

	param.libraries = libs;
	/* >= 0: "anchor" is shared by every thread. */
	CHECK(load_fixture("basic-gcc-pic.o", name, &ext, &param) >= 0);
	if (!ext) {
		return NULL;
	}
	sw = (int (*)(int))(uintptr_t)llext_find_sym(&ext->exp_tab, "basic_switch");
	CHECK(sw && sw(3) == 41);
	/* A lookup does not wait for another thread's load or unload to finish changing the
	 * table: it says -EBUSY, and is tried again. */
	while ((ret = llext_addr_info((const void *)(uintptr_t)sw, &info)) == -EBUSY) {
		sched_yield();
	}
	CHECK(ret == 0 && info.ext == ext);
	return ext;
}

struct inside {
	char tls[16], basic[16];
	bool done;
};

/*
 * Under the registry lock: a load and an unload, so that what llext_free() takes (writers,
 * tls_lock, jit_lock, libgcc's lock) is taken under it too. Once per walk.
 */
static int load_inside(struct llext *ext, void *arg)
{
	struct inside *in = arg;
	struct llext *a, *b;

	(void)ext;
	if (in->done) {
		return 0;
	}
	in->done = true;
	a = use_tls(in->tls);
	b = use_basic(in->basic);
	CHECK(a == NULL || llext_unload(&a) == 0);
	CHECK(b == NULL || llext_unload(&b) == 0);
	return 0;
}

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	char own[16], tls[16];
	struct inside in;

	snprintf(own, sizeof(own), "own%d", id);
	snprintf(tls, sizeof(tls), "tls%d", id);
	snprintf(in.tls, sizeof(in.tls), "walk-tls%d", id);
	snprintf(in.basic, sizeof(in.basic), "walk%d", id);
	for (int i = 0; i < ITERATIONS; i++) {
		struct llext *a = use_basic(own), *t = use_tls(tls), *anchor = use_basic("anchor");

		/* anchor keeps the registry from being empty: the walk has a callback to call. */
		in.done = false;
		CHECK(llext_iterate(load_inside, &in) == 0 && in.done);
		CHECK(llext_find_sym(NULL, "host_add") == (const void *)host_add);
		/* Outside the registry lock: everything llext_free() takes, alone. */
		CHECK(t == NULL || llext_unload(&t) == 0);
		CHECK(a == NULL || llext_unload(&a) == 0);
		CHECK(anchor == NULL || llext_unload(&anchor) >= 0);
	}
	return NULL;
}

struct late {
	int (*use)(int);
	pthread_barrier_t used, unloaded;
};

static void *use_then_wait(void *arg)
{
	struct late *l = arg;

	CHECK(l->use(1) > 0);
	pthread_barrier_wait(&l->used);
	pthread_barrier_wait(&l->unloaded);
	return NULL; /* its thread_local destructor runs now, and finishes the unload */
}

/*
 * An unload left to the last thread_local destructor: the thread that runs it frees the
 * extension from its exit, with no lock of libllext held (tls_lock is released first). First,
 * before other threads come and go: see test_tls.c on valgrind and libstdc++.
 */
static void test_finish_late(void **state)
{
	struct late l;
	struct llext *ext;
	pthread_t t;

	(void)state;
	assert_int_equal(load_fixture("tls-cxx-gcc.o", "late", &ext, NULL), 0);
	l.use = ext_sym(ext, "tls_cxx_use");
	pthread_barrier_init(&l.used, NULL, 2);
	pthread_barrier_init(&l.unloaded, NULL, 2);
	assert_int_equal(pthread_create(&t, NULL, use_then_wait, &l), 0);
	pthread_barrier_wait(&l.used);
	assert_int_equal(llext_unload(&ext), 0);
	pthread_barrier_wait(&l.unloaded);
	assert_int_equal(pthread_join(t, NULL), 0);
	pthread_barrier_destroy(&l.used);
	pthread_barrier_destroy(&l.unloaded);
	assert_int_equal(atomic_load(&failures), 0);
	assert_null(llext_by_name("late"));
}

static void test_lock_pairs(void **state)
{
	(void)state;
	run_numbered_threads(worker, THREADS);
	assert_int_equal(atomic_load(&failures), 0);
	assert_true(atomic_load(&messages) > 0);
	assert_true(atomic_load(&perf_warned));
	assert_int_equal(registry_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_finish_late),
	    cmocka_unit_test(test_lock_pairs),
	};
	char map[64];
	int ret;

	/* Read once, at the first load: set before it. */
	setenv("LLEXT_PERF_MAP", "1", 1);
	setenv("LLEXT_PERF_JITDUMP", "/nonexistent-llext-lock-order", 1);
	llext_fs_settle_ns = 0;
	llext_set_log(LLEXT_LOG_DBG, count_message, NULL);
	ret = cmocka_run_group_tests_name("locks", tests, NULL, NULL);
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
	snprintf(map, sizeof(map), "/tmp/perf-%d.map", (int)getpid());
	unlink(map);
	return ret;
}
