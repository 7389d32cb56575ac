// SPDX-License-Identifier: MIT
/*
 * The kernel subset: semaphores and a mutex shared with the host, threads, timeouts, sleeping,
 * uptime, cycles and the heap. Only <zephyr/kernel.h> is included: it brings <string.h>.
 */
#include <zephyr/kernel.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest_assert.h>

#include "zhost.h"

K_THREAD_STACK_DEFINE(worker_stack, 1024);
static struct k_thread worker;
static K_SEM_DEFINE(ext_sem, 0, 2);
static K_MUTEX_DEFINE(ext_mutex);
static k_tid_t seen_tid;

/* Waits for the host's go, counts under the shared lock, says done. */
static void worker_entry(void *p1, void *p2, void *p3)
{
	int rounds = (int)(intptr_t)p1;

	zassert_equal(p2, &worker);
	zassert_is_null(p3);
	seen_tid = k_current_get();
	for (int i = 0; i < rounds; i++) {
		zassert_ok(k_sem_take(&zhost_go, K_FOREVER));
		zassert_ok(k_mutex_lock(&zhost_lock, K_FOREVER));
		zhost_counter++;
		zassert_ok(k_mutex_unlock(&zhost_lock));
		k_sem_give(&zhost_done);
	}
}

/* Start the worker for @rounds rounds with the host; the host joins it with zkernel_join(). */
void zkernel_start(int rounds)
{
	k_tid_t tid = k_thread_create(&worker, worker_stack, K_THREAD_STACK_SIZEOF(worker_stack),
				      worker_entry, (void *)(intptr_t)rounds, &worker, NULL,
				      K_PRIO_PREEMPT(5), K_USER | K_INHERIT_PERMS, K_FOREVER);

	zassert_equal_ptr(tid, &worker);
	zassert_ok(k_thread_name_set(tid, "zkernel-worker"));
	k_thread_start(tid);
}
EXPORT_SYMBOL(zkernel_start);

int zkernel_join(void)
{
	int ret = k_thread_join(&worker, K_SECONDS(10));

	zassert_equal_ptr(seen_tid, &worker);
	zassert_str_equal(k_thread_name_get(&worker), "zkernel-worker");
	zassert_equal(k_thread_priority_get(&worker), 5);
	return ret;
}
EXPORT_SYMBOL(zkernel_join);

static void sleeper(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	k_sem_give((struct k_sem *)p1);
	k_sleep(K_FOREVER);
}

static void check_semaphores(void)
{
	struct k_sem sem;
	int64_t t0;

	zassert_equal(k_sem_init(&sem, 2, 1), -EINVAL);
	zassert_equal(k_sem_init(&sem, 0, 0), -EINVAL);
	zassert_ok(k_sem_init(&sem, 1, 2));
	zassert_ok(k_sem_take(&sem, K_NO_WAIT));
	zassert_equal(k_sem_take(&sem, K_NO_WAIT), -EBUSY);
	t0 = k_uptime_get();
	zassert_equal(k_sem_take(&sem, K_MSEC(30)), -EAGAIN);
	zassert_true(k_uptime_get() - t0 >= 30, "waited %lld ms", (long long)(k_uptime_get() - t0));
	k_sem_give(&sem);
	k_sem_give(&sem);
	k_sem_give(&sem);
	zassert_equal(k_sem_count_get(&sem), 2, "the limit holds");
	k_sem_reset(&sem);
	zassert_equal(k_sem_count_get(&sem), 0);
	k_sem_give(&ext_sem);
	zassert_ok(k_sem_take(&ext_sem, K_MSEC(1)));
}

static void check_mutex(void)
{
	struct k_mutex m;

	zassert_ok(k_mutex_init(&m));
	zassert_equal(k_mutex_unlock(&m), -EINVAL);
	zassert_ok(k_mutex_lock(&m, K_NO_WAIT));
	zassert_ok(k_mutex_lock(&m, K_FOREVER), "a mutex may be locked again by its owner");
	zassert_ok(k_mutex_unlock(&m));
	zassert_ok(k_mutex_unlock(&m));
	zassert_equal(k_mutex_unlock(&m), -EINVAL);
	zassert_ok(k_mutex_lock(&ext_mutex, K_MSEC(5)));
	zassert_ok(k_mutex_unlock(&ext_mutex));
}

/* A thread that sleeps for ever, aborted; joins that time out; a delayed start. */
static void check_threads(void)
{
	static struct k_thread t;
	struct k_sem started;
	int64_t t0 = k_uptime_get();

	zassert_ok(k_sem_init(&started, 0, 1));
	k_thread_create(&t, worker_stack, sizeof(worker_stack), sleeper, &started, NULL, NULL, 0,
			0, K_MSEC(20));
	zassert_ok(k_sem_take(&started, K_SECONDS(10)));
	zassert_true(k_uptime_get() - t0 >= 20, "the start was delayed");
	zassert_equal(k_thread_join(&t, K_NO_WAIT), -EBUSY);
	zassert_equal(k_thread_join(&t, K_MSEC(10)), -EAGAIN);
	zassert_equal(k_thread_join(k_current_get(), K_NO_WAIT), -EDEADLK);
	k_thread_abort(&t);
	zassert_ok(k_thread_join(&t, K_NO_WAIT));
	k_thread_create(&t, worker_stack, sizeof(worker_stack), sleeper, &started, NULL, NULL, 0,
			0, K_FOREVER);
	k_thread_abort(&t);
	zassert_ok(k_thread_join(&t, K_NO_WAIT), "a thread never started ends at once");
	zassert_equal(k_sem_count_get(&started), 0);
}

static void check_time_and_heap(void)
{
	uint32_t c0 = k_cycle_get_32();
	int64_t ref = k_uptime_get(), t0 = k_uptime_ticks();
	char *p = (char *)k_malloc(16), *z = (char *)k_calloc(4, 4);
	void *a = k_aligned_alloc(64, 64);
	int64_t before, after;
	uint32_t u32;

	zassert_ok(k_msleep(5));
	zassert_ok(k_usleep(1000));
	zassert_ok(k_sleep(K_USEC(100)));
	k_busy_wait(200);
	k_yield();
	zassert_true(k_uptime_delta(&ref) >= 6);
	zassert_true(k_uptime_ticks() - t0 >= 6300, "ticks are microseconds");
	zassert_true(k_cycle_get_32() - c0 >= 6300000u, "cycles are nanoseconds");
	zassert_true(k_cycle_get_64() > 0);
	/* Between two readings of the 64-bit clock, however long the thread waited there. */
	before = k_uptime_get();
	u32 = k_uptime_get_32();
	after = k_uptime_get();
	zassert_true(u32 - (uint32_t)before <= (uint32_t)(after - before),
		     "the same clock, cut to 32 bits");
	zassert_equal(sys_clock_hw_cycles_per_sec(), 1000000000);
	zassert_true(K_TIMEOUT_EQ(K_SECONDS(1), K_MSEC(1000)));
	zassert_false(k_is_user_context());
	zassert_not_null(p);
	zassert_not_null(z);
	zassert_true(IS_ALIGNED(a, 64));
	zassert_ok(memcmp(z, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
	strcpy(p, "heap");
	p = (char *)k_realloc(p, 32);
	zassert_str_equal(p, "heap");
	k_free(p);
	k_free(z);
	k_free(a);
}

void test_entry(void)
{
	check_semaphores();
	check_mutex();
	check_threads();
	check_time_and_heap();
}
EXPORT_SYMBOL(test_entry);
