// SPDX-License-Identifier: MIT
/*
 * The file loader: holds a snapshot of the file in memory between prepare and finalize, so that
 * peek can hand out pointers and the object is parsed in place.
 *
 * The file is read, never mapped: a mapped file that another process truncates raises SIGBUS
 * in the loading process, and one rewritten in place would hand the load bytes of two versions.
 * The snapshot is taken between two looks at the file's status: if anything changed meanwhile
 * (size, modification or change time, which Linux updates with fine granularity once they have
 * been looked at), the file is read again, and after a few tries the load fails. The snapshot
 * goes into a mapping kept for the next load, so that loads in a row fault its pages in once (a
 * heap block of a large file's size comes and goes with the heap's top, or is a mapping of its
 * own, faulted in again on every load). A large file's mapping is backed by transparent huge
 * pages, which one fault fills, rather than by hundreds of small pages each faulted in on its
 * own.
 *
 * The kept snapshot stays as it is after the load: the next load of the same file, unchanged
 * (same_version(): same device, inode, size, modification and change times), uses its bytes
 * without reading the file again, and through the same path without even opening it unless it
 * has holes. Only the bytes of a file that had not changed for a while when it was read are used
 * again: a file system's clock ticks in steps, and a file rewritten within the step of its last
 * change could keep all of its times. (Git calls index entries in that state "racily clean".)
 *
 * A large file's large executable sections are left out of the snapshot (holes): peek says no
 * there, and the load reads them with read(), straight into the extension's memory, so that the
 * bulk of the object is copied once instead of twice. Such a read goes to the file, still open,
 * and looks at its status again afterwards: a file that changed since the snapshot fails the
 * load with -ESTALE, so the code and the rest still come from one version.
 *
 * A snapshot used again has its holes filled first (fill_holes()), with the same look at the
 * file's status after the read: a file loaded once is likely to be loaded again, and the loads
 * after that copy its code from memory, in half the time read() takes to copy it from the page
 * cache.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <llext/fs_loader.h>

#include "base/base.h"
#include "base/mapcache.h"
#include "loaders/file_cache.h"

#if defined(__SANITIZE_ADDRESS__)
#define FS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FS_ASAN 1
#endif
#endif
#ifdef FS_ASAN
#include <sanitizer/asan_interface.h>
#endif

#ifndef LLEXT_FUZZING
/* From this size on, the snapshot's mapping has huge pages and large code is left out of it. */
#define MAP_THRESHOLD ((size_t)256 << 10)
/* Executable sections from this size on are holes: below it, a read of their own costs more
 * than the copy it saves. */
#define HOLE_FROM ((size_t)64 << 10)
#else
/* Fuzzing builds: sizes that the fuzzers' inputs (128 KiB at most) reach. */
#define MAP_THRESHOLD ((size_t)4 << 10)
#define HOLE_FROM ((size_t)64)
#endif
/* Snapshots up to this size are kept whole between loads, for the next load of the same file;
 * larger ones are offered to the kernel (MADV_FREE) and read again. */
#define AGAIN_UP_TO ((size_t)16 << 20)
/* Holes at most, and sections looked at as candidates at most. */
#define MAX_HOLES 16
#define MAX_TRIES MAX_HOLES
/* Reads of a file that keeps changing before the load gives up. */
#define TRIES 4

/* A byte range of the file left out of the snapshot. */
struct hole {
	uint64_t off, end;
};

/*
 * What a kept snapshot knows beside the file's bytes: it lives after them, in the same block,
 * since struct llext_fs_loader (public, embedded in callers) has no room for it. Only a large
 * one has holes.
 */
struct held {
	int fd;         /* the file, open while there are holes; else -1 */
	struct stat st; /* its status when the snapshot was taken */
	bool again;     /* the next load of the same file, unchanged, may use these bytes */
	unsigned int nholes;
	struct hole holes[MAX_HOLES]; /* by offset */
};

/* The last kept snapshot's memory, kept for the next one (kept.c). */
static struct llext_mapcache spare = LLEXT_MAPCACHE_INIT;

/*
 * Whose bytes the kept snapshot holds, when they may be used again: the kept mapping carries
 * @tag, and a snapshot given back since has another (or none). @name is the path they were read
 * through ("" if it was too long to note), which makes a stat() of a path worth trying; the
 * file's status decides.
 */
