// SPDX-License-Identifier: MIT
/* Time, sleeping, the heap, and what Linux has none of: devices, interrupts, user mode. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <llext/symbol.h>
#include <zephyr/device.h>
#include <zephyr/kernel.h>

#include "runtime_priv.h"

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_TICK (NSEC_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC)

/* Uptime counts from here. */
static uint64_t start_ns;

__attribute__((constructor)) static void note_start(void)
{
	start_ns = z_llext_now_ns();
}

uint64_t z_llext_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

bool z_llext_deadline(k_timeout_t timeout, struct timespec *abs)
{
	uint64_t t;

	if (timeout.ticks == K_TICKS_FOREVER) {
		return false;
	}
	t = z_llext_now_ns() + (timeout.ticks > 0 ? (uint64_t)timeout.ticks * NSEC_PER_TICK : 0);
	abs->tv_sec = (time_t)(t / NSEC_PER_SEC);
	abs->tv_nsec = (long)(t % NSEC_PER_SEC);
	return true;
}

static uint64_t uptime_ns(void)
{
	return z_llext_now_ns() - start_ns;
}

int64_t k_uptime_get(void)
{
	return (int64_t)(uptime_ns() / 1000000);
}

uint32_t k_uptime_get_32(void)
{
	return (uint32_t)k_uptime_get();
}

int64_t k_uptime_ticks(void)
{
	return (int64_t)(uptime_ns() / NSEC_PER_TICK);
}

uint32_t k_uptime_seconds(void)
{
	return (uint32_t)(uptime_ns() / NSEC_PER_SEC);
}

int64_t k_uptime_delta(int64_t *reftime)
{
	int64_t now = k_uptime_get(), delta = now - *reftime;

	*reftime = now;
	return delta;
}

uint32_t k_cycle_get_32(void)
{
	return (uint32_t)uptime_ns();
}

uint64_t k_cycle_get_64(void)
{
	return uptime_ns();
}

int sys_clock_hw_cycles_per_sec(void)
{
	return CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC;
}

int32_t k_sleep(k_timeout_t timeout)
{
	struct k_thread *self = k_current_get();
	struct timespec until;
	bool timed = z_llext_deadline(timeout, &until);

	/*
	 * On the thread's own condition variable, which only its end signals: a wait that
	 * k_thread_abort() can end. Nothing else wakes a sleeper (there is no k_wakeup()).
	 */
	pthread_mutex_lock(&self->lock);
	while (z_llext_wait(&self->done, &self->lock, timed ? &until : NULL) != ETIMEDOUT) {
	}
	pthread_mutex_unlock(&self->lock);
	return 0;
}

int32_t k_msleep(int32_t ms)
{
	return k_sleep(K_MSEC(ms));
}

int32_t k_usleep(int32_t us)
{
	return k_sleep(K_USEC(us));
}

void k_busy_wait(uint32_t usec_to_wait)
{
	uint64_t until = z_llext_now_ns() + (uint64_t)usec_to_wait * 1000;

	while (z_llext_now_ns() < until) {
	}
}

void k_yield(void)
{
	sched_yield();
}

void *k_malloc(size_t size)
{
	return malloc(size);
}

void *k_calloc(size_t nmemb, size_t size)
{
	return calloc(nmemb, size);
}

void *k_realloc(void *ptr, size_t size)
{
	return realloc(ptr, size);
}

void *k_aligned_alloc(size_t align, size_t size)
{
	void *p;

	/* posix_memalign() wants a multiple of the pointer size; any power of two is one then. */
	if (align < sizeof(void *)) {
		align = sizeof(void *);
	}
	return posix_memalign(&p, align, size) == 0 ? p : NULL;
}

void k_free(void *ptr)
{
	free(ptr);
}

const struct device *device_get_binding(const char *name)
{
	(void)name;
	return NULL;
}

bool device_is_ready(const struct device *dev)
{
	(void)dev;
	return false;
}

bool k_is_user_context(void)
{
	return false;
}

bool k_is_in_isr(void)
{
	return false;
}

EXPORT_SYMBOL(k_uptime_get);
EXPORT_SYMBOL(k_uptime_get_32);
EXPORT_SYMBOL(k_uptime_ticks);
EXPORT_SYMBOL(k_uptime_seconds);
EXPORT_SYMBOL(k_uptime_delta);
EXPORT_SYMBOL(k_cycle_get_32);
EXPORT_SYMBOL(k_cycle_get_64);
EXPORT_SYMBOL(sys_clock_hw_cycles_per_sec);
EXPORT_SYMBOL(k_sleep);
EXPORT_SYMBOL(k_msleep);
EXPORT_SYMBOL(k_usleep);
EXPORT_SYMBOL(k_busy_wait);
EXPORT_SYMBOL(k_yield);
EXPORT_SYMBOL(k_malloc);
EXPORT_SYMBOL(k_calloc);
EXPORT_SYMBOL(k_realloc);
EXPORT_SYMBOL(k_aligned_alloc);
EXPORT_SYMBOL(k_free);
EXPORT_SYMBOL(device_get_binding);
EXPORT_SYMBOL(device_is_ready);
EXPORT_SYMBOL(k_is_user_context);
EXPORT_SYMBOL(k_is_in_isr);
