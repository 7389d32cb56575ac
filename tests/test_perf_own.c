// SPDX-License-Identifier: MIT
/*
 * The perf record files are written only when they are the process's own regular files: a FIFO
 * planted at /tmp/perf-PID.llext or .map neither hangs the load nor is written, nor is a hard
 * link or another user's file, nor is a hard link at the jitdump file's path; and a function name
 * with a newline (a hostile object's string table) stays one line of /tmp/perf-PID.map.
 *
 * Each case runs in a child of its own: the paths are named after the PID, and LLEXT_PERF_MAP is
 * read at the process's first load. A child's checks end it with a code the parent asserts; an
 * alarm ends a child that hangs, which fails its case.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "logcap.h"
#include "objsyms.h"

#define HANG_GUARD_SECONDS 60

/* Ends the child with code 1 and a message if @cond is false. */
#define CHILD_CHECK(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "child: %s:%d: %s failed\n", __FILE__, __LINE__, #cond);   \
			_exit(1);                                                                  \
		}                                                                                  \
	} while (0)

static void record_path(char *buf, size_t n, const char *ext)
{
	snprintf(buf, n, "/tmp/perf-%d.%s", (int)getpid(), ext);
}

/* Runs @fn in a child with LLEXT_PERF_MAP=1 and asserts that it exited 0 in time. */
static void in_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		char map[64], sects[64];

		alarm(HANG_GUARD_SECONDS);
		setenv("LLEXT_PERF_MAP", "1", 1);
		fn();
		record_path(map, sizeof(map), "map");
		record_path(sects, sizeof(sects), "llext");
		unlink(map);
		unlink(sects);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status)) {
		fail_msg("the child was killed by signal %d (%s)", WTERMSIG(status),
		         WTERMSIG(status) == SIGALRM ? "the load hung" : "crashed");
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Loads basic-gcc-pic.o twice: both loads succeed, "not own" is logged once, for @path. */
static void load_twice_refused(const char *path)
{
	struct llext *a, *b;
	const char *first;

	log_capture_start();
	CHILD_CHECK(load_fixture("basic-gcc-pic.o", "basic", &a, NULL) == 0);
	CHILD_CHECK(load_fixture("basic-gcc-pic.o", "basic2", &b, NULL) == 0);
	log_capture_stop();
	first = strstr(log_text(), "is not this process's own file");
	CHILD_CHECK(first && strstr(log_text(), path));
	CHILD_CHECK(!strstr(first + 1, "is not this process's own file"));
	CHILD_CHECK(llext_unload(&b) == 0);
	CHILD_CHECK(llext_unload(&a) == 0);
}

static void fifo_at(const char *which, const char *other)
{
	char fifo[64], regular[64];
	struct stat st;

	record_path(fifo, sizeof(fifo), which);
	record_path(regular, sizeof(regular), other);
	unlink(fifo);
	unlink(regular);
	CHILD_CHECK(mkfifo(fifo, 0666) == 0);
	load_twice_refused(fifo);
	/* Left a FIFO, and the other file is written as usual. */
	CHILD_CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	CHILD_CHECK(size_of(regular) > 0);
	unlink(fifo);
}

static void fifo_llext(void)
{
	fifo_at("llext", "map");
}

static void fifo_map(void)
{
	fifo_at("map", "llext");
}

static void test_fifo_llext(void **state)
{
	(void)state;
	in_child(fifo_llext);
}

static void test_fifo_map(void **state)
{
	(void)state;
	in_child(fifo_map);
}

/* A hard link at the path to a file elsewhere: the file is not written through it. */
static void hard_link(void)
{
	char target[] = "/tmp/perf-own-target-XXXXXX", path[64];
	int fd = mkstemp(target);

	CHILD_CHECK(fd >= 0);
	close(fd);
	record_path(path, sizeof(path), "llext");
	unlink(path);
	CHILD_CHECK(link(target, path) == 0);
	load_twice_refused(path);
	CHILD_CHECK(size_of(target) == 0);
	unlink(path);
	unlink(target);
}

static void test_hard_link(void **state)
{
	(void)state;
	in_child(hard_link);
}

/* The jitdump file, a hard link to a file with content: neither truncated nor written. */
static void jitdump_hard_link(void)
{
	char target[] = "/tmp/perf-own-target-XXXXXX", path[64];
	int fd = mkstemp(target);

	CHILD_CHECK(fd >= 0);
	CHILD_CHECK(write(fd, "KEEP", 4) == 4);
	close(fd);
	setenv("LLEXT_PERF_JITDUMP", "1", 1);
	snprintf(path, sizeof(path), "/tmp/jit-%d.dump", (int)getpid());
	unlink(path);
	CHILD_CHECK(link(target, path) == 0);
	load_twice_refused(path);
	CHILD_CHECK(size_of(target) == 4);
	unlink(path);
	unlink(target);
}

static void test_jitdump_hard_link(void **state)
{
	(void)state;
	in_child(jitdump_hard_link);
}

/* A 0666 file of another user at the path: not appended to. Needs root to make one. */
static void other_user(void)
{
	char path[64];
	int fd;

	record_path(path, sizeof(path), "map");
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	CHILD_CHECK(fd >= 0);
	CHILD_CHECK(fchown(fd, 65534, 65534) == 0 && fchmod(fd, 0666) == 0);
	close(fd);
	load_twice_refused(path);
	CHILD_CHECK(size_of(path) == 0);
	unlink(path);
}

static void test_other_user(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		/* Not cmocka's skip(): its TAP line, "not ok N # SKIP", is a failure to meson. */
		print_message("# not run: making another user's file needs root; nothing was "
		              "checked\n");
		return;
	}
	in_child(other_user);
}

