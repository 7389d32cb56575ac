// SPDX-License-Identifier: MIT
/*
 * Stage, at the end of a load: telling perf about extension code, which it cannot find on its own:
 * extensions live in anonymous memory with no file, so samples in them show as bare addresses.
 *
 * LLEXT_PERF_MAP=1 appends each function to /tmp/perf-PID.map, "START SIZE NAME" in hex without
 * 0x, the file perf reads for any anonymous executable memory; and each code section to
 * /tmp/perf-PID.llext, "START SIZE SECTION EXTENSION PATH", the object file and the section an
 * address is in, which is what a line table of a relocatable object is read by (llext-symbolize
 * rewrites sanitizer reports with it). It is read whole when perf
 * reports, without times: an extension unloaded and another loaded at its address leave two
 * overlapping entries, and perf keeps one of them (docs/debugging.md).
 *
 * LLEXT_PERF_JITDUMP=1 (or =DIR) writes /tmp/jit-PID.dump (or DIR/jit-PID.dump) in the format of
 * the Linux kernel's tools/perf/Documentation/jitdump-specification.txt: a header, then a
 * JIT_CODE_LOAD record per function with a copy of its code and a CLOCK_MONOTONIC timestamp
 * (record with `perf record -k mono`), preceded, when the object has .debug_line, by a
 * JIT_CODE_DEBUG_INFO record giving the function's source lines (read by dwarf_line.c from a
 * copy of .debug_line relocated as the debuggers' copy is). `perf inject --jit` finds the file
 * because it is mapped
 * executable once (perf records that mmap), makes one ELF image per record, named by its unique
 * code_index, and maps each from its record's time on: a reload at a former address is told
 * apart by time.
 *
 * Both are best effort: the load goes on whatever happens to them. A file that is not the
 * process's own (open_own()) is logged once and then left alone, as is a jitdump file that
 * cannot be written.
 *
 * A load stage rather than a service: everything is written while the extension loads, and the
 * source lines come from the object's .debug_line, which is gone once the load ends, relocated
 * by the debuggers' stage (llext_debug_relocate()). Split in two, the load side would have to
 * hand over a copy of every line for nothing after the load to use. The functions come from the
 * symbols-by-address table, through observe/addr.c's walk; the line table is read by
 * observe/dwarf_line.c, a pure reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "load/load.h"
#include "observe/addr.h"
#include "observe/dwarf_line.h"
#include "runtime/ext.h"

#define JITDUMP_MAGIC 0x4A695444u
#define JITDUMP_VERSION 1
#define JIT_CODE_LOAD 0
#define JIT_CODE_DEBUG_INFO 2

struct jit_header {
	uint32_t magic, version, total_size, elf_mach, pad1, pid;
	uint64_t timestamp, flags;
};

struct jit_code_load {
	uint32_t id, total_size;
	uint64_t timestamp;
	uint32_t pid, tid;
	uint64_t vma, code_addr, code_size, code_index;
	/* then the NUL-terminated name, the code, and padding to 8 bytes */
};

struct jit_code_debug_info {
	uint32_t id, total_size;
	uint64_t timestamp;
	uint64_t code_addr, nr_entry;
	/* then nr_entry entries, and padding to 8 bytes */
};

struct jit_debug_entry {
	uint64_t addr; /* absolute, within the function */
	int32_t lineno, discrim;
	/* then the NUL-terminated file name */
};

/* A line of the extension's code, from .debug_line. */
struct line {
	uint64_t addr;
	uint32_t line, discrim;
	const char *comp_dir, *dir, *name; /* into the image or the copy of .debug_line */
	size_t seq;                        /* order in the table, kept among rows of one address */
};

struct lines {
	struct line *v;
	size_t n, cap;
	uint8_t *copy; /* the relocated .debug_line the names may point into */
	uint8_t *rec;  /* a debug-info record being built */
	size_t rec_cap;
};

static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t perf_lock = PTHREAD_MUTEX_INITIALIZER;
static bool want_map, want_jitdump;
static char jit_dir[PATH_MAX];
static int jit_fd = -1;
static bool jit_failed;
static bool map_refused, sects_refused; /* not our own file: logged once, then left alone */
static uint64_t code_index;             /* unique over the process's life, under perf_lock */

