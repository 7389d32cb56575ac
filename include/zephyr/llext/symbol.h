/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/symbol.h>: libllext's <llext/symbol.h>.
 *
 * As in Zephyr, EXPORT_SYMBOL() means two things. In the host (a program or a shared library),
 * it exports a symbol to extensions. In an extension, compiled with LL_EXTENSION_BUILD defined
 * (pkg-config --cflags llext-zephyr-extension defines it), it means LL_EXTENSION_SYMBOL(): the
 * symbol joins the extension's export table.
 */
#ifndef ZEPHYR_LLEXT_SYMBOL_H
#define ZEPHYR_LLEXT_SYMBOL_H

#include <llext/symbol.h>

#ifdef LL_EXTENSION_BUILD
#undef EXPORT_SYMBOL
/** @brief In an extension: LL_EXTENSION_SYMBOL(). */
#define EXPORT_SYMBOL(x) LL_EXTENSION_SYMBOL(x)
#if defined(EXPORT_SYMBOL_NAMED) && defined(LL_EXTENSION_SYMBOL_NAMED)
#undef EXPORT_SYMBOL_NAMED
/** @brief In an extension: LL_EXTENSION_SYMBOL_NAMED(). */
#define EXPORT_SYMBOL_NAMED(x, name) LL_EXTENSION_SYMBOL_NAMED(x, name)
#endif
#endif

#endif /* ZEPHYR_LLEXT_SYMBOL_H */
