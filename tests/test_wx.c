// SPDX-License-Identifier: MIT
/*
 * W^X while extensions load, not only once they are loaded. Two observers read /proc/self/maps:
 * a second thread that reads it over and over for as long as the loads go on, and libllext's own
 * log callback, which at the debug level is called at many points inside each load (reading the
 * maps there sees the load stopped half-way). After each load, and after the last, the loading
 * thread reads it too. What must hold at every look: no mapping is writable and executable; and
 * no mapping of an extension's memory file (sealed text, "/memfd:NAME" after the extension) is
 * writable at all.
 *
 * Each case loads real objects (fixtures and whole Debian libraries) many times in one text mode,
 * given by the load's text_mode, or chosen by libllext (LLEXT_TEXT_AUTO: the "wx-sealed" run sets
 * LLEXT_SEALED_TEXT=1 for it), and runs their code.
 */
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include <llext/fs_loader.h>
#include <llext/log.h>

#include "common.h"

/* Every extension of this program is named so; its memory file shows as "/memfd:" NAME. */
#define PREFIX "wxext"
#define MEMFD_OF_OURS "/memfd:" PREFIX

/* Rounds over the objects below in each case. */
#define ROUNDS 6

/* ---- reading the maps ---- */

/* What the looks found; any thread adds to it. */
static struct {
	atomic_int looks, bad, sealed_seen;
	atomic_flag have_first;
	char first[1200];
} seen;

/* Valgrind preloads its own libraries into the programs it runs; its translation cache is
 * writable and executable, and shows in the maps. */
static bool under_valgrind(void)
{
	const char *pre = getenv("LD_PRELOAD");

	return pre && strstr(pre, "vgpreload");
}

static void bad_line(const char *why, const char *line)
{
	atomic_fetch_add(&seen.bad, 1);
	if (!atomic_flag_test_and_set(&seen.have_first)) {
		snprintf(seen.first, sizeof(seen.first), "%s: %s", why, line);
	}
}

/*
 * qemu-user makes up /proc/self/maps from the host's, naming each range as the host does but
 * giving it the guest protection its own page table holds when the line is printed. A look that
 * races an mmap() or munmap() of another thread can therefore pair a name with the protection of
 * the mapping before or after it at that address: the memory file of a text just unmapped with
 * the read+write of the next reservation. Under qemu the sampler's looks check W^X only (qemu
 * never gives a guest page write and execute unless asked); the looks the loading thread takes
 * itself, inside the load and after it, race nothing and check everything.
 */
#ifdef WX_EMULATED
static const bool emulated = true;
#else
static const bool emulated = false;
#endif

/* One look at the whole of /proc/self/maps; @racing if mappings may change meanwhile. */
static void look(bool racing)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[1024];
	bool ours, writable, exec;

	if (!f) {
		bad_line("cannot open", "/proc/self/maps");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char perms[5] = "";

		if (sscanf(line, "%*x-%*x %4s", perms) != 1) {
			continue;
		}
		ours = strstr(line, MEMFD_OF_OURS) != NULL;
		writable = perms[1] == 'w';
		exec = perms[2] == 'x';
		if (ours) {
			atomic_fetch_add(&seen.sealed_seen, 1);
		}
		if (ours && writable && !(racing && emulated)) {
			bad_line("a writable mapping of sealed text", line);
		} else if (writable && exec && !under_valgrind()) {
			bad_line("writable and executable", line);
		}
	}
	fclose(f);
	atomic_fetch_add(&seen.looks, 1);
}

/* ---- the second thread ---- */

static struct {
	atomic_bool stop;
	/* Looks completed by the sampler, and those it started while a load ran. */
	atomic_int done, during;
	atomic_bool loading;
} sampler;

static void *sample(void *arg)
{
	(void)arg;
	while (!atomic_load(&sampler.stop)) {
		bool in_load = atomic_load(&sampler.loading);

		look(true);
		atomic_fetch_add(&sampler.done, 1);
		if (in_load) {
			atomic_fetch_add(&sampler.during, 1);
		}
	}
	return NULL;
}

/* Until the sampler has finished a look that it started after this call. */
static void wait_for_sample(void)
{
	int from = atomic_load(&sampler.done);

	while (atomic_load(&sampler.done) < from + 2) {
		sched_yield();
	}
}

/* ---- the log hook ---- */

static atomic_int hook_looks;
static atomic_bool first_hold;

/* Called inside the load on the loading thread: look, and once per case hold the load there
 * until the sampler has looked too, so that it surely saw a load half-done. */
static void hook(enum llext_log_level level, const char *msg, void *user)
{
	(void)user;
	if (level == LLEXT_LOG_ERR) {
		fprintf(stderr, "llext: %s\n", msg); /* shown when the test fails */
	}
	look(false);
	atomic_fetch_add(&hook_looks, 1);
	if (atomic_exchange(&first_hold, false)) {
		wait_for_sample();
	}
}

/* ---- the objects ---- */

