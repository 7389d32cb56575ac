// SPDX-License-Identifier: MIT
/*
 * The extension the debugger tests look into: arguments, locals, a global and a static variable,
 * a call chain that crashes several frames deep, and a function that waits to be attached to.
 * Built with GCC and Clang, -O0 and -O2, DWARF 5 and 4, and without -g. DBG_VERSION changes
 * what the reload test sees.
 */
#include <unistd.h>

#ifndef DBG_VERSION
#define DBG_VERSION 1
#endif

/* Keeps every function of the crash chain a frame of its own, clones included. */
#if defined(__clang__)
#define KEEP __attribute__((noinline))
#else
#define KEEP __attribute__((noinline, noipa))
#endif

int dbg_global = 42;
static int dbg_static = 7;
volatile int dbg_release;
int dbg_version = DBG_VERSION;

#if DBG_VERSION > 1
/* Moves everything below to other lines and addresses. */
KEEP int dbg_padding(int x)
{
	return x * 3 + dbg_version;
}
#endif

KEEP static int dbg_helper(int x)
{
	return x * dbg_static + dbg_version;
}

KEEP int dbg_entry(int n)
{
	int local_a = n * 2;
	int local_b = local_a + dbg_static;

	dbg_global += local_b; /* BREAK_HERE */
	return dbg_helper(local_b) + local_a;
}

KEEP static int dbg_crash_c(volatile int *p, int n)
{
	*p = n; /* CRASH_HERE */
	return n + 1;
}

KEEP int dbg_crash_b(volatile int *p, int n)
{
	return dbg_crash_c(p, n + 1) + 1;
}

KEEP static int dbg_crash_a(volatile int *p, int n)
{
	return dbg_crash_b(p, n + 1) + 1;
}

int dbg_crash(int n)
{
	return dbg_crash_a((volatile int *)(long)(n - n), n) + 1;
}

/* Writes the static variable, so that optimisation cannot fold it into a constant. */
void dbg_set_static(int v)
{
	dbg_static = v;
}

/* Waits, inside the extension, until a debugger sets dbg_release. */
int dbg_wait(int n)
{
	/* Tells the test the process is here: it attaches only then. */
	if (write(1, "dbg_wait\n", 9) != 9) {
		return -1;
	}
	while (!dbg_release) {
		usleep(1000);
	}
	return n + dbg_release;
}
