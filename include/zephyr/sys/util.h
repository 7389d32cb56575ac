/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's utility macros: bits, array sizes, alignment, minimum and maximum, and
 * container_of, with Zephyr's names and meaning.
 */
#ifndef ZEPHYR_INCLUDE_SYS_UTIL_H_
#define ZEPHYR_INCLUDE_SYS_UTIL_H_

#include <zephyr/autoconf.h>

#include <stddef.h>
#include <stdint.h>

#include <zephyr/toolchain.h>

/** @brief Unsigned long with only bit @p n set. */
#define BIT(n) (1UL << (n))
/** @brief 64-bit value with only bit @p n set. */
#define BIT64(n) (1ULL << (n))
/** @brief Mask of bits @p l to @p h, both included. */
#define GENMASK(h, l) (((~0UL) - (1UL << (l)) + 1) & (~0UL >> (sizeof(unsigned long) * 8 - 1 - (h))))
/** @brief Set or clear bit @p bit of @p var. */
#define WRITE_BIT(var, bit, set) ((var) = (set) ? ((var) | BIT(bit)) : ((var) & ~BIT(bit)))

/** @brief Number of elements of the array @p array (not a pointer). */
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))

/** @brief True if @p ptr is a multiple of @p align. */
#define IS_ALIGNED(ptr, align) (((uintptr_t)(ptr)) % (align) == 0)
/** @brief @p x rounded up to a multiple of @p align. */
#define ROUND_UP(x, align) ((((unsigned long)(x) + ((unsigned long)(align) - 1)) / \
			     (unsigned long)(align)) * (unsigned long)(align))
/** @brief @p x rounded down to a multiple of @p align. */
#define ROUND_DOWN(x, align) (((unsigned long)(x) / (unsigned long)(align)) * (unsigned long)(align))
/** @brief @p n divided by @p d, rounded up. */
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
/** @brief True if @p x is a power of two (and not zero). */
#define IS_POWER_OF_TWO(x) (((x) != 0U) && (((x) & ((x) - 1U)) == 0U))

#ifndef MIN
/** @brief The smaller of @p a and @p b (each evaluated twice). */
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef MAX
/** @brief The larger of @p a and @p b (each evaluated twice). */
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#endif
/** @brief @p val limited to [@p low, @p high]. */
#define CLAMP(val, low, high) (((val) <= (low)) ? (low) : MIN(val, high))
/** @brief True if @p val is in [@p min, @p max]. */
#define IN_RANGE(val, min, max) ((val) >= (min) && (val) <= (max))

/** @brief The structure of type @p type whose member @p field is at @p ptr. */
#define CONTAINER_OF(ptr, type, field) ((type *)(((char *)(ptr)) - offsetof(type, field)))

/** @brief Pointer to unsigned integer, and back; and the same for signed integers. */
#define POINTER_TO_UINT(x) ((uintptr_t)(x))
/** @brief See POINTER_TO_UINT(). */
#define UINT_TO_POINTER(x) ((void *)(uintptr_t)(x))
/** @brief See POINTER_TO_UINT(). */
#define POINTER_TO_INT(x) ((intptr_t)(x))
/** @brief See POINTER_TO_UINT(). */
#define INT_TO_POINTER(x) ((void *)(intptr_t)(x))

/** @brief @p x kibibytes, mebibytes, gibibytes. */
#define KB(x) (((size_t)(x)) << 10)
/** @brief See KB(). */
#define MB(x) (KB(x) << 10)
/** @brief See KB(). */
#define GB(x) (MB(x) << 10)

/** @cond INTERNAL */
/*
 * IS_ENABLED() and COND_CODE_1(): a macro defined as 1 turns Z_SEL_1_##v into "x," which adds
 * an argument and shifts the one Z_SEL_TAKE_2 picks. Anything else (undefined, 0) adds none.
 */
#define Z_SEL_1_1 x,
#define Z_SEL_TAKE_2(a, b, ...) b
#define Z_SEL_1(v) Z_SEL_1_(Z_SEL_1_##v)
#define Z_SEL_1_(maybe) Z_SEL_TAKE_2(maybe 1, 0, ~)
#define Z_SEL_0_0 x,
#define Z_SEL_0(v) Z_SEL_0_(Z_SEL_0_##v)
#define Z_SEL_0_(maybe) Z_SEL_TAKE_2(maybe 1, 0, ~)
#define Z_UNPAREN(...) __VA_ARGS__
#define Z_COND_PICK(c, if_true, if_false) _CONCAT(Z_COND_PICK_, c)(if_true, if_false)
#define Z_COND_PICK_1(t, f) Z_UNPAREN t
#define Z_COND_PICK_0(t, f) Z_UNPAREN f
/** @endcond */

/** @brief 1 if @p config_macro is defined as 1, else 0; usable in #if and in C code. */
#define IS_ENABLED(config_macro) Z_SEL_1(config_macro)
/** @brief The parenthesised code @p _if_1_code if @p _flag is 1, else @p _else_code. */
#define COND_CODE_1(_flag, _if_1_code, _else_code)                                                \
	Z_COND_PICK(Z_SEL_1(_flag), _if_1_code, _else_code)
/** @brief The parenthesised code @p _if_0_code if @p _flag is 0, else @p _else_code. */
#define COND_CODE_0(_flag, _if_0_code, _else_code)                                                \
	Z_COND_PICK(Z_SEL_0(_flag), _if_0_code, _else_code)
/** @brief The parenthesised code @p _code if @p _flag is 1, else nothing. */
#define IF_ENABLED(_flag, _code) COND_CODE_1(_flag, _code, ())

/** @brief Paste two tokens after macro expansion. */
#define UTIL_CAT(a, ...) Z_UTIL_PRIMITIVE_CAT(a, __VA_ARGS__)
/** @cond INTERNAL */
#define Z_UTIL_PRIMITIVE_CAT(a, ...) a##__VA_ARGS__
/** @endcond */

#endif /* ZEPHYR_INCLUDE_SYS_UTIL_H_ */
