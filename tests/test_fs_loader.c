// SPDX-License-Identifier: MIT
/*
 * The file loader when the file changes while it loads: another thread truncates and rewrites
 * it, alternating two versions of one extension, while two threads load it. Every load must end
 * in an error or in an extension built from one version only (its code, its 300 KB of data and
 * its 96 KB code section agree); never a signal, never a half-registered extension.
 *
 * Also the file loader's cache (lib/loaders/file_cache.c) and its holes: a large file's large
 * code section is left out of its snapshot and read later, straight into the extension's memory.
 * Tests below show that peek refuses it, that read serves it, that a change of the file before
 * that read fails the load, that a code section sharing bytes with another section is never a
 * hole, and that the load parameter no_file_cache and LLEXT_FILE_CACHE=0 each turn the cache off.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <elf.h>

#include <llext/fs_loader.h>
#include <llext/log.h>

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#include "common.h"
#include "base/base.h"
#include "loaders/file_cache.h"
#include "logcap.h"
#include "maptrack.h"

/* Rewrites by the writer; loads by each loader continue until it is done. */
#define REWRITES 300
#define LOADERS 2

static char path[4096];
static void *versions[2];
static size_t version_len[2];
static atomic_bool writer_done;

struct tally {
	int loaded[3]; /* by version answered: [1], [2]; [0] for neither, which must stay 0 */
	int failed;
	int bad_error;
	int id;
};

/* Truncates the file and writes a version back in pieces, so readers see every state. */
static void rewrite(int v)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	size_t done = 0;

	assert_true(fd >= 0);
	while (done < version_len[v]) {
		size_t n = version_len[v] - done < 65536 ? version_len[v] - done : 65536;
		ssize_t w = write(fd, (char *)versions[v] + done, n);

		assert_true(w > 0);
		done += (size_t)w;
	}
	close(fd);
}

static atomic_int attempts;

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < REWRITES; i++) {
		int seen = atomic_load(&attempts);

		rewrite(i % 2);
		/* Let every loader start a load after this rewrite, so that some loads race with
		 * the next one and some find the file whole. */
		while (atomic_load(&attempts) < seen + 2 * LOADERS) {
			sched_yield();
		}
	}
	atomic_store(&writer_done, true);
	return NULL;
}

static atomic_int messages;

static void count_message(enum llext_log_level level, const char *msg, void *user)
{
	(void)level;
	(void)msg;
	(void)user;
	atomic_fetch_add(&messages, 1);
}

/*
 * Loads the extension at @file as @name, and unloads it again: what the load returned, and in
 * *@version what its version_check() answered (0 if it has none). No assertions: loader threads
 * call it.
 */
static int load_version_at(const char *file, const char *name, int *version)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(file);
	struct llext *ext;
	int (*check)(void);
	int ret = llext_load(&ldr.loader, name, &ext, NULL);

	if (ret != 0) {
		return ret;
	}
	check = (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "version_check");
	*version = check ? check() : 0;
	return llext_unload(&ext);
}

static int load_version(const char *name, int *version)
{
	return load_version_at(path, name, version);
}

static void load_once(struct tally *t, const char *name)
{
	int v, ret = load_version(name, &v);

	if (ret != 0) {
		/* What a torn read can look like: changing, truncated, or inconsistent. */
		t->failed++;
		t->bad_error += ret != -ESTALE && ret != -EINVAL && ret != -ENOEXEC;
		return;
	}
	t->loaded[v == 1 || v == 2 ? v : 0]++;
}

static void *loader(void *arg)
{
	struct tally *t = arg;
	char name[16];

	snprintf(name, sizeof(name), "fc%d", t->id);
	while (!atomic_load(&writer_done)) {
		load_once(t, name);
		atomic_fetch_add(&attempts, 1);
	}
	return NULL;
}

