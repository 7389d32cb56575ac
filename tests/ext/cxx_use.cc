// SPDX-License-Identifier: MIT
/*
 * Calls cxx_lib.cc: std::vector and std::string across two extensions, and an exception thrown
 * in one and caught in the other. Plain C entry points for the host.
 */
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

std::string cxx_join(const std::vector<std::string> &words, const std::string &sep);

/* Joins "a", "b", "c" with @sep into @out; the length. */
extern "C" int cxx_use_join(const char *sep, char *out, int size)
{
	std::vector<std::string> words{"a", "b", "c"};
	std::string s = cxx_join(words, sep);

	std::strncpy(out, s.c_str(), size - 1);
	out[size - 1] = '\0';
	return (int)s.size();
}

/* The length of the message of what cxx_join() throws for no words, or -1. */
extern "C" int cxx_use_throw(void)
{
	try {
		cxx_join({}, ",");
	} catch (const std::invalid_argument &e) {
		return (int)std::strlen(e.what());
	}
	return -1;
}
