// SPDX-License-Identifier: MIT
/* A C++ extension that uses the standard library and throws; cxx_use.cc calls it. */
#include <stdexcept>
#include <string>
#include <vector>

std::string cxx_join(const std::vector<std::string> &words, const std::string &sep)
{
	std::string out;

	if (words.empty()) {
		throw std::invalid_argument("nothing to join");
	}
	for (size_t i = 0; i < words.size(); i++) {
		out += (i ? sep : "") + words[i];
	}
	return out;
}
