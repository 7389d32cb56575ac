// SPDX-License-Identifier: MIT
/* A data race in extension code, for ThreadSanitizer to report. */
#include <pthread.h>

static int shared;

__attribute__((noinline)) static void *bump(void *arg)
{
	shared += (int)(long)arg; /* race */
	return NULL;
}

int race_run(int n)
{
	pthread_t t[2];

	for (int i = 0; i < 2; i++) {
		pthread_create(&t[i], NULL, bump, (void *)(long)n); /* create */
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
	}
	return shared;
}
