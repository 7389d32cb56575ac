// SPDX-License-Identifier: MIT
/* Capturing libllext's log, so that tests can check what a failure said. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <llext/log.h>

#include "logcap.h"

/* The sink may be called from any thread that loads (test_threads). */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_buf[16384];
static size_t log_len;

static void capture(enum llext_log_level level, const char *msg, void *user)
{
	(void)level;
	(void)user;
	pthread_mutex_lock(&log_lock);
	log_len += (size_t)snprintf(log_buf + log_len, sizeof(log_buf) - log_len, "%s\n", msg);
	if (log_len >= sizeof(log_buf)) {
		log_len = sizeof(log_buf) - 1;
	}
	pthread_mutex_unlock(&log_lock);
}

void log_capture_start_at(enum llext_log_level level)
{
	pthread_mutex_lock(&log_lock);
	log_len = 0;
	log_buf[0] = '\0';
	pthread_mutex_unlock(&log_lock);
	llext_set_log(level, capture, NULL);
}

void log_capture_start(void)
{
	log_capture_start_at(LLEXT_LOG_ERR);
}

void log_capture_stop(void)
{
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
}

bool log_contains(const char *needle)
{
	bool found;

	pthread_mutex_lock(&log_lock);
	found = strstr(log_buf, needle) != NULL;
	pthread_mutex_unlock(&log_lock);
	return found;
}

const char *log_text(void)
{
	return log_buf;
}
