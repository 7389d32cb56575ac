// SPDX-License-Identifier: MIT
/*
 * Zephyr threads on POSIX threads. A struct k_thread is created NEW (a K_FOREVER delay) or
 * RUNNING, and becomes DEAD when its entry point returns, it aborts itself, or it is cancelled
 * (k_thread_abort()). The first k_thread_join() to see it DEAD joins the POSIX thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <llext/symbol.h>
#include <zephyr/kernel.h>

#include "runtime_priv.h"

/* The calling thread's struct k_thread; threads we did not create get @adopted. */
static __thread struct k_thread *current;
static __thread struct k_thread adopted;

int z_llext_cancel_off(void)
{
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	return old;
}

void z_llext_cancel_restore(int state)
{
	pthread_setcancelstate(state, NULL);
}

void z_llext_unlock(void *mutex)
{
	pthread_mutex_unlock(mutex);
}

int z_llext_wait(pthread_cond_t *cond, pthread_mutex_t *lock, const struct timespec *deadline)
{
	if (!deadline) {
		return pthread_cond_wait(cond, lock);
	}
	/* The clock of K_MSEC() and k_uptime_get(), whatever clock @cond was made with. */
	return pthread_cond_clockwait(cond, lock, CLOCK_MONOTONIC, deadline);
}

/* Runs when the thread ends, however it ends: returning, pthread_exit() or cancellation. */
static void finish(void *arg)
{
	struct k_thread *t = arg;

	pthread_mutex_lock(&t->lock);
	t->state = Z_LLEXT_THREAD_DEAD;
	pthread_cond_broadcast(&t->done);
	pthread_mutex_unlock(&t->lock);
}

static void *trampoline(void *arg)
{
	struct k_thread *t = arg;

	current = t;
	pthread_cleanup_push(finish, t);
	if (!K_TIMEOUT_EQ(t->delay, K_NO_WAIT)) {
		k_sleep(t->delay);
	}
	t->entry(t->p1, t->p2, t->p3);
	pthread_cleanup_pop(1);
	return NULL;
}

/* Start the POSIX thread of @t, whose lock the caller holds. */
static void start_locked(struct k_thread *t)
{
	if (pthread_create(&t->pthread, NULL, trampoline, t) == 0) {
		t->state = Z_LLEXT_THREAD_RUNNING;
	} else {
		t->state = Z_LLEXT_THREAD_DEAD;
		t->reaped = true;
	}
}

k_tid_t k_thread_create(struct k_thread *new_thread, k_thread_stack_t *stack, size_t stack_size,
			k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
			uint32_t options, k_timeout_t delay)
{
	struct k_thread *t = new_thread;
	bool dead;

	/* Zephyr's stacks are too small for Linux code: the C library's default stack is used. */
	(void)stack;
	(void)stack_size;
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->done, NULL);
	t->entry = entry;
	t->p1 = p1;
	t->p2 = p2;
	t->p3 = p3;
	t->prio = prio;
	t->options = options;
	t->delay = delay;
	t->state = Z_LLEXT_THREAD_NEW;
	if (K_TIMEOUT_EQ(delay, K_FOREVER)) {
		return t;
	}
	pthread_mutex_lock(&t->lock);
	start_locked(t);
	dead = t->state == Z_LLEXT_THREAD_DEAD;
	pthread_mutex_unlock(&t->lock);
	return dead ? NULL : t;
}

void k_thread_start(k_tid_t thread)
{
	pthread_mutex_lock(&thread->lock);
	if (thread->state == Z_LLEXT_THREAD_NEW) {
		thread->delay = K_NO_WAIT;
		start_locked(thread);
	}
	pthread_mutex_unlock(&thread->lock);
}

/* Wait, with @t's lock held, until @t is DEAD; 0 or a negative errno as k_thread_join(). */
static int wait_dead(struct k_thread *t, k_timeout_t timeout)
{
	struct timespec until;
	bool timed = z_llext_deadline(timeout, &until);

	while (t->state != Z_LLEXT_THREAD_DEAD) {
		if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
			return -EBUSY;
		}
		if (z_llext_wait(&t->done, &t->lock, timed ? &until : NULL) == ETIMEDOUT &&
		    t->state != Z_LLEXT_THREAD_DEAD) {
			return -EAGAIN;
		}
	}
	/* It has finished its work; joining frees the POSIX thread, and does not block long. */
	if (!t->reaped) {
		pthread_join(t->pthread, NULL);
		t->reaped = true;
	}
	return 0;
}

int k_thread_join(struct k_thread *thread, k_timeout_t timeout)
{
	int ret;

	if (thread == k_current_get()) {
		return -EDEADLK;
	}
	pthread_mutex_lock(&thread->lock);
	pthread_cleanup_push(z_llext_unlock, &thread->lock);
	ret = wait_dead(thread, timeout);
	pthread_cleanup_pop(1);
	return ret;
}

void k_thread_abort(k_tid_t thread)
{
	if (thread == k_current_get()) {
		if (thread == &adopted) {
			/* No trampoline to say so: a thread we did not create. */
			finish(thread);
		}
		pthread_exit(NULL);
	}
	pthread_mutex_lock(&thread->lock);
	if (thread->state == Z_LLEXT_THREAD_NEW) {
		thread->state = Z_LLEXT_THREAD_DEAD;
		thread->reaped = true;
		pthread_cond_broadcast(&thread->done);
	} else if (thread->state == Z_LLEXT_THREAD_RUNNING) {
		pthread_cancel(thread->pthread);
	}
	pthread_mutex_unlock(&thread->lock);
	/* Zephyr's abort returns once the thread is gone. */
	k_thread_join(thread, K_FOREVER);
}

k_tid_t k_current_get(void)
{
	if (!current) {
		pthread_mutex_init(&adopted.lock, NULL);
		pthread_cond_init(&adopted.done, NULL);
		adopted.pthread = pthread_self();
		adopted.state = Z_LLEXT_THREAD_RUNNING;
		adopted.reaped = true;
		current = &adopted;
	}
	return current;
}

k_tid_t k_sched_current_thread_query(void)
{
	return k_current_get();
}

int k_thread_name_set(k_tid_t thread, const char *str)
{
	snprintf(thread->name, sizeof(thread->name), "%s", str);
	return 0;
}

const char *k_thread_name_get(k_tid_t thread)
{
	return thread->name;
}

int k_thread_priority_get(k_tid_t thread)
{
	return thread->prio;
}

void k_thread_priority_set(k_tid_t thread, int prio)
{
	thread->prio = prio;
}

EXPORT_SYMBOL(k_thread_create);
EXPORT_SYMBOL(k_thread_start);
EXPORT_SYMBOL(k_thread_join);
EXPORT_SYMBOL(k_thread_abort);
EXPORT_SYMBOL(k_current_get);
EXPORT_SYMBOL(k_sched_current_thread_query);
EXPORT_SYMBOL(k_thread_name_set);
EXPORT_SYMBOL(k_thread_name_get);
EXPORT_SYMBOL(k_thread_priority_get);
EXPORT_SYMBOL(k_thread_priority_set);