/* A fresh file name for a test, and both versions' bytes; the file and the bytes go after it. */
static void setup_versions(void)
{
	int fd;

	scratch_path(path, sizeof(path), "llext-filechange-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	versions[0] = read_file(fixture_path("version-1.o"), &version_len[0]);
	versions[1] = read_file(fixture_path("version-2.o"), &version_len[1]);
}

static void teardown_versions(void)
{
	unlink(path);
	free(versions[0]);
	free(versions[1]);
}

static void test_rewritten_while_loading(void **state)
{
	struct tally t[LOADERS] = {0};
	int loaded = 0;
	pthread_t w, l[LOADERS];

	(void)state;
	setup_versions();
	rewrite(0);

	/* Failed loads are expected here, and say why: counted, not printed. */
	llext_set_log(LLEXT_LOG_ERR, count_message, NULL);
	for (int i = 0; i < LOADERS; i++) {
		t[i].id = i;
		assert_int_equal(pthread_create(&l[i], NULL, loader, &t[i]), 0);
	}
	assert_int_equal(pthread_create(&w, NULL, writer, NULL), 0);
	pthread_join(w, NULL);
	for (int i = 0; i < LOADERS; i++) {
		pthread_join(l[i], NULL);
		print_message("# loader %d: version 1 %d times, version 2 %d times, %d failed\n", i,
		              t[i].loaded[1], t[i].loaded[2], t[i].failed);
		assert_int_equal(t[i].loaded[0], 0);
		assert_int_equal(t[i].bad_error, 0);
		loaded += t[i].loaded[1] + t[i].loaded[2];
	}
	/* Both outcomes happened: loads of a whole file, and loads that lost the race. */
	assert_true(loaded > 0);
	assert_int_equal(registry_count(), 0);
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
	print_message("# %d messages from failed loads\n", atomic_load(&messages));

	/* Left alone, the file loads. */
	struct tally last = {0};

	load_once(&last, "fclast");
	assert_int_equal(last.loaded[(REWRITES - 1) % 2 + 1], 1);
	teardown_versions();
}

/* Writes version 1 followed by zeros up to @size bytes: the same object in a larger file. */
static void write_padded(size_t size)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(versions[0], 1, version_len[0], f), version_len[0]);
	for (size_t n = version_len[0]; n < size; n++) {
		assert_int_equal(fputc(0, f), 0);
	}
	assert_int_equal(fclose(f), 0);
}

/*
 * The file loader keeps the memory of its last large read for the next one: files larger and
 * smaller than it, in turn, each load whole, and the rounds leave no mapping behind. Mappings
 * are counted from the program's own mmap() and munmap() calls (tests/support/maptrack.c): under
 * valgrind, /proc/self/maps also shows the tool's memory, which grows as it pleases.
 */
static void test_sizes_in_turn(void **state)
{
	static const size_t sizes[] = {0, 3 << 20, 400 << 10, 5 << 20, 2 << 20, 300 << 10};
	size_t mapped_before = 0;

	(void)state;
	setup_versions();
	/* The fixture is above the size from which the loader maps its read. */
	assert_true(version_len[0] >= 256 << 10);
	for (int round = 0; round < 3; round++) {
		if (round == 2) {
			mapped_before = maptrack_live_bytes();
		}
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			struct tally t = {0};

			write_padded(sizes[i] > version_len[0] ? sizes[i] : version_len[0]);
			load_once(&t, "sizes");
			assert_int_equal(t.failed, 0);
			assert_int_equal(t.loaded[1], 1);
		}
	}
	/* The count sees the kept memory: the 5 MiB file's snapshot at least. */
	assert_true(mapped_before >= (size_t)5 << 20);
	assert_int_equal(maptrack_live_bytes(), mapped_before);
	assert_int_equal(registry_count(), 0);
	teardown_versions();
}

/* The header of section @name in the object @buf, copied out, and its index. */
static size_t find_shdr(const uint8_t *buf, const char *name, Elf64_Shdr *out)
{
	Elf64_Ehdr eh;
	Elf64_Shdr strtab;

	memcpy(&eh, buf, sizeof(eh));
	memcpy(&strtab, buf + eh.e_shoff + eh.e_shstrndx * sizeof(strtab), sizeof(strtab));
	for (size_t i = 1; i < eh.e_shnum; i++) {
		memcpy(out, buf + eh.e_shoff + i * sizeof(*out), sizeof(*out));
		if (strcmp((const char *)buf + strtab.sh_offset + out->sh_name, name) == 0) {
			return i;
		}
	}
	fail_msg("no section %s", name);
	return 0;
}

