// SPDX-License-Identifier: MIT
/*
 * Concurrency: threads loading, looking up, calling, iterating and unloading the same and
 * different extensions, for a fixed number of iterations each. Run under ThreadSanitizer in CI
 * (tools/run-tests.sh, the "tsan" build): it must report nothing, and at the end the registry
 * and every use count must be as if the operations had run one after another.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "host_api.h"

#define THREADS 4
#define ITERATIONS 150

static atomic_int failures;

#define CHECK(cond) THREAD_CHECK(failures, cond)

static int count_cb(struct llext *ext, void *arg)
{
	/* Reading the name of every registered extension while others come and go. */
	CHECK(strlen(ext->name) > 0);
	(*(int *)arg)++;
	return 0;
}

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	uint32_t x = 2463534242u + (uint32_t)id;
	char own[16], cons[16];

	snprintf(own, sizeof(own), "own%d", id);
	snprintf(cons, sizeof(cons), "cons%d", id);
	for (int i = 0; i < ITERATIONS; i++) {
		struct llext *a, *b;
		int n = 0;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		switch (x % 4) {
		case 0: {
			/* One extension shared by every thread: use counts go up and down. */
			int (*sw)(int);

			CHECK(load_fixture("basic-gcc-pic.o", "shared", &a, NULL) >= 0);
			sw = (int (*)(int))llext_find_sym(&a->exp_tab, "basic_switch");
			CHECK(sw && sw(3) == 41);
			CHECK(llext_unload(&a) >= 0);
			break;
		}
		case 1: {
			/* One of its own, looked up by name while it is held. */
			int (*add)(int, int);

			CHECK(load_fixture("basic-clang-default.o", own, &a, NULL) == 0);
			CHECK(llext_by_name(own) == a);
			add = (int (*)(int, int))llext_find_sym(&a->exp_tab, "basic_host_call");
			CHECK(add && add(id, 1) == 2 * (id + 1));
			CHECK(llext_bringup(a) == 0);
			CHECK(llext_unload(&a) == 0 && a == NULL);
			break;
		}
		case 2: {
			/* A shared provider and a consumer of this thread's linking against it. */
			int (*value)(int);

			CHECK(load_fixture("provider-gcc-pic.o", "prov", &a, NULL) >= 0);
			CHECK(load_fixture("consumer-gcc-pic.o", cons, &b, NULL) == 0);
			value = (int (*)(int))llext_find_sym(&a->exp_tab, "provider_value");
			CHECK(value && value(id) == id + 100);
			if (x & 16) {
				CHECK(llext_unload(&a) >= 0);
				CHECK(llext_unload(&b) == 0);
			} else {
				CHECK(llext_unload(&b) == 0);
				CHECK(llext_unload(&a) >= 0);
			}
			break;
		}
		default:
			/* Lookups and a walk of the registry. */
			CHECK(llext_find_sym(NULL, "host_add") == (const void *)host_add);
			CHECK(llext_iterate(count_cb, &n) == 0);
			CHECK(n >= 0 && n <= 3 * THREADS);
			break;
		}
	}
	return NULL;
}

static void test_concurrent_use(void **state)
{
	(void)state;
	run_numbered_threads(worker, THREADS);
	assert_int_equal(atomic_load(&failures), 0);
	/* Every load was matched by an unload: nothing is left. */
	assert_int_equal(registry_count(), 0);
	assert_null(llext_by_name("shared"));
	assert_null(llext_by_name("prov"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_concurrent_use),
	};

	return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
