// SPDX-License-Identifier: MIT
/* The buffer loader: reads an ELF object that is already in memory. */
#include <errno.h>
#include <string.h>

#include <llext/buf_loader.h>

#include "base/base.h"

static struct llext_buf_loader *to_buf(struct llext_loader *ldr)
{
	return (struct llext_buf_loader *)ldr;
}

LLEXT_EXPORT int llext_buf_read(struct llext_loader *ldr, void *buf, size_t len)
{
	struct llext_buf_loader *b = to_buf(ldr);

	if (len > b->len - b->pos) {
		return -EINVAL;
	}
	memcpy(buf, b->buf + b->pos, len);
	b->pos += len;
	return 0;
}

LLEXT_EXPORT int llext_buf_seek(struct llext_loader *ldr, size_t pos)
{
	struct llext_buf_loader *b = to_buf(ldr);

	if (pos > b->len) {
		return -EINVAL;
	}
	b->pos = pos;
	return 0;
}

LLEXT_EXPORT void *llext_buf_peek(struct llext_loader *ldr, size_t pos)
{
	struct llext_buf_loader *b = to_buf(ldr);

	if (pos >= b->len) {
		return NULL;
	}
	return (void *)(b->buf + pos);
}
