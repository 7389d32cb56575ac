// SPDX-License-Identifier: MIT
/*
 * The file loader: holds a snapshot of the whole file in memory between prepare and finalize,
 * so that peek can hand out pointers and the object is parsed in place.
 *
 * The file is read, never mapped: a mapped file that another process truncates raises SIGBUS
 * in the loading process, and one rewritten in place would hand the load bytes of two versions.
 * The snapshot is taken between two looks at the file's status: if anything changed meanwhile
 * (size, modification or change time, which Linux updates with fine granularity once they have
 * been looked at), the file is read again, and after a few tries the load fails. A large file
 * goes into memory backed by transparent huge pages, which one fault fills, rather than into
 * hundreds of small pages each faulted in on its own; that memory is then kept for the next large
 * file, so that loads in a row pay the fault once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llext/fs_loader.h>

#include "llext_priv.h"

/* From this size on, the snapshot lives in a mapping of its own, with huge pages. */
#define MAP_THRESHOLD ((size_t)256 << 10)
/* Reads of a file that keeps changing before the load gives up. */
#define TRIES 4

/* The last large snapshot's memory, kept for the next one (kept.c). */
static struct llext_kept spare = LLEXT_KEPT_INIT;

/* Memory for a snapshot of @size bytes; *@mapped says how release() frees it. */
static void *grab(size_t size, bool *mapped)
{
	*mapped = size >= MAP_THRESHOLD;
	if (!*mapped) {
		return llext_malloc(size ? size : 1);
	}
	/* Aligned to a huge page, so that the kernel can back it with them. */
	return llext_kept_take(&spare, size, LLEXT_HUGE_PAGE);
}

static void release(void *p, size_t size, bool mapped)
{
	if (mapped) {
		llext_kept_give(&spare, p, size, LLEXT_HUGE_PAGE);
	} else {
		free(p);
	}
}

__attribute__((destructor)) static void spare_fini(void)
{
	llext_kept_free(&spare);
}

/* Reads @size bytes from @fd into @buf; -ESTALE if the file ends sooner (it shrank). */
static int read_all(int fd, uint8_t *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = pread(fd, buf + done, size - done, (off_t)done);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return n < 0 ? -errno : -ESTALE;
		}
		done += (size_t)n;
	}
	return 0;
}

static bool same_state(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* One attempt: the file as it is, if it did not change while it was read (else -ESTALE). */
static int try_snapshot(struct llext_fs_loader *f, int fd, const struct stat *before)
{
	struct stat after;
	int err;

	f->size = (size_t)before->st_size;
	f->map = grab(f->size, &f->mapped);
	if (!f->map) {
		return -ENOMEM;
	}
	err = read_all(fd, f->map, f->size);
	if (!err && fstat(fd, &after) != 0) {
		err = -errno;
	}
	if (!err && !same_state(before, &after)) {
		err = -ESTALE;
	}
	if (err) {
		release(f->map, f->size, f->mapped);
		f->map = NULL;
	}
	return err;
}

/* The whole file, read while it stayed the same; 0 or -errno, logged. */
static int snapshot(struct llext_fs_loader *f, int fd)
{
	struct stat st;
	int err = -ESTALE;

	for (int i = 0; i < TRIES && err == -ESTALE; i++) {
		if (fstat(fd, &st) != 0) {
			err = -errno;
			break;
		}
		if (!S_ISREG(st.st_mode)) {
			LOG_ERR("%s: not a regular file", f->name);
			return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		}
		err = try_snapshot(f, fd, &st);
	}
	if (err == -ESTALE) {
		LOG_ERR("%s: the file changed while it was read, %d times in a row; not loaded",
		        f->name, TRIES);
	} else if (err) {
		LOG_ERR("%s: cannot read the file: %s", f->name, strerror(-err));
	}
	return err;
}

static struct llext_fs_loader *to_fs(struct llext_loader *ldr)
{
	return (struct llext_fs_loader *)ldr;
}

LLEXT_EXPORT int llext_fs_prepare(struct llext_loader *ldr)
{
	struct llext_fs_loader *f = to_fs(ldr);
	int fd, err;

	if (f->is_open) {
		return 0;
	}
	if (!f->name) {
		return -EINVAL;
	}
	fd = open(f->name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		LOG_ERR("%s: %s", f->name, strerror(err));
		return -err;
	}
	err = snapshot(f, fd);
	close(fd);
	if (err) {
		return err;
	}
	f->pos = 0;
	f->is_open = true;
	return 0;
}

LLEXT_EXPORT int llext_fs_read(struct llext_loader *ldr, void *buf, size_t len)
{
	struct llext_fs_loader *f = to_fs(ldr);

	if (!f->is_open || len > f->size - f->pos) {
		return -EINVAL;
	}
	memcpy(buf, (const char *)f->map + f->pos, len);
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

	if (!f->is_open || pos >= f->size) {
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
	if (f->map) {
		release(f->map, f->size, f->mapped);
	}
	f->map = NULL;
	f->size = 0;
	f->pos = 0;
	f->is_open = false;
}
