// SPDX-License-Identifier: MIT
/*
 * The file loader: maps the file read-only between prepare and finalize, so that peek can hand
 * out pointers and the object is parsed in place, without a copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llext/fs_loader.h>

#include "llext_priv.h"

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
	if (f->size) {
		f->map = llext_mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (f->map == MAP_FAILED) {
			err = errno;
			f->map = NULL;
			close(fd);
			LOG_ERR("%s: cannot map the file: %s", f->name, strerror(err));
			return -err;
		}
	}
	/* The mapping stays valid without the descriptor. */
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
	if (f->map) {
		munmap(f->map, f->size);
	}
	f->map = NULL;
	f->size = 0;
	f->pos = 0;
	f->is_open = false;
}