/* ---- a newline in a function's name ---- */

/* Puts a newline inside the name of @b's first defined function named with 3 or more
 * characters. */
static void newline_in_name(uint8_t *b)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);

	for (size_t i = 1; i < eh->e_shnum; i++) {
		Elf64_Sym *sym = (Elf64_Sym *)(b + sh[i].sh_offset);
		char *names = (char *)b + sh[sh[i].sh_link].sh_offset;

		if (sh[i].sh_type != SHT_SYMTAB) {
			continue;
		}
		for (size_t k = 1; k < sh[i].sh_size / sizeof(*sym); k++) {
			if (ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC &&
			    sym[k].st_shndx != SHN_UNDEF && strlen(names + sym[k].st_name) >= 3) {
				names[sym[k].st_name + 1] = '\n';
				return;
			}
		}
	}
	CHILD_CHECK(!"a defined function");
}

static void newline_map(void)
{
	struct objsym *syms;
	size_t n = objsyms_read(fixture_path("basic-gcc-pic.o"), &syms), len, lines = 0;
	size_t funcs = objsyms_nfuncs(syms, n);
	uint8_t *b = read_file(fixture_path("basic-gcc-pic.o"), &len);
	char path[64], buf[1024];
	struct llext *ext;
	FILE *f;

	objsyms_free(syms, n);
	record_path(path, sizeof(path), "map");
	unlink(path);
	newline_in_name(b);
	CHILD_CHECK(load_buffer(b, len, "newline", &ext, NULL) == 0);
	f = fopen(path, "r");
	CHILD_CHECK(f);
	while (fgets(buf, sizeof(buf), f)) {
		unsigned long long start, size;
		char name[512];

		/* START SIZE NAME [EXT], and the [EXT] is on this line: no line was split. */
		CHILD_CHECK(sscanf(buf, "%llx %llx %511[^\n]", &start, &size, name) == 3);
		CHILD_CHECK(strstr(name, " [newline]"));
		lines++;
	}
	fclose(f);
	CHILD_CHECK(lines == funcs);
	CHILD_CHECK(llext_unload(&ext) == 0);
	free(b);
}

static void test_newline_in_name(void **state)
{
	(void)state;
	in_child(newline_map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fifo_llext),      cmocka_unit_test(test_fifo_map),
	    cmocka_unit_test(test_hard_link),       cmocka_unit_test(test_other_user),
	    cmocka_unit_test(test_newline_in_name), cmocka_unit_test(test_jitdump_hard_link),
	};

	return cmocka_run_group_tests_name("perf-own", tests, NULL, NULL);
}
