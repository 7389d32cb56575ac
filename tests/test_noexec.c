// SPDX-License-Identifier: MIT
/*
 * The file loader and noexec mounts (include/llext/fs_loader.h). The program moves itself into
 * a mount namespace of its own before any test runs (a user namespace too when it is not root),
 * and mounts there, on empty directories it makes: a tmpfs mounted noexec, a tmpfs mounted
 * normally, and a noexec view (a bind mount) of the fixtures' directory, whose files the file
 * cache may already hold from their normal path. Nothing of that is seen outside the process,
 * and it all goes when the process ends.
 *
 * A process that cannot make such mounts (no user namespaces, or seccomp forbids them) says so
 * with a "# not run" line in each case and checks nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <llext/buf_loader.h>
#include <llext/fs_loader.h>

#include "common.h"
#include "logcap.h"

#define FIXTURE "basic-gcc-default.o"

/* The directories mounted on, and why there are none if setting up failed. */
static char base[] = "/tmp/llext-noexec-XXXXXX";
static char noexec_dir[64], exec_dir[64], view_dir[64];
static char why_not[256];

/* ---- the mount namespace ---- */

static int write_proc(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		return -errno;
	}
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

/*
 * A mount namespace of our own, with nothing propagating out of it. Not root: in a user namespace
 * of our own, where we keep our user and group ids and may mount. (The kernel ignores the source
 * and type of the mount() calls that change propagation or bind; "none" is for valgrind, which
 * checks them.)
 */
static int own_namespace(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];

	if (uid == 0) {
		if (unshare(CLONE_NEWNS) != 0) {
			return -errno;
		}
	} else {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
			return -errno;
		}
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
		if (write_proc("/proc/self/uid_map", map) ||
		    write_proc("/proc/self/setgroups", "deny")) {
			return -EPERM;
		}
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)gid, (unsigned)gid);
		if (write_proc("/proc/self/gid_map", map)) {
			return -EPERM;
		}
	}
	return mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0 ? 0 : -errno;
}

/* A noexec view of directory @from at @to: a bind mount, then remounted with noexec and the
 * flags it had (a user namespace may not drop those). */
static int noexec_view(const char *from, const char *to)
{
	unsigned long keep = 0;
	struct statvfs vfs;

	if (statvfs(from, &vfs) != 0 || mount(from, to, "none", MS_BIND, NULL) != 0) {
		return -errno;
	}
	keep |= vfs.f_flag & ST_RDONLY ? MS_RDONLY : 0;
	keep |= vfs.f_flag & ST_NOSUID ? MS_NOSUID : 0;
	keep |= vfs.f_flag & ST_NODEV ? MS_NODEV : 0;
	if (mount("none", to, "none", MS_REMOUNT | MS_BIND | MS_NOEXEC | keep, NULL) != 0) {
		return -errno;
	}
	return 0;
}

/* The fixtures' directory. */
static const char *fixture_dir(void)
{
	static char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", fixture_path(FIXTURE));
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
	}
	return dir;
}

static int set_up_mounts(void)
{
	int err;

	if (!mkdtemp(base)) {
		snprintf(why_not, sizeof(why_not), "mkdtemp: %s", strerror(errno));
		return -1;
	}
	snprintf(noexec_dir, sizeof(noexec_dir), "%s/noexec", base);
	snprintf(exec_dir, sizeof(exec_dir), "%s/exec", base);
	snprintf(view_dir, sizeof(view_dir), "%s/view", base);
	if (mkdir(noexec_dir, 0700) || mkdir(exec_dir, 0700) || mkdir(view_dir, 0700)) {
		snprintf(why_not, sizeof(why_not), "mkdir: %s", strerror(errno));
		return -1;
	}
	err = own_namespace();
	if (err) {
		snprintf(why_not, sizeof(why_not), "no mount namespace of our own (%s)",
		         strerror(-err));
		return -1;
	}
	if (mount("tmpfs", noexec_dir, "tmpfs", MS_NOEXEC, "size=16m") != 0 ||
	    mount("tmpfs", exec_dir, "tmpfs", 0, "size=16m") != 0) {
		snprintf(why_not, sizeof(why_not), "cannot mount a tmpfs: %s", strerror(errno));
		return -1;
	}
	err = noexec_view(fixture_dir(), view_dir);
	if (err) {
		snprintf(why_not, sizeof(why_not), "cannot bind-mount noexec: %s", strerror(-err));
		return -1;
	}
	return 0;
}