static void write_version(const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Peek refuses the code section, read serves it, and a read after the file changed fails. */
static void test_code_read_in_place(void **state)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	Elf64_Shdr code;
	uint8_t *bytes;

	(void)state;
	setup_versions();
	write_version(versions[0], version_len[0]);
	find_shdr(versions[0], ".text.version_code", &code);
	assert_true(code.sh_flags & SHF_EXECINSTR);
	bytes = malloc(code.sh_size);
	assert_non_null(bytes);

	assert_int_equal(ldr.loader.prepare(&ldr.loader), 0);
	assert_non_null(llext_peek(&ldr.loader, 0));
	assert_non_null(llext_peek(&ldr.loader, code.sh_offset - 1));
	assert_null(llext_peek(&ldr.loader, code.sh_offset));
	assert_null(llext_peek(&ldr.loader, code.sh_offset + code.sh_size - 1));
	assert_int_equal(llext_seek(&ldr.loader, code.sh_offset), 0);
	assert_int_equal(llext_read(&ldr.loader, bytes, code.sh_size), 0);
	for (size_t i = 0; i < code.sh_size; i++) {
		assert_int_equal(bytes[i], 1);
	}
	/* The same bytes written again: the file's times change, and the next read of the
	 * section fails rather than risk mixing versions. */
	write_version(versions[0], version_len[0]);
	log_capture_start();
	assert_int_equal(llext_seek(&ldr.loader, code.sh_offset), 0);
	assert_int_equal(llext_read(&ldr.loader, bytes, code.sh_size), -ESTALE);
	log_capture_stop();
	assert_true(log_contains("changed while it loaded"));
	ldr.loader.finalize(&ldr.loader);
	free(bytes);
	teardown_versions();
}

/*
 * Files of every size are read into the kept mapping (page-aligned, where a heap block is not):
 * the next read finds the memory of the last, instead of a heap block that comes and goes with
 * the heap's top and is faulted in again on every load.
 */
static void test_snapshot_kept(void **state)
{
	static const size_t sizes[] = {100 << 10, 100 << 10, 1 << 10, 40 << 10};
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *first = NULL;

	(void)state;
	setup_versions();
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		assert_true(version_len[0] > sizes[i]);
		write_version(versions[0], sizes[i]);
		assert_int_equal(ldr.loader.prepare(&ldr.loader), 0);
		assert_true(ldr.mapped);
		assert_int_equal((uintptr_t)ldr.map % page, 0);
		first = first ? first : ldr.map;
		assert_ptr_equal(ldr.map, first);
		assert_int_equal(ldr.size, sizes[i]);
		assert_memory_equal(llext_peek(&ldr.loader, 0), versions[0], sizes[i]);
		ldr.loader.finalize(&ldr.loader);
	}
	teardown_versions();
}

/* Calls of pread() and open() in this program: the loader linked into it makes its calls
 * here. Opens of other files than the test's are not counted. */
static atomic_int preads, opens;
/* When not 0, the number of the pread() call (counted from 1) that finds the file rewritten with
 * version 2, once: the rewrite comes just before the call, whose offset is noted. */
static atomic_int rewrite_at_pread;
static atomic_long rewrite_pread_off;
/* The file system type fstatfs() reports for every file, when not 0. */
static atomic_long fs_type_shown;

static ssize_t (*real_pread)(int, void *, size_t, off_t);
static int (*real_open)(const char *, int, ...);
static int (*real_fstatfs)(int, struct statfs *);

