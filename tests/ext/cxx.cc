// SPDX-License-Identifier: MIT
/*
 * A C++ extension: virtual functions, templates and inline functions (COMDAT groups), a static
 * local in an inline function (STB_GNU_UNIQUE), a global object with a constructor and a
 * destructor (registered with __cxa_atexit and __dso_handle), exceptions thrown and caught
 * inside the extension (its .eh_frame must be registered), and libstdc++ containers.
 */
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
#include "host_api.h"
}

namespace {

struct Shape {
	virtual ~Shape() = default;
	virtual int area() const = 0;
};

struct Square : Shape {
	explicit Square(int s) : side(s) {}
	int area() const override { return side * side; }
	int side;
};

struct Rect : Shape {
	Rect(int w, int h) : w(w), h(h) {}
	int area() const override { return w * h; }
	int w, h;
};

struct Global {
	Global() : value(42) { host_record(42); }
	~Global() { host_record(-42); }
	int value;
};

Global global;

} // namespace

template <typename T> T twice(T v) { return v + v; }

inline int bump()
{
	static int counter; /* one per process in C++: STB_GNU_UNIQUE */
	return ++counter;
}

extern "C" int cxx_global_value(void)
{
	return global.value;
}

extern "C" int cxx_shapes(int n)
{
	std::vector<Shape *> shapes;
	int sum = 0;

	for (int i = 1; i <= n; i++) {
		if (i % 2) {
			shapes.push_back(new Square(i));
		} else {
			shapes.push_back(new Rect(i, 2));
		}
	}
	for (Shape *s : shapes) {
		sum += s->area();
		delete s;
	}
	return twice(sum);
}

static int check(int n)
{
	if (n > 3) {
		throw std::out_of_range("value " + std::to_string(n) + " is too big");
	}
	return n;
}

extern "C" long cxx_throw_catch(int n)
{
	try {
		return check(n);
	} catch (const std::exception &e) {
		return -(long)std::string(e.what()).size();
	}
}

extern "C" int cxx_unique(void)
{
	return bump();
}

/* A function-local static object: its destructor is registered the first time the function
 * runs, whether or not the extension was brought up. */
struct Local {
	~Local() { host_record(-7); }
	int v = 7;
};

extern "C" int cxx_local_static(void)
{
	static Local local;
	return local.v;
}