static struct {
	pthread_mutex_t lock;
	uint64_t tag, next_tag;
	struct stat st;
	char name[256];
} last = {.lock = PTHREAD_MUTEX_INITIALIZER, .next_tag = 1};

int64_t llext_fs_settle_ns = LLEXT_FS_SETTLE_DEFAULT;

/*
 * Bytes between a snapshot's last byte and its struct held, poisoned under AddressSanitizer with
 * the rest of what is not the file's (poison_unread()): a read a little past the end is reported
 * before it reaches the loader's own notes.
 */
#define GUARD 64

/* The block of a kept snapshot of @size bytes, and where its struct held starts. */
static size_t held_off(size_t size)
{
	return llext_align_up(size + GUARD, _Alignof(struct held));
}

static size_t block_len(size_t size)
{
	return held_off(size) + sizeof(struct held);
}

static struct held *held_of(const struct llext_fs_loader *f)
{
	return f->map ? (struct held *)((uint8_t *)f->map + held_off(f->size)) : NULL;
}

/*
 * A large snapshot's mapping is aligned to a huge page, so that the kernel can back it with them.
 * Kept mappings are as long as their alignment rounds them to: one that is long enough for a large
 * snapshot was mapped for one, and so is aligned for it.
 */
static size_t align_of(size_t size)
{
	return size >= MAP_THRESHOLD ? LLEXT_HUGE_PAGE : 0;
}

/* Whether @a and @b are the status of one version of one file: same device and inode, size,
 * modification and change times. */
