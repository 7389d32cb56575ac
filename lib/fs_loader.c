// SPDX-License-Identifier: MIT
/*
 * The file loader: holds the whole file in memory between prepare and finalize, so that peek can
 * hand out pointers and the object is parsed in place. Below MAP_THRESHOLD the file is read into
 * a buffer, which costs less than mapping it (mmap, its page faults and munmap); above, the
 * page cache is mapped read-only, which costs less than copying it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llext/fs_loader.h>

#include "llext_priv.h"

#define MAP_THRESHOLD ((size_t)256 << 10)

/* Reads the whole file at @fd into a new buffer; 0 or -errno. */
static int read_whole(int fd, size_t size, void **out)
{
	uint8_t *buf = llext_malloc(size);
	size_t done = 0;

	if (!buf) {
		return -ENOMEM;
	}
	while (done < size) {
		ssize_t n = pread(fd, buf + done, size - done, (off_t)done);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			int err = n < 0 ? errno : EIO; /* the file shrank under us */

			free(buf);
			return -err;
		}
		done += (size_t)n;
	}
	*out = buf;
	return 0;
}

static struct llext_fs_loader *to_fs(struct llext_loader *ldr)
{
	return (struct llext_fs_loader *)ldr;
}

LLEXT_EXPORT int llext_fs_prepare(struct llext_loader *ldr)
{
	struct llext_fs_loader *f = to_fs(ldr);
	struct stat st;
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
	if (fstat(fd, &st) != 0) {
		err = errno;
		close(fd);
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		LOG_ERR("%s: not a regular file", f->name);
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	f->size = (size_t)st.st_size;
	f->map = NULL;
	f->mapped = f->size > MAP_THRESHOLD;
	if (f->mapped) {
		f->map = llext_mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (f->map == MAP_FAILED) {
			err = errno;
			f->map = NULL;
			close(fd);
			LOG_ERR("%s: cannot map the file: %s", f->name, strerror(err));
			return -err;
		}
	} else if (f->size) {
		err = read_whole(fd, f->size, &f->map);
		if (err) {
			close(fd);
			LOG_ERR("%s: cannot read the file: %s", f->name, strerror(-err));
			return err;
		}
	}
	/* The contents stay valid without the descriptor. */
	close(fd);
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
	if (f->map && f->mapped) {
		munmap(f->map, f->size);
	} else {
		free(f->map);
	}
	f->map = NULL;
	f->size = 0;
	f->pos = 0;
	f->is_open = false;
}
