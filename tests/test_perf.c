// SPDX-License-Identifier: MIT
/*
 * Profiler support: /tmp/perf-PID.map and the jitdump file, read back and checked against each
 * object's own symbol table, llext_find_sym() and the loaded code; then, where perf can run,
 * `perf record` of llext-run spinning in an extension function, and `perf report` naming it.
 *
 * Arguments: llext-run. Whether perf ran is said on the TAP stream either way.
 */
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "objsyms.h"

static const char *llext_run_path;

/* ---- /tmp/perf-PID.map ---- */

struct map_line {
	unsigned long long start, size;
	char name[256];
};

static size_t read_map(struct map_line *lines, size_t max)
{
	char path[64], buf[512];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	f = fopen(path, "r");
	assert_non_null(f);
	while (n < max && fgets(buf, sizeof(buf), f)) {
		assert_int_equal(sscanf(buf, "%llx %llx %255[^\n]", &lines[n].start, &lines[n].size,
		                        lines[n].name),
		                 3);
		n++;
	}
	fclose(f);
	return n;
}

/* Every function of @file appears once, as "NAME [EXT]", at its address and with its size. */
static size_t check_map_funcs(const struct map_line *lines, size_t nlines, struct llext *ext,
                              const char *file)
{
	struct objsym *syms;
	size_t n = objsyms_read(fixture_path(file), &syms), checked = 0;

	for (size_t i = 0; i < n; i++) {
		const struct map_line *hit = NULL;
		struct llext_addr_info info;
		char want[300];

		if (syms[i].type != STT_FUNC) {
			continue;
		}
		snprintf(want, sizeof(want), "%s [%s]", syms[i].name, ext->name);
		for (size_t k = 0; k < nlines; k++) {
			if (strcmp(lines[k].name, want) == 0) {
				assert_null(hit);
				hit = &lines[k];
			}
		}
		if (!hit) {
			fail_msg("'%s' is not in the perf map", want);
		}
		if (syms[i].global) {
			assert_int_equal(hit->start,
			                 (uintptr_t)llext_find_sym(&ext->exp_tab, syms[i].name));
		}
		/* Locals have no other source of their address: it must be the extension's. */
		assert_int_equal(llext_addr_info((void *)(uintptr_t)hit->start, &info), 0);
		assert_ptr_equal(info.ext, ext);
		assert_string_equal(info.sym_name, syms[i].name);
		assert_int_equal(hit->size, syms[i].size);
		checked++;
	}
	objsyms_free(syms, n);
	return checked;
}

static void test_perf_map(void **state)
{
	static struct map_line lines[4096];
	struct llext *basic, *bt;
	size_t n, funcs;

	(void)state;
	assert_int_equal(load_fixture("basic-gcc-pic.o", "basic", &basic, NULL), 0);
	assert_int_equal(load_fixture("backtrace.o", "backtrace", &bt, NULL), 0);
	n = read_map(lines, 4096);
	funcs = check_map_funcs(lines, n, basic, "basic-gcc-pic.o");
	funcs += check_map_funcs(lines, n, bt, "backtrace.o");
	/* Nothing else: one line per function. */
	assert_int_equal(n, funcs);
	assert_int_equal(llext_unload(&bt), 0);
	assert_int_equal(llext_unload(&basic), 0);
}

/* ---- the jitdump file ---- */

struct jit_rec {
	uint64_t timestamp, code_addr, code_size, code_index;
	const char *name;
	const uint8_t *code;
};

static char jit_dir[4096];

