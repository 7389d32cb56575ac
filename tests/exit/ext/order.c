// SPDX-License-Identifier: MIT
/*
 * Built three times with ORDER_NAME "a", "b" and "c": its constructor says so and registers an
 * atexit() handler, its destructor says so, so that a test can read the order of all three.
 */
#include <stdio.h>
#include <stdlib.h>

static void say(const char *what)
{
	printf("%s %s\n", what, ORDER_NAME);
	fflush(stdout);
}

static void order_atexit(void)
{
	say("atexit");
}

__attribute__((constructor)) static void order_ctor(void)
{
	say("ctor");
	atexit(order_atexit);
}

__attribute__((destructor)) static void order_dtor(void)
{
	say("dtor");
}
