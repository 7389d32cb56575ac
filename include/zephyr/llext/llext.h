/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/llext.h>: libllext's <llext/llext.h>.
 *
 * The extension API: load, find symbols, call, unload. Zephyr's <zephyr/llext/llext.h> brings
 * in <zephyr/kernel.h> (and so <zephyr/sys/util.h>), and so does this one.
 */
#ifndef ZEPHYR_LLEXT_LLEXT_H
#define ZEPHYR_LLEXT_LLEXT_H

#include <llext/llext.h>
#include <zephyr/kernel.h>
#include <zephyr/llext/elf.h>
#include <zephyr/llext/symbol.h>

#endif /* ZEPHYR_LLEXT_LLEXT_H */