/* Reads the jitdump file; checks its header and the layout of every record. */
static uint8_t *read_jitdump(struct jit_rec *recs, size_t max, size_t *nrecs)
{
	char path[4200];
	uint32_t h32[6];
	uint8_t *buf;
	size_t len, off, n = 0;

	snprintf(path, sizeof(path), "%s/jit-%d.dump", jit_dir, (int)getpid());
	buf = read_file(path, &len);
	assert_true(len >= 40);
	memcpy(h32, buf, sizeof(h32));
	assert_int_equal(h32[0], 0x4A695444u); /* magic */
	assert_int_equal(h32[1], 1);           /* version */
	assert_int_equal(h32[2], 40);          /* header size */
#if defined(__x86_64__)
	assert_int_equal(h32[3], EM_X86_64);
#else
	assert_int_equal(h32[3], EM_AARCH64);
#endif
	assert_int_equal(h32[5], (uint32_t)getpid());
	for (off = h32[2]; off < len; n++) {
		uint32_t id, size, pid;

		assert_true(len - off >= 56 && n < max);
		memcpy(&id, buf + off, 4);
		memcpy(&size, buf + off + 4, 4);
		assert_int_equal(id, 0); /* JIT_CODE_LOAD */
		assert_true(size >= 57 && size <= len - off);
		memcpy(&recs[n].timestamp, buf + off + 8, 8);
		memcpy(&pid, buf + off + 16, 4);
		assert_int_equal(pid, (uint32_t)getpid());
		memcpy(&recs[n].code_addr, buf + off + 32, 8); /* after vma, equal to it */
		assert_memory_equal(buf + off + 24, buf + off + 32, 8);
		memcpy(&recs[n].code_size, buf + off + 40, 8);
		memcpy(&recs[n].code_index, buf + off + 48, 8);
		recs[n].name = (const char *)buf + off + 56;
		assert_non_null(memchr(recs[n].name, 0, size - 56));
		recs[n].code = buf + off + 56 + strlen(recs[n].name) + 1;
		assert_true(56 + strlen(recs[n].name) + 1 + recs[n].code_size <= size);
		off += size;
	}
	assert_int_equal(off, len);
	*nrecs = n;
	return buf;
}

