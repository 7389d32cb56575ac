// SPDX-License-Identifier: MIT
/*
 * A file that changes while it loads: another thread truncates and rewrites it, alternating two
 * versions of one extension, while two threads load it through the file loader. Every load must
 * end in an error or in an extension built from one version only (its code and its 300 KB of
 * data agree); never a signal, never a half-registered extension.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/fs_loader.h>
#include <llext/log.h>

#include "common.h"
#include "maps.h"

/* Rewrites by the writer; loads by each loader continue until it is done. */
#define REWRITES 300
#define LOADERS 2

static char path[] = "/tmp/llext-filechange-XXXXXX";
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

static void load_once(struct tally *t, const char *name)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct llext *ext;
	int ret = llext_load(&ldr.loader, name, &ext, NULL);

	if (ret != 0) {
		/* What a torn read can look like: changing, truncated, or inconsistent. */
		t->failed++;
		t->bad_error += ret != -ESTALE && ret != -EINVAL && ret != -ENOEXEC;
		return;
	}
	int (*check)(void) =
	    (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "version_check");
	int v = check ? check() : -1;

	t->loaded[v == 1 || v == 2 ? v : 0]++;
	llext_unload(&ext);
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

static void test_rewritten_while_loading(void **state)
{
	struct tally t[LOADERS] = {0};
	int loaded = 0;
	pthread_t w, l[LOADERS];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	versions[0] = read_file(fixture_path("version-1.o"), &version_len[0]);
	versions[1] = read_file(fixture_path("version-2.o"), &version_len[1]);
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
	unlink(path);
	free(versions[0]);
	free(versions[1]);
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

static bool add_mapping(uintptr_t lo, uintptr_t hi, const char *perms, void *arg)
{
	(void)perms;
	*(size_t *)arg += hi - lo;
	return false;
}

/* Bytes mapped: adjacent mappings merge, so their number would not show one left behind. */
static size_t mapped_bytes(void)
{
	size_t n = 0;

	maps_each(add_mapping, &n);
	return n;
}

/*
 * The file loader keeps the memory of its last large read for the next one: files larger and
 * smaller than it, in turn, each load whole, and the rounds leave no mapping behind.
 */
static void test_sizes_in_turn(void **state)
{
	static const size_t sizes[] = {0, 3 << 20, 400 << 10, 5 << 20, 2 << 20, 300 << 10};
	size_t mapped_before = 0;
	int fd;

	(void)state;
	strcpy(path, "/tmp/llext-filechange-XXXXXX"); /* the previous test's file is gone */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	versions[0] = read_file(fixture_path("version-1.o"), &version_len[0]);
	/* The fixture is above the size from which the loader maps its read. */
	assert_true(version_len[0] >= 256 << 10);
	for (int round = 0; round < 3; round++) {
		if (round == 2) {
			mapped_before = mapped_bytes();
		}
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			struct tally t = {0};

			write_padded(sizes[i] > version_len[0] ? sizes[i] : version_len[0]);
			load_once(&t, "sizes");
			assert_int_equal(t.failed, 0);
			assert_int_equal(t.loaded[1], 1);
		}
	}
	assert_int_equal(mapped_bytes(), mapped_before);
	assert_int_equal(registry_count(), 0);
	unlink(path);
	free(versions[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rewritten_while_loading),
	    cmocka_unit_test(test_sizes_in_turn),
	};

	return cmocka_run_group_tests_name("filechange", tests, NULL, NULL);
}
