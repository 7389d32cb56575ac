/* SPDX-License-Identifier: MIT */
/* libllext-zephyr's internal declarations, grouped by the file that owns them. */
#ifndef LLEXT_ZEPHYR_RUNTIME_PRIV_H
#define LLEXT_ZEPHYR_RUNTIME_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <time.h>

#include <zephyr/kernel.h>

/* print.c */

/* The text of printf(@fmt, @ap) in a buffer of its own (free() it), or NULL. */
char *z_llext_vformat(const char *fmt, va_list ap);
/* Write @len bytes of @text where printk() output goes. */
void z_llext_print(const char *text, size_t len);

/* time.c */

/* CLOCK_MONOTONIC now, in nanoseconds. */
uint64_t z_llext_now_ns(void);
/*
 * The CLOCK_MONOTONIC deadline of @timeout from now in @abs. Returns false for K_FOREVER
 * (no deadline).
 */
bool z_llext_deadline(k_timeout_t timeout, struct timespec *abs);

/* thread.c */

/* struct k_thread's state. */
enum { Z_LLEXT_THREAD_NEW, Z_LLEXT_THREAD_RUNNING, Z_LLEXT_THREAD_DEAD };

/*
 * Make the calling thread immune to cancellation (k_thread_abort()) while it holds one of our
 * locks; returns the state to restore with z_llext_cancel_restore().
 */
int z_llext_cancel_off(void);
/* Restore the cancellation state z_llext_cancel_off() returned. */
void z_llext_cancel_restore(int state);

/*
 * Wait on @cond (with @lock held) until @deadline, or for ever if it is NULL. Returns 0, or
 * ETIMEDOUT once the deadline has passed. A cancellation point.
 */
int z_llext_wait(pthread_cond_t *cond, pthread_mutex_t *lock, const struct timespec *deadline);
/* pthread_cleanup_push() handler that unlocks the pthread_mutex_t it is given. */
void z_llext_unlock(void *mutex);

#endif /* LLEXT_ZEPHYR_RUNTIME_PRIV_H */
