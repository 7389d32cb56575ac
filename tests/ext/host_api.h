/* SPDX-License-Identifier: MIT */
/*
 * What the test programs export to extensions (tests/support/host.c) and what extensions may use.
 * The fixtures include it, so the declarations on both sides are the same.
 */
#ifndef TESTS_HOST_API_H
#define TESTS_HOST_API_H

/* Host data, read and written by extensions. */
extern int host_counter;
extern const char host_name[];

/* Host functions. */
int host_add(int a, int b);
/* Appends a value to the host's record (constructor order, call traces). */
void host_record(int value);

#endif
