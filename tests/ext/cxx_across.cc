// SPDX-License-Identifier: MIT
/*
 * An exception thrown in one extension frame and caught in another, with a frame of the C host
 * between them: extension -> host C function -> extension, the throw in the last.
 */
#include <cstring>
#include <stdexcept>
#include <string>

extern "C" void host_call_back(void (*fn)(int), int n);

static void thrower(int n)
{
	throw std::runtime_error("thrown across the host with " + std::to_string(n));
}

extern "C" long cxx_across(int n)
{
	try {
		host_call_back(thrower, n);
	} catch (const std::exception &e) {
		return (long)std::strlen(e.what());
	}
	return -1;
}
