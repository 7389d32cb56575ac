// SPDX-License-Identifier: MIT
/*
 * Profiler support: /tmp/perf-PID.map and the jitdump file, read back and checked against each
 * object's own symbol table, llext_find_sym(), the loaded code and its source (the jitdump
 * file's line records); objects whose line table is broken load without line records; then,
 * where perf can run, `perf record` of llext-run spinning in an extension function, and `perf
 * report` naming it, and its source file and line.
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

#include <llext/log.h>

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

struct jit_line {
	uint64_t addr;
	int32_t line, discrim;
	const char *file;
};

struct jit_rec {
	uint64_t timestamp, code_addr, code_size, code_index;
	const char *name;
	const uint8_t *code;
	/* From the JIT_CODE_DEBUG_INFO record right before, if any (malloc'd). */
	struct jit_line *lines;
	size_t nlines;
};

static void free_lines(struct jit_rec *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(recs[i].lines);
		recs[i].lines = NULL;
	}
}

/* A JIT_CODE_DEBUG_INFO record of @size bytes at @p: its entries, laid out as the spec says. */
static struct jit_line *read_debug_info(const uint8_t *p, uint32_t size, uint64_t *code_addr,
                                        size_t *n)
{
	uint64_t nr;
	size_t off = 32;
	struct jit_line *v;

	assert_true(size >= 32);
	memcpy(code_addr, p + 16, 8);
	memcpy(&nr, p + 24, 8);
	assert_true(nr > 0 && nr <= size / 17);
	v = calloc(nr, sizeof(*v));
	for (uint64_t k = 0; k < nr; k++) {
		assert_true(size - off >= 17);
		memcpy(&v[k].addr, p + off, 8);
		memcpy(&v[k].line, p + off + 8, 4);
		memcpy(&v[k].discrim, p + off + 12, 4);
		v[k].file = (const char *)p + off + 16;
		assert_non_null(memchr(v[k].file, 0, size - off - 16));
		off += 16 + strlen(v[k].file) + 1;
	}
	/* Then at most padding to 8 bytes. */
	assert_true(size - off < 8);
	*n = nr;
	return v;
}

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
		uint64_t dbg_addr = 0;
		struct jit_line *lines = NULL;
		size_t nlines = 0;

		assert_true(len - off >= 16);
		memcpy(&id, buf + off, 4);
		memcpy(&size, buf + off + 4, 4);
		if (id == 2) { /* JIT_CODE_DEBUG_INFO: its JIT_CODE_LOAD must follow */
			assert_true(size <= len - off);
			lines = read_debug_info(buf + off, size, &dbg_addr, &nlines);
			off += size;
			assert_true(len - off >= 16);
			memcpy(&id, buf + off, 4);
			memcpy(&size, buf + off + 4, 4);
		}
		assert_true(len - off >= 56 && n < max);
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
		if (lines) {
			assert_int_equal(dbg_addr, recs[n].code_addr);
		}
		recs[n].lines = lines;
		recs[n].nlines = nlines;
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

/* ---- source lines ---- */

/* Lines in tests/ext/backtrace.c, and the first and last of bt_hot_loop(). */
static void source_lines(long *total, long *hot_first, long *hot_last)
{
	size_t len;
	char *src = read_file(EXT_SOURCE_DIR "/backtrace.c", &len);
	long line = 1;

	*total = 0;
	*hot_first = *hot_last = 0;
	for (size_t i = 0; i < len; i++) {
		if (i == 0 || src[i - 1] == '\n') {
			if (strncmp(src + i, "__attribute__((noinline)) unsigned long bt_hot_loop(",
			            52) == 0) {
				*hot_first = line;
			}
			if (*hot_first && !*hot_last && src[i] == '}') {
				*hot_last = line;
			}
		}
		if (src[i] == '\n') {
			line++;
		}
	}
	*total = line - 1;
	free(src);
	assert_true(*hot_first > 0 && *hot_last > *hot_first);
}

