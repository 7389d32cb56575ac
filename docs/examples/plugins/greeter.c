// SPDX-License-Identifier: MIT
/*
 * A plugin for plugind.c: the entry point is plugin_start(); plugin_stop() is optional. Its
 * static data lives in the extension's own data region and goes away with it.
 */
#include "../plugind.h"

static const char *const greetings[] = {"hello", "bonjour", "hallo"};
static int next;

int plugin_start(void)
{
	plugind_log("greeter", greetings[next++ % 3]);
	return 0;
}
