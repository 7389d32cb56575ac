// SPDX-License-Identifier: MIT
/*
 * Telling perf about extension code, which it cannot find on its own: extensions live in
 * anonymous memory with no file, so samples in them show as bare addresses.
 *
 * LLEXT_PERF_MAP=1 appends each function to /tmp/perf-PID.map, "START SIZE NAME" in hex without
 * 0x, the file perf reads for any anonymous executable memory. It is read whole when perf
 * reports, without times: an extension unloaded and another loaded at its address leave two
 * overlapping entries, and perf keeps one of them (docs/debugging.md).
 *
 * LLEXT_PERF_JITDUMP=1 (or =DIR) writes /tmp/jit-PID.dump (or DIR/jit-PID.dump) in the format of
 * the Linux kernel's tools/perf/Documentation/jitdump-specification.txt: a header, then a
 * JIT_CODE_LOAD record per function with a copy of its code and a CLOCK_MONOTONIC timestamp
 * (record with `perf record -k mono`). `perf inject --jit` finds the file because it is mapped
 * executable once (perf records that mmap), makes one ELF image per record, named by its unique
 * code_index, and maps each from its record's time on: a reload at a former address is told
 * apart by time.
 *
 * Both are best effort: a file that cannot be written is logged once and then left alone; the
 * load goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "load_priv.h"

#define JITDUMP_MAGIC 0x4A695444u
#define JITDUMP_VERSION 1
#define JIT_CODE_LOAD 0

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

static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t perf_lock = PTHREAD_MUTEX_INITIALIZER;
static bool want_map, want_jitdump;
static char jit_dir[PATH_MAX];
static int jit_fd = -1;
static bool jit_failed;
static uint64_t code_index; /* unique over the process's life, under perf_lock */

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

/* A function's extent: its size, or up to the next symbol when the object gave none. */
static uint64_t func_size(const struct llext_internal *ie, size_t i)
{
	const struct llext_addr_table *t = ie->addr;
	uint64_t end = (uintptr_t)ie->pub.mem[LLEXT_MEM_TEXT] + ie->pub.mem_size[LLEXT_MEM_TEXT];

	if (t->syms[i].size) {
		return t->syms[i].size;
	}
	if (t->stubs && t->stubs < end) {
		end = t->stubs;
	}
	for (size_t k = i + 1; k < t->nsyms; k++) {
		if (t->syms[k].addr > t->syms[i].addr) {
			end = t->syms[k].addr < end ? t->syms[k].addr : end;
			break;
		}
	}
	return end > t->syms[i].addr ? end - t->syms[i].addr : 0;
}

/* Whether entry @i is the function that names its address: code, and last of its address. */
static bool names_func(const struct llext_addr_table *t, size_t i)
{
	const struct llext_addr_sym *s = &t->syms[i];

	if (s->type != STT_FUNC || s->region != LLEXT_MEM_TEXT) {
		return false;
	}
	return i + 1 == t->nsyms || t->syms[i + 1].addr != s->addr;
}

static int map_append(const struct llext_internal *ie)
{
	const struct llext_addr_table *t = ie->addr;
	char path[64], line[512];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		return -errno;
	}
	for (size_t i = 0; i < t->nsyms && !ret; i++) {
		int n;

		if (!names_func(t, i)) {
			continue;
		}
		/* One write per line: other writers (a JIT in the same process) append too. */
		n = snprintf(line, sizeof(line), "%llx %llx %s [%s]\n",
		             (unsigned long long)t->syms[i].addr,
		             (unsigned long long)func_size(ie, i), t->names + t->syms[i].name,
		             ie->pub.name);
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
	jit_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (jit_fd < 0) {
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

static int jit_append(const struct llext_internal *ie)
{
	const struct llext_addr_table *t = ie->addr;
	static const uint8_t zeros[8];

	for (size_t i = 0; i < t->nsyms; i++) {
		const char *name = t->names + t->syms[i].name;
		struct jit_code_load r = {.id = JIT_CODE_LOAD};
		size_t nlen = strlen(name) + 1, pad;
		int ret;

		if (!names_func(t, i)) {
			continue;
		}
		r.code_size = func_size(ie, i);
		r.total_size = (uint32_t)(sizeof(r) + nlen + r.code_size);
		pad = (8 - r.total_size % 8) % 8;
		r.total_size += (uint32_t)pad;
		r.timestamp = mono_ns();
		r.pid = (uint32_t)getpid();
		r.tid = (uint32_t)gettid();
		r.vma = r.code_addr = t->syms[i].addr;
		r.code_index = ++code_index;
		ret = write_all(jit_fd, &r, sizeof(r));
		if (!ret) {
			ret = write_all(jit_fd, name, nlen);
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
	if (want_jitdump && !jit_failed) {
		ret = jit_fd < 0 ? jit_open(ld->elf.machine) : 0;
		if (!ret) {
			ret = jit_append(ie);
		}
		if (ret) {
			/* A torn file is no use to perf: stop writing to it. */
			LOG_WRN("%s: jitdump file in %s: %s; no more records are written", ld->name,
			        jit_dir, strerror(-ret));
			jit_failed = true;
		}
	}
	pthread_mutex_unlock(&perf_lock);
}