/* Each function's lines: inside it, in order of address, in backtrace.c; @hot's in its body. */
static void check_lines(const struct jit_rec *recs, size_t n, const char *hot)
{
	long total, first, last;
	size_t with = 0, hot_lines = 0;

	source_lines(&total, &first, &last);
	for (size_t i = 0; i < n; i++) {
		const struct jit_rec *r = &recs[i];

		with += r->nlines > 0;
		for (size_t k = 0; k < r->nlines; k++) {
			const struct jit_line *l = &r->lines[k];
			size_t flen = strlen(l->file);

			assert_true(l->addr >= r->code_addr &&
			            l->addr - r->code_addr < r->code_size);
			assert_true(k == 0 || l->addr >= r->lines[k - 1].addr);
			assert_true(l->line >= 1 && l->line <= total);
			assert_true(flen >= 11 && strcmp(l->file + flen - 11, "backtrace.c") == 0);
			assert_true(flen == 11 || l->file[flen - 12] == '/');
			if (strcmp(r->name, hot) == 0) {
				assert_true(l->line >= first && l->line <= last);
				hot_lines++;
			}
		}
	}
	/* Every function of the object has lines: it was built with -g. */
	assert_int_equal(with, n);
	assert_true(hot_lines > 0);
	print_message("# %zu functions with line records; %s has %zu, lines %ld to %ld of %s\n", n,
	              hot, hot_lines, first, last, recs[0].lines[0].file);
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
	free_lines(recs, n0);
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
	check_lines(recs + n0, n - n0, "bt_hot_loop");
	free_lines(recs, n);
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
	assert_true(hot[k]->nlines > 0);
	free_lines(recs, n);
	free(buf);
	assert_int_equal(llext_unload(&bt), 0);
}

/* ---- broken line tables: loaded, with a warning, without line records ---- */

static char warn_log[8192];

static void capture_warning(enum llext_log_level level, const char *msg, void *user)
{
	size_t n = strlen(warn_log);

	(void)level;
	(void)user;
	snprintf(warn_log + n, sizeof(warn_log) - n, "%s\n", msg);
}

static uint8_t *debug_line(uint8_t *b)
{
	return b + obj_section(b, ".debug_line")->sh_offset;
}

/* The first 32-bit relocation of .debug_line: a DW_FORM_line_strp in a DWARF 5 header. */
static Elf64_Rela *first_rela32(uint8_t *b)
{
	Elf64_Shdr *sh = obj_section(b, ".rela.debug_line");
	uint32_t abs32 = ((Elf64_Ehdr *)b)->e_machine == EM_X86_64 ? R_X86_64_32 : R_AARCH64_ABS32;

	for (size_t k = 0; k < sh->sh_size / sizeof(Elf64_Rela); k++) {
		Elf64_Rela *r = (Elf64_Rela *)(b + sh->sh_offset) + k;

		if (ELF64_R_TYPE(r->r_info) == abs32) {
			return r;
		}
	}
	fail_msg("no 32-bit relocation in .rela.debug_line");
	return NULL;
}

static void bad_unit_length(uint8_t *b)
{
	memcpy(debug_line(b), &(uint32_t){0x7ffffff0}, 4);
}
static void bad_unit_length64(uint8_t *b)
{
	/* 64-bit DWARF with a length near 2^64. */
	memcpy(debug_line(b), &(uint32_t){0xffffffff}, 4);
	memcpy(debug_line(b) + 4, &(uint64_t){UINT64_MAX - 7}, 8);
}
static void bad_truncated(uint8_t *b)
{
	memcpy(debug_line(b), &(uint32_t){10}, 4);
}
static void bad_version(uint8_t *b)
{
	debug_line(b)[4] = 1;
}
static void bad_opcode_base(uint8_t *b)
{
	debug_line(b)[17] = 0;
} /* DWARF 5, 32-bit */
static void bad_line_strp(uint8_t *b)
{
	first_rela32(b)->r_addend = 0x7ffffff0;
}
static void bad_reloc(uint8_t *b)
{
	first_rela32(b)->r_offset = UINT64_MAX - 1;
}
static void bad_section_size(uint8_t *b)
{
	obj_section(b, ".debug_line")->sh_size = 3;
}

static const struct {
	const char *name;
	void (*edit)(uint8_t *b);
	const char *says;
} bad_lines[] = {
    {"unit_length past .debug_line", bad_unit_length, "past the end of the section"},
    {"64-bit unit_length", bad_unit_length64, "past the end of the section"},
    {"truncated header", bad_truncated, "past the end of the unit"},
    {"version", bad_version, "version 1 is not 2 to 5"},
    {"opcode_base 0", bad_opcode_base, "opcode_base 0 is 0"},
    {"line_strp past .debug_line_str", bad_line_strp, "0x7ffffff0 is not in .debug_line_str"},
    {"relocation outside .debug_line", bad_reloc, "has invalid relocations"},
    {"section of 3 bytes", bad_section_size, "has invalid relocations"},
};