/* Before any thread: the loads that call them run in several. */
__attribute__((constructor)) static void find_real_calls(void)
{
	real_pread = (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread64");
	real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open64");
	real_fstatfs = (int (*)(int, struct statfs *))dlsym(RTLD_NEXT, "fstatfs64");
}

int fstatfs(int fd, struct statfs *buf)
{
	int ret = real_fstatfs(fd, buf);

	if (ret == 0 && atomic_load(&fs_type_shown)) {
		buf->f_type = atomic_load(&fs_type_shown);
	}
	return ret;
}

static void rewrite_later(int v);

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	atomic_fetch_add(&preads, 1);
	if (atomic_load(&rewrite_at_pread) && atomic_fetch_sub(&rewrite_at_pread, 1) == 1) {
		atomic_store(&rewrite_pread_off, (long)off);
		rewrite_later(1);
	}
	return real_pread(fd, buf, len, off);
}

int open(const char *name, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (strcmp(name, path) == 0) {
		atomic_fetch_add(&opens, 1);
	}
	return real_open(name, flags, mode);
}

/* How many times the file loader's prepare opens the file at @path, and reads from it. */
struct io {
	int opens, preads;
};

static struct io io_to_prepare(void)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct io before = {atomic_load(&opens), atomic_load(&preads)};

	assert_int_equal(ldr.loader.prepare(&ldr.loader), 0);
	ldr.loader.finalize(&ldr.loader);
	return (struct io){atomic_load(&opens) - before.opens,
	                   atomic_load(&preads) - before.preads};
}

static int reads_to_prepare(void)
{
	return io_to_prepare().preads;
}

/* Loads the extension at @path and answers its version_check(). */
static int loaded_version(void)
{
	int v;

	assert_int_equal(load_version("again", &v), 0);
	assert_int_not_equal(v, 0);
	return v;
}

/*
 * The next load of a file that has not changed uses the bytes the last one read: prepare reads
 * nothing, and opens the file only if the snapshot has holes, which it then reads into it; the
 * prepares after that neither open nor read the file, and the code comes from the snapshot.
 * Files are trusted to have settled at once here (llext_fs_settle_ns = 0): see
 * test_recent_file_read_again().
 */
static void test_unchanged_file_not_read_again(void **state)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct io io, first;
	Elf64_Shdr code;
	const uint8_t *p;

	(void)state;
	setup_versions();
	llext_fs_settle_ns = 0;
	/* A part of the file: no holes. */
	write_version(versions[0], 40 << 10);
	io = io_to_prepare();
	assert_true(io.opens == 1 && io.preads > 0);
	io = io_to_prepare();
	assert_true(io.opens == 0 && io.preads == 0);

	/* The whole object, with its code left out of the snapshot, then filled in. */
	write_version(versions[0], version_len[0]);
	first = io_to_prepare();
	assert_true(first.opens == 1 && first.preads > 0);
	io = io_to_prepare();
	assert_true(io.opens == 1 && io.preads > 0 && io.preads < first.preads);
	io = io_to_prepare();
	assert_true(io.opens == 0 && io.preads == 0);
	find_shdr(versions[0], ".text.version_code", &code);
	assert_int_equal(ldr.loader.prepare(&ldr.loader), 0);
	p = llext_peek(&ldr.loader, code.sh_offset);
	assert_non_null(p);
	assert_memory_equal(p, (const uint8_t *)versions[0] + code.sh_offset, code.sh_size);
	ldr.loader.finalize(&ldr.loader);
	assert_int_equal(loaded_version(), 1);
	assert_int_equal(loaded_version(), 1);
	teardown_versions();
}

/* How many times a load of the file at @path with no_file_cache set to @off opens the file, and
 * reads from it. */
static struct io io_to_load(bool off)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct io before = {atomic_load(&opens), atomic_load(&preads)};
	struct llext *ext;

	param.no_file_cache = off;
	assert_int_equal(llext_load(&ldr.loader, "cache", &ext, &param), 0);
	assert_int_equal(llext_unload(&ext), 0);
	return (struct io){atomic_load(&opens) - before.opens,
	                   atomic_load(&preads) - before.preads};
}

/*
 * The load parameter no_file_cache: every load opens the file and reads it whole, where the
 * third load of the same file without it opens nothing; and a load with it does not spoil the
 * cache for the loads without.
 */
