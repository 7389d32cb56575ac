// SPDX-License-Identifier: MIT
/*
 * How fast loaded code runs: the same library as an extension (libllext) and as a shared object
 * (dlopen()), each running the same work, interleaved round by round, medians.
 *
 *   zlib     compress2() then uncompress() of 1 MiB of mixed text and noise, checked
 *   sqlite3  an in-memory database: 100,000 rows inserted in one transaction, an index built,
 *            2,000 range queries answered, checked against each other
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

#include "bench.h"

const struct llext_load_param *workload_param;

/* A library's functions, found by name in an extension or a shared object. */
struct lib {
	struct llext *ext;
	void *handle;
};

static void *fn(struct lib *l, const char *name)
{
	void *p = l->ext ? (void *)llext_find_sym(&l->ext->exp_tab, name) : dlsym(l->handle, name);

	if (!p) {
		die(name, "not found");
	}
	return p;
}

static struct lib open_ext(const char *obj)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(obj);
	struct lib l = {0};

	if (llext_load(&ldr.loader, "workload", &l.ext, workload_param) != 0 ||
	    llext_bringup(l.ext) != 0) {
		die(obj, "cannot load");
	}
	return l;
}

static struct lib open_so(const char *so)
{
	struct lib l = {.handle = dlopen(so, RTLD_NOW | RTLD_LOCAL)};

	if (!l.handle) {
		die(so, dlerror());
	}
	return l;
}

static void close_lib(struct lib *l)
{
	if (l->ext) {
		llext_unload(&l->ext);
	} else {
		dlclose(l->handle);
	}
}

/* ---- zlib ---- */

#define ZLIB_INPUT ((size_t)1 << 20)

typedef int (*compress2_fn)(uint8_t *, unsigned long *, const uint8_t *, unsigned long, int);
typedef int (*uncompress_fn)(uint8_t *, unsigned long *, const uint8_t *, unsigned long);
typedef unsigned long (*bound_fn)(unsigned long);

/* Text-like runs broken by noise: neither trivially compressible nor incompressible. */
static uint8_t *zlib_input(void)
{
	uint8_t *in = malloc(ZLIB_INPUT);
	uint32_t x = 12345;

	if (!in) {
		die("zlib", "out of memory");
	}
	for (size_t i = 0; i < ZLIB_INPUT; i++) {
		x = x * 1103515245u + 12345u;
		in[i] = (x >> 28) ? (uint8_t)("the quick brown fox "[i % 20]) : (uint8_t)(x >> 16);
	}
	return in;
}

static uint64_t zlib_round(struct lib *l, const uint8_t *in)
{
	compress2_fn compress2 = (compress2_fn)fn(l, "compress2");
	uncompress_fn uncompress = (uncompress_fn)fn(l, "uncompress");
	unsigned long zlen = ((bound_fn)fn(l, "compressBound"))(ZLIB_INPUT), olen = ZLIB_INPUT;
	uint8_t *z = malloc(zlen), *out = malloc(ZLIB_INPUT);
	uint64_t t0 = now_ns(), t;

	if (!z || !out || compress2(z, &zlen, in, ZLIB_INPUT, 6) != 0 ||
	    uncompress(out, &olen, z, zlen) != 0) {
		die("zlib", "round trip failed");
	}
	t = now_ns() - t0;
	if (olen != ZLIB_INPUT || memcmp(in, out, ZLIB_INPUT) != 0) {
		die("zlib", "round trip changed the data");
	}
	free(z);
	free(out);
	return t;
}

/* ---- sqlite3 ---- */

#define ROWS 100000
#define QUERIES 2000

struct sq {
	int (*open)(const char *, void **);
	int (*exec)(void *, const char *, void *, void *, char **);
	int (*prepare)(void *, const char *, int, void **, const char **);
	int (*bind_int)(void *, int, int);
	int (*bind_text)(void *, int, const char *, int, void (*)(void *));
	int (*step)(void *);
	int (*reset)(void *);
	long long (*column_int64)(void *, int);
	int (*finalize)(void *);
	int (*close)(void *);
};

