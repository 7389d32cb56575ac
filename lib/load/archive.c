// SPDX-License-Identifier: MIT
/*
 * ar archives (static libraries), read: the members, their names and the symbol index, from an
 * image in memory. The format is untrusted input like an object: every header, size, offset and
 * name is checked before use. GNU's variant is read ("/" and "/SYM64/" symbol indexes, the "//"
 * long-name table, "/123" names, short names ending in "/"), and thin archives ("!<thin>\n"),
 * whose members are files named relative to the archive's folder. join.c decides what to do with
 * the members.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "load/load.h"

#define AR_MAGIC "!<arch>\n"
#define AR_THIN_MAGIC "!<thin>\n"
#define AR_MAGIC_LEN 8
#define AR_HDR_LEN 60

/* The fixed fields of a member header, as the format lays them out (all text). */
struct ar_hdr {
	char name[16], date[12], uid[6], gid[6], mode[8], size[10], fmag[2];
};

_Static_assert(sizeof(struct ar_hdr) == AR_HDR_LEN, "ar header layout");

int llext_ar_kind(const uint8_t *m, size_t len)
{
	if (len < AR_MAGIC_LEN) {
		return 0;
	}
	if (memcmp(m, AR_MAGIC, AR_MAGIC_LEN) == 0) {
		return 1;
	}
	return memcmp(m, AR_THIN_MAGIC, AR_MAGIC_LEN) == 0 ? 2 : 0;
}

/* A decimal field: digits, then only spaces. */
static int parse_decimal(const char *f, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	for (; i < len && f[i] >= '0' && f[i] <= '9'; i++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, f[i] - '0', &v)) {
			return -EINVAL;
		}
	}
	if (i == 0) {
		return -EINVAL;
	}
	for (; i < len; i++) {
		if (f[i] != ' ') {
			return -EINVAL;
		}
	}
	*out = v;
	return 0;
}

static uint64_t read_be(const uint8_t *p, size_t width)
{
	uint64_t v = 0;

	for (size_t i = 0; i < width; i++) {
		v = v << 8 | p[i];
	}
	return v;
}

static int add_member(struct llext_ar *ar, const struct llext_ar_member *m)
{
	struct llext_ar_member *n;

	if (ar->nm % 16 == 0) {
		n = llext_realloc(ar->m, (ar->nm + 16) * sizeof(*n));
		if (!n) {
			LOG_ERR("%s: out of memory", ar->what);
			return -ENOMEM;
		}
		ar->m = n;
	}
	ar->m[ar->nm++] = *m;
	return 0;
}

/* A "/123" name: an entry of the long-name table, which ends with "/\n". */
static int long_name(struct llext_ar *ar, const char *field, struct llext_ar_member *m)
{
	uint64_t off;
	size_t end;

	if (parse_decimal(field + 1, 15, &off) != 0) {
		LOG_ERR("%s: member at 0x%zx: name '%.16s' is neither a name nor a long-name "
		        "reference",
		        ar->what, m->hdr, field);
		return -EINVAL;
	}
	if (!ar->names || off >= ar->names_size) {
		LOG_ERR("%s: member at 0x%zx: long name offset %llu is outside the long-name table "
		        "(%zu bytes)",
		        ar->what, m->hdr, (unsigned long long)off, ar->names ? ar->names_size : 0);
		return -EINVAL;
	}
	for (end = off; end < ar->names_size && ar->names[end] != '\n'; end++) {
	}
	if (end == ar->names_size || end == off || (ar->names[end - 1] != '/' && !ar->thin)) {
		LOG_ERR("%s: member at 0x%zx: long name at offset %llu is not terminated", ar->what,
		        m->hdr, (unsigned long long)off);
		return -EINVAL;
	}
	m->name = ar->names + off;
	m->name_len = end - off - (ar->names[end - 1] == '/');
	return 0;
}

/* An ordinary member's name: "name/" (GNU) or "/123". */
static int member_name(struct llext_ar *ar, const struct ar_hdr *h, struct llext_ar_member *m)
{
	size_t len;

	if (h->name[0] == '/') {
		return long_name(ar, h->name, m);
	}
	if (memcmp(h->name, "#1/", 3) == 0) {
		LOG_ERR("%s: BSD archive (member name '%.16s'); only GNU archives are read: "
		        "rebuild it with GNU ar",
		        ar->what, h->name);
		return -ENOTSUP;
	}
	for (len = 0; len < sizeof(h->name) && h->name[len] != '/'; len++) {
	}
	if (len == 0 || len == sizeof(h->name)) {
		LOG_ERR("%s: member at 0x%zx: name '%.16s' does not end with '/'", ar->what, m->hdr,
		        h->name);
		return -EINVAL;
	}
	m->name = h->name;
	m->name_len = len;
	return 0;
}