static void test_param_turns_cache_off(void **state)
{
	struct io io;

	(void)state;
	setup_versions();
	llext_fs_settle_ns = 0;
	write_version(versions[0], version_len[0]);
	for (int i = 0; i < 3; i++) {
		io = io_to_load(true);
		assert_true(io.opens == 1 && io.preads > 0);
	}
	io_to_load(false);
	io_to_load(false);
	io = io_to_load(false);
	assert_true(io.opens == 0 && io.preads == 0);
	io = io_to_load(true);
	assert_true(io.opens == 1 && io.preads > 0);
	io = io_to_load(false);
	assert_true(io.opens == 0 && io.preads == 0);
	teardown_versions();
}

/*
 * LLEXT_FILE_CACHE=0 in the environment: three prepares of one unchanged file, and each opens
 * and reads it, where the third opens nothing with the cache on
 * (test_unchanged_file_not_read_again()). The library reads the variable once per process, so
 * this runs alone, as the test fs-loader-cache-off, with the variable set (tests/meson.build).
 */
static void test_env_turns_cache_off(void **state)
{
	const char *env = getenv("LLEXT_FILE_CACHE");

	(void)state;
	assert_non_null(env);
	assert_string_equal(env, "0");
	setup_versions();
	llext_fs_settle_ns = 0;
	for (size_t size = 40 << 10;; size = version_len[0]) {
		write_version(versions[0], size);
		for (int i = 0; i < 3; i++) {
			struct io io = io_to_prepare();

			assert_true(io.opens == 1 && io.preads > 0);
		}
		if (size == version_len[0]) {
			break;
		}
	}
	teardown_versions();
}

/* Sets the file's modification time to @mtim (its change time becomes now). */
static void set_mtime(struct timespec mtim)
{
	struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, mtim};

	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

/*
 * Rewrites the file with version @v, and sets its modification time a second past the last one:
 * with llext_fs_settle_ns at 0, a rewrite within one tick of the file system's clock would
 * otherwise leave the file's times as they were (the case the settling time is for).
 */
static void rewrite_later(int v)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	write_version(versions[v], version_len[v]);
	st.st_mtim.tv_sec++;
	set_mtime(st.st_mtim);
}

/*
 * A file rewritten since, with another version of the same size in the same inode, is read
 * again: only its times tell the versions apart, and the load gets the new one whole.
 */
static void test_rewritten_file_read_again(void **state)
{
	(void)state;
	setup_versions();
	assert_int_equal(version_len[0], version_len[1]);
	llext_fs_settle_ns = 0;
	write_version(versions[0], version_len[0]);
	assert_int_equal(loaded_version(), 1);
	assert_true(reads_to_prepare() > 0); /* the code, into the snapshot */
	assert_int_equal(reads_to_prepare(), 0);
	rewrite_later(1);
	assert_int_equal(loaded_version(), 2);
	assert_int_equal(loaded_version(), 2);
	rewrite_later(0);
	assert_true(reads_to_prepare() > 0);
	assert_int_equal(loaded_version(), 1);
	teardown_versions();
}

/*
 * The file is rewritten just before the kept snapshot's hole is read into it, by a load through
 * the same path (the snapshot is found by it) and through another one (found by the open file's
 * status): either load reads the new version whole.
 */
static void test_changed_while_holes_filled(void **state)
{
	char link[sizeof(path) + 8];
	const char *through[] = {path, link};
	Elf64_Shdr code;
	int v;

	(void)state;
	setup_versions();
	find_shdr(versions[0], ".text.version_code", &code);
	assert_int_equal(version_len[0], version_len[1]);
	snprintf(link, sizeof(link), "%s-link", path);
	assert_int_equal(symlink(path, link), 0);
	llext_fs_settle_ns = 0;
	for (size_t i = 0; i < ARRAY_SIZE(through); i++) {
		/* Times of now, where rewrite_later() sets a second ahead: settled at once (not
		 * changed since now), the snapshot is kept for the next load. */
		write_version(versions[0], version_len[0]);
		assert_int_equal(loaded_version(), 1);
		/* The next prepare's first read is the hole's: it would get version 2's code. */
		atomic_store(&rewrite_at_pread, 1);
		assert_int_equal(load_version_at(through[i], "filled", &v), 0);
		assert_int_equal(atomic_load(&rewrite_at_pread), 0);
		assert_int_equal(atomic_load(&rewrite_pread_off), (long)code.sh_offset);
		assert_int_equal(v, 2);
		assert_int_equal(load_version_at(through[i], "filled", &v), 0);
		assert_int_equal(v, 2);
	}
	unlink(link);
	teardown_versions();
}

