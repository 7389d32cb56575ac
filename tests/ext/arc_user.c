// SPDX-License-Identifier: MIT
/* An extension linked with libarc.a (tests/test_archive.c). */
#include <llext/symbol.h>

__attribute__((visibility("hidden"))) int arc_hidden(int x);
int arc_a(void);
int arc_count(void);
int arc_user_chain(void);
int arc_user_hidden(void);
int arc_user_count(void);

#ifdef ARC_LIB
LLEXT_NEEDS(ARC_LIB);
#endif

int arc_user_chain(void)
{
	return arc_a();
}

int arc_user_hidden(void)
{
	return arc_hidden(5);
}

int arc_user_count(void)
{
	return arc_count();
}