static struct sq sq_api(struct lib *l)
{
	return (struct sq){
	    .open = (int (*)(const char *, void **))fn(l, "sqlite3_open"),
	    .exec = (int (*)(void *, const char *, void *, void *, char **))fn(l, "sqlite3_exec"),
	    .prepare = (int (*)(void *, const char *, int, void **, const char **))fn(
		l, "sqlite3_prepare_v2"),
	    .bind_int = (int (*)(void *, int, int))fn(l, "sqlite3_bind_int"),
	    .bind_text = (int (*)(void *, int, const char *, int, void (*)(void *)))fn(
		l, "sqlite3_bind_text"),
	    .step = (int (*)(void *))fn(l, "sqlite3_step"),
	    .reset = (int (*)(void *))fn(l, "sqlite3_reset"),
	    .column_int64 = (long long (*)(void *, int))fn(l, "sqlite3_column_int64"),
	    .finalize = (int (*)(void *))fn(l, "sqlite3_finalize"),
	    .close = (int (*)(void *))fn(l, "sqlite3_close"),
	};
}

static void sq_fill(const struct sq *s, void *db)
{
	void *st;
	char v[32];

	s->exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT); BEGIN", NULL, NULL,
	        NULL);
	s->prepare(db, "INSERT INTO t(k, v) VALUES(?, ?)", -1, &st, NULL);
	for (int i = 0; i < ROWS; i++) {
		snprintf(v, sizeof(v), "row %d", i);
		s->bind_int(st, 1, (int)((i * 2654435761u) % 1000000u));
		s->bind_text(st, 2, v, -1, (void (*)(void *)) - 1); /* SQLITE_TRANSIENT */
		s->step(st);
		s->reset(st);
	}
	s->finalize(st);
	s->exec(db, "COMMIT; CREATE INDEX tk ON t(k)", NULL, NULL, NULL);
}

/* The sum of the matching rows' counts over every query: the same answer both ways. */
static long long sq_query(const struct sq *s, void *db)
{
	long long total = 0;
	void *st;

	s->prepare(db, "SELECT count(*) FROM t WHERE k BETWEEN ? AND ?", -1, &st, NULL);
	for (int q = 0; q < QUERIES; q++) {
		int lo = (int)((q * 40503u) % 990000u);

		s->bind_int(st, 1, lo);
		s->bind_int(st, 2, lo + 10000);
		s->step(st);
		total += s->column_int64(st, 0);
		s->reset(st);
	}
	s->finalize(st);
	return total;
}

static uint64_t sqlite_round(struct lib *l, long long *answer)
{
	struct sq s = sq_api(l);
	void *db;
	uint64_t t0 = now_ns(), t;

	if (s.open(":memory:", &db) != 0) {
		die("sqlite3", "cannot open a database");
	}
	sq_fill(&s, db);
	*answer = sq_query(&s, db);
	s.close(db);
	t = now_ns() - t0;
	return t;
}

/* ---- both ---- */

static void compare_runs(const char *label, const char *obj, const char *so, int rounds,
                         uint64_t (*round_fn)(struct lib *, void *), void *arg)
{
	uint64_t *a = calloc((size_t)rounds, sizeof(*a)), *b = calloc((size_t)rounds, sizeof(*b));
	struct lib ext = open_ext(obj), shared = open_so(so);

	round_fn(&ext, arg); /* warm both */
	round_fn(&shared, arg);
	for (int i = 0; i < rounds; i++) {
		if (i % 2) {
			b[i] = round_fn(&shared, arg);
			a[i] = round_fn(&ext, arg);
		} else {
			a[i] = round_fn(&ext, arg);
			b[i] = round_fn(&shared, arg);
		}
	}
	printf("h. %-41s %10.2f ms %10.2f ms %8.3f   ~1.00\n", label,
	       median(a, (size_t)rounds) / 1e6, median(b, (size_t)rounds) / 1e6,
	       median(a, (size_t)rounds) / median(b, (size_t)rounds));
	close_lib(&ext);
	close_lib(&shared);
	free(a);
	free(b);
}

static uint64_t zlib_adapter(struct lib *l, void *in)
{
	return zlib_round(l, in);
}

static uint64_t sqlite_adapter(struct lib *l, void *answer)
{
	long long got;
	uint64_t t = sqlite_round(l, &got);

	if (*(long long *)answer == 0) {
		*(long long *)answer = got;
	} else if (got != *(long long *)answer) {
		die("sqlite3", "the two builds answered differently");
	}
	return t;
}

void workloads(const char *zlib_o, const char *zlib_so, const char *sqlite_o, const char *sqlite_so,
               int rounds)
{
	uint8_t *in = zlib_input();
	long long answer = 0;

	compare_runs("zlib: 1 MiB compress+uncompress / .so", zlib_o, zlib_so, rounds, zlib_adapter,
	             in);
	compare_runs("sqlite3: 100k rows, index, 2k queries / .so", sqlite_o, sqlite_so, rounds,
	             sqlite_adapter, &answer);
	free(in);
}