/*
 * A file that changed shortly before it was read is read again next time: a rewrite within one
 * tick of the file system's clock could leave its times as they were. The change time counts
 * as much as the modification time, which tools such as tar and cp -p set in the past.
 */
static void test_recent_file_read_again(void **state)
{
	struct stat st;

	(void)state;
	setup_versions();
	llext_fs_settle_ns = (int64_t)3600 * 1000000000; /* an hour: every file here is recent */
	write_version(versions[0], version_len[0]);
	assert_true(reads_to_prepare() > 0);
	assert_true(reads_to_prepare() > 0);

	/* Modified an hour ago, by its modification time; changed now, by its change time. */
	llext_fs_settle_ns = LLEXT_FS_SETTLE_DEFAULT;
	assert_int_equal(stat(path, &st), 0);
	st.st_mtim.tv_sec -= 3600;
	set_mtime(st.st_mtim);
	assert_true(reads_to_prepare() > 0);
	assert_true(reads_to_prepare() > 0);
	teardown_versions();
}

/*
 * Loads of one unchanged file in several threads at once, each extension under a name of its
 * own: each load gets the kept bytes or reads the file, and every one is of that version. The
 * results are checked in the main thread.
 */
struct at_once {
	char name[16];
	int v[40]; /* version_check()'s answer, or the load's error */
};

static void *load_version_in_turn(void *arg)
{
	struct at_once *a = arg;

	for (int i = 0; i < 40; i++) {
		int v, ret = load_version(a->name, &v);

		a->v[i] = ret ? ret : v;
	}
	return NULL;
}

static void test_unchanged_file_loaded_at_once(void **state)
{
	struct at_once a[3];
	pthread_t t[3];

	(void)state;
	setup_versions();
	llext_fs_settle_ns = 0;
	write_version(versions[1], version_len[1]);
	assert_int_equal(loaded_version(), 2);
	for (int k = 0; k < 3; k++) {
		snprintf(a[k].name, sizeof(a[k].name), "at-once-%d", k);
		assert_int_equal(pthread_create(&t[k], NULL, load_version_in_turn, &a[k]), 0);
	}
	for (int k = 0; k < 3; k++) {
		pthread_join(t[k], NULL);
	}
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < 40; i++) {
			assert_int_equal(a[k].v[i], 2);
		}
	}
	assert_int_equal(registry_count(), 0);
	teardown_versions();
}

/*
 * A file on a network or user-space file system is read again every time, changed or not: its
 * times come from another clock. Here fstatfs() says which file system the file is on; told
 * the truth again, the loader uses the bytes of the same file.
 */
static void test_remote_file_read_again(void **state)
{
	static const long remote[] = {
	    0x6969,     /* NFS */
	    0x65735546, /* FUSE, virtiofs */
	    0xff534d42, /* CIFS */
	    0xfe534d42, /* SMB2 */
	    0x01021997, /* 9p */
	};

	(void)state;
	setup_versions();
	llext_fs_settle_ns = 0;
	write_version(versions[0], 40 << 10);
	for (size_t i = 0; i < ARRAY_SIZE(remote); i++) {
		atomic_store(&fs_type_shown, remote[i]);
		assert_true(reads_to_prepare() > 0);
		assert_true(reads_to_prepare() > 0);
	}
	atomic_store(&fs_type_shown, 0);
	assert_true(reads_to_prepare() > 0);
	assert_int_equal(reads_to_prepare(), 0);
	teardown_versions();
}

