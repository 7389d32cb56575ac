/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's toolchain abstraction, for extensions built for Linux with GCC or Clang.
 *
 * Attribute shorthands (__used, __weak, __aligned() ...), BUILD_ASSERT(), STRINGIFY() and
 * Z_GENERIC_SECTION(), with Zephyr's names and meaning.
 *
 * Z_GENERIC_SECTION() stringizes its argument as Zephyr's does, so both spellings Zephyr code
 * uses compile: Z_GENERIC_SECTION(.my_rodata) and Z_GENERIC_SECTION(".init_array"). The quoted
 * one yields a name that carries its quotes (the string "\".init_array\""): GCC writes it into
 * its assembly, where the assembler reads the quotes as quoting and names the section
 * .init_array; Clang's integrated assembler keeps them, and the section is named ".init_array"
 * with the quotes. No preprocessor can tell a string literal from a name, so the header cannot
 * undo this: libllext's loader treats a section name in double quotes as the name between them
 * when it looks for .preinit_array, .init_array and .fini_array (see docs/zephyr-extensions.md).
 * Prefer the unquoted spelling in new code; it gives the same name with every compiler.
 */
#ifndef ZEPHYR_INCLUDE_TOOLCHAIN_H_
#define ZEPHYR_INCLUDE_TOOLCHAIN_H_

#include <zephyr/autoconf.h>

#include <stdbool.h>
#include <stddef.h>

/** @brief Make a string of @p x as written. */
#define Z_STRINGIFY(x) #x
/** @brief Make a string of @p s after macro expansion. */
#define STRINGIFY(s) Z_STRINGIFY(s)

/** @cond INTERNAL */
#define _DO_CONCAT(x, y) x##y
/** @endcond */
/** @brief Paste two tokens after macro expansion. */
#define _CONCAT(x, y) _DO_CONCAT(x, y)

/** @brief Place a variable or function in the section named by @p segment (see above). */
#define __GENERIC_SECTION(segment) __attribute__((section(STRINGIFY(segment))))
/** @brief Place a variable or function in the section named by @p segment (see above). */
#define Z_GENERIC_SECTION(segment) __GENERIC_SECTION(segment)
/** @brief Place in the section named "." followed by @p segment. */
#define __GENERIC_DOT_SECTION(segment) __attribute__((section("." STRINGIFY(segment))))
/** @brief Place in the section named "." followed by @p segment. */
#define Z_GENERIC_DOT_SECTION(segment) __GENERIC_DOT_SECTION(segment)

#ifndef __used
#define __used __attribute__((__used__))
#endif
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#ifndef __maybe_unused
#define __maybe_unused __attribute__((__unused__))
#endif
#ifndef __weak
#define __weak __attribute__((__weak__))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((__aligned__(x)))
#endif
#ifndef __packed
#define __packed __attribute__((__packed__))
#endif
#ifndef __deprecated
#define __deprecated __attribute__((__deprecated__))
#endif
#ifndef __printf_like
#define __printf_like(f, a) __attribute__((__format__(__printf__, f, a)))
#endif
#ifndef __noinline
#define __noinline __attribute__((__noinline__))
#endif
#ifndef __fallthrough
#define __fallthrough __attribute__((__fallthrough__))
#endif
#ifndef ALWAYS_INLINE
#define ALWAYS_INLINE inline __attribute__((__always_inline__))
#endif
#ifndef FUNC_NORETURN
#define FUNC_NORETURN __attribute__((__noreturn__))
#endif
#ifndef CODE_UNREACHABLE
#define CODE_UNREACHABLE __builtin_unreachable()
#endif
#ifndef likely
#define likely(x) (__builtin_expect((bool)!!(x), true) != 0L)
#endif
#ifndef unlikely
#define unlikely(x) (__builtin_expect((bool)!!(x), false) != 0L)
#endif

/**
 * @brief Code that Zephyr places in RAM; everything runs from RAM on Linux, so nothing.
 */
#define __ramfunc
/**
 * @brief Data left uninitialised across a reset on a board; on Linux it is ordinary
 * zero-initialised data.
 */
#define __noinit

/**
 * @brief Marks a system call declaration: `__syscall int my_call(int a);`.
 *
 * As in Zephyr, the declaration is static inline, and the header that holds it ends with
 * `#include <zephyr/syscalls/NAME.h>`, which defines the function: a wrapper that calls the
 * implementation, `z_impl_my_call()`. Zephyr's build generates those headers; here
 * llext-zephyr-syscalls does (docs/zephyr-extensions.md, "System calls"). There is no user
 * mode, so the wrapper is the direct call Zephyr makes from kernel mode. Under ZTEST_UNITTEST,
 * Zephyr's unit-test build, __syscall is empty and the call is an ordinary function.
 */
#ifdef ZTEST_UNITTEST
#define __syscall
#define __syscall_always_inline
#else
#define __syscall static inline
/** @brief As __syscall, for calls whose wrapper must always be inlined. */
#define __syscall_always_inline static inline __attribute__((__always_inline__))
#endif

/** @brief Keeps the compiler from moving memory accesses across this point. */
#define compiler_barrier()                                                                         \
	do {                                                                                       \
		__asm__ __volatile__("" ::: "memory");                                             \
	} while (false)

/** @brief Mark an argument as deliberately unused. */
#define ARG_UNUSED(x) (void)(x)

/**
 * @brief Compile-time assertion, at file or block scope: BUILD_ASSERT(expr) or
 * BUILD_ASSERT(expr, "message").
 */
#ifdef __cplusplus
#define BUILD_ASSERT(EXPR, ...) static_assert((EXPR), "" __VA_ARGS__)
#else
#define BUILD_ASSERT(EXPR, ...) _Static_assert((EXPR), "" __VA_ARGS__)
#endif

#endif /* ZEPHYR_INCLUDE_TOOLCHAIN_H_ */
