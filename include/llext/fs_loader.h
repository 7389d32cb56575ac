/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief The file loader: an ELF object in a file.
 *
 * @defgroup llext_fs_loader LLEXT file loader
 * @{
 */
#ifndef LLEXT_FS_LOADER_H
#define LLEXT_FS_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include <llext/loader.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief An extension loader from a file.
 *
 * The file is opened by the loader's @c prepare and closed by its @c finalize, so one
 * initialised loader can be used for several loads. While open, the whole file is in memory,
 * which lets @c peek hand out pointers into it: a small file is read into a buffer (two system
 * calls), a large one is mapped read-only (no copy).
 *
 * A mapped file must not change while it is loaded: bytes checked early could differ when used,
 * and a file truncated meanwhile raises SIGBUS. Load from a directory only trusted users can
 * write, or through the buffer loader from a copy (a sealed memfd, say). Whoever can rewrite an
 * extension's file can replace its code anyway.
 */
struct llext_fs_loader {
	/** Extension loader. */
	struct llext_loader loader;
	/** Path of the file. */
	const char *name;
	/** True between @c prepare and @c finalize. */
	bool is_open;
	/** The file's contents while open: a buffer or a read-only mapping. */
	void *map;
	/** True if @c map is a mapping rather than a buffer. */
	bool mapped;
	/** Size of the file while open. */
	size_t size;
	/** Current position. */
	size_t pos;
};

/** @brief File loader's @c prepare: opens and maps the file. */
int llext_fs_prepare(struct llext_loader *ldr);
/** @brief File loader's @c read. */
int llext_fs_read(struct llext_loader *ldr, void *buf, size_t len);
/** @brief File loader's @c seek. */
int llext_fs_seek(struct llext_loader *ldr, size_t pos);
/** @brief File loader's @c peek. */
void *llext_fs_peek(struct llext_loader *ldr, size_t pos);
/** @brief File loader's @c finalize: unmaps and closes the file. */
void llext_fs_finalize(struct llext_loader *ldr);

/**
 * @brief Initialize an extension file loader.
 *
 * @param _filename Path of the ELF object; the string must outlive the loader.
 */
#define LLEXT_FS_LOADER(_filename)                                                                 \
	{                                                                                          \
		.loader =                                                                          \
		    {                                                                              \
			.prepare = llext_fs_prepare,                                               \
			.read = llext_fs_read,                                                     \
			.seek = llext_fs_seek,                                                     \
			.peek = llext_fs_peek,                                                     \
			.finalize = llext_fs_finalize,                                             \
		    },                                                                             \
		.name = (_filename),                                                               \
	}

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_FS_LOADER_H */
