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

#include <zephyr/autoconf.h>

#include <llext/symbol.h>
#include <zephyr/toolchain.h>

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

/**
 * @brief Export the implementation of system call @p x: EXPORT_SYMBOL(z_impl_x).
 *
 * As in Zephyr, the symbol keeps its name, z_impl_x: the wrapper that
 * llext-zephyr-syscalls writes into <zephyr/syscalls/NAME.h> calls z_impl_x(), so that is the
 * name extensions link against. The C file llext-zephyr-syscalls writes exports every declared
 * call this way (weakly); a host that does not compile it exports its calls with this macro.
 *
 * @param x System call name, without the z_impl_ prefix.
 */
#define EXPORT_SYSCALL(x) EXPORT_SYMBOL(z_impl_##x)

#endif /* ZEPHYR_LLEXT_SYMBOL_H */
