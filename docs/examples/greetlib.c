// SPDX-License-Identifier: MIT
/*
 * A library extension: loaded first, it exports a function and a counter that extensions loaded
 * after it link against (see greeter.c). It lists its exports with LL_EXTENSION_SYMBOL(), so
 * its helpers stay private even though they are global.
 *
 * It needs nothing from the C library, so it loads with --strict (exports only) too.
 */
#include <stddef.h>

#include <llext/symbol.h>

/* How many greetings were made, for whoever links against it. */
int greet_count;

/* Global but not exported: not in the LL_EXTENSION_SYMBOL() list below. */
size_t greet_copy(char *out, size_t len, size_t pos, const char *s)
{
	while (*s && pos + 1 < len) {
		out[pos++] = *s++;
	}
	if (len) {
		out[pos < len ? pos : len - 1] = '\0';
	}
	return pos;
}

/* Writes "Hello, WHO!" into out (at most len bytes with the NUL) and returns its length. */
size_t greet_format(char *out, size_t len, const char *who)
{
	size_t pos = greet_copy(out, len, 0, "Hello, ");

	pos = greet_copy(out, len, pos, who);
	pos = greet_copy(out, len, pos, "!");
	greet_count++;
	return pos;
}

LL_EXTENSION_SYMBOL(greet_format);
LL_EXTENSION_SYMBOL(greet_count);
