// SPDX-License-Identifier: MIT
/*
 * Handlers registered with the functions a linked module takes from libc_nonshared.a. The host
 * sees them run through host_record(): 1 for atexit(), 2 for at_quick_exit(), 3 for the fork
 * child handler.
 */
#include <pthread.h>
#include <stdlib.h>

#include "host_api.h"

static void on_exit_handler(void)
{
	host_record(1);
}

static void on_quick_exit(void)
{
	host_record(2);
}

static void in_fork_child(void)
{
	host_record(3);
}

int atexit_register(void)
{
	return atexit(on_exit_handler) | at_quick_exit(on_quick_exit) |
	       pthread_atfork(NULL, NULL, in_fork_child);
}
