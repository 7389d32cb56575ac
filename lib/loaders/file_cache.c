// SPDX-License-Identifier: MIT
/*
 * The file loader's cache: the snapshot of the last file loaded, kept for the next load of it.
 *
 * The snapshot goes into a mapping kept for the next load, so that loads in a row fault its
 * pages in once (a heap block of a large file's size comes and goes with the heap's top, or is a
 * mapping of its own, faulted in again on every load). A large file's mapping is backed by
 * transparent huge pages, which one fault fills, rather than by hundreds of small pages each
 * faulted in on its own.
 *
 * The kept snapshot stays as it is after the load: the next load of the same file, unchanged
 * (llext_fs_same_version(): same device, inode, size, modification and change times), uses its
 * bytes without reading the file again, and through the same path without even opening it
 * unless it has holes. Only the bytes of a file that had not changed for a while when it was
 * read are used again: a file system's clock ticks in steps, and a file rewritten within the
 * step of its last change could keep all of its times. (Git calls index entries in that state
 * "racily clean".)
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
#define MAX_CANDIDATES MAX_HOLES

/* A byte range of the file left out of the snapshot. */
struct hole {
	uint64_t off, end;
};

/*
 * What a snapshot knows beside the file's bytes: it lives after them, in the same block, since
 * struct llext_fs_loader (public, embedded in callers) has no room for it. Only a large one has
 * holes.
 */
struct snap_notes {
	int fd;         /* the file, open while there are holes; else -1 */
	struct stat st; /* its status when the snapshot was taken */
	bool reusable;  /* the next load of the same file, unchanged, may use these bytes */
	unsigned int nholes;
	struct hole holes[MAX_HOLES]; /* by offset */
};

/* The last snapshot's mapping, kept for the next one. */
static struct llext_mapcache snap_map = LLEXT_MAPCACHE_INIT;

/*
 * Whose bytes the kept mapping holds, when they may be used again: the kept mapping carries
 * @tag, and a snapshot given back since has another (or none). @name is the path they were read
 * through ("" if it was too long to note), which makes a stat() of a path worth trying; the
 * file's status decides.
 */
static struct {
	pthread_mutex_t lock;
	uint64_t tag, next_tag;
	struct stat st;
	char name[256];
} kept_file = {.lock = PTHREAD_MUTEX_INITIALIZER, .next_tag = 1};

int64_t llext_fs_settle_ns = LLEXT_FS_SETTLE_DEFAULT;

/* LLEXT_FILE_CACHE=0 in the environment, looked at on the first prepare. */
static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static bool env_off;

static void read_env(void)
{
	const char *v = getenv("LLEXT_FILE_CACHE");

	env_off = v && strcmp(v, "0") == 0;
}

bool llext_file_cache_wanted(void)
{
	pthread_once(&env_once, read_env);
	return !env_off && !llext_load_no_file_cache;
}

/*
 * Bytes between a snapshot's last byte and its notes, poisoned under AddressSanitizer with the
 * rest of what is not the file's (poison_unread()): a read a little past the end is reported
 * before it reaches the cache's own notes.
 */
#define GUARD 64

/* The block of a snapshot of @size bytes, and where its notes start. */
static size_t notes_off(size_t size)
{
	return llext_align_up(size + GUARD, _Alignof(struct snap_notes));
}

static size_t block_len(size_t size)
{
	return notes_off(size) + sizeof(struct snap_notes);
}

static struct snap_notes *notes_of(const struct llext_fs_loader *f)
{
	return f->map ? (struct snap_notes *)((uint8_t *)f->map + notes_off(f->size)) : NULL;
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
	static const unsigned long local_fs[] = {
	    EXT4_SUPER_MAGIC, XFS_SUPER_MAGIC,       BTRFS_SUPER_MAGIC, TMPFS_MAGIC,
	    F2FS_SUPER_MAGIC, OVERLAYFS_SUPER_MAGIC, SQUASHFS_MAGIC,    EROFS_SUPER_MAGIC_V1,
	    RAMFS_MAGIC,      HUGETLBFS_MAGIC,       MSDOS_SUPER_MAGIC, EXFAT_SUPER_MAGIC,
	};
	int64_t before = ns_of(now) - llext_fs_settle_ns;
	struct statfs fs;

	if (ns_of(st->st_mtim) >= before || ns_of(st->st_ctim) >= before || fstatfs(fd, &fs) != 0) {
		return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(local_fs); i++) {
		if ((unsigned long)fs.f_type == local_fs[i]) {
			return true;
		}
	}
	return false;
}

/*
 * The kept mapping, for a snapshot of @size bytes. *@tag is the tag it came with, and *@reusable
 * is true if it holds the bytes of the file of status @st already.
 */
static void *take_map(size_t size, const struct stat *st, uint64_t *tag, bool *reusable)
{
	void *p;

	*reusable = false;
	p = llext_mapcache_take(&snap_map, block_len(size), align_of(size), tag);
	if (p && *tag) {
		pthread_mutex_lock(&kept_file.lock);
		*reusable = *tag == kept_file.tag && llext_fs_same_version(st, &kept_file.st);
		pthread_mutex_unlock(&kept_file.lock);
	}
	return p;
}

