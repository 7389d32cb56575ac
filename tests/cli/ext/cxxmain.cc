// SPDX-License-Identifier: MIT
/* A C++ main that uses another C++ extension (tests/ext/cxx_lib.cc): llext-run a.o b.o. */
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

std::string cxx_join(const std::vector<std::string> &words, const std::string &sep);

int main(int argc, char **argv)
{
	std::vector<std::string> words(argv + 1, argv + argc);

	try {
		std::printf("%s\n", cxx_join(words, "+").c_str());
	} catch (const std::exception &e) {
		std::printf("caught: %s\n", e.what());
		return 3;
	}
	return 0;
}
