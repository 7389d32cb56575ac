// SPDX-License-Identifier: MIT
/*
 * Semaphores and mutexes: a POSIX mutex guards each object's state and a condition variable
 * wakes its waiters. z_llext_wait() leaves the thread, lock released, if it is aborted.
 */
#include <errno.h>
#include <pthread.h>

#include <llext/symbol.h>
#include <zephyr/kernel.h>

#include "runtime_priv.h"

int k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit)
{
	if (limit == 0 || initial_count > limit) {
		return -EINVAL;
	}
	pthread_mutex_init(&sem->lock, NULL);
	pthread_cond_init(&sem->cond, NULL);
	sem->count = initial_count;
	sem->limit = limit;
	sem->resets = 0;
	return 0;
}

/* Take @sem, whose lock the caller holds; 0 or a negative errno as k_sem_take(). */
static int take_locked(struct k_sem *sem, k_timeout_t timeout)
{
	unsigned int resets = sem->resets;
	struct timespec until;
	bool timed = z_llext_deadline(timeout, &until);

	while (sem->count == 0) {
		if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
			return -EBUSY;
		}
		if (z_llext_wait(&sem->cond, &sem->lock, timed ? &until : NULL) == ETIMEDOUT &&
		    sem->count == 0) {
			return -EAGAIN;
		}
		if (sem->resets != resets) {
			return -EAGAIN;
		}
	}
	sem->count--;
	return 0;
}

int k_sem_take(struct k_sem *sem, k_timeout_t timeout)
{
	int ret;

	pthread_mutex_lock(&sem->lock);
	ret = take_locked(sem, timeout);
	pthread_mutex_unlock(&sem->lock);
	return ret;
}

void k_sem_give(struct k_sem *sem)
{
	pthread_mutex_lock(&sem->lock);
	if (sem->count < sem->limit) {
		sem->count++;
		pthread_cond_signal(&sem->cond);
	}
	pthread_mutex_unlock(&sem->lock);
}

void k_sem_reset(struct k_sem *sem)
{
	pthread_mutex_lock(&sem->lock);
	sem->count = 0;
	sem->resets++;
	pthread_cond_broadcast(&sem->cond);
	pthread_mutex_unlock(&sem->lock);
}

unsigned int k_sem_count_get(struct k_sem *sem)
{
	unsigned int n;

	pthread_mutex_lock(&sem->lock);
	n = sem->count;
	pthread_mutex_unlock(&sem->lock);
	return n;
}

int k_mutex_init(struct k_mutex *mutex)
{
	pthread_mutex_init(&mutex->lock, NULL);
	pthread_cond_init(&mutex->cond, NULL);
	mutex->owner = NULL;
	mutex->lock_count = 0;
	return 0;
}

/* Lock @m for @self, with @m's lock held; 0 or a negative errno as k_mutex_lock(). */
static int lock_locked(struct k_mutex *m, struct k_thread *self, k_timeout_t timeout)
{
	struct timespec until;
	bool timed = z_llext_deadline(timeout, &until);

	while (m->owner && m->owner != self) {
		if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
			return -EBUSY;
		}
		if (z_llext_wait(&m->cond, &m->lock, timed ? &until : NULL) == ETIMEDOUT &&
		    m->owner && m->owner != self) {
			return -EAGAIN;
		}
	}
	m->owner = self;
	m->lock_count++;
	return 0;
}

int k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout)
{
	struct k_thread *self = k_current_get();
	int ret;

	pthread_mutex_lock(&mutex->lock);
	ret = lock_locked(mutex, self, timeout);
	pthread_mutex_unlock(&mutex->lock);
	return ret;
}

int k_mutex_unlock(struct k_mutex *mutex)
{
	struct k_thread *self = k_current_get();
	int ret = 0;

	pthread_mutex_lock(&mutex->lock);
	if (!mutex->owner) {
		ret = -EINVAL;
	} else if (mutex->owner != self) {
		ret = -EPERM;
	} else if (--mutex->lock_count == 0) {
		mutex->owner = NULL;
		pthread_cond_signal(&mutex->cond);
	}
	pthread_mutex_unlock(&mutex->lock);
	return ret;
}

EXPORT_SYMBOL(k_sem_init);
EXPORT_SYMBOL(k_sem_take);
EXPORT_SYMBOL(k_sem_give);
EXPORT_SYMBOL(k_sem_reset);
EXPORT_SYMBOL(k_sem_count_get);
EXPORT_SYMBOL(k_mutex_init);
EXPORT_SYMBOL(k_mutex_lock);
EXPORT_SYMBOL(k_mutex_unlock);
