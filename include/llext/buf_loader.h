/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief The buffer loader: an ELF object already in memory.
 *
 * @defgroup llext_buf_loader LLEXT buffer loader
 * @{
 */
#ifndef LLEXT_BUF_LOADER_H
#define LLEXT_BUF_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include <llext/loader.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief An extension loader from a provided buffer containing an ELF object.
 *
 * The buffer must stay valid and unchanged while llext_load() runs; the loaded extension does
 * not refer to it afterwards.
 */
struct llext_buf_loader {
	/** Extension loader. */
	struct llext_loader loader;
	/** Buffer holding the ELF object. */
	const uint8_t *buf;
	/** Length of the buffer in bytes. */
	size_t len;
	/** Current position. */
	size_t pos;
};

/** @brief Buffer loader's @c read. */
int llext_buf_read(struct llext_loader *ldr, void *buf, size_t len);
/** @brief Buffer loader's @c seek. */
int llext_buf_seek(struct llext_loader *ldr, size_t pos);
/** @brief Buffer loader's @c peek. */
void *llext_buf_peek(struct llext_loader *ldr, size_t pos);

/**
 * @brief Initialize an extension buffer loader.
 *
 * @param _buf Buffer containing an ELF binary
 * @param _buf_len Buffer length in bytes
 */
#define LLEXT_BUF_LOADER(_buf, _buf_len)                                                           \
	{                                                                                          \
		.loader =                                                                          \
		    {                                                                              \
			.read = llext_buf_read,                                                    \
			.seek = llext_buf_seek,                                                    \
			.peek = llext_buf_peek,                                                    \
		    },                                                                             \
		.buf = (const uint8_t *)(_buf), .len = (_buf_len), .pos = 0,                       \
	}

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_BUF_LOADER_H */
