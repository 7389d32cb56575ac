// SPDX-License-Identifier: MIT
/*
 * C++ thread_local objects with a constructor and a destructor (registered with
 * __cxa_thread_atexit and the extension's __dso_handle when a thread first uses them), and a
 * std::string, whose destructor frees memory: each thread's are destroyed when it exits.
 */
#include <string>

extern "C" {
#include "host_api.h"
}

namespace {

struct Tracker {
	Tracker() : id(++made) { host_record(100 + id); }
	~Tracker() { host_record(-(100 + id)); }
	int id;
	static int made;
};

int Tracker::made;

thread_local Tracker tracker;
thread_local std::string text;

} // namespace

extern "C" int tls_cxx_use(int n)
{
	for (int i = 0; i < n; i++) {
		text += "some text that does not fit in a small string buffer";
	}
	return tracker.id * 1000 + (int)(text.size() / 52);
}
