// SPDX-License-Identifier: MIT
/* One path for every message: format once, hand to the user's sink. */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

#include "base/base.h"

static void default_sink(enum llext_log_level level, const char *msg, void *user)
{
	(void)level;
	(void)user;
	fprintf(stderr, "llext: %s\n", msg);
}

/* The sink and its argument change together, so they are read and written under a lock; the
 * sink itself runs outside it. */
static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static llext_log_fn_t sink_fn = default_sink;
static void *sink_user;
static _Atomic int max_level = LLEXT_LOG_ERR;

LLEXT_EXPORT void llext_set_log(enum llext_log_level level, llext_log_fn_t fn, void *user)
{
	pthread_mutex_lock(&sink_lock);
	sink_fn = fn ? fn : default_sink;
	sink_user = fn ? user : NULL;
	atomic_store(&max_level, (int)level);
	pthread_mutex_unlock(&sink_lock);
}

bool llext_log_enabled(enum llext_log_level level)
{
	return (int)level <= atomic_load_explicit(&max_level, memory_order_relaxed);
}

void llext_log(enum llext_log_level level, const char *fmt, ...)
{
	llext_log_fn_t fn;
	void *user;
	char msg[512];
	va_list ap;

	if (!llext_log_enabled(level)) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	pthread_mutex_lock(&sink_lock);
	fn = sink_fn;
	user = sink_user;
	pthread_mutex_unlock(&sink_lock);
	fn(level, msg, user);
}
