/* SPDX-License-Identifier: MIT */
/*
 * One definition across modules (tests/test_cxx_odr.c): what a header-only C++ library defines
 * in every module that includes it. odr_a.cc and odr_b.cc, two extensions, include it, and so
 * does the test host (tests/support/odr_host.cc).
 */
#ifndef TESTS_ODR_H
#define TESTS_ODR_H

extern "C" void host_record(int value);

/* The initialiser of the statics below records each run, so a test sees how often it ran. A
 * call into the host makes the initialisation dynamic: each static has a guard variable. */
inline int odr_start(int tag)
{
	host_record(tag);
	return 100;
}

/* ---- shared by two extensions, not by the host ---- */

/* A static local of an inline function: _ZZ8odr_bumpvE7counter and its guard. */
inline int odr_bump(void)
{
	static int counter = odr_start(1);

	return ++counter;
}

/* A template's static member: _ZN7OdrTallIiE4hitsE. */
template <typename T> struct OdrTally {
	static int hits;
};
template <typename T> int OdrTally<T>::hits;

/* Classes whose every member function is inline: their vtables and typeinfo are vague too. */
struct OdrShape {
	virtual ~OdrShape() {}
	virtual int sides() const { return 0; }
};
struct OdrSquare : OdrShape {
	int sides() const override { return 4; }
};

/* ---- also defined by the test host ---- */

/* The host exports this static and its guard with EXPORT_SYMBOL_NAMED(). */
inline int odr_shared_bump(void)
{
	static int counter = odr_start(2);

	return ++counter;
}

/* The host exports this static but not its guard: an extension must keep its own pair. */
inline int odr_lonely_bump(void)
{
	static int counter = odr_start(3);

	return ++counter;
}

/* OdrTally<long>::hits: the host defines it among its global dynamic symbols only. */

#endif
