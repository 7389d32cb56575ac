// SPDX-License-Identifier: MIT
/*
 * A user of Debian's libre2.a, compiled with the default flags: RE2 reaches libstdc++'s
 * thread-local std::call_once state in initial-exec, and its own thread-local in local-exec.
 * Two threads match and ask for the named groups, which RE2 computes once, under
 * std::call_once, whichever thread comes first.
 */
#include <re2/re2.h>

#include <cstdio>
#include <string>
#include <thread>

static bool use(const RE2 &pair, const RE2 &named, const char *in, long want)
{
	std::string word;
	long n = 0;

	return RE2::FullMatch(in, pair, &word, &n) && n == want && !RE2::FullMatch("no", pair) &&
	       named.NamedCapturingGroups().at("val") == 2;
}

int main()
{
	RE2 pair("(\\w+):(\\d+)"), named("(?P<key>\\w+)=(?P<val>\\d+)");
	bool other = false;

	if (!pair.ok() || !named.ok()) {
		return 2;
	}
	std::thread t([&] { other = use(pair, named, "world:7", 7); });
	bool mine = use(pair, named, "hello:42", 42);
	t.join();

	std::string word;
	long n = 0;
	RE2::FullMatch("hello:42", pair, &word, &n);
	std::printf("%s %ld %d %d\n", word.c_str(), n, mine, other);
	return mine && other ? 0 : 1;
}
