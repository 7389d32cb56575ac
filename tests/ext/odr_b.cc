// SPDX-License-Identifier: MIT
/* The other of two extensions built from odr.h, with odr_a.cc: the same code, its own names. */
#include <typeinfo>

#include "odr.h"

extern "C" int odr_b_bump(void)
{
	return odr_bump();
}

extern "C" int odr_b_tally(void)
{
	return ++OdrTally<int>::hits;
}

extern "C" const void *odr_b_typeid(void)
{
	return &typeid(OdrSquare);
}

extern "C" void *odr_b_make(void)
{
	return static_cast<OdrShape *>(new OdrSquare);
}

/* The sides of @shape if it is an OdrSquare, else -1. */
extern "C" int odr_b_square_sides(void *shape)
{
	OdrSquare *sq = dynamic_cast<OdrSquare *>(static_cast<OdrShape *>(shape));

	return sq ? sq->sides() : -1;
}

extern "C" void odr_b_free(void *shape)
{
	delete static_cast<OdrShape *>(shape);
}

extern "C" int odr_b_shared_bump(void)
{
	return odr_shared_bump();
}

extern "C" int odr_b_lonely_bump(void)
{
	return odr_lonely_bump();
}

extern "C" long odr_b_tally_long(void)
{
	return ++OdrTally<long>::hits;
}
