// SPDX-License-Identifier: MIT
/* One of two extensions built from the same header (odr.h); odr_b.cc is the other. */
#include <typeinfo>

#include "odr.h"

extern "C" int odr_a_bump(void)
{
	return odr_bump();
}

extern "C" int odr_a_tally(void)
{
	return ++OdrTally<int>::hits;
}

extern "C" const void *odr_a_typeid(void)
{
	return &typeid(OdrSquare);
}

extern "C" void *odr_a_make(void)
{
	return static_cast<OdrShape *>(new OdrSquare);
}

/* The sides of @shape if it is an OdrSquare, else -1. */
extern "C" int odr_a_square_sides(void *shape)
{
	OdrSquare *sq = dynamic_cast<OdrSquare *>(static_cast<OdrShape *>(shape));

	return sq ? sq->sides() : -1;
}

extern "C" void odr_a_free(void *shape)
{
	delete static_cast<OdrShape *>(shape);
}

extern "C" int odr_a_shared_bump(void)
{
	return odr_shared_bump();
}

extern "C" int odr_a_lonely_bump(void)
{
	return odr_lonely_bump();
}

extern "C" long odr_a_tally_long(void)
{
	return ++OdrTally<long>::hits;
}

#ifdef ODR_EXPLICIT
/* An explicit export table: the statics, vtables and typeinfo are offered beside it. */
#include <llext/symbol.h>

LL_EXTENSION_SYMBOL(odr_a_bump);
LL_EXTENSION_SYMBOL(odr_a_tally);
#endif
