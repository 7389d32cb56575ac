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
 * Wait on @cond (with @lock held) until @deadline, or for ever if it is NULL. Returns 0 when
 * woken (perhaps spuriously: callers check their condition again), or ETIMEDOUT once the
 * deadline has passed. If k_thread_abort() ended the calling thread meanwhile, releases @lock
 * and does not return.
 */
int z_llext_wait(pthread_cond_t *cond, pthread_mutex_t *lock, const struct timespec *deadline);

#endif /* LLEXT_ZEPHYR_RUNTIME_PRIV_H */