static void read_env(void)
{
	const char *map = getenv("LLEXT_PERF_MAP");
	const char *jit = getenv("LLEXT_PERF_JITDUMP");

	want_map = map && strcmp(map, "1") == 0;
	if (jit && jit[0] == '/' && strlen(jit) < sizeof(jit_dir)) {
		want_jitdump = true;
		strcpy(jit_dir, jit);
	} else if (jit && strcmp(jit, "1") == 0) {
		want_jitdump = true;
		strcpy(jit_dir, "/tmp");
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Writes all of @len bytes, or fails. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return -(n < 0 ? errno : EIO);
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * @s in @out, one field of a line whatever the object or the extension's name holds: every
 * control character (a newline would start a line of its own) and, unless @spaces, every space
 * written as '?'. The names of /tmp/perf-PID.map may have spaces (perf reads the name to the end
 * of the line); the fields of /tmp/perf-PID.llext before the last may not.
 */
static void put_field(char *out, size_t cap, const char *s, bool spaces)
{
	size_t n = 0;

	for (; *s && n + 1 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		out[n++] = (c < 0x20 || c == 0x7f || (c == ' ' && !spaces)) ? '?' : *s;
	}
	out[n] = '\0';
}

/* Whether @fd is a regular file of our effective user with one link (see open_own()). */
static bool is_own(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	       st.st_nlink == 1;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void say_not_own(const char *path)
{
	LOG_ERR("%s is not this process's own file (a regular file of uid %d with one link); it is "
	        "left alone and perf gets nothing from it: remove it",
	        path, (int)geteuid());
}

/*
 * Opens @path to append to it, if it is this process's own file; sets *@fd to -1 when it is not
 * (logged once, through *@refused, and left alone from then on). A FIFO planted at the path
 * would block the write, and perf_lock with it, forever, and another user's file would receive
 * the addresses and paths: only a regular file of our effective user with one link is written.
 * O_NONBLOCK keeps the open itself from blocking on a FIFO; regular files ignore it, so it stays.
 *
 * An existing file of ours is appended to, not replaced: a program exec'd by this process keeps
 * the PID and adds its own extensions, and a JIT in the process may write the same .map. A file
 * left by a dead process of the same user whose PID was reused only adds stale lines, the
 * user's own, which perf reads as overlapping entries (docs/debugging.md).
 */
static int open_own(const char *path, bool *refused, int *fd)
{
	*fd = -1;
	if (*refused) {
		return 0;
	}
	*fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
	if (*fd < 0 && errno != ENXIO && errno != ELOOP && !(errno == EACCES && exists(path))) {
		return -errno;
	}
	/* ENXIO: a FIFO no one reads (or a device); ELOOP: a symbolic link; EACCES on a file that
	 * exists: someone else's (fs.protected_regular refuses even root another user's file in a
	 * sticky folder such as /tmp). */
	if (*fd >= 0 && is_own(*fd)) {
		return 0;
	}
	say_not_own(path);
	if (*fd >= 0) {
		close(*fd);
	}
	*fd = -1;
	*refused = true;
	return 0;
}

static int map_append(const struct llext_internal *ie)
{
	struct llext_addr_func f;
	char path[64], line[512], name[400], ext[LLEXT_MAX_NAME_LEN + 1];
	size_t pos = 0;
	int fd, ret;

	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	ret = open_own(path, &map_refused, &fd);
	if (ret || fd < 0) {
		return ret;
	}
	put_field(ext, sizeof(ext), ie->pub.name, true);
	while (!ret && llext_addr_next_func(ie, &pos, &f)) {
		int n;

		put_field(name, sizeof(name), f.name, true);
		/* One write per line: other writers (a JIT in the same process) append too. */
		n = snprintf(line, sizeof(line), "%llx %llx %s [%s]\n", (unsigned long long)f.addr,
		             (unsigned long long)f.size, name, ext);
		if (n >= (int)sizeof(line)) {
			/* A name too long for one line: cut, and the line still ends. */
			n = sizeof(line) - 1;
			line[n - 1] = '\n';
		}
		ret = write_all(fd, line, (size_t)n);
	}
	close(fd);
	return ret;
}

/* Writes /tmp/perf-PID.llext's line for section @i, if it is loaded code. */
static int sect_line(int fd, const struct llext_load *ld, size_t i, const char *path)
{
	const struct llext_elf *e = &ld->elf;
	const Elf64_Shdr *sh = e->shdr[i];
	char line[PATH_MAX + 512], sect[256], ext[LLEXT_MAX_NAME_LEN + 1];
	int n;

	if (!sh || (sh->sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) != (SHF_ALLOC | SHF_EXECINSTR) ||
	    !sh->sh_size || ld->sect[i].region >= LLEXT_MEM_COUNT ||
	    (e->discarded && e->discarded[i]) || !ld->sect[i].addr) {
		return 0;
	}
	put_field(sect, sizeof(sect), llext_elf_sect_name(e, i), false);
	put_field(ext, sizeof(ext), ld->name, false);
	n = snprintf(line, sizeof(line), "%llx %llx %s %s %s\n",
	             (unsigned long long)ld->sect[i].addr, (unsigned long long)sh->sh_size, sect,
	             ext, path);
	if (n >= (int)sizeof(line)) {
		return 0; /* names too long for one line: the section goes without */
	}
	return write_all(fd, line, (size_t)n);
}

/*
 * The object file and the place of each code section. The path is made absolute, since the
 * reader may run elsewhere; "-" when the object did not come from a file, or its path has a
 * newline. It is the last field, so it may have spaces; the names before it may not.
 */
static int sects_append(const struct llext_load *ld)
{
	char path[64], abs[PATH_MAX];
	const char *file = "-";
	int fd, ret = 0;

	if (ld->file && realpath(ld->file, abs) && !strchr(abs, '\n')) {
		file = abs;
	}
	snprintf(path, sizeof(path), "/tmp/perf-%d.llext", (int)getpid());
	ret = open_own(path, &sects_refused, &fd);
	if (ret || fd < 0) {
		return ret;
	}
	for (size_t i = 1; i < ld->elf.shnum && !ret; i++) {
		ret = sect_line(fd, ld, i, file);
	}
	close(fd);
	return ret;
}

static int jit_open(uint16_t machine)
{
	struct jit_header h = {
	    .magic = JITDUMP_MAGIC,
	    .version = JITDUMP_VERSION,
	    .total_size = sizeof(h),
	    .elf_mach = machine,
	    .pid = (uint32_t)getpid(),
	};
	char path[PATH_MAX + 32];
	void *marker;
	int ret;

	snprintf(path, sizeof(path), "%s/jit-%d.dump", jit_dir, (int)getpid());
	/* Truncated only once known to be ours (see open_own()). */
	jit_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
	if (jit_fd < 0) {
		return -errno;
	}
	if (!is_own(jit_fd)) {
		say_not_own(path);
		return -EPERM;
	}
	if (ftruncate(jit_fd, 0) < 0) {
		return -errno;
	}
	h.timestamp = mono_ns();
	ret = write_all(jit_fd, &h, sizeof(h));
	if (ret) {
		return ret;
	}
	/* perf record sees this executable mapping of the file, and perf inject --jit finds the
	 * file through it. Never unmapped: the mapping is the marker. */
	marker = mmap(NULL, sizeof(h), PROT_READ | PROT_EXEC, MAP_PRIVATE, jit_fd, 0);
	if (marker == MAP_FAILED) {
		return -errno;
	}
	return 0;
}

/* The section called @name that a line table may read, or 0. */
static size_t find_debug(const struct llext_elf *e, const char *name)
{
	for (size_t i = 1; i < e->shnum; i++) {
		if (e->shdr[i]->sh_type == SHT_PROGBITS && !(e->shdr[i]->sh_flags & SHF_ALLOC) &&
		    !(e->discarded && e->discarded[i]) &&
		    strcmp(llext_elf_sect_name(e, i), name) == 0) {
			return i;
		}
	}
	return 0;
}

static int add_line(void *arg, const struct llext_dwarf_row *row)
{
	struct lines *l = arg;

	/* Line 0 is code no source line stands for; an end of sequence is no code at all. */
	if (row->end_sequence || row->line == 0) {
		return 0;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct line *v = llext_realloc(l->v, cap * sizeof(*v));

		if (!v) {
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = (struct line){row->addr, row->line, row->discrim, row->comp_dir,
	                           row->dir,  row->name, l->n};
	l->n++;
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (x->addr != y->addr) {
		return x->addr < y->addr ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* @ld's source lines, sorted by address, or none: a malformed table is all refused. */
static void read_lines(struct llext_load *ld, struct lines *l)
{
	const struct llext_elf *e = &ld->elf;
	size_t li = find_debug(e, ".debug_line");
	size_t ls = find_debug(e, ".debug_line_str"), st = find_debug(e, ".debug_str");
	struct llext_dwarf_line_in in = {0};
	char why[256] = "";
	int ret;

	if (!li) {
		return;
	}
	if ((e->shdr[li]->sh_flags | (ls ? e->shdr[ls]->sh_flags : 0)) & SHF_COMPRESSED) {
		LOG_WRN("%s: .debug_line is compressed (-gz); perf gets no source lines", ld->name);
		return;
	}
	l->copy = llext_malloc(e->shdr[li]->sh_size ? e->shdr[li]->sh_size : 1);
	if (!l->copy) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(l->copy, e->image + e->shdr[li]->sh_offset, e->shdr[li]->sh_size);
	ret = llext_debug_relocate(ld, li, l->copy);
	if (ret) {
		snprintf(why, sizeof(why), "has invalid relocations");
		goto out;
	}
	in.line = l->copy;
	in.line_size = e->shdr[li]->sh_size;
	if (ls) {
		in.line_str = e->image + e->shdr[ls]->sh_offset;
		in.line_str_size = e->shdr[ls]->sh_size;
	}
	if (st && !(e->shdr[st]->sh_flags & SHF_COMPRESSED)) {
		in.str = e->image + e->shdr[st]->sh_offset;
		in.str_size = e->shdr[st]->sh_size;
	}
	ret = llext_dwarf_lines(&in, add_line, l, why, sizeof(why));
out:
	if (ret) {
		LOG_WRN("%s: .debug_line %s; perf gets no source lines", ld->name,
		        why[0] ? why : strerror(-ret));
		l->n = 0;
		return;
	}
	if (l->n) { /* a table may have no rows: then l->v is NULL, which qsort() may not get */
		qsort(l->v, l->n, sizeof(*l->v), by_addr);
	}
}

/* Appends @len bytes to the record being built at *@off. */
static int rec_put(struct lines *l, size_t *off, const void *p, size_t len)
{
	if (l->rec_cap < *off + len) {
		size_t cap = (*off + len) * 2;
		uint8_t *rec = llext_realloc(l->rec, cap);

		if (!rec) {
			return -ENOMEM;
		}
		l->rec = rec;
		l->rec_cap = cap;
	}
	memcpy(l->rec + *off, p, len);
	*off += len;
	return 0;
}

/* A line's file name, as absolute as the table lets it be: a relative name is relative to its
 * directory, and a relative directory to the compilation's (DWARF 5 names it; before, only
 * .debug_info does, and such names stay relative). */
static int put_path(struct lines *l, size_t *off, const struct line *ln)
{
	const char *parts[3] = {ln->comp_dir, ln->dir, ln->name};
	size_t first = 2;
	int ret = 0;

	while (first > 0 && parts[first][0] != '/' && parts[first - 1] && parts[first - 1][0]) {
		first--;
	}
	for (size_t k = first; k < 2 && !ret; k++) {
		ret = rec_put(l, off, parts[k], strlen(parts[k]));
		if (!ret) {
			ret = rec_put(l, off, "/", 1);
		}
	}
	return ret ? ret : rec_put(l, off, ln->name, strlen(ln->name) + 1);
}

/* The JIT_CODE_DEBUG_INFO record of the function at [@addr, @addr + @size), if it has lines:
 * it must come before the function's JIT_CODE_LOAD record. */
static int jit_debug_info(struct lines *l, uint64_t addr, uint64_t size)
{
	static const uint8_t zeros[8];
	struct jit_code_debug_info r = {.id = JIT_CODE_DEBUG_INFO, .code_addr = addr};
	size_t lo = 0, hi = l->n, off = sizeof(r), pad;
	int ret = 0;

	while (lo < hi) { /* the first line at or after addr */
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].addr < addr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	for (size_t i = lo; i < l->n && l->v[i].addr - addr < size && !ret; i++) {
		const struct line *ln = &l->v[i];
		struct jit_debug_entry d = {ln->addr, (int32_t)ln->line, (int32_t)ln->discrim};
		ret = rec_put(l, &off, &d, sizeof(d));
		if (!ret) {
			ret = put_path(l, &off, ln);
		}
		r.nr_entry++;
	}
	if (ret || !r.nr_entry) {
		return ret;
	}
	pad = (8 - off % 8) % 8;
	ret = rec_put(l, &off, zeros, pad);
	if (ret) {
		return ret;
	}
	if (off > UINT32_MAX) {
		return 0; /* more lines than a record can hold: the function goes without */
	}
	r.total_size = (uint32_t)off;
	r.timestamp = mono_ns();
	memcpy(l->rec, &r, sizeof(r));
	return write_all(jit_fd, l->rec, off);
}

static int jit_append(const struct llext_internal *ie, struct lines *l)
{
	static const uint8_t zeros[8];
	struct llext_addr_func f;
	size_t pos = 0;

	while (llext_addr_next_func(ie, &pos, &f)) {
		struct jit_code_load r = {.id = JIT_CODE_LOAD};
		size_t nlen = strlen(f.name) + 1, pad;
		int ret;

		r.code_size = f.size;
		ret = jit_debug_info(l, f.addr, r.code_size);
		if (ret == -ENOMEM) {
			/* Nothing written: the function goes without lines. */
			ret = 0;
		}
		if (ret) {
			return ret;
		}
		r.total_size = (uint32_t)(sizeof(r) + nlen + r.code_size);
		pad = (8 - r.total_size % 8) % 8;
		r.total_size += (uint32_t)pad;
		r.timestamp = mono_ns();
		r.pid = (uint32_t)getpid();
		r.tid = (uint32_t)gettid();
		r.vma = r.code_addr = f.addr;
		r.code_index = ++code_index;
		ret = write_all(jit_fd, &r, sizeof(r));
		if (!ret) {
			ret = write_all(jit_fd, f.name, nlen);
		}
		if (!ret) {
			ret = write_all(jit_fd, (const void *)(uintptr_t)r.code_addr, r.code_size);
		}
		if (!ret) {
			ret = write_all(jit_fd, zeros, pad);
		}
		if (ret) {
			return ret;
		}
	}
	return 0;
}

void llext_perf_load(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	int ret;

	pthread_once(&env_once, read_env);
	if (!want_map && !want_jitdump) {
		return;
	}
	pthread_mutex_lock(&perf_lock);
	if (want_map && (ret = map_append(ie)) != 0) {
		LOG_WRN("%s: cannot append to /tmp/perf-%d.map: %s", ld->name, (int)getpid(),
		        strerror(-ret));
	}
	if (want_map && (ret = sects_append(ld)) != 0) {
		LOG_WRN("%s: cannot append to /tmp/perf-%d.llext: %s", ld->name, (int)getpid(),
		        strerror(-ret));
	}
	if (want_jitdump && !jit_failed) {
		struct lines l = {0};

		ret = jit_fd < 0 ? jit_open(ld->elf.machine) : 0;
		if (!ret) {
			read_lines(ld, &l);
			ret = jit_append(ie, &l);
		}
		free(l.v);
		free(l.copy);
		free(l.rec);
		if (ret) {
			/* A torn file is no use to perf: stop writing to it. */
			LOG_WRN("%s: jitdump file in %s: %s; no more records are written", ld->name,
			        jit_dir, strerror(-ret));
			jit_failed = true;
		}
	}
	pthread_mutex_unlock(&perf_lock);
}
