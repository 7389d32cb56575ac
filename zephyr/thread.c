// SPDX-License-Identifier: MIT
/*
 * Zephyr threads on POSIX threads. A struct k_thread is created NEW (a K_FOREVER delay) or
 * RUNNING, and becomes DEAD when its entry point returns or it is aborted. The first
 * k_thread_join() to see it DEAD joins the POSIX thread.
 *
 * k_thread_abort() does not cancel the POSIX thread: cancellation unwinds the stack, which loads
 * the C library's unwinder and which AddressSanitizer cannot follow. It sets the thread's
 * @aborting flag; the thread looks at it in every wait (z_llext_wait() wakes at least every
 * ABORT_POLL_NS) and leaves its entry point with longjmp(), as Zephyr abandons an aborted
 * thread's stack.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <llext/symbol.h>
#include <zephyr/kernel.h>

#include "runtime_priv.h"

/* How long a waiting thread may take to notice k_thread_abort(). */
#define ABORT_POLL_NS 10000000ULL

/* The calling thread's struct k_thread; threads we did not create get @adopted. */
static __thread struct k_thread *current;
static __thread struct k_thread adopted;

/* The thread ends: DEAD, and its joiners are woken. */
static void finish(struct k_thread *t)
{
	pthread_mutex_lock(&t->lock);
	t->state = Z_LLEXT_THREAD_DEAD;
	pthread_cond_broadcast(&t->done);
	pthread_mutex_unlock(&t->lock);
}

/* End the calling thread @self, which k_thread_abort() asked to end or which aborts itself. */
static FUNC_NORETURN void leave(struct k_thread *self)
{
	if (self != &adopted) {
		longjmp(self->exit_jmp, 1);
	}
	/* A thread we did not start (the host's main thread, say) has no entry point to leave. */
	finish(self);
	pthread_exit(NULL);
}

int z_llext_wait(pthread_cond_t *cond, pthread_mutex_t *lock, const struct timespec *deadline)
{
	struct k_thread *self = k_current_get();
	uint64_t slice = z_llext_now_ns() + ABORT_POLL_NS;
	struct timespec until = {(time_t)(slice / 1000000000), (long)(slice % 1000000000)};
	bool last = deadline && (deadline->tv_sec < until.tv_sec ||
				 (deadline->tv_sec == until.tv_sec && deadline->tv_nsec <= until.tv_nsec));
	int ret;

	/* The clock of K_MSEC() and k_uptime_get(), whatever clock @cond was made with. */
	ret = pthread_cond_clockwait(cond, lock, CLOCK_MONOTONIC, last ? deadline : &until);
	if (__atomic_load_n(&self->aborting, __ATOMIC_ACQUIRE)) {
		pthread_mutex_unlock(lock);
		leave(self);
	}
	/* The end of a slice is not the caller's timeout. */
	return ret == ETIMEDOUT && !last ? 0 : ret;
}

static void *trampoline(void *arg)
{
	struct k_thread *t = arg;

	current = t;
	if (setjmp(t->exit_jmp) == 0) {
		if (!K_TIMEOUT_EQ(t->delay, K_NO_WAIT)) {
			k_sleep(t->delay);
		}
		t->entry(t->p1, t->p2, t->p3);
	}
	finish(t);
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
	ret = wait_dead(thread, timeout);
	pthread_mutex_unlock(&thread->lock);
	return ret;
}

void k_thread_abort(k_tid_t thread)
{
	if (thread == k_current_get()) {
		leave(thread);
	}
	pthread_mutex_lock(&thread->lock);
	if (thread->state == Z_LLEXT_THREAD_NEW) {
		thread->state = Z_LLEXT_THREAD_DEAD;
		thread->reaped = true;
		pthread_cond_broadcast(&thread->done);
	} else {
		__atomic_store_n(&thread->aborting, 1, __ATOMIC_RELEASE);
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
