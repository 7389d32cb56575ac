/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/fs_loader.h>: libllext's <llext/fs_loader.h>.
 *
 * The file loader, LLEXT_FS_LOADER(path).
 */
#ifndef ZEPHYR_LLEXT_FS_LOADER_H
#define ZEPHYR_LLEXT_FS_LOADER_H

#include <zephyr/autoconf.h>

#include <llext/fs_loader.h>

#endif /* ZEPHYR_LLEXT_FS_LOADER_H */
