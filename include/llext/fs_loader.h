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
 * initialised loader can be used for several loads. @c prepare reads the file into memory, which
 * lets @c peek hand out pointers into it, and checks that the file did not change while it was
 * read (its size, modification and change times): a file that another process rewrites or
 * truncates meanwhile is read again, and after a few tries the load fails with @c -ESTALE.
 *
 * A load refuses a file on a file system mounted @c noexec, as dlopen() does: @c prepare fails
 * with @c -EPERM and logs which option forbids it, before anything is read, mapped or
 * registered. The load parameter @c allow_noexec lets that load go on. Whether a file may run is
 * asked afresh at every load, of the open file, or of its path when the cache (below) serves it
 * without opening it. llext_find_section(), which runs nothing, reads such a file.
 *
 * The bytes stay in memory after @c finalize. The next @c prepare of the same file, unchanged
 * since (same device, inode, size, modification and change times), uses them without reading
 * the file, and through the same path without opening it unless its code is read from it
 * later (below): one @c stat(). Permissions are then those the file had when it was read; a
 * change of them changes its change time, and the file is read again. Only a file on a local
 * file system (ext4, XFS, Btrfs, tmpfs, ...), unchanged for two seconds before it was read,
 * qualifies: a rewrite within one tick of the file system's clock could keep its times.
 *
 * In a file of 256 KiB or more, executable sections of 64 KiB or more are left out: @c peek
 * refuses them, and @c read reads them from the file, which stays open until @c finalize, then
 * checks the file's status again (@c -ESTALE if it changed since @c prepare). A load reads them
 * that way straight into the extension's memory, so that the bulk of a large object is copied
 * once. The load never sees bytes of two versions of the file, and never faults on a file that
 * shrank.
 *
 * All of the above but the first paragraph is the loader's cache. With the load parameter
 * @c no_file_cache, or LLEXT_FILE_CACHE=0 in the environment, @c prepare reads the whole file
 * into a heap block of its own instead (@c mapped is then false), @c peek answers everywhere, and
 * @c finalize frees the block.
 */
struct llext_fs_loader {
	/** Extension loader. */
	struct llext_loader loader;
	/** Path of the file. */
	const char *name;
	/** True between @c prepare and @c finalize. */
	bool is_open;
	/** The file's contents while open, but for the sections left out (see above). */
	void *map;
	/** True while open with the cache: @c map is then its mapping, kept from one load to the
	 * next. */
	bool mapped;
	/** Size of the file while open. */
	size_t size;
	/** Current position. */
	size_t pos;
};

/** @brief File loader's @c prepare: reads the whole file into memory. */
int llext_fs_prepare(struct llext_loader *ldr);
/** @brief File loader's @c read. */
int llext_fs_read(struct llext_loader *ldr, void *buf, size_t len);
/** @brief File loader's @c seek. */
int llext_fs_seek(struct llext_loader *ldr, size_t pos);
/** @brief File loader's @c peek. */
void *llext_fs_peek(struct llext_loader *ldr, size_t pos);
/** @brief File loader's @c finalize: frees the file's contents. */
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
