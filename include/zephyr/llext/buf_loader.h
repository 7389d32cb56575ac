/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/buf_loader.h>: libllext's <llext/buf_loader.h>.
 *
 * The buffer loader, LLEXT_BUF_LOADER(buf, len).
 *
 * Zephyr's storage variants name how long the buffer lives. libllext copies what it keeps
 * whichever is used, so all of them mean LLEXT_BUF_LOADER() here.
 */
#ifndef ZEPHYR_LLEXT_BUF_LOADER_H
#define ZEPHYR_LLEXT_BUF_LOADER_H

#include <zephyr/autoconf.h>

#include <llext/buf_loader.h>

#ifndef LLEXT_TEMPORARY_BUF_LOADER
/** @brief A buffer that lives only during llext_load(): LLEXT_BUF_LOADER(). */
#define LLEXT_TEMPORARY_BUF_LOADER(_buf, _buf_len) LLEXT_BUF_LOADER(_buf, _buf_len)
#endif
#ifndef LLEXT_PERSISTENT_BUF_LOADER
/** @brief A read-only buffer that outlives the extension: LLEXT_BUF_LOADER(). */
#define LLEXT_PERSISTENT_BUF_LOADER(_buf, _buf_len) LLEXT_BUF_LOADER(_buf, _buf_len)
#endif
#ifndef LLEXT_WRITABLE_BUF_LOADER
/** @brief A writable buffer that outlives the extension: LLEXT_BUF_LOADER(). */
#define LLEXT_WRITABLE_BUF_LOADER(_buf, _buf_len) LLEXT_BUF_LOADER(_buf, _buf_len)
#endif

#endif /* ZEPHYR_LLEXT_BUF_LOADER_H */