/* The symbol index ("/", 32-bit, or "/SYM64/", 64-bit): kept until every member is known. */
static int note_index(struct llext_ar *ar, const uint8_t *data, size_t size, size_t width,
                      size_t hdr)
{
	if (ar->index) {
		LOG_ERR("%s: more than one symbol index (second at 0x%zx)", ar->what, hdr);
		return -EINVAL;
	}
	if (ar->nm) {
		LOG_ERR("%s: symbol index at 0x%zx is not the first member", ar->what, hdr);
		return -EINVAL;
	}
	ar->index = data;
	ar->index_size = size;
	ar->index_width = width;
	return 0;
}

/* One member header at @off and its data; *@next is where the next one starts. */
static int read_member(struct llext_ar *ar, size_t off, size_t *next)
{
	const struct ar_hdr *h = (const struct ar_hdr *)(ar->image + off);
	struct llext_ar_member m = {.hdr = off};
	uint64_t size;
	size_t data = off + AR_HDR_LEN, end;
	bool special;

	if (ar->size - off < AR_HDR_LEN) {
		LOG_ERR("%s: member header at 0x%zx is truncated (%zu of %d bytes)", ar->what, off,
		        ar->size - off, AR_HDR_LEN);
		return -EINVAL;
	}
	if (h->fmag[0] != '`' || h->fmag[1] != '\n') {
		LOG_ERR("%s: member header at 0x%zx does not end with the header magic", ar->what,
		        off);
		return -EINVAL;
	}
	if (parse_decimal(h->size, sizeof(h->size), &size) != 0) {
		LOG_ERR("%s: member header at 0x%zx: size '%.10s' is not a decimal number",
		        ar->what, off, h->size);
		return -EINVAL;
	}
	special = memcmp(h->name, "/ ", 2) == 0 || memcmp(h->name, "/SYM64/ ", 8) == 0 ||
	          memcmp(h->name, "// ", 3) == 0;
	/* A thin archive's ordinary members are files of their own: no data here. */
	m.size = size;
	end = (ar->thin && !special) ? data : data + size;
	if (size > ar->size - data && !(ar->thin && !special)) {
		LOG_ERR("%s: member at 0x%zx: size %llu goes beyond the end of the archive (%zu "
		        "bytes)",
		        ar->what, off, (unsigned long long)size, ar->size);
		return -EINVAL;
	}
	*next = end + (end & 1);
	if (memcmp(h->name, "/ ", 2) == 0 || memcmp(h->name, "/SYM64/ ", 8) == 0) {
		return note_index(ar, ar->image + data, size, h->name[1] == ' ' ? 4 : 8, off);
	}
	if (memcmp(h->name, "// ", 3) == 0) {
		if (ar->names) {
			LOG_ERR("%s: more than one long-name table", ar->what);
			return -EINVAL;
		}
		ar->names = (const char *)ar->image + data;
		ar->names_size = size;
		return 0;
	}
	m.data = ar->thin ? NULL : ar->image + data;
	return member_name(ar, h, &m) ?: add_member(ar, &m);
}

/* The member whose header is at @hdr, or -1. */
static ssize_t member_at(const struct llext_ar *ar, uint64_t hdr)
{
	size_t lo = 0, hi = ar->nm;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ar->m[mid].hdr == hdr) {
			return (ssize_t)mid;
		}
		if (ar->m[mid].hdr < hdr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return -1;
}

/* The symbol index: a count, that many member offsets, then that many NUL-terminated names. */
static int read_index(struct llext_ar *ar)
{
	const uint8_t *p = ar->index;
	size_t w = ar->index_width, size = ar->index_size, pos;
	uint64_t n;

	if (size < w || (n = read_be(p, w)) > (size - w) / w) {
		LOG_ERR("%s: symbol index: its count does not fit in its %zu bytes", ar->what,
		        size);
		return -EINVAL;
	}
	ar->sym = llext_calloc(n ? n : 1, sizeof(*ar->sym));
	if (!ar->sym) {
		LOG_ERR("%s: out of memory", ar->what);
		return -ENOMEM;
	}
	pos = w + n * w;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t hdr = read_be(p + w + i * w, w);
		ssize_t mi = member_at(ar, hdr);
		const char *name = (const char *)p + pos;
		const char *nul = pos < size ? memchr(name, '\0', size - pos) : NULL;

		if (mi < 0 || !nul) {
			LOG_ERR("%s: symbol index entry %llu: %s", ar->what, (unsigned long long)i,
			        mi < 0 ? "points at no member header" : "its name is cut");
			return -EINVAL;
		}
		ar->sym[i].name = name;
		ar->sym[i].member = (uint32_t)mi;
		pos += (size_t)(nul - name) + 1;
	}
	ar->nsym = n;
	return 0;
}

