/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief The loader interface: how libllext reads an ELF object.
 *
 * @defgroup llext_loader Loader context for llext
 * @{
 */
#ifndef LLEXT_LOADER_H
#define LLEXT_LOADER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Linkable loadable extension loader context.
 *
 * A loader is a small vtable over some storage holding an ELF object. @c read and @c seek are
 * required. @c peek is optional: when it returns a pointer for position 0, the loader promises
 * that the whole object is contiguous in memory from there, and libllext parses it in place
 * instead of copying it. @c prepare and @c finalize are optional and bracket each use of the
 * loader (llext_load(), llext_find_section()).
 *
 * Seeking to a position past the end of the object, or reading past it, must fail.
 */
struct llext_loader {
	/**
	 * @brief Get the loader ready (open a file, for example). Optional.
	 *
	 * A failure is returned as is by llext_load(); the loader should say what failed
	 * through its own means (the file loader logs the path and the reason).
	 *
	 * @param ldr Loader
	 * @retval 0 Success
	 * @retval -errno Error
	 */
	int (*prepare)(struct llext_loader *ldr);

	/**
	 * @brief Read (copy) from the loader.
	 *
	 * Copies @p len bytes into @p out from the current position of the loader, and advances
	 * the position by @p len.
	 *
	 * @param ldr Loader
	 * @param out Output location
	 * @param len Length to copy into the output location
	 * @retval 0 Success
	 * @retval -errno Error reading (any errno), including a read past the end
	 */
	int (*read)(struct llext_loader *ldr, void *out, size_t len);

	/**
	 * @brief Seek to a new absolute location.
	 * @param ldr Loader
	 * @param pos Position in stream to move loader
	 * @retval 0 Success
	 * @retval -errno Error (any errno), including a position past the end
	 */
	int (*seek)(struct llext_loader *ldr, size_t pos);

	/**
	 * @brief Peek at an absolute location. Optional.
	 *
	 * When @c peek answers for position 0, libllext parses the object in place through
	 * that pointer. Any loader may still refuse positions inside allocated executable
	 * sections (SHF_ALLOC and SHF_EXECINSTR), whole sections at a time and for any reason:
	 * libllext reads nothing of those through the pointer, and copies them into the extension
	 * with @c seek and @c read, so a loader that keeps code out of its memory serves it
	 * through @c read only (the file loader's cache does this for the code of large files).
	 *
	 * @param ldr Loader
	 * @param pos Position to obtain a pointer to
	 * @return Pointer into the loader's storage, or NULL if it cannot be peeked at
	 */
	void *(*peek)(struct llext_loader *ldr, size_t pos);

	/**
	 * @brief Release what @c prepare acquired. Optional.
	 * @param ldr Loader
	 */
	void (*finalize)(struct llext_loader *ldr);

	/** Size of the data region of the last extension loaded with this loader. */
	size_t prog_data_size;
};

/**
 * @brief Read @p len bytes from the loader's current position.
 * @retval 0 Success
 * @retval -errno Error
 */
static inline int llext_read(struct llext_loader *l, void *buf, size_t len)
{
	return l->read(l, buf, len);
}

/**
 * @brief Move the loader to absolute position @p pos.
 * @retval 0 Success
 * @retval -errno Error
 */
static inline int llext_seek(struct llext_loader *l, size_t pos)
{
	return l->seek(l, pos);
}

/**
 * @brief Get a pointer to the loader's storage at @p pos.
 * @return The pointer, or NULL if the loader cannot peek.
 */
static inline void *llext_peek(struct llext_loader *l, size_t pos)
{
	if (l->peek) {
		return l->peek(l, pos);
	}
	return NULL;
}

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_LOADER_H */