static void test_jitdump_bad_lines(void **state)
{
	static struct jit_rec recs[4096];
	size_t len, n0, n;

	(void)state;
	for (size_t c = 0; c < sizeof(bad_lines) / sizeof(bad_lines[0]); c++) {
		uint8_t *b = read_file(fixture_path("backtrace.o"), &len), *buf;
		struct llext *ext;

		free(read_jitdump(recs, 4096, &n0));
		free_lines(recs, n0);
		bad_lines[c].edit(b);
		warn_log[0] = '\0';
		llext_set_log(LLEXT_LOG_WRN, capture_warning, NULL);
		assert_int_equal(load_buffer(b, len, "badlines", &ext, NULL), 0);
		llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
		if (!strstr(warn_log, ".debug_line") || !strstr(warn_log, bad_lines[c].says) ||
		    !strstr(warn_log, "perf gets no source lines")) {
			fail_msg("%s: logged '%s', not '%s'", bad_lines[c].name, warn_log,
			         bad_lines[c].says);
		}
		buf = read_jitdump(recs, 4096, &n);
		/* The functions are there, without lines. */
		assert_true(n > n0);
		for (size_t i = n0; i < n; i++) {
			assert_int_equal(recs[i].nlines, 0);
		}
		print_message("# %s: %s", bad_lines[c].name,
		              strstr(warn_log, "badlines: .debug_line")
		                  ? strstr(warn_log, "badlines: .debug_line")
		                  : warn_log);
		free_lines(recs, n);
		free(buf);
		assert_int_equal(llext_unload(&ext), 0);
		free(b);
	}
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

/* The line of the first "@sym  backtrace.c:LINE" row of a `--sort sym,srcline` report, which
 * must lie in [@first, @last]. */
static long srcline_of(const char *report, const char *sym, long first, long last)
{
	for (const char *p = strstr(report, sym); p; p = strstr(p + 1, sym)) {
		const char *eol = strchr(p, '\n'), *f = strstr(p, "backtrace.c:");
		long line;

		if (!f || (eol && f > eol)) {
			continue;
		}
		line = strtol(f + strlen("backtrace.c:"), NULL, 10);
		if (line < first || line > last) {
			fail_msg("perf reports %s at backtrace.c:%ld, outside lines %ld-%ld", sym,
			         line, first, last);
		}
		return line;
	}
	fail_msg("perf report names no line of backtrace.c for %s:\n%s", sym, report);
	return 0;
}

/* True where LLEXT_SEALED_TEXT=1 runs the suite: llext-run inherits it. */
static bool sealed_text_env(void)
{
	const char *v = getenv("LLEXT_SEALED_TEXT");

	return v && strcmp(v, "1") == 0;
}

static void test_perf_record(void **state)
{
	char cmd[16384];
	char *report;
	long total, first, last, hot_line;

	(void)state;
	source_lines(&total, &first, &last);
#ifdef PERF_CROSS
	say_perf_did_not_run("a cross build runs under qemu-user, which perf cannot profile", NULL);
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
		say_perf_did_not_run("perf record failed (perf_event_paranoid?)",
		                     "perf-record.log");
		return;
	}
	/* Through the perf map. */
	snprintf(cmd, sizeof(cmd), "cd '%s' && perf report -i perf.data --stdio --sort %s", jit_dir,
	         sealed_text_env() ? "dso,sym" : "sym");
	assert_true(sh(cmd, "perf-report.txt"));
	report = log_of("perf-report.txt");
	if (sealed_text_env()) {
		/* perf reads its map only for anonymous code: sealed text is a file's mapping,
		 * which perf names after the file and extension (memfd:backtrace). */
		assert_non_null(strstr(report, "memfd:backtrace"));
	} else {
		assert_non_null(strstr(report, "bt_hot_loop [backtrace]"));
	}
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
	/* Source lines, from the jitdump file's debug-info records. */
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && perf report -i perf.jit.data --stdio --sort sym,srcline", jit_dir);
	assert_true(sh(cmd, "perf-report-srcline.txt"));
	report = log_of("perf-report-srcline.txt");
	hot_line = srcline_of(report, "bt_hot_loop", first, last);
	free(report);
	print_message("# perf ran: perf report names bt_hot_loop through the perf map and "
	              "through jitdump (perf inject --jit), and its source line backtrace.c:%ld "
	              "(bt_hot_loop is lines %ld to %ld)\n",
	              hot_line, first, last);
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
	    cmocka_unit_test(test_jitdump_bad_lines),
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
	/* One directory per text mode: perf and perf-sealed run at once, and each starts with
	 * removing the perf.data the other may be writing. */
	snprintf(jit_dir, sizeof(jit_dir), "%s%s", PERF_SCRATCH_DIR,
	         sealed_text_env() ? "-sealed" : "");
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
