/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/loader.h>: libllext's <llext/loader.h>.
 *
 * The loader interface.
 */
#ifndef ZEPHYR_LLEXT_LOADER_H
#define ZEPHYR_LLEXT_LOADER_H

#include <zephyr/autoconf.h>

#include <llext/loader.h>

#endif /* ZEPHYR_LLEXT_LOADER_H */