int llext_ar_parse(struct llext_ar *ar, const uint8_t *image, size_t size, const char *what)
{
	size_t off = AR_MAGIC_LEN;
	int kind = llext_ar_kind(image, size), ret = 0;

	ar->what = what;
	ar->image = image;
	ar->size = size;
	if (!kind) {
		LOG_ERR("%s: not an ar archive (no \"!<arch>\" magic)", what);
		return -EINVAL;
	}
	ar->thin = kind == 2;
	/* The last member's padding byte may be missing at the end of the file. */
	while (off < size && !ret) {
		ret = read_member(ar, off, &off);
		if (!ret && ar->nm > UINT32_MAX - 1) {
			LOG_ERR("%s: too many members", what);
			ret = -E2BIG;
		}
	}
	if (!ret && ar->index) {
		ret = read_index(ar);
	}
	return ret;
}

/* Maps @path read-only: *@p, *@len. */
static int map_file(const char *path, const char *what, void **p, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0 || fstat(fd, &st) != 0) {
		ret = -errno;
		LOG_ERR("%s: cannot open '%s': %s", what, path, strerror(errno));
	} else if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		LOG_ERR("%s: '%s' is %s", what, path,
		        S_ISREG(st.st_mode) ? "empty" : "not a regular file");
		ret = -EINVAL;
	} else {
		*len = (size_t)st.st_size;
		*p = llext_mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (*p == MAP_FAILED) {
			ret = -errno;
			LOG_ERR("%s: cannot map '%s': %s", what, path, strerror(errno));
		}
	}
	if (fd >= 0) {
		close(fd);
	}
	return ret;
}

int llext_ar_open_file(struct llext_ar *ar, const char *path)
{
	void *p;
	size_t len;
	int ret;

	memset(ar, 0, sizeof(*ar));
	ar->path = path;
	ret = map_file(path, path, &p, &len);
	if (ret) {
		return ret;
	}
	ar->map = p;
	ar->map_len = len;
	return llext_ar_parse(ar, p, len, path);
}

int llext_ar_member_data(struct llext_ar *ar, size_t i)
{
	struct llext_ar_member *m = &ar->m[i];
	const char *slash = ar->path ? strrchr(ar->path, '/') : NULL;
	size_t dir = slash ? (size_t)(slash - ar->path) + 1 : 0;
	char *path;
	size_t len;
	int ret;

	if (m->data) {
		return 0;
	}
	if (!ar->path) {
		LOG_ERR("%s: a thin archive's members are files named relative to the archive, "
		        "which this loader gives no path for; name the archive by its path",
		        ar->what);
		return -ENOTSUP;
	}
	path = llext_malloc(dir + m->name_len + 1);
	if (!path) {
		return -ENOMEM;
	}
	snprintf(path, dir + m->name_len + 1, "%.*s%.*s", m->name[0] == '/' ? 0 : (int)dir,
	         ar->path, (int)m->name_len, m->name);
	ret = map_file(path, ar->what, &m->map, &len);
	free(path);
	if (ret) {
		m->map = NULL;
		return ret;
	}
	if (len != m->size) {
		LOG_ERR("%s: thin member '%.*s' is %zu bytes, the archive says %zu: rebuild the "
		        "archive",
		        ar->what, (int)m->name_len, m->name, len, m->size);
		munmap(m->map, len);
		m->map = NULL;
		return -EINVAL;
	}
	m->data = m->map;
	return 0;
}

void llext_ar_close(struct llext_ar *ar)
{
	for (size_t i = 0; i < ar->nm; i++) {
		if (ar->m[i].map) {
			munmap(ar->m[i].map, ar->m[i].size);
		}
	}
	free(ar->m);
	free(ar->sym);
	if (ar->map) {
		munmap(ar->map, ar->map_len);
	}
	memset(ar, 0, sizeof(*ar));
}
