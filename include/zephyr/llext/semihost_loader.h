/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/semihost_loader.h>: no semihosting loader on Linux.
 *
 * Zephyr's semihosting loader reads an extension from the debug host's files through a
 * debugger's semihosting calls. A Linux process reads its files directly, so libllext has no
 * such loader: struct llext_semihost_loader and LLEXT_SEMIHOST_LOADER() are not defined, and
 * code written for them uses llext_fs_loader (<zephyr/llext/fs_loader.h>), which loads the same
 * file by path. The header exists so that code which includes it under a guard of its own, as
 * Zephyr's test suite does, compiles.
 */
#ifndef ZEPHYR_LLEXT_SEMIHOST_LOADER_H
#define ZEPHYR_LLEXT_SEMIHOST_LOADER_H

#include <zephyr/autoconf.h>

#include <zephyr/llext/loader.h>

#endif /* ZEPHYR_LLEXT_SEMIHOST_LOADER_H */