static void run_basic(struct llext *ext)
{
	int (*ops)(int, int, int) = ext_sym(ext, "basic_ops");

	assert_int_equal(ops(0, 40, 2), 42);
	assert_int_equal(ops(2, 6, 7), 42);
}

static void run_zlib(struct llext *ext)
{
	const char *(*version)(void) = ext_sym(ext, "zlibVersion");

	assert_string_equal(version(), ZLIB_VERSION);
}

static void run_zstd(struct llext *ext)
{
	unsigned (*number)(void) = ext_sym(ext, "ZSTD_versionNumber");

	assert_int_equal(number(), ZSTD_VERSION_NUMBER);
}

static void run_sqlite(struct llext *ext)
{
	int (*number)(void) = ext_sym(ext, "sqlite3_libversion_number");

	assert_int_equal(number(), SQLITE_VERSION_NUMBER);
}

static const struct object {
	bool real;
	const char *file;
	void (*run)(struct llext *ext);
} objects[] = {
    {false, "basic-gcc-default.o", run_basic},
    {false, "basic-gcc-pic.o", run_basic},
    {false, "basic-clang-default.o", run_basic},
    {true, "zlib.o", run_zlib},
    {true, "zstd.o", run_zstd},
    {true, "sqlite3.o", run_sqlite},
};

static const char *path_of(const struct object *o)
{
	static char path[4096];

	if (!o->real) {
		return fixture_path(o->file);
	}
	snprintf(path, sizeof(path), "%s/%s", REAL_DIR, o->file);
	return path;
}

/* ---- the cases ---- */

static void load_many(enum llext_text_mode mode)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	size_t n = sizeof(objects) / sizeof(objects[0]);
	char name[32];

	param.text_mode = mode;
	atomic_store(&first_hold, true);
	atomic_store(&sampler.loading, true);
	for (int r = 0; r < ROUNDS; r++) {
		for (size_t i = 0; i < n; i++) {
			struct llext_fs_loader fl = LLEXT_FS_LOADER(path_of(&objects[i]));
			struct llext *ext = NULL;
			int before = atomic_load(&hook_looks);

			snprintf(name, sizeof(name), PREFIX "%d", r * (int)n + (int)i);
			assert_int_equal(llext_load(&fl.loader, name, &ext, &param), 0);
			assert_true(atomic_load(&hook_looks) > before);
			look(false);
			objects[i].run(ext);
			assert_int_equal(llext_unload(&ext), 0);
		}
	}
	atomic_store(&sampler.loading, false);
	look(false);
}

/* Loads in @mode with both observers; whether sealed text must have been seen. */
static void check_mode(enum llext_text_mode mode, bool sealed)
{
	pthread_t t;

	memset(&seen, 0, sizeof(seen));
	atomic_flag_clear(&seen.have_first);
	atomic_store(&sampler.stop, false);
	atomic_store(&sampler.during, 0);
	atomic_store(&hook_looks, 0);
	llext_set_log(LLEXT_LOG_DBG, hook, NULL);
	assert_int_equal(pthread_create(&t, NULL, sample, NULL), 0);
	wait_for_sample();
	load_many(mode);
	atomic_store(&sampler.stop, true);
	assert_int_equal(pthread_join(t, NULL), 0);
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);

	print_message(
	    "# %d looks at the maps, %d by the sampler during loads, %d from inside loads, "
	    "%d lines of sealed text\n",
	    atomic_load(&seen.looks), atomic_load(&sampler.during), atomic_load(&hook_looks),
	    atomic_load(&seen.sealed_seen));
	if (atomic_load(&seen.bad)) {
		fail_msg("%d bad mappings; the first: %s", atomic_load(&seen.bad), seen.first);
	}
	assert_true(atomic_load(&sampler.during) > 0);
	if (sealed) {
		assert_true(atomic_load(&seen.sealed_seen) > 0);
	} else {
		assert_int_equal(atomic_load(&seen.sealed_seen), 0);
	}
}

static void test_wx_anonymous(void **state)
{
	(void)state;
	check_mode(LLEXT_TEXT_ANONYMOUS, false);
}

static void test_wx_sealed(void **state)
{
	(void)state;
	check_mode(LLEXT_TEXT_SEALED, true);
}

/* libllext's choice: sealed text if the environment forces it (the "wx-sealed" run). */
static void test_wx_auto(void **state)
{
	const char *env = getenv("LLEXT_SEALED_TEXT");

	(void)state;
	check_mode(LLEXT_TEXT_AUTO, env && strcmp(env, "1") == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wx_anonymous),
	    cmocka_unit_test(test_wx_sealed),
	    cmocka_unit_test(test_wx_auto),
	};

	if (emulated) {
		print_message(
		    "# under qemu-user, whose /proc/self/maps may pair one mapping's name "
		    "with another's protection while they change: the second thread checks "
		    "only W^X, the loading thread everything\n");
	}
	if (under_valgrind()) {
		print_message(
		    "# under valgrind, whose translation cache is writable and executable: "
		    "only the extensions' memory files are checked for W^X\n");
	}
	return cmocka_run_group_tests_name("wx", tests, NULL, NULL);
}
