// SPDX-License-Identifier: MIT
/*
 * The everyday extension: host calls and data, libc, data/rodata/bss, a function-pointer table.
 * Built with every compiler and flag set; tests/test_reloc.c calls each function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_api.h"

static int calls;                          /* .bss */
static int seed = 42;                      /* .data */
static const char greeting[] = "greeting"; /* .rodata */
int basic_global = 7;                      /* .data, exported */
long basic_zeroes[512];                    /* .bss, exported */

static int op_add(int a, int b)
{
	return a + b;
}

static int op_sub(int a, int b)
{
	return a - b;
}

static int op_mul(int a, int b)
{
	return a * b;
}

/* A table of function pointers in read-only-after-relocation data. */
static int (*const ops[])(int, int) = {op_add, op_sub, op_mul};

int basic_ops(int op, int a, int b)
{
	calls++;
	return ops[op % 3](a, b);
}

int basic_calls(void)
{
	return calls;
}

int basic_host_call(int a, int b)
{
	return host_add(a, b) * 2;
}

int basic_host_data(int delta)
{
	host_counter += delta;
	return host_counter;
}

int *basic_host_data_addr(void)
{
	return &host_counter;
}

const char *basic_host_name(void)
{
	return host_name;
}

/* Returns a pointer to a host function, taken in the extension. */
int (*basic_host_fn(void))(int, int)
{
	return host_add;
}

int basic_format(char *out, size_t len, int v)
{
	return snprintf(out, len, "%s-%d-%s", greeting, v, host_name);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* libc calls back into the extension. */
int basic_sort(int *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_int);
	return v[0];
}

int basic_data(void)
{
	return seed++;
}

const char *basic_rodata(void)
{
	return greeting;
}

long basic_bss_sum(void)
{
	long s = 0;

	for (size_t i = 0; i < sizeof(basic_zeroes) / sizeof(basic_zeroes[0]); i++) {
		s += basic_zeroes[i];
	}
	return s;
}

char *basic_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p) {
		memcpy(p, s, n);
	}
	return p;
}

/* A switch the compiler may turn into a jump table. */
int basic_switch(int v)
{
	switch (v) {
	case 0:
		return 11;
	case 1:
		return 23;
	case 2:
		return 37;
	case 3:
		return 41;
	case 4:
		return 59;
	case 5:
		return 67;
	case 6:
		return 73;
	default:
		return -1;
	}
}
