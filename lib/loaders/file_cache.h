/* SPDX-License-Identifier: MIT */
/*
 * The file loader's reuse of a file's bytes from one load of it to the next (file_cache.c), and
 * the file loader's helpers that it shares (fs_loader.c).
 *
 * A load that uses the cache holds its snapshot in a mapping the cache owns (f->mapped is true);
 * without it, the file loader reads the file into a heap block of its own.
 */
#ifndef LLEXT_LOADERS_FILE_CACHE_H
#define LLEXT_LOADERS_FILE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include <llext/fs_loader.h>

/* How long a file must have stayed unchanged before it was read for the file loader to use its
 * bytes again on the next load of the same file; tests change it. */
#define LLEXT_FS_SETTLE_DEFAULT ((int64_t)2 * 1000000000)
extern int64_t llext_fs_settle_ns;

/* ---- file_cache.c ---- */

/* Whether this prepare may use the cache: not if the environment says LLEXT_FILE_CACHE=0 (read
 * once), nor if the load on this thread asked for no_file_cache. */
bool llext_file_cache_wanted(void);

/*
 * The bytes of the file at @f's path as the cache holds them, if it read them through that path
 * and the file there is that version still. 0: @f holds them, and *@fd is the file if the
 * snapshot still reads code from it, else -1. -ESTALE: not held, nothing to undo.
 */
int llext_file_cache_reuse(struct llext_fs_loader *f, int *fd);

/*
 * One attempt at the snapshot of the file open at @fd, of status @st taken after @now: the
 * cache's bytes if they are this version, else the file read into the cache's mapping but for
 * its holes. 0, or -ESTALE (the file changed meanwhile) or -errno, and @f holds nothing.
 */
int llext_file_cache_read(struct llext_fs_loader *f, int fd, const struct stat *st,
                          struct timespec now);

/* After a successful read or reuse, with the file open at @fd: whether the snapshot keeps @fd
 * to read its holes from later (then the cache closes it at release). */
bool llext_file_cache_keep_fd(struct llext_fs_loader *f, int fd);

/* Whether bytes [@pos, @pos + @len) (byte @pos if @len is 0) of @f's snapshot are a hole. */
bool llext_file_cache_in_hole(const struct llext_fs_loader *f, size_t pos, size_t len);

/* Bytes [@pos, @pos + @len) of a hole, read from the file, which must not have changed since
 * the snapshot; 0, -ESTALE or -errno, logged. */
int llext_file_cache_read_hole(struct llext_fs_loader *f, void *buf, size_t pos, size_t len);

/* Gives @f's snapshot back to the cache, for the next load of the same file. */
void llext_file_cache_release(struct llext_fs_loader *f);

/* ---- fs_loader.c: what the cache uses of the file loader ---- */

/* Reads bytes [@from, @to) of @fd into @buf; -ESTALE if the file ends sooner (it shrank). */
int llext_fs_read_range(int fd, uint8_t *buf, uint64_t from, uint64_t to);
/* Whether @a and @b are the status of one version of one file: same device and inode, size,
 * modification and change times. */
bool llext_fs_same_version(const struct stat *a, const struct stat *b);
/* 0 if @fd's file is the version of status @st, -ESTALE if not, -errno if it cannot be looked
 * at. */
int llext_fs_unchanged(int fd, const struct stat *st);

#endif /* LLEXT_LOADERS_FILE_CACHE_H */