static bool same_version(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static int64_t ns_of(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/*
 * Whether the file open at @fd, of status @st, read after @now, had not changed for
 * llext_fs_settle_ns. Only on a file system that takes its times from this machine's clock: a
 * network file system's server, or a user-space one, may have a clock behind ours, or times in
 * whole seconds, and its files then look settled while a rewrite could still keep their times.
 */
static bool settled(int fd, const struct stat *st, struct timespec now)
{
	static const unsigned long local[] = {
	    EXT4_SUPER_MAGIC, XFS_SUPER_MAGIC,       BTRFS_SUPER_MAGIC, TMPFS_MAGIC,
	    F2FS_SUPER_MAGIC, OVERLAYFS_SUPER_MAGIC, SQUASHFS_MAGIC,    EROFS_SUPER_MAGIC_V1,
	    RAMFS_MAGIC,      HUGETLBFS_MAGIC,       MSDOS_SUPER_MAGIC, EXFAT_SUPER_MAGIC,
	};
	int64_t before = ns_of(now) - llext_fs_settle_ns;
	struct statfs fs;

	if (ns_of(st->st_mtim) >= before || ns_of(st->st_ctim) >= before || fstatfs(fd, &fs) != 0) {
		return false;
	}
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		if ((unsigned long)fs.f_type == local[i]) {
			return true;
		}
	}
	return false;
}

/*
 * Memory for a snapshot of @size bytes. *@tag is the tag the kept mapping came with, and *@again
 * is true if it holds the bytes of the file of status @st already.
 */
static void *grab(size_t size, const struct stat *st, uint64_t *tag, bool *again)
{
	void *p;

	*again = false;
	p = llext_mapcache_take(&spare, block_len(size), align_of(size), tag);
	if (p && *tag) {
		pthread_mutex_lock(&last.lock);
		*again = *tag == last.tag && same_version(st, &last.st);
		pthread_mutex_unlock(&last.lock);
	}
	return p;
}

/* Gives @f's snapshot back: tagged as the bytes of its file if they may be used again. */
static void release(const struct llext_fs_loader *f)
{
	const struct held *h = held_of(f);
	uint64_t tag = 0;

	if (h->again) {
		pthread_mutex_lock(&last.lock);
		if (strlen(f->name) < sizeof(last.name)) {
			strcpy(last.name, f->name);
		} else {
			last.name[0] = '\0';
		}
		tag = last.tag = last.next_tag++;
		last.st = h->st;
		pthread_mutex_unlock(&last.lock);
	}
	llext_mapcache_give(&spare, f->map, block_len(f->size), align_of(f->size), tag);
}

__attribute__((destructor)) static void spare_fini(void)
{
	llext_mapcache_free(&spare);
}

/* Reads bytes [@from, @to) of @fd into @buf; -ESTALE if the file ends sooner (it shrank). */
static int read_range(int fd, uint8_t *buf, uint64_t from, uint64_t to)
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

/* Whether the section of header @sh has any of the file's bytes [@off, @end). */
static bool overlaps(const Elf64_Shdr *sh, uint64_t off, uint64_t end)
{
	uint64_t send = sh->sh_offset + sh->sh_size;

	if (send < sh->sh_offset) {
		send = UINT64_MAX; /* wraps around: counted as reaching to the end */
	}
	return sh->sh_type != SHT_NOBITS && sh->sh_size && sh->sh_offset < end && off < send;
}

/*
 * Whether section header @sh could make a hole: large executable code inside the file, clear of
 * the ELF header and the section headers. Nothing but code may be one: nothing else is read
 * through read() only (llext_elf_read_section()).
 */
static bool code_in_file(const Elf64_Shdr *sh, uint64_t size, const Elf64_Ehdr *eh)
{
	uint64_t table_end = eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(*sh);

	return sh->sh_type == SHT_PROGBITS &&
	       (sh->sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) == (SHF_ALLOC | SHF_EXECINSTR) &&
	       sh->sh_size >= HOLE_FROM && sh->sh_offset <= size &&
	       sh->sh_size <= size - sh->sh_offset && sh->sh_offset >= sizeof(*eh) &&
	       (sh->sh_offset >= table_end || eh->e_shoff >= sh->sh_offset + sh->sh_size);
}

/* Whether section @i of the @n at @shdr (in the snapshot, unaligned) shares a byte with none of
 * the others. */
static bool alone(const uint8_t *shdr, size_t n, size_t i)
{
	Elf64_Shdr sh, other;

	memcpy(&sh, shdr + i * sizeof(sh), sizeof(sh));
	for (size_t j = 0; j < n; j++) {
		memcpy(&other, shdr + j * sizeof(other), sizeof(other));
		if (j != i && overlaps(&other, sh.sh_offset, sh.sh_offset + sh.sh_size)) {
			return false;
		}
	}
	return true;
}

/*
 * Reads the ELF header and section headers into the snapshot at @buf and notes the holes in @h.
 * Whatever does not look like an object this loader can make holes in gets none: the load
 * reports what is wrong with it. Each candidate is compared with every section, so only the
 * first few are tried: a file of thousands of candidates costs a few thousand comparisons each.
 */
static int find_holes(int fd, uint8_t *buf, uint64_t size, struct held *h)
{
	const uint8_t *shdr;
	unsigned int tried = 0;
	Elf64_Ehdr eh;
	int err;

	h->nholes = 0;
	err = read_range(fd, buf, 0, sizeof(eh));
	if (err) {
		return err;
	}
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    eh.e_shnum == 0 || eh.e_shoff > size ||
	    eh.e_shnum > (size - eh.e_shoff) / sizeof(Elf64_Shdr)) {
		return 0;
	}
	err = read_range(fd, buf + eh.e_shoff, eh.e_shoff,
	                 eh.e_shoff + eh.e_shnum * sizeof(Elf64_Shdr));
	if (err) {
		return err;
	}
	shdr = buf + eh.e_shoff;
	for (size_t i = 1; i < eh.e_shnum && tried < MAX_TRIES; i++) {
		Elf64_Shdr sh;
		size_t k;

		memcpy(&sh, shdr + i * sizeof(sh), sizeof(sh));
		if (!code_in_file(&sh, size, &eh)) {
			continue;
		}
		tried++;
		if (!alone(shdr, eh.e_shnum, i)) {
			continue;
		}
		/* In order of offset, for read_around(). */
		for (k = h->nholes; k > 0 && h->holes[k - 1].off > sh.sh_offset; k--) {
			h->holes[k] = h->holes[k - 1];
		}
		h->holes[k] = (struct hole){sh.sh_offset, sh.sh_offset + sh.sh_size};
		h->nholes++;
	}
	return 0;
}

#ifdef FS_ASAN
/* Poisons bytes [@off, @end) of @f's snapshot mapping, or unpoisons them. */
static void poison_span(const struct llext_fs_loader *f, uint64_t off, uint64_t end, bool on)
{
	uint8_t *p = (uint8_t *)f->map + off;

	if (on) {
		ASAN_POISON_MEMORY_REGION(p, end - off);
	} else {
		ASAN_UNPOISON_MEMORY_REGION(p, end - off);
	}
}
#endif