/*
 * Puts the settling time, and the file system fstatfs() reports, back after a test that changed
 * them, whether or not the test passed.
 */
static int settle_back(void **state)
{
	(void)state;
	llext_fs_settle_ns = LLEXT_FS_SETTLE_DEFAULT;
	atomic_store(&fs_type_shown, 0);
	atomic_store(&rewrite_at_pread, 0);
	return 0;
}

/* A file loader that rewrites the file with version 2 just before the code section is read. */
struct racing {
	struct llext_loader loader;
	struct llext_fs_loader fs;
	uint64_t code_off;
	bool rewrite;
};

static int racing_prepare(struct llext_loader *l)
{
	struct racing *r = (struct racing *)l;

	return r->fs.loader.prepare(&r->fs.loader);
}

static int racing_read(struct llext_loader *l, void *out, size_t len)
{
	struct racing *r = (struct racing *)l;

	if (r->rewrite && r->fs.pos == r->code_off) {
		write_version(versions[1], version_len[1]);
		r->rewrite = false;
	}
	return r->fs.loader.read(&r->fs.loader, out, len);
}

static int racing_seek(struct llext_loader *l, size_t pos)
{
	struct racing *r = (struct racing *)l;

	return r->fs.loader.seek(&r->fs.loader, pos);
}

static void *racing_peek(struct llext_loader *l, size_t pos)
{
	struct racing *r = (struct racing *)l;

	return r->fs.loader.peek(&r->fs.loader, pos);
}

static void racing_finalize(struct llext_loader *l)
{
	struct racing *r = (struct racing *)l;

	r->fs.loader.finalize(&r->fs.loader);
}

static int racing_load(bool rewrite, struct llext **ext)
{
	Elf64_Shdr code;
	struct racing r = {
	    .loader = {.prepare = racing_prepare,
	               .read = racing_read,
	               .seek = racing_seek,
	               .peek = racing_peek,
	               .finalize = racing_finalize},
	    .fs = LLEXT_FS_LOADER(path),
	    .rewrite = rewrite,
	};

	find_shdr(versions[0], ".text.version_code", &code);
	r.code_off = code.sh_offset;
	write_version(versions[0], version_len[0]);
	return llext_load(&r.loader, "racing", ext, NULL);
}

/* The file changes after the snapshot and before its code is read: the load fails, whole. */
static void test_changed_before_code_read(void **state)
{
	struct llext *ext;
	int (*check)(void);

	(void)state;
	setup_versions();
	/* Untouched, the same loader loads version 1. */
	assert_int_equal(racing_load(false, &ext), 0);
	check = (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "version_check");
	assert_non_null(check);
	assert_int_equal(check(), 1);
	assert_int_equal(llext_unload(&ext), 0);

	log_capture_start();
	assert_int_equal(racing_load(true, &ext), -ESTALE);
	log_capture_stop();
	assert_null(ext);
	assert_true(log_contains("changed while it loaded"));
	assert_int_equal(registry_count(), 0);
	teardown_versions();
}

/*
 * A code section that shares bytes with the tables the load parses in place (symbols, names,
 * relocations) is read into the snapshot like the rest. A file of other bytes, loaded first,
 * leaves them in the kept snapshot memory; had the shared bytes been a hole, the load would
 * parse those instead of the symbol table and fail.
 */
static void test_shared_code_is_no_hole(void **state)
{
	Elf64_Shdr code;
	Elf64_Ehdr eh;
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct llext *ext;
	uint8_t *other;
	int (*check)(void);
	size_t ci;

	(void)state;
	setup_versions();
	other = malloc(version_len[0]);
	assert_non_null(other);
	memset(other, 0xab, version_len[0]);
	write_version(other, version_len[0]);
	log_capture_start();
	assert_int_equal(llext_load(&ldr.loader, "other", &ext, NULL), -EINVAL);
	log_capture_stop();

	/* The code section moved to end where the section headers start: it now covers the
	 * end of .rodata, .eh_frame and its relocations, the symbol and string tables. */
	ci = find_shdr(versions[0], ".text.version_code", &code);
	memcpy(&eh, versions[0], sizeof(eh));
	code.sh_offset = eh.e_shoff - code.sh_size;
	memcpy((uint8_t *)versions[0] + eh.e_shoff + ci * sizeof(code), &code, sizeof(code));
	write_version(versions[0], version_len[0]);
	assert_int_equal(llext_load(&ldr.loader, "shared", &ext, NULL), 0);
	check = (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "version_check");
	assert_non_null(check);
	/* Its bytes are those of the other sections now, not version 1's code bytes. */
	assert_int_equal(check(), -1);
	assert_int_equal(llext_unload(&ext), 0);
	free(other);
	teardown_versions();
}