/* Whether this process maps the jitdump file executable, as perf inject --jit needs. */
static bool jitdump_mapped_exec(void)
{
	char want[64], line[4600];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	assert_non_null(f);
	snprintf(want, sizeof(want), "/jit-%d.dump", (int)getpid());
	while (fgets(line, sizeof(line), f)) {
		char perms[5];

		if (strstr(line, want) && sscanf(line, "%*x-%*x %4s", perms) == 1 &&
		    perms[2] == 'x') {
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* The records for @name, in file order; returns how many. */
static size_t records_of(const struct jit_rec *recs, size_t n, const char *name,
                         const struct jit_rec **out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(recs[i].name, name) == 0 && k < max) {
			out[k++] = &recs[i];
		}
	}
	return k;
}

static void test_jitdump(void **state)
{
	static struct jit_rec recs[4096];
	const struct jit_rec *hot[8];
	struct llext *bt;
	size_t n0, n, k;
	uint8_t *buf;
	void *hot_fn;

	(void)state;
	/* test_perf_map's loads came first: only what follows is this test's. */
	free(read_jitdump(recs, 4096, &n0));
	assert_int_equal(load_fixture("backtrace.o", "backtrace", &bt, NULL), 0);
	hot_fn = ext_sym(bt, "bt_hot_loop");
	buf = read_jitdump(recs, 4096, &n);
	assert_true(jitdump_mapped_exec());
	assert_true(n > n0);
	for (size_t i = 1; i < n; i++) {
		/* Unique, in order of time. */
		assert_true(recs[i].code_index > recs[i - 1].code_index);
		assert_true(recs[i].timestamp >= recs[i - 1].timestamp);
	}
	/* This load's functions: their names, sizes, addresses and code as loaded. */
	for (size_t i = n0; i < n; i++) {
		struct llext_addr_info info;

		assert_int_equal(llext_addr_info((void *)(uintptr_t)recs[i].code_addr, &info), 0);
		assert_ptr_equal(info.ext, bt);
		assert_string_equal(info.sym_name, recs[i].name);
		assert_ptr_equal(info.sym_addr, (void *)(uintptr_t)recs[i].code_addr);
		assert_int_equal(info.sym_size, recs[i].code_size);
		assert_memory_equal(recs[i].code, info.sym_addr, recs[i].code_size);
	}
	k = records_of(recs, n, "bt_hot_loop", hot, 8);
	assert_true(k >= 1);
	assert_ptr_equal((void *)(uintptr_t)hot[k - 1]->code_addr, hot_fn);
	free(buf);

	/* Unloaded and loaded again, maybe at the same address: a new record, told apart by its
	 * code_index and its later time. */
	assert_int_equal(llext_unload(&bt), 0);
	assert_int_equal(load_fixture("backtrace.o", "backtrace", &bt, NULL), 0);
	buf = read_jitdump(recs, 4096, &n);
	assert_int_equal(records_of(recs, n, "bt_hot_loop", hot, 8), k + 1);
	assert_true(hot[k]->code_index > hot[k - 1]->code_index);
	assert_true(hot[k]->timestamp > hot[k - 1]->timestamp);
	print_message("# reloaded %s the same address\n",
	              hot[k]->code_addr == hot[k - 1]->code_addr ? "at" : "away from");
	free(buf);
	assert_int_equal(llext_unload(&bt), 0);
}

/* ---- perf itself ---- */

/* Runs @cmd with the shell, its output in @log; true if it exited 0. */
static bool sh(const char *cmd, const char *log)
{
	char full[16384 + 4096 + 64];

	snprintf(full, sizeof(full), "(%s) >'%s/%s' 2>&1", cmd, jit_dir, log);
	return system(full) == 0;
}

static char *log_of(const char *log)
{
	char path[4200];
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", jit_dir, log);
	return read_file(path, &len);
}

static void say_perf_did_not_run(const char *why, const char *log)
{
	char *text = log ? log_of(log) : NULL;
	char *nl = text ? strchr(text, '\n') : NULL;

	if (nl) {
		*nl = '\0';
	}
	print_message("# perf did not run: %s%s%s; nothing about perf was checked\n", why,
	              text ? ": " : "", text ? text : "");
	free(text);
}

static void test_perf_record(void **state)
{
	char cmd[16384];
	char *report;

	(void)state;
#ifdef PERF_CROSS
	say_perf_did_not_run("a cross build runs under qemu-user, which perf cannot profile",
	                     NULL);
	return;
#endif
	if (!sh("perf --version", "perf-version.log")) {
		say_perf_did_not_run("no working perf (Debian package linux-perf)",
		                     "perf-version.log");
		return;
	}
	/* cpu-clock: a software event, there without a PMU (virtual machines); -k mono: the
	 * clock jitdump timestamps use. */
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && rm -f perf.data perf.jit.data jitted-*.so && "
	         "LLEXT_PERF_MAP=1 LLEXT_PERF_JITDUMP='%s' perf record -k mono -e cpu-clock "
	         "-o perf.data -- '%s' --call bt_hot '%s'",
	         jit_dir, jit_dir, llext_run_path, fixture_path("backtrace.o"));
	if (!sh(cmd, "perf-record.log")) {
		say_perf_did_not_run("perf record failed (perf_event_paranoid?)", "perf-record.log");
		return;
	}
	/* Through the perf map. */
	snprintf(cmd, sizeof(cmd), "cd '%s' && perf report -i perf.data --stdio --sort sym",
	         jit_dir);
	assert_true(sh(cmd, "perf-report.txt"));
	report = log_of("perf-report.txt");
	assert_non_null(strstr(report, "bt_hot_loop [backtrace]"));
	free(report);
	/* Through the jitdump file: one ELF image per code-load record. */
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && perf inject --jit -i perf.data -o perf.jit.data && "
	         "perf report -i perf.jit.data --stdio --sort dso,sym",
	         jit_dir);
	assert_true(sh(cmd, "perf-report-jit.txt"));
	report = log_of("perf-report-jit.txt");
	assert_non_null(strstr(report, "bt_hot_loop"));
	assert_non_null(strstr(report, "jitted-"));
	free(report);
	print_message("# perf ran: perf report names bt_hot_loop through the perf map and "
	              "through jitdump (perf inject --jit)\n");
	/* llext-run's map stays after it exits, as it should; this test cleans up after it. */
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && for f in jit-*.dump; do p=${f#jit-}; p=${p%%.dump}; "
	         "[ \"$p\" = %d ] || rm -f \"/tmp/perf-$p.map\" \"$f\"; done; rm -f jitted-*.so",
	         jit_dir, (int)getpid());
	sh(cmd, "cleanup.log");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_perf_map),
	    cmocka_unit_test(test_jitdump),
	    cmocka_unit_test(test_perf_record),
	};
	char map[64];
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s LLEXT-RUN\n", argv[0]);
		return 99;
	}
	/* Meson gives it relative to the build directory; the perf commands run elsewhere. */
	llext_run_path = realpath(argv[1], NULL);
	if (!llext_run_path) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 99;
	}
	snprintf(jit_dir, sizeof(jit_dir), "%s", PERF_SCRATCH_DIR);
	mkdir(jit_dir, 0755);
	snprintf(map, sizeof(map), "/tmp/perf-%d.map", (int)getpid());
	/* A pid reused from an earlier run must not find its lines. */
	unlink(map);
	/* Read at the first load. */
	setenv("LLEXT_PERF_MAP", "1", 1);
	setenv("LLEXT_PERF_JITDUMP", jit_dir, 1);
	ret = cmocka_run_group_tests_name("perf", tests, NULL, NULL);
	unlink(map);
	free((char *)llext_run_path);
	return ret;
}
