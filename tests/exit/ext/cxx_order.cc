// SPDX-License-Identifier: MIT
/*
 * The three kinds of C++ teardown of one extension: a thread_local object of the main thread,
 * a static object (registered with __cxa_atexit() by its constructor) and a destructor function.
 * Each says so when it runs, so a test can read their order.
 */
#include <cstdio>

namespace
{

struct Noisy {
	const char *what;
	~Noisy()
	{
		std::printf("%s\n", what);
		std::fflush(stdout);
	}
};

Noisy static_obj{"static cxx"};
thread_local Noisy tls_obj{"thread_local cxx"};

} // namespace

/* The first use of tls_obj in this thread constructs it and registers its destructor. */
__attribute__((constructor)) static void cxx_ctor()
{
	std::printf("ctor cxx, %s\n", tls_obj.what);
}

__attribute__((destructor)) static void cxx_dtor()
{
	std::printf("dtor cxx\n");
	std::fflush(stdout);
}
