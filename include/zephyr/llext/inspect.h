/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/inspect.h>: libllext's <llext/inspect.h>.
 *
 * Region and section inspection.
 */
#ifndef ZEPHYR_LLEXT_INSPECT_H
#define ZEPHYR_LLEXT_INSPECT_H

#include <zephyr/autoconf.h>

#include <llext/inspect.h>

#endif /* ZEPHYR_LLEXT_INSPECT_H */