#ifdef TEST_ASAN
/*
 * Under AddressSanitizer, what the snapshot's mapping holds that is not the file's is poisoned
 * while the snapshot is in use: its holes, and everything after the file's last byte to the end
 * of the pages it takes, where an earlier, larger file's bytes lie. A read there by the loader
 * is reported; given back, the mapping is whole again.
 */
static void test_unread_bytes_poisoned(void **state)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), small = 40 << 10;
	Elf64_Shdr code;
	uint8_t *map;

	(void)state;
	setup_versions();
	find_shdr(versions[0], ".text.version_code", &code);
	write_version(versions[0], version_len[0]);
	assert_int_equal(ldr.loader.prepare(&ldr.loader), 0);
	map = ldr.map;
	assert_false(__asan_address_is_poisoned(map));
	assert_true(__asan_address_is_poisoned(map + code.sh_offset));
	assert_false(__asan_address_is_poisoned(map + ldr.size - 1));
	assert_true(__asan_address_is_poisoned(map + ldr.size));
	ldr.loader.finalize(&ldr.loader);
	assert_false(__asan_address_is_poisoned(map + code.sh_offset));
	assert_false(__asan_address_is_poisoned(map + version_len[0]));

	/* A smaller file in the same mapping: the larger one's bytes after it are out of reach. */
	write_version(versions[0], small);
	assert_int_equal(ldr.loader.prepare(&ldr.loader), 0);
	assert_ptr_equal(ldr.map, map);
	assert_false(__asan_address_is_poisoned(map + small - 1));
	assert_true(__asan_address_is_poisoned(map + small));
	assert_true(__asan_address_is_poisoned(map + llext_align_up(small + 1, page) - 1));
	ldr.loader.finalize(&ldr.loader);
	assert_false(__asan_address_is_poisoned(map + small));
	teardown_versions();
}
#endif

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rewritten_while_loading),
	    cmocka_unit_test(test_sizes_in_turn),
	    cmocka_unit_test(test_snapshot_kept),
#ifdef TEST_ASAN
	    cmocka_unit_test(test_unread_bytes_poisoned),
#endif
	    cmocka_unit_test_teardown(test_unchanged_file_not_read_again, settle_back),
	    cmocka_unit_test_teardown(test_rewritten_file_read_again, settle_back),
	    cmocka_unit_test_teardown(test_changed_while_holes_filled, settle_back),
	    cmocka_unit_test_teardown(test_recent_file_read_again, settle_back),
	    cmocka_unit_test_teardown(test_remote_file_read_again, settle_back),
	    cmocka_unit_test_teardown(test_unchanged_file_loaded_at_once, settle_back),
	    cmocka_unit_test_teardown(test_param_turns_cache_off, settle_back),
	    cmocka_unit_test(test_code_read_in_place),
	    cmocka_unit_test(test_changed_before_code_read),
	    cmocka_unit_test(test_shared_code_is_no_hole),
	};

	const struct CMUnitTest env_off[] = {
	    cmocka_unit_test_teardown(test_env_turns_cache_off, settle_back),
	};

	if (argc == 2 && strcmp(argv[1], "--cache-off") == 0) {
		return cmocka_run_group_tests_name("fs-loader-cache-off", env_off, NULL, NULL);
	}
	return cmocka_run_group_tests_name("filechange", tests, NULL, NULL);
}
