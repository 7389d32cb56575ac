/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/fs/fs.h> on a platform without Zephyr's file system.
 *
 * Zephyr code includes this header for its file and mount types and calls, and uses them when
 * CONFIG_FILE_SYSTEM is on. Here that option stays undefined: extensions and hosts are Linux
 * programs and use the Linux file system (llext_fs_loader loads an extension from a path). So
 * that code which only includes the header, or guards its use with CONFIG_FILE_SYSTEM,
 * compiles unchanged, the header has the types and open flags, and every call fails with
 * -ENOTSUP without touching anything.
 */
#ifndef ZEPHYR_INCLUDE_FS_FS_H_
#define ZEPHYR_INCLUDE_FS_FS_H_

#include <zephyr/autoconf.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Open for reading. */
#define FS_O_READ 0x01
/** @brief Open for writing. */
#define FS_O_WRITE 0x02
/** @brief Open for reading and writing. */
#define FS_O_RDWR (FS_O_READ | FS_O_WRITE)
/** @brief Create the file if it does not exist. */
#define FS_O_CREATE 0x10
/** @brief Write at the end of the file. */
#define FS_O_APPEND 0x20
/** @brief Truncate the file when it is opened. */
#define FS_O_TRUNC 0x40

/** @brief Seek from the start of the file. */
#define FS_SEEK_SET 0
/** @brief Seek from the current position. */
#define FS_SEEK_CUR 1
/** @brief Seek from the end of the file. */
#define FS_SEEK_END 2

/** @brief Mount flag: mounted at boot by the devicetree (never, here). */
#define FS_MOUNT_FLAG_AUTOMOUNT 0x08

/** @brief An open file (never opened here). */
struct fs_file_t {
	/** The file system's own object. */
	void *filep;
	/** The mount it belongs to. */
	const struct fs_mount_t *mp;
	/** The flags it was opened with. */
	int flags;
};

/** @brief A mounted file system (never mounted here). */
struct fs_mount_t {
	/** File system type. */
	int type;
	/** Mount point, such as "/lfs". */
	const char *mnt_point;
	/** The file system's own data. */
	void *fs_data;
	/** Storage device. */
	void *storage_dev;
	/** Mount flags. */
	uint8_t flags;
};

/** @brief Make @p zfp a file object that is not open. */
static inline void fs_file_t_init(struct fs_file_t *zfp)
{
	zfp->filep = NULL;
	zfp->mp = NULL;
	zfp->flags = 0;
}

/** @brief Mount: @retval -ENOTSUP there is no Zephyr file system. */
static inline int fs_mount(struct fs_mount_t *mp)
{
	ARG_UNUSED(mp);
	return -ENOTSUP;
}

/** @brief Unmount: @retval -ENOTSUP there is no Zephyr file system. */
static inline int fs_unmount(struct fs_mount_t *mp)
{
	ARG_UNUSED(mp);
	return -ENOTSUP;
}

/** @brief Open: @retval -ENOTSUP there is no Zephyr file system. */
static inline int fs_open(struct fs_file_t *zfp, const char *file_name, int flags)
{
	ARG_UNUSED(zfp);
	ARG_UNUSED(file_name);
	ARG_UNUSED(flags);
	return -ENOTSUP;
}

/** @brief Close: @retval -ENOTSUP there is no Zephyr file system. */
static inline int fs_close(struct fs_file_t *zfp)
{
	ARG_UNUSED(zfp);
	return -ENOTSUP;
}

/** @brief Read: @retval -ENOTSUP there is no Zephyr file system. */
static inline ssize_t fs_read(struct fs_file_t *zfp, void *ptr, size_t size)
{
	ARG_UNUSED(zfp);
	ARG_UNUSED(ptr);
	ARG_UNUSED(size);
	return -ENOTSUP;
}

/** @brief Write: @retval -ENOTSUP there is no Zephyr file system. */
static inline ssize_t fs_write(struct fs_file_t *zfp, const void *ptr, size_t size)
{
	ARG_UNUSED(zfp);
	ARG_UNUSED(ptr);
	ARG_UNUSED(size);
	return -ENOTSUP;
}

/** @brief Seek: @retval -ENOTSUP there is no Zephyr file system. */
static inline int fs_seek(struct fs_file_t *zfp, off_t offset, int whence)
{
	ARG_UNUSED(zfp);
	ARG_UNUSED(offset);
	ARG_UNUSED(whence);
	return -ENOTSUP;
}

/** @brief Remove a file: @retval -ENOTSUP there is no Zephyr file system. */
static inline int fs_unlink(const char *path)
{
	ARG_UNUSED(path);
	return -ENOTSUP;
}

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_FS_FS_H_ */
