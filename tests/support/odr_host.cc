// SPDX-License-Identifier: MIT
/*
 * The C++ part of test-cxx-odr's host: it includes tests/ext/odr.h as the extensions do, so it
 * has its own definitions of the statics there. It exports some with EXPORT_SYMBOL_NAMED(), by
 * their mangled names; the program is linked with -rdynamic, so all of them are global dynamic
 * symbols too.
 */
#include <llext/symbol.h>

#include "odr.h"

extern "C" int host_odr_shared_bump(void)
{
	return odr_shared_bump();
}

extern "C" int host_odr_lonely_bump(void)
{
	return odr_lonely_bump();
}

extern "C" long host_odr_tally_long(void)
{
	return ++OdrTally<long>::hits;
}

/* The statics by the names the compiler gave them, for EXPORT_SYMBOL_NAMED(). */
extern int odr_shared __asm__("_ZZ15odr_shared_bumpvE7counter");
extern long odr_shared_guard __asm__("_ZGVZ15odr_shared_bumpvE7counter");
extern int odr_lonely __asm__("_ZZ15odr_lonely_bumpvE7counter");

EXPORT_SYMBOL_NAMED(odr_shared, _ZZ15odr_shared_bumpvE7counter);
EXPORT_SYMBOL_NAMED(odr_shared_guard, _ZGVZ15odr_shared_bumpvE7counter);
/* Its guard is left out on purpose (the test of a static exported alone). */
EXPORT_SYMBOL_NAMED(odr_lonely, _ZZ15odr_lonely_bumpvE7counter);