/* Gives @f's mapping back with @tag, and @f holds nothing. */
static void give_map(struct llext_fs_loader *f, uint64_t tag)
{
	llext_mapcache_give(&snap_map, f->map, block_len(f->size), align_of(f->size), tag);
	f->map = NULL;
}

__attribute__((destructor)) static void snap_map_fini(void)
{
	llext_mapcache_free(&snap_map);
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
static bool shares_no_byte(const uint8_t *shdr, size_t n, size_t i)
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

/* Notes section @sh as a hole of @n, in order of offset, for read_around(). */
static void add_hole(struct snap_notes *n, const Elf64_Shdr *sh)
{
	size_t k;

	for (k = n->nholes; k > 0 && n->holes[k - 1].off > sh->sh_offset; k--) {
		n->holes[k] = n->holes[k - 1];
	}
	n->holes[k] = (struct hole){sh->sh_offset, sh->sh_offset + sh->sh_size};
	n->nholes++;
}

/*
 * Reads the ELF header and section headers into the snapshot at @buf and notes the holes in @n.
 * Whatever does not look like an object this loader can make holes in gets none: the load
 * reports what is wrong with it. Each candidate is compared with every section, so only the
 * first few are tried: a file of thousands of candidates costs a few thousand comparisons each.
 */
static int find_holes(int fd, uint8_t *buf, uint64_t size, struct snap_notes *n)
{
	const uint8_t *shdr;
	unsigned int candidates = 0;
	Elf64_Ehdr eh;
	int err;

	n->nholes = 0;
	err = llext_fs_read_range(fd, buf, 0, sizeof(eh));
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
	err = llext_fs_read_range(fd, buf + eh.e_shoff, eh.e_shoff,
	                          eh.e_shoff + eh.e_shnum * sizeof(Elf64_Shdr));
	if (err) {
		return err;
	}
	shdr = buf + eh.e_shoff;
	for (size_t i = 1; i < eh.e_shnum && candidates < MAX_CANDIDATES; i++) {
		Elf64_Shdr sh;

		memcpy(&sh, shdr + i * sizeof(sh), sizeof(sh));
		if (!code_in_file(&sh, size, &eh)) {
			continue;
		}
		candidates++;
		if (shares_no_byte(shdr, eh.e_shnum, i)) {
			add_hole(n, &sh);
		}
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
 * the pages its block takes after its notes (an earlier, larger file's bytes). A read of them
 * through the snapshot is reported. Nothing may read there; the ASan test runs and the fuzzers
 * check it. Further into a kept mapping that a larger file left, bytes stay readable: mapcache.c
 * does not say how long the mapping it hands out is.
 */
static void poison_unread(const struct llext_fs_loader *f, bool on)
{
#ifdef FS_ASAN
	const struct snap_notes *n = notes_of(f);
	size_t block = block_len(f->size);

	for (unsigned int k = 0; k < n->nholes; k++) {
		poison_span(f, n->holes[k].off, n->holes[k].end, on);
	}
	poison_span(f, f->size, notes_off(f->size), on);
	poison_span(f, block, llext_mapcache_len(block, align_of(f->size)), on);
#else
	(void)f;
	(void)on;
#endif
}

/* Reads the whole file into @buf but for @n's holes. */
static int read_around(int fd, uint8_t *buf, uint64_t size, const struct snap_notes *n)
{
	uint64_t pos = 0;
	int err = 0;

	for (unsigned int k = 0; k < n->nholes && !err; k++) {
		err = llext_fs_read_range(fd, buf + pos, pos, n->holes[k].off);
		pos = n->holes[k].end;
	}
	return err ? err : llext_fs_read_range(fd, buf + pos, pos, size);
}

/*
 * Reads the holes of @f's snapshot, which is used again, from @fd, then checks that @fd is still
 * the version of the rest (n->st). 0, and the snapshot has no holes left; else -ESTALE or
 * -errno, and the holes may hold another version's bytes: the caller gives the mapping back
 * untagged.
 */
static int fill_holes(struct llext_fs_loader *f, int fd)
{
	struct snap_notes *n = notes_of(f);
	int err = 0;

	if (!n->nholes) {
		return 0;
	}
	for (unsigned int k = 0; k < n->nholes && !err; k++) {
		err = llext_fs_read_range(fd, (uint8_t *)f->map + n->holes[k].off, n->holes[k].off,
		                          n->holes[k].end);
	}
	if (!err) {
		err = llext_fs_unchanged(fd, &n->st);
	}
	if (!err) {
		n->nholes = 0;
	}
	return err;
}

/* The file of status @st, open at @fd, read into the mapping @f holds but for its holes; 0, or
 * -ESTALE or -errno and @f holds nothing. */
static int read_fresh(struct llext_fs_loader *f, int fd, const struct stat *st, struct timespec now)
{
	struct snap_notes *n = notes_of(f);
	int err;

	*n = (struct snap_notes){.fd = -1, .st = *st};
	err = f->size >= MAP_THRESHOLD ? find_holes(fd, f->map, f->size, n) : 0;
	if (!err) {
		err = read_around(fd, f->map, f->size, n);
	}
	if (!err) {
		err = llext_fs_unchanged(fd, st);
	}
	if (err) {
		give_map(f, 0);
		return err;
	}
	n->reusable = f->size <= AGAIN_UP_TO && settled(fd, st, now);
	poison_unread(f, true);
	return 0;
}

int llext_file_cache_read(struct llext_fs_loader *f, int fd, const struct stat *st,
                          struct timespec now)
{
	uint64_t tag;
	bool reusable;
	int err;

	f->size = (size_t)st->st_size;
	f->map = take_map(f->size, st, &tag, &reusable);
	if (!f->map) {
		return -ENOMEM;
	}
	if (!reusable) {
		return read_fresh(f, fd, st, now);
	}
	notes_of(f)->fd = -1;
	err = fill_holes(f, fd);
	if (err) {
		give_map(f, 0); /* the holes may hold another version's bytes */
		return err;
	}
	poison_unread(f, true);
	return 0;
}

/* Whether the kept bytes are those of the file now at @path, of status *@st. */
static bool kept_is(const char *path, struct stat *st)
{
	bool same;

	pthread_mutex_lock(&kept_file.lock);
	same = kept_file.name[0] && strcmp(kept_file.name, path) == 0;
	pthread_mutex_unlock(&kept_file.lock);
	if (!same || stat(path, st) != 0 || !S_ISREG(st->st_mode)) {
		return false;
	}
	pthread_mutex_lock(&kept_file.lock);
	same = llext_fs_same_version(st, &kept_file.st);
	pthread_mutex_unlock(&kept_file.lock);
	return same;
}

int llext_file_cache_reuse(struct llext_fs_loader *f, int *fd)
{
	struct stat st, opened;
	uint64_t tag;
	bool reusable;

	*fd = -1;
	/* Not worth taking the kept mapping (or mapping one) if the file is another version. */
	if (!kept_is(f->name, &st)) {
		return -ESTALE;
	}
	f->size = (size_t)st.st_size;
	f->map = take_map(f->size, &st, &tag, &reusable);
	if (!f->map || !reusable) {
		goto give_back;
	}
	notes_of(f)->fd = -1;
	if (notes_of(f)->nholes) {
		/* The holes come from the file of that status. */
		*fd = open(f->name, O_RDONLY | O_CLOEXEC);
		if (*fd < 0 || fstat(*fd, &opened) != 0 || !llext_fs_same_version(&opened, &st)) {
			goto give_back;
		}
		if (fill_holes(f, *fd) != 0) {
			tag = 0; /* the holes may hold another version's bytes */
			goto give_back;
		}
	}
	poison_unread(f, true);
	return 0;

give_back:
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	if (f->map) {
		give_map(f, tag); /* still the bytes the tag says, if it has one */
	}
	return -ESTALE;
}

bool llext_file_cache_keep_fd(struct llext_fs_loader *f, int fd)
{
	struct snap_notes *n = notes_of(f);

	if (!n->nholes) {
		return false;
	}
	n->fd = fd;
	return true;
}

bool llext_file_cache_in_hole(const struct llext_fs_loader *f, size_t pos, size_t len)
{
	const struct snap_notes *n = notes_of(f);

	for (unsigned int k = 0; n && k < n->nholes; k++) {
		if (pos < n->holes[k].end && n->holes[k].off < (uint64_t)pos + (len ? len : 1)) {
			return true;
		}
	}
	return false;
}

int llext_file_cache_read_hole(struct llext_fs_loader *f, void *buf, size_t pos, size_t len)
{
	struct snap_notes *n = notes_of(f);
	int err = llext_fs_read_range(n->fd, buf, pos, (uint64_t)pos + len);

	if (!err) {
		err = llext_fs_unchanged(n->fd, &n->st);
	}
	if (err == -ESTALE) {
		LOG_ERR("%s: the file changed while it loaded; not loaded", f->name);
	} else if (err) {
		LOG_ERR("%s: cannot read the file: %s", f->name, strerror(-err));
	}
	return err;
}

void llext_file_cache_release(struct llext_fs_loader *f)
{
	const struct snap_notes *n = notes_of(f);
	uint64_t tag = 0;

	if (n->fd >= 0) {
		close(n->fd);
	}
	poison_unread(f, false);
	if (n->reusable) {
		pthread_mutex_lock(&kept_file.lock);
		if (strlen(f->name) < sizeof(kept_file.name)) {
			strcpy(kept_file.name, f->name);
		} else {
			kept_file.name[0] = '\0';
		}
		tag = kept_file.tag = kept_file.next_tag++;
		kept_file.st = n->st;
		pthread_mutex_unlock(&kept_file.lock);
	}
	give_map(f, tag);
}
