// SPDX-License-Identifier: MIT
/*
 * C++ with the Zephyr headers: a static constructor and destructor (run by bringup and
 * teardown), virtual calls, checks and logging in C++, and a thread started with a lambda.
 */
#include <zephyr/kernel.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/logging/log.h>
#include <zephyr/ztest.h>

#include "zhost.h"

LOG_MODULE_REGISTER(zcxx);

namespace
{

class Shape
{
public:
	virtual ~Shape() = default;
	virtual int area() const = 0;
};

class Square : public Shape
{
public:
	explicit Square(int side) : side_(side) {}
	int area() const override
	{
		return side_ * side_;
	}

private:
	int side_;
};

struct Tracker {
	Tracker()
	{
		printk("zcxx: constructed\n");
		alive = 1;
	}
	~Tracker()
	{
		printk("zcxx: destroyed\n");
	}
	int alive;
};

Tracker tracker;
struct k_thread thread;
K_THREAD_STACK_DEFINE(stack, 2048);

} // namespace

extern "C" void test_entry(void)
{
	Square sq(3);
	const Shape &shape = sq;
	int hits = 0;

	zassert_equal(tracker.alive, 1, "the constructor ran at bringup");
	zassert_equal(shape.area(), 9, "area is %d", shape.area());
	zassume_true(shape.area() > 0);
	LOG_INF("area %d", shape.area());
	k_thread_create(
	    &thread, stack, K_THREAD_STACK_SIZEOF(stack),
	    [](void *p1, void *, void *) { *static_cast<int *>(p1) = 1; }, &hits, nullptr,
	    nullptr, K_PRIO_COOP(1), 0, K_NO_WAIT);
	zassert_ok(k_thread_join(&thread, K_FOREVER));
	zassert_equal(hits, 1);
}
EXPORT_SYMBOL(test_entry);
