// SPDX-License-Identifier: MIT
/*
 * An extension that starts a thread and leaves it running, busy in the extension's own code and
 * data, as a library's background thread may be when the program exits. worker_start() returns
 * once the thread has answered, so that it is known to be running; worker_ping() asks it to
 * answer again and waits for the answer.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_uint ping, pong;

static void *work(void *arg)
{
	(void)arg;
	for (;;) {
		unsigned int n = atomic_load(&ping);

		if (atomic_load(&pong) != n) {
			atomic_store(&pong, n);
		}
	}
	return NULL;
}

int worker_ping(void)
{
	unsigned int n = atomic_fetch_add(&ping, 1) + 1;

	while (atomic_load(&pong) != n) {
		sched_yield();
	}
	return (int)n;
}

int worker_start(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, work, NULL) != 0) {
		return -1;
	}
	pthread_detach(t);
	return worker_ping();
}

__attribute__((destructor)) static void worker_fini(void)
{
	/* The thread still answers while the destructors run. */
	printf("worker: answered %d in the destructor\n", worker_ping());
	fflush(stdout);
}

int main(void)
{
	printf("worker: started, answered %d\n", worker_start());
	fflush(stdout);
	return 0;
}
