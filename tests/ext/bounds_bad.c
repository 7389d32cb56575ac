// SPDX-License-Identifier: MIT
/*
 * Section bounds that cannot be defined, one case per build (-D): a strong reference to the start
 * of a section the extension does not have (STRONG), bounds of sections of one name that are
 * code in one place and data in another (MIXED), and __start_ names whose rest is not a C
 * identifier, which are ordinary undefined symbols (IDENT), though sections of those names exist.
 */
#if defined(STRONG)
extern char __start_nowhere[];

void *bounds_bad(void)
{
	return __start_nowhere;
}
#elif defined(MIXED)
__asm__(".pushsection mixed, \"ax\", %progbits, unique, 1\n"
        ".balign 4\n"
        ".long 0\n"
        ".popsection\n"
        ".pushsection mixed, \"aw\", %progbits, unique, 2\n"
        ".quad 1\n"
        ".popsection");

extern char __start_mixed[];

void *bounds_bad(void)
{
	return __start_mixed;
}
#elif defined(IDENT)
static int nine __attribute__((used, section("9lives"))) = 9;
extern char dot_text[] __asm__("__start_.text");
extern char nine_lives[] __asm__("__start_9lives");

void *bounds_bad(int which)
{
	return which ? dot_text : nine_lives;
}
#endif