/*
 * Under AddressSanitizer, the snapshot's bytes that are not the file's are poisoned while it is in
 * use: its holes (another file's bytes, or none), the guard after its last byte, and the rest of
 * the pages its block takes after its struct held (an earlier, larger file's bytes). A read of
 * them through the snapshot is reported. Nothing may read there; the ASan test runs and the
 * fuzzers check it. Further into a kept mapping that a larger file left, bytes stay readable:
 * kept.c does not say how long the mapping it hands out is.
 */
static void poison_unread(const struct llext_fs_loader *f, bool on)
{
#ifdef FS_ASAN
	const struct held *h = held_of(f);
	size_t block = block_len(f->size);

	for (unsigned int k = 0; k < h->nholes; k++) {
		poison_span(f, h->holes[k].off, h->holes[k].end, on);
	}
	poison_span(f, f->size, held_off(f->size), on);
	poison_span(f, block, llext_mapcache_len(block, align_of(f->size)), on);
#else
	(void)f;
	(void)on;
#endif
}

/* Reads the whole file into @buf but for @h's holes. */
static int read_around(int fd, uint8_t *buf, uint64_t size, const struct held *h)
{
	uint64_t pos = 0;
	int err = 0;

	for (unsigned int k = 0; k < h->nholes && !err; k++) {
		err = read_range(fd, buf + pos, pos, h->holes[k].off);
		pos = h->holes[k].end;
	}
	return err ? err : read_range(fd, buf + pos, pos, size);
}

/* 0 if @fd's file is the version of status @a (same_version()), -ESTALE if not, -errno if it
 * cannot be looked at. */
static int unchanged(int fd, const struct stat *a)
{
	struct stat b;

	if (fstat(fd, &b) != 0) {
		return -errno;
	}
	return same_version(a, &b) ? 0 : -ESTALE;
}

/*
 * Reads the holes of @f's snapshot, which is used again, from @fd, then checks that @fd is still
 * the version of the rest (h->st). 0, and the snapshot has no holes left; else -ESTALE or
 * -errno, and the holes may hold another version's bytes: the caller gives the snapshot back
 * untagged.
 */
static int fill_holes(struct llext_fs_loader *f, int fd)
{
	struct held *h = held_of(f);
	int err = 0;

	if (!h->nholes) {
		return 0;
	}
	for (unsigned int k = 0; k < h->nholes && !err; k++) {
		err = read_range(fd, (uint8_t *)f->map + h->holes[k].off, h->holes[k].off,
		                 h->holes[k].end);
	}
	if (!err) {
		err = unchanged(fd, &h->st);
	}
	if (!err) {
		h->nholes = 0;
	}
	return err;
}

/*
 * One attempt: the file as it is, if it did not change while it was read (else -ESTALE); or as
 * the kept snapshot holds it, if that is this version of it, its holes read in (fill_holes():
 * if that fails, -ESTALE or -errno, and the snapshot is given back untagged). @now is a time
 * before @before was taken.
 */
static int try_snapshot(struct llext_fs_loader *f, int fd, const struct stat *before,
                        struct timespec now)
{
	struct held *h;
	uint64_t tag;
	bool again;
	int err;

	f->size = (size_t)before->st_size;
	f->map = grab(f->size, before, &tag, &again);
	if (!f->map) {
		return -ENOMEM;
	}
	h = held_of(f);
	if (again) {
		h->fd = -1;
		err = fill_holes(f, fd);
		if (err) {
			h->again = false; /* given back untagged */
			release(f);
			f->map = NULL;
		}
		return err;
	}
	*h = (struct held){.fd = -1, .st = *before};
	err = f->size >= MAP_THRESHOLD ? find_holes(fd, f->map, f->size, h) : 0;
	if (!err) {
		err = read_around(fd, f->map, f->size, h);
	}
	if (!err) {
		err = unchanged(fd, before);
	}
	if (err) {
		release(f);
		f->map = NULL;
	} else {
		h->again = f->size <= AGAIN_UP_TO && settled(fd, before, now);
	}
	return err;
}

/* The whole file, read while it stayed the same; 0 or -errno, logged. */
static int snapshot(struct llext_fs_loader *f, int fd)
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
		err = try_snapshot(f, fd, &st, now);
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

