// SPDX-License-Identifier: MIT
/*
 * Constructors and destructors with and without priorities, and a .preinit_array entry. Each
 * records a number with the host, so the test sees the order they ran in.
 */
#include "host_api.h"

static void pre(void)
{
	host_record(1);
}

__attribute__((used, section(".preinit_array"))) static void (*const preinit_entry)(void) = pre;

__attribute__((constructor(200))) static void ctor200(void)
{
	host_record(200);
}

__attribute__((constructor(101))) static void ctor101(void)
{
	host_record(101);
}

__attribute__((constructor)) static void ctor_a(void)
{
	host_record(1000);
}

__attribute__((constructor)) static void ctor_b(void)
{
	host_record(1001);
}

__attribute__((destructor(101))) static void dtor101(void)
{
	host_record(-101);
}

__attribute__((destructor(200))) static void dtor200(void)
{
	host_record(-200);
}

__attribute__((destructor)) static void dtor_a(void)
{
	host_record(-1000);
}

__attribute__((destructor)) static void dtor_b(void)
{
	host_record(-1001);
}

int ctors_alive(void)
{
	return 1;
}
