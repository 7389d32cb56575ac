// SPDX-License-Identifier: MIT
/*
 * A registration table: entries placed in section my_items next to the functions they name,
 * walked through __start_my_items and __stop_my_items, as many C programs do; a read-only table
 * beside it, and weak references to the bounds of a section that does not exist.
 */
#include <stddef.h>

#ifndef BASE
#define BASE 0
#endif

struct item {
	int key;
	int calls; /* counted by bounds_call(): the table is writable */
	int (*fn)(int);
};

#define REGISTER(k, f)                                                                             \
	static struct item item_##f __attribute__((used, section("my_items"))) = {BASE + (k), 0, f}

static int twice(int x)
{
	return 2 * x;
}
REGISTER(1, twice);

static int square(int x)
{
	return x * x;
}
REGISTER(2, square);

static int negate(int x)
{
	return -x;
}
REGISTER(3, negate);

/* No relocations and const: a read-only section ("a"). */
static const int const_a __attribute__((used, section("my_consts"))) = BASE + 10;
static const int const_b __attribute__((used, section("my_consts"))) = BASE + 20;

extern struct item __start_my_items[], __stop_my_items[];
extern const int __start_my_consts[], __stop_my_consts[];
extern const char __start_absent[] __attribute__((weak));
extern const char __stop_absent[] __attribute__((weak));

int bounds_count(void)
{
	return (int)(__stop_my_items - __start_my_items);
}

void *bounds_items(void)
{
	return __start_my_items;
}

/* The key of entry @i, -1 past the end. */
int bounds_key(int i)
{
	return i >= 0 && i < bounds_count() ? __start_my_items[i].key : -1;
}

/* Calls the function registered under @key with @x, counting the call in its entry. */
int bounds_call(int key, int x, int *found)
{
	for (struct item *it = __start_my_items; it < __stop_my_items; it++) {
		if (it->key == key) {
			it->calls++;
			*found = 1;
			return it->fn(x);
		}
	}
	*found = 0;
	return 0;
}

int bounds_calls(int key)
{
	for (const struct item *it = __start_my_items; it < __stop_my_items; it++) {
		if (it->key == key) {
			return it->calls;
		}
	}
	return -1;
}

const int *bounds_consts(int *n)
{
	*n = (int)(__stop_my_consts - __start_my_consts);
	return __start_my_consts;
}

/* 3 when both weak bounds of the absent section are null. */
int bounds_absent(void)
{
	return (__start_absent == NULL) + 2 * (__stop_absent == NULL);
}