/*
 * The bytes of the file at @f's path as the kept snapshot holds them, when the last snapshot was
 * read through that path and the file there is that version still: one stat(), and the file is
 * opened only if the snapshot has holes, to fill them. 0, or -ESTALE if not (nothing is then
 * held).
 */
static int prepare_again(struct llext_fs_loader *f, int *fd)
{
	struct stat st, now;
	struct held *h;
	uint64_t tag;
	bool named, again;

	*fd = -1;
	pthread_mutex_lock(&last.lock);
	named = last.name[0] && strcmp(last.name, f->name) == 0;
	pthread_mutex_unlock(&last.lock);
	if (!named || stat(f->name, &st) != 0 || !S_ISREG(st.st_mode)) {
		return -ESTALE;
	}
	/* Not worth taking the kept mapping (or mapping one) if the file is another version. */
	pthread_mutex_lock(&last.lock);
	again = same_version(&st, &last.st);
	pthread_mutex_unlock(&last.lock);
	if (!again) {
		return -ESTALE;
	}
	f->size = (size_t)st.st_size;
	f->map = grab(f->size, &st, &tag, &again);
	if (!f->map || !again) {
		goto give_back;
	}
	h = held_of(f);
	h->fd = -1;
	if (h->nholes) {
		/* The holes come from the file of that status. */
		*fd = open(f->name, O_RDONLY | O_CLOEXEC);
		if (*fd < 0 || fstat(*fd, &now) != 0 || !same_version(&now, &st)) {
			goto give_back;
		}
		if (fill_holes(f, *fd) != 0) {
			tag = 0; /* the holes may hold another version's bytes */
			goto give_back;
		}
	}
	return 0;

give_back:
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	if (f->map) {
		/* Still the bytes the tag says, if it has one. */
		llext_mapcache_give(&spare, f->map, block_len(f->size), align_of(f->size), tag);
		f->map = NULL;
	}
	return -ESTALE;
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
	err = prepare_again(f, &fd);
	if (err) {
		fd = open(f->name, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			LOG_ERR("%s: %s", f->name, strerror(err));
			return -err;
		}
		err = snapshot(f, fd);
	}
	if (!err && held_of(f)->nholes) {
		held_of(f)->fd = fd; /* the holes are read from it later */
	} else if (fd >= 0) {
		close(fd);
	}
	if (err) {
		return err;
	}
	poison_unread(f, true);
	f->pos = 0;
	f->mapped = true;
	f->is_open = true;
	return 0;
}

/* Whether bytes [@pos, @pos + @len) (byte @pos if @len is 0) reach into a hole. */
static bool in_hole(const struct llext_fs_loader *f, size_t pos, size_t len)
{
	const struct held *h = held_of(f);

	for (unsigned int k = 0; h && k < h->nholes; k++) {
		if (pos < h->holes[k].end && h->holes[k].off < (uint64_t)pos + (len ? len : 1)) {
			return true;
		}
	}
	return false;
}

/* Bytes [@pos, @pos + @len) from the file itself, which must not have changed since the
 * snapshot: a load never mixes bytes of two versions. */
static int read_from_file(struct llext_fs_loader *f, void *buf, size_t pos, size_t len)
{
	struct held *h = held_of(f);
	int err = read_range(h->fd, buf, pos, (uint64_t)pos + len);

	if (!err) {
		err = unchanged(h->fd, &h->st);
	}
	if (err == -ESTALE) {
		LOG_ERR("%s: the file changed while it loaded; not loaded", f->name);
	} else if (err) {
		LOG_ERR("%s: cannot read the file: %s", f->name, strerror(-err));
	}
	return err;
}

LLEXT_EXPORT int llext_fs_read(struct llext_loader *ldr, void *buf, size_t len)
{
	struct llext_fs_loader *f = to_fs(ldr);

	if (!f->is_open || len > f->size - f->pos) {
		return -EINVAL;
	}
	if (in_hole(f, f->pos, len)) {
		int err = read_from_file(f, buf, f->pos, len);

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

	if (!f->is_open || pos >= f->size || in_hole(f, pos, 0)) {
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
	/* Open, it has a snapshot. */
	if (held_of(f)->fd >= 0) {
		close(held_of(f)->fd);
	}
	poison_unread(f, false);
	release(f);
	f->map = NULL;
	f->mapped = false;
	f->size = 0;
	f->pos = 0;
	f->is_open = false;
}
