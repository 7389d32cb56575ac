// SPDX-License-Identifier: MIT
/*
 * The file loader: holds a snapshot of the file in memory between prepare and finalize, so that
 * peek can hand out pointers and the object is parsed in place.
 *
 * The file is read, never mapped: a mapped file that another process truncates raises SIGBUS
 * in the loading process, and one rewritten in place would hand the load bytes of two versions.
 * The snapshot is taken between two looks at the file's status: if anything changed meanwhile
 * (size, modification or change time, which Linux updates with fine granularity once they have
 * been looked at), the file is read again, and after a few tries the load fails.
 *
 * Unless it is switched off, the snapshot comes from the file cache (file_cache.c), which keeps
 * it for the next load of the same file and leaves a large file's code out of it (holes, which
 * read then serves from the file); otherwise the file is read whole into a heap block.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <llext/fs_loader.h>

#include "base/base.h"
#include "loaders/file_cache.h"

/* Reads of a file that keeps changing before the load gives up. */
#define TRIES 4

int llext_fs_read_range(int fd, uint8_t *buf, uint64_t from, uint64_t to)
{
	uint64_t done = 0;

	while (done < to - from) {
		ssize_t n = pread(fd, buf + done, to - from - done, (off_t)(from + done));

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return n < 0 ? -errno : -ESTALE;
		}
		done += (uint64_t)n;
	}
	return 0;
}