static void tear_down_mounts(void)
{
	umount2(view_dir, MNT_DETACH);
	umount2(exec_dir, MNT_DETACH);
	umount2(noexec_dir, MNT_DETACH);
	rmdir(view_dir);
	rmdir(exec_dir);
	rmdir(noexec_dir);
	rmdir(base);
}

/* Not cmocka's skip(): its TAP line, "not ok N # SKIP", is a failure to meson. */
#define NEED_MOUNTS()                                                                              \
	do {                                                                                       \
		if (why_not[0]) {                                                                  \
			print_message("# not run: %s; nothing was checked\n", why_not);            \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* ---- helpers ---- */

/* @dir/@file, a copy of the fixture. */
static const char *copy_fixture(const char *dir, const char *file)
{
	static char path[4][128];
	static int next;
	char *p = path[next++ % 4];
	size_t len;
	void *bytes = read_file(fixture_path(FIXTURE), &len);
	FILE *f;

	snprintf(p, sizeof(path[0]), "%s/%s", dir, file);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(bytes);
	return p;
}

static int load_path(const char *path, const char *name, struct llext **ext, bool allow,
                     bool no_cache)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(path);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;

	param.allow_noexec = allow;
	param.no_file_cache = no_cache;
	return llext_load(&fl.loader, name, ext, &param);
}

/* The extension's code runs: S + A through a table of function pointers in its data. */
static void runs(struct llext *ext)
{
	int (*ops)(int, int, int) = ext_sym(ext, "basic_ops");

	assert_int_equal(ops(0, 20, 3), 23);
	assert_int_equal(ops(1, 20, 3), 17);
	assert_int_equal(ops(2, 20, 3), 60);
}

/* @path is refused with -EPERM and a message naming the option and the way to allow it, and
 * nothing is registered. */
static void assert_refused(const char *path, const char *name, bool no_cache)
{
	struct llext *ext = NULL;
	int before = registry_count();

	log_capture_start();
	assert_int_equal(load_path(path, name, &ext, false, no_cache), -EPERM);
	log_capture_stop();
	assert_null(ext);
	assert_true(log_contains(path));
	assert_true(log_contains("mounted noexec"));
	assert_true(log_contains("allow_noexec"));
	assert_true(log_contains("--allow-noexec"));
	assert_int_equal(registry_count(), before);
	assert_null(llext_by_name(name));
}

/* @path loads with allow_noexec and its code runs. */
static void assert_allowed(const char *path, const char *name, bool no_cache)
{
	struct llext *ext = NULL;

	assert_int_equal(load_path(path, name, &ext, true, no_cache), 0);
	assert_ptr_equal(llext_by_name(name), ext);
	runs(ext);
	assert_int_equal(llext_unload(&ext), 0);
	assert_null(llext_by_name(name));
}

/* ---- the cases ---- */

/* The file cache looks at the path before it serves anything; without the cache, the open file
 * is looked at. Both refuse, and allow_noexec lets both through. */
static void test_noexec_refused(void **state)
{
	const char *path;

	(void)state;
	NEED_MOUNTS();
	path = copy_fixture(noexec_dir, "plugin.o");
	assert_refused(path, "nxplugin", false);
	assert_refused(path, "nxplugin", true);
	assert_allowed(path, "nxplugin", false);
	assert_allowed(path, "nxplugin", true);
	/* Allowing one load allows no other. */
	assert_refused(path, "nxplugin", false);
}

/* A file the cache holds from its normal path is refused through a noexec view of it, and loads
 * through the normal path again afterwards. */
static void test_noexec_view_of_cached_file(void **state)
{
	char view[4096];
	struct llext *ext = NULL;

	(void)state;
	NEED_MOUNTS();
	snprintf(view, sizeof(view), "%s/%s", view_dir, FIXTURE);
	assert_int_equal(load_path(fixture_path(FIXTURE), "nxcached", &ext, false, false), 0);
	runs(ext);
	assert_int_equal(llext_unload(&ext), 0);

	assert_refused(view, "nxview", false);
	assert_refused(view, "nxview", true);
	assert_allowed(view, "nxview", false);

	assert_int_equal(load_path(fixture_path(FIXTURE), "nxcached", &ext, false, false), 0);
	runs(ext);
	assert_int_equal(llext_unload(&ext), 0);
}

/* A tmpfs mounted without noexec is no different from the fixtures' own file system. */
static void test_exec_mount_loads(void **state)
{
	struct llext *ext = NULL;
	const char *path;

	(void)state;
	NEED_MOUNTS();
	path = copy_fixture(exec_dir, "plugin.o");
	log_capture_start();
	assert_int_equal(load_path(path, "explugin", &ext, false, false), 0);
	log_capture_stop();
	assert_false(log_contains("noexec"));
	runs(ext);
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(load_path(path, "explugin", &ext, false, true), 0);
	runs(ext);
	assert_int_equal(llext_unload(&ext), 0);
}

/* llext_find_section() runs nothing, and the buffer loader's bytes are the host's business:
 * neither asks where a file came from. */
static void test_noexec_reads_and_buffers(void **state)
{
	struct llext_fs_loader fl;
	struct llext *ext = NULL;
	const char *path;
	void *bytes;
	size_t len;

	(void)state;
	NEED_MOUNTS();
	path = copy_fixture(noexec_dir, "read.o");
	fl = (struct llext_fs_loader)LLEXT_FS_LOADER(path);
	assert_true(llext_find_section(&fl.loader, ".text") > 0);

	bytes = read_file(path, &len);
	assert_int_equal(load_buffer(bytes, len, "nxbuffer", &ext, NULL), 0);
	runs(ext);
	assert_int_equal(llext_unload(&ext), 0);
	free(bytes);
}

/* A static archive on a noexec mount gives the extension code: refused as the object itself
 * would be, unless the load says allow_noexec. */
static void test_noexec_archive_library(void **state)
{
	struct llext_fs_loader fl;
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	const char *libs[2] = {NULL, NULL};
	char lib[4096];
	struct llext *ext = NULL;
	int before = registry_count(), (*chain)(void);

	(void)state;
	NEED_MOUNTS();
	snprintf(lib, sizeof(lib), "%s/libarc.a", view_dir);
	libs[0] = lib;
	param.libraries = libs;
	fl = (struct llext_fs_loader)LLEXT_FS_LOADER(fixture_path("arc-user.o"));
	log_capture_start();
	assert_int_equal(llext_load(&fl.loader, "nxarc", &ext, &param), -EPERM);
	log_capture_stop();
	assert_null(ext);
	assert_true(log_contains(lib));
	assert_true(log_contains("mounted noexec"));
	assert_true(log_contains("allow_noexec"));
	assert_int_equal(registry_count(), before);
	assert_null(llext_by_name("nxarc"));

	param.allow_noexec = true;
	assert_int_equal(llext_load(&fl.loader, "nxarc", &ext, &param), 0);
	/* arc_a() adds 1 to arc_b(), which adds 10 to arc_c(), which gives arc_hidden(100):
	 * 100 + 1000; four members of the archive. */
	chain = ext_sym(ext, "arc_user_chain");
	assert_int_equal(chain(), 1000 + 100 + 10 + 1);
	assert_int_equal(llext_unload(&ext), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_noexec_refused),
	    cmocka_unit_test(test_noexec_view_of_cached_file),
	    cmocka_unit_test(test_exec_mount_loads),
	    cmocka_unit_test(test_noexec_reads_and_buffers),
	    cmocka_unit_test(test_noexec_archive_library),
	};
	int ret;

	/* Before any thread exists: a user namespace takes only a single-threaded process. */
	if (set_up_mounts() != 0) {
		why_not[sizeof(why_not) - 1] = '\0';
	}
	ret = cmocka_run_group_tests_name("noexec", tests, NULL, NULL);
	tear_down_mounts();
	return ret;
}
