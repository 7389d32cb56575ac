// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <llext/buf_loader.h>
#include <llext/fs_loader.h>
#include <llext/log.h>

#include "common.h"

const char *fixture_path(const char *file)
{
	static __thread char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, file);
	return path;
}

void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f) {
		fail_msg("cannot open %s: %s", path, strerror(errno));
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fail_msg("cannot read %s", path);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int load_fixture(const char *file, const char *name, struct llext **ext,
                 struct llext_load_param *param)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(fixture_path(file));

	return llext_load(&fl.loader, name, ext, param);
}

int load_buffer(const void *buf, size_t len, const char *name, struct llext **ext,
                struct llext_load_param *param)
{
	struct llext_buf_loader bl = LLEXT_BUF_LOADER(buf, len);

	return llext_load(&bl.loader, name, ext, param);
}

void *ext_sym(struct llext *ext, const char *name)
{
	void *p = (void *)llext_find_sym(&ext->exp_tab, name);

	if (!p) {
		fail_msg("%s does not export %s", ext->name, name);
	}
	return p;
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_buf[16384];
static size_t log_len;

static void capture(enum llext_log_level level, const char *msg, void *user)
{
	(void)level;
	(void)user;
	pthread_mutex_lock(&log_lock);
	log_len += (size_t)snprintf(log_buf + log_len, sizeof(log_buf) - log_len, "%s\n", msg);
	if (log_len >= sizeof(log_buf)) {
		log_len = sizeof(log_buf) - 1;
	}
	pthread_mutex_unlock(&log_lock);
}

void log_capture_start(void)
{
	pthread_mutex_lock(&log_lock);
	log_len = 0;
	log_buf[0] = '\0';
	pthread_mutex_unlock(&log_lock);
	llext_set_log(LLEXT_LOG_ERR, capture, NULL);
}

void log_capture_stop(void)
{
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
}

bool log_contains(const char *needle)
{
	bool found;

	pthread_mutex_lock(&log_lock);
	found = strstr(log_buf, needle) != NULL;
	pthread_mutex_unlock(&log_lock);
	return found;
}

const char *log_text(void)
{
	return log_buf;
}

static int count_one(struct llext *ext, void *arg)
{
	(void)ext;
	(*(int *)arg)++;
	return 0;
}

int registry_count(void)
{
	int n = 0;

	llext_iterate(count_one, &n);
	return n;
}

int run_dynamic_tests(const char *group, struct CMUnitTest *tests, size_t n)
{
	return _cmocka_run_group_tests(group, tests, n, NULL, NULL);
}

/* Calls @fn for every line of /proc/self/maps until it returns true. */
static bool each_mapping(bool (*fn)(uintptr_t lo, uintptr_t hi, const char *perms, void *arg),
                         void *arg)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[1024];
	bool hit = false;

	assert_non_null(f);
	while (!hit && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[5];

		if (sscanf(line, "%llx-%llx %4s", &lo, &hi, perms) == 3) {
			hit = fn((uintptr_t)lo, (uintptr_t)hi, perms, arg);
		}
	}
	fclose(f);
	return hit;
}

struct perms_query {
	uintptr_t addr;
	char *out;
};

static bool match_addr(uintptr_t lo, uintptr_t hi, const char *perms, void *arg)
{
	struct perms_query *q = arg;

	if (q->addr >= lo && q->addr < hi) {
		memcpy(q->out, perms, 5);
		return true;
	}
	return false;
}

bool maps_perms(uintptr_t addr, char perms[5])
{
	struct perms_query q = {addr, perms};

	return each_mapping(match_addr, &q);
}

const char *perms_of_prot(int prot)
{
	static char seen[8][5];
	static const int order[] = {PROT_READ | PROT_EXEC, PROT_READ, PROT_READ | PROT_WRITE};

	if (!seen[PROT_READ][0]) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		uint8_t *p = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		assert_true(p != MAP_FAILED);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(mprotect(p + i * page, page, order[i]), 0);
		}
		for (int i = 0; i < 3; i++) {
			assert_true(maps_perms((uintptr_t)(p + i * page), seen[order[i]]));
		}
		munmap(p, 3 * page);
	}
	assert_true(seen[prot & 7][0]);
	return seen[prot & 7];
}

static bool match_wx(uintptr_t lo, uintptr_t hi, const char *perms, void *arg)
{
	const uintptr_t *range = arg;

	return lo < range[1] && hi > range[0] && perms[1] == 'w' && perms[2] == 'x';
}

bool maps_any_wx(uintptr_t start, uintptr_t end)
{
	uintptr_t range[2] = {start, end};

	return each_mapping(match_wx, range);
}

struct reservation {
	size_t n;
	struct {
		uintptr_t start;
		size_t len;
	} r[256];
};

void *reserve_around(uintptr_t addr, uint64_t span)
{
	struct reservation *res = calloc(1, sizeof(*res));
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (addr > span ? addr - span : 0x10000) & ~(page - 1);
	uintptr_t hi = (addr + span + page - 1) & ~(page - 1);
	uintptr_t prev = 0x10000;
	FILE *f = fopen("/proc/self/maps", "re");
	char line[1024];

	assert_non_null(res);
	assert_non_null(f);
	/* Read the whole list first: the reservations change it. */
	struct {
		uintptr_t lo, hi;
	} maps[512];
	size_t nmaps = 0;

	while (nmaps < 512 && fgets(line, sizeof(line), f)) {
		unsigned long long a, b;

		if (sscanf(line, "%llx-%llx", &a, &b) == 2) {
			maps[nmaps].lo = (uintptr_t)a;
			maps[nmaps].hi = (uintptr_t)b;
			nmaps++;
		}
	}
	fclose(f);
	for (size_t i = 0; i <= nmaps && res->n < 256; i++) {
		uintptr_t gap_lo = prev, gap_hi = i < nmaps ? maps[i].lo : hi;

		if (gap_lo < lo) {
			gap_lo = lo;
		}
		if (gap_hi > hi) {
			gap_hi = hi;
		}
		if (gap_lo < gap_hi) {
			void *p =
			    mmap((void *)gap_lo, gap_hi - gap_lo, PROT_NONE,
			         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			         -1, 0);

			if (p == (void *)gap_lo) {
				res->r[res->n].start = gap_lo;
				res->r[res->n].len = gap_hi - gap_lo;
				res->n++;
			} else if (p != MAP_FAILED) {
				munmap(p, gap_hi - gap_lo);
			}
		}
		if (i < nmaps && maps[i].hi > prev) {
			prev = maps[i].hi;
		}
	}
	return res;
}

void reserve_release(void *handle)
{
	struct reservation *res = handle;

	for (size_t i = 0; i < res->n; i++) {
		munmap((void *)res->r[i].start, res->r[i].len);
	}
	free(res);
}