bool llext_fs_same_version(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int llext_fs_unchanged(int fd, const struct stat *st)
{
	struct stat now;

	if (fstat(fd, &now) != 0) {
		return -errno;
	}
	return llext_fs_same_version(st, &now) ? 0 : -ESTALE;
}

/* One attempt without the cache: the file of status @st, open at @fd, read whole into a heap
 * block; 0, or -ESTALE (it changed meanwhile) or -errno and @f holds nothing. */
static int read_whole(struct llext_fs_loader *f, int fd, const struct stat *st)
{
	int err;

	f->size = (size_t)st->st_size;
	f->map = llext_malloc(f->size ? f->size : 1);
	if (!f->map) {
		return -ENOMEM;
	}
	err = llext_fs_read_range(fd, f->map, 0, f->size);
	if (!err) {
		err = llext_fs_unchanged(fd, st);
	}
	if (err) {
		free(f->map);
		f->map = NULL;
	}
	return err;
}

/* The whole file, read while it stayed the same, through the cache if @cached; 0 or -errno,
 * logged. */
static int take_snapshot(struct llext_fs_loader *f, int fd, bool cached)
{
	struct timespec now;
	struct stat st;
	int err = -ESTALE;

	for (int i = 0; i < TRIES && err == -ESTALE; i++) {
		clock_gettime(CLOCK_REALTIME, &now);
		if (fstat(fd, &st) != 0) {
			err = -errno;
			break;
		}
		if (!S_ISREG(st.st_mode)) {
			LOG_ERR("%s: not a regular file", f->name);
			return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		}
		err = cached ? llext_file_cache_read(f, fd, &st, now) : read_whole(f, fd, &st);
	}
	if (err == -ESTALE) {
		LOG_ERR("%s: the file changed while it was read, %d times in a row; not loaded",
		        f->name, TRIES);
	} else if (err) {
		LOG_ERR("%s: cannot read the file: %s", f->name, strerror(-err));
	}
	return err;
}

/* Whether the file system of the open file @fd, or of the path when @fd < 0, is mounted noexec:
 * 1, 0, or -errno. */
static int on_noexec(const struct llext_fs_loader *f, int fd)
{
	struct statvfs vfs;

	if ((fd >= 0 ? fstatvfs(fd, &vfs) : statvfs(f->name, &vfs)) != 0) {
		return -errno;
	}
	return (vfs.f_flag & ST_NOEXEC) != 0;
}

/* The refusal of a file on a file system mounted noexec, with the errno that dlopen()'s mmap()
 * of such a file meets. */
static int refuse_noexec(const struct llext_fs_loader *f)
{
	LOG_ERR("%s: its file system is mounted noexec, so nothing in it may run; not loaded "
	        "(remount it without noexec, or allow it for this load with the load parameter "
	        "allow_noexec, llext-run --allow-noexec)",
	        f->name);
	return -EPERM;
}

/* A load refuses the open file @fd on a file system mounted noexec unless its parameters say
 * allow_noexec: 0, or -errno, logged. */
static int check_noexec(const struct llext_fs_loader *f, int fd)
{
	int noexec = llext_load_refuse_noexec ? on_noexec(f, fd) : 0;

	if (noexec < 0) {
		LOG_ERR("%s: cannot tell whether its file system is mounted noexec: %s", f->name,
		        strerror(-noexec));
		return noexec;
	}
	return noexec ? refuse_noexec(f) : 0;
}

static struct llext_fs_loader *to_fs(struct llext_loader *ldr)
{
	return (struct llext_fs_loader *)ldr;
}

LLEXT_EXPORT int llext_fs_prepare(struct llext_loader *ldr)
{
	struct llext_fs_loader *f = to_fs(ldr);
	bool cached = llext_file_cache_wanted();
	int fd = -1, err = -ESTALE;

	if (!f->name) {
		return -EINVAL;
	}
	llext_load_file = f->name;
	if (f->is_open) {
		return 0;
	}
	if (cached) {
		/* Before the cache hands out anything, through the path: it may not open the file.
		 * A path that cannot be looked at is left for open() to report. */
		err = llext_load_refuse_noexec ? on_noexec(f, -1) : 0;
		if (err > 0) {
			return refuse_noexec(f);
		}
		err = err ? -ESTALE : llext_file_cache_reuse(f, &fd);
	}
	if (err) {
		fd = open(f->name, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			LOG_ERR("%s: %s", f->name, strerror(err));
			return -err;
		}
		err = check_noexec(f, fd);
		if (!err) {
			err = take_snapshot(f, fd, cached);
		}
	}
	/* A cached snapshot with holes reads them from the file later. */
	if (fd >= 0 && (err || !cached || !llext_file_cache_keep_fd(f, fd))) {
		close(fd);
	}
	if (err) {
		return err;
	}
	f->pos = 0;
	f->mapped = cached;
	f->is_open = true;
	llext_load_file = f->name;
	return 0;
}

LLEXT_EXPORT int llext_fs_read(struct llext_loader *ldr, void *buf, size_t len)
{
	struct llext_fs_loader *f = to_fs(ldr);

	if (!f->is_open || len > f->size - f->pos) {
		return -EINVAL;
	}
	if (f->mapped && llext_file_cache_in_hole(f, f->pos, len)) {
		int err = llext_file_cache_read_hole(f, buf, f->pos, len);

		if (err) {
			return err;
		}
	} else {
		memcpy(buf, (const char *)f->map + f->pos, len);
	}
	f->pos += len;
	return 0;
}

LLEXT_EXPORT int llext_fs_seek(struct llext_loader *ldr, size_t pos)
{
	struct llext_fs_loader *f = to_fs(ldr);

	if (!f->is_open || pos > f->size) {
		return -EINVAL;
	}
	f->pos = pos;
	return 0;
}

LLEXT_EXPORT void *llext_fs_peek(struct llext_loader *ldr, size_t pos)
{
	struct llext_fs_loader *f = to_fs(ldr);

	if (!f->is_open || pos >= f->size || (f->mapped && llext_file_cache_in_hole(f, pos, 0))) {
		return NULL;
	}
	return (char *)f->map + pos;
}

LLEXT_EXPORT void llext_fs_finalize(struct llext_loader *ldr)
{
	struct llext_fs_loader *f = to_fs(ldr);

	if (!f->is_open) {
		return;
	}
	if (f->mapped) {
		llext_file_cache_release(f);
	} else {
		free(f->map);
	}
	f->map = NULL;
	f->mapped = false;
	f->size = 0;
	f->pos = 0;
	f->is_open = false;
}
