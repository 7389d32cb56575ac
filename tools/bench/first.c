// SPDX-License-Identifier: MIT
/*
 * Row m: time to first result. A process that loads a library to use it once pays the load and
 * the first use, and the two split the work differently: dlopen() maps the code untouched and
 * pays its page faults as the first use runs it, where libllext faults the code in while it
 * copies and relocates it. So each way is timed from before the load to the first use's checked
 * result, in a process of its own:
 *
 *   sqlite3  open an in-memory database, create a table, insert 1,000 rows (one prepared
 *            statement, in one transaction), read back their count and sum and check them
 *   zstd     ZSTD_compress() (level 3) then ZSTD_decompress() of 64 KiB, checked byte for byte
 *
 * The ways: an extension with anonymous text, an extension with sealed text, dlopen() of the
 * shared library (a private copy of its file, RTLD_NOW), and the floor: the same library linked
 * into this program, whose code is mapped from its file by the kernel and faulted in at first use
 * as a shared library's is, with nothing loaded at all.
 *
 * Method: every round forks a child per way (the ways in a rotating order), which does the load
 * and the first use, times them itself and reports the time and its page faults through a pipe.
 * This runs before the benchmark loads or opens anything, so each child starts as a fresh process
 * would: libllext not yet initialised, its caches empty, the library not mapped. The files are in
 * the page cache (a warm-up round runs first), as they are for a service that restarts.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zstd.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

#include "bench.h"

/* The last two: anonymous and sealed text in a child that has loaded (and unloaded) the small
 * extension first, untimed, which leaves out libllext's own start in a process (its code
 * faulted in, its first scratch memory mapped). */
enum way { ANON, SEALED, DLOPEN, LINKED, ANON_WARM, SEALED_WARM, WAYS };

/* Where a way's functions come from: an extension, a shared object, or this program. */
struct api {
	struct llext *ext;
	void *handle;
};

static void *get(const struct api *a, const char *name, void *linked)
{
	void *p = a->ext      ? (void *)llext_find_sym(&a->ext->exp_tab, name)
	          : a->handle ? dlsym(a->handle, name)
	                      : linked;

	if (!p) {
		die(name, "not found");
	}
	return p;
}

/* The function @f of the way @a, with its declared type. */
#define GET(a, f) ((__typeof__(&f))get(a, #f, (void *)&f))

#define FIRST_ROWS 1000
#define ZSTD_INPUT ((size_t)64 << 10)

static bool sqlite_first(const struct api *a)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	bool ok =
	    GET(a, sqlite3_open)(":memory:", &db) == SQLITE_OK &&
	    GET(a, sqlite3_exec)(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER); BEGIN",
	                         NULL, NULL, NULL) == SQLITE_OK &&
	    GET(a, sqlite3_prepare_v2)(db, "INSERT INTO t(k) VALUES(?)", -1, &st, NULL) ==
		SQLITE_OK;

	for (int i = 0; ok && i < FIRST_ROWS; i++) {
		ok = GET(a, sqlite3_bind_int)(st, 1, 3 * i) == SQLITE_OK &&
		     GET(a, sqlite3_step)(st) == SQLITE_DONE &&
		     GET(a, sqlite3_reset)(st) == SQLITE_OK;
	}
	GET(a, sqlite3_finalize)(st);
	st = NULL;
	ok = ok && GET(a, sqlite3_exec)(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK &&
	     GET(a, sqlite3_prepare_v2)(db, "SELECT count(*), sum(k) FROM t", -1, &st, NULL) ==
	         SQLITE_OK &&
	     GET(a, sqlite3_step)(st) == SQLITE_ROW;
	/* 1,000 rows of 0, 3, 6, ... 2,997: their sum is 3 * 999 * 1000 / 2. */
	ok = ok && GET(a, sqlite3_column_int64)(st, 0) == FIRST_ROWS &&
	     GET(a, sqlite3_column_int64)(st, 1) == 3LL * (FIRST_ROWS - 1) * FIRST_ROWS / 2;
	GET(a, sqlite3_finalize)(st);
	GET(a, sqlite3_close)(db);
	return ok;
}

static const uint8_t *zstd_data;

static bool zstd_first(const struct api *a)
{
	size_t cap = GET(a, ZSTD_compressBound)(ZSTD_INPUT);
	uint8_t *z = malloc(cap), *out = malloc(ZSTD_INPUT);
	size_t zlen = z && out ? GET(a, ZSTD_compress)(z, cap, zstd_data, ZSTD_INPUT, 3) : 0;
	size_t olen = zlen && !GET(a, ZSTD_isError)(zlen)
	                  ? GET(a, ZSTD_decompress)(out, ZSTD_INPUT, z, zlen)
	                  : 0;
	bool ok =
	    olen == ZSTD_INPUT && memcmp(out, zstd_data, ZSTD_INPUT) == 0 && zlen < ZSTD_INPUT;

	free(z);
	free(out);
	return ok;
}

struct job {
	const char *label, *obj, *so, *warm_obj;
	bool (*first_use)(const struct api *);
};

/* What a child reports: nanoseconds and minor page faults, of the load and of the first use;
 * and for an extension, the load's stages (llext_get_stats(): parse, placement, linking). */
struct sample {
	uint64_t load_ns, use_ns, load_faults, use_faults, stage_ns[3];
};

static uint64_t minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)ru.ru_minflt;
}

static struct api open_way(const struct job *j, enum way w)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(j->obj);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct api a = {0};

	if (w == DLOPEN) {
		a.handle = dlopen(j->so, RTLD_NOW | RTLD_LOCAL);
		if (!a.handle) {
			die(j->so, dlerror());
		}
	} else if (w != LINKED) {
		param.text_mode =
		    w == SEALED || w == SEALED_WARM ? LLEXT_TEXT_SEALED : LLEXT_TEXT_ANONYMOUS;
		if (llext_load(&fl.loader, "first", &a.ext, &param) != 0 ||
		    llext_bringup(a.ext) != 0) {
			die(j->obj, "cannot load");
		}
	}
	return a;
}

/* In the child: the load and the first use, timed. */
static struct sample first_result(const struct job *j, enum way w)
{
	struct sample s;
	uint64_t f0, t0;
	struct api a;

	if (w == ANON_WARM || w == SEALED_WARM) {
		struct llext_fs_loader fl = LLEXT_FS_LOADER(j->warm_obj);
		struct llext *ext;

		if (llext_load(&fl.loader, "warm", &ext, NULL) != 0) {
			die(j->warm_obj, "cannot load");
		}
		llext_unload(&ext);
	}
	f0 = minor_faults();
	t0 = now_ns();
	a = open_way(j, w);
	uint64_t f1 = minor_faults(), t1 = now_ns();

	if (!j->first_use(&a)) {
		die(j->label, "the first use gave a wrong result");
	}
	s.use_ns = now_ns() - t1;
	s.use_faults = minor_faults() - f1;
	s.load_ns = t1 - t0;
	s.load_faults = f1 - f0;
	memset(s.stage_ns, 0, sizeof(s.stage_ns));
	if (a.ext) {
		struct llext_stats st;

		llext_get_stats(a.ext, &st);
		s.stage_ns[0] = st.parse_ns;
		s.stage_ns[1] = st.place_ns;
		s.stage_ns[2] = st.link_ns;
	}
	return s;
}

static struct sample in_child(const struct job *j, enum way w)
{
	struct sample s;
	int p[2], status;
	pid_t pid;

	fflush(stdout); /* a child that dies flushes its copy of the buffer */
	if (pipe(p) != 0 || (pid = fork()) < 0) {
		die("fork", "cannot start a child");
	}
	if (pid == 0) {
		close(p[0]);
		s = first_result(j, w);
		/* _exit: the child is done; nothing of the parent's is to be flushed or unloaded.
		 */
		_exit(write(p[1], &s, sizeof(s)) == (ssize_t)sizeof(s) ? 0 : 1);
	}
	close(p[1]);
	if (read(p[0], &s, sizeof(s)) != (ssize_t)sizeof(s) || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		die(j->label, "the child measuring the first result failed");
	}
	close(p[0]);
	return s;
}

/* Medians of a way's samples, field by field. */
struct first_row {
	double load_us[WAYS], total_us[WAYS], load_faults[WAYS], use_faults[WAYS];
	double stage_us[WAYS][3];
};

/* The median over @n rounds of the field at @offset of way @w's samples. */
static double median_of(const struct sample *s, int n, enum way w, size_t offset, uint64_t *v)
{
	for (int i = 0; i < n; i++) {
		v[i] = *(const uint64_t *)((const char *)&s[i * WAYS + w] + offset);
	}
	return median(v, (size_t)n);
}

static struct first_row measure(const struct job *j, int n)
{
	struct first_row r;
	struct sample *s = calloc((size_t)(n * WAYS), sizeof(*s));
	uint64_t *v = calloc((size_t)n, sizeof(*v));

	for (int i = -1; i < n; i++) { /* round -1 warms the page cache */
		for (int k = 0; k < WAYS; k++) {
			enum way w = (enum way)((i + 1 + k) % WAYS);
			struct sample x = in_child(j, w);

			if (i >= 0) {
				s[i * WAYS + w] = x;
			}
		}
	}
	for (int w = 0; w < WAYS; w++) {
		for (int i = 0; i < n; i++) {
			v[i] = s[i * WAYS + w].load_ns + s[i * WAYS + w].use_ns;
		}
		r.total_us[w] = median(v, (size_t)n) / 1e3;
		r.load_us[w] = median_of(s, n, w, offsetof(struct sample, load_ns), v) / 1e3;
		r.load_faults[w] = median_of(s, n, w, offsetof(struct sample, load_faults), v);
		r.use_faults[w] = median_of(s, n, w, offsetof(struct sample, use_faults), v);
		for (int k = 0; k < 3; k++) {
			r.stage_us[w][k] =
			    median_of(s, n, w, offsetof(struct sample, stage_ns) + 8 * (size_t)k,
			              v) /
			    1e3;
		}
	}
	free(s);
	free(v);
	return r;
}

static struct job jobs[2];
static struct first_row rows[2];
static int njobs, nrounds;

void first_results_measure(const char *small_o, const char *sqlite_o, const char *sqlite_so,
                           const char *zstd_o, const char *zstd_so, int n)
{
	jobs[0] = (struct job){"sqlite3: load, 1,000 rows in, read back", sqlite_o, sqlite_so,
	                       small_o, sqlite_first};
	njobs = 1;
	if (zstd_o) {
		zstd_data = mixed_input(ZSTD_INPUT);
		jobs[njobs++] = (struct job){"zstd: load, 64 KiB round trip", zstd_o, zstd_so,
		                             small_o, zstd_first};
	}
	nrounds = n;
	for (int k = 0; k < njobs; k++) {
		rows[k] = measure(&jobs[k], n);
	}
}

void first_results_print(void)
{
	static const char *name[WAYS] = {"anonymous", "sealed", "dlopen", "linked (floor)"};

	printf("\n%-44s %13s %13s %13s %13s\n", "m. time to first result (load + first use)",
	       name[0], name[1], name[2], name[3]);
	printf(
	    "   medians of %d rounds; each way in a child forked before anything was loaded, timed "
	    "in the child;\n   dlopen() of a private copy, RTLD_NOW; the floor: the library "
	    "linked into this program\n",
	    nrounds);
	for (int k = 0; k < njobs; k++) {
		const struct first_row *r = &rows[k];

		printf("m. %-41s %10.1f us %10.1f us %10.1f us %10.1f us\n", jobs[k].label,
		       r->total_us[0], r->total_us[1], r->total_us[2], r->total_us[3]);
		printf("%-44s %10.1f us %10.1f us %10.1f us %13s\n", "   of which the load",
		       r->load_us[0], r->load_us[1], r->load_us[2], "");
		printf(
		    "%-44s %4.0f/%3.0f/%4.0f %4.0f/%3.0f/%4.0f   (parse/placement/linking, us)\n",
		    "   the load's stages", r->stage_us[0][0], r->stage_us[0][1], r->stage_us[0][2],
		    r->stage_us[1][0], r->stage_us[1][1], r->stage_us[1][2]);
		printf("%-44s %13.0f %13.0f %13.0f %13s\n", "   page faults in the load",
		       r->load_faults[0], r->load_faults[1], r->load_faults[2], "");
		printf("%-44s %13.0f %13.0f %13.0f %13.0f\n", "   page faults in the first use",
		       r->use_faults[0], r->use_faults[1], r->use_faults[2], r->use_faults[3]);
		printf("%-44s %10.1f us %10.1f us %10.1f us   / dlopen: %.2f, %.2f\n",
		       "   beyond the floor", r->total_us[0] - r->total_us[3],
		       r->total_us[1] - r->total_us[3], r->total_us[2] - r->total_us[3],
		       r->total_us[0] / r->total_us[2], r->total_us[1] / r->total_us[2]);
		printf("%-44s %10.1f us %10.1f us %13s   / dlopen: %.2f, %.2f\n",
		       "   libllext started (small.o loaded first)", r->total_us[ANON_WARM],
		       r->total_us[SEALED_WARM], "", r->total_us[ANON_WARM] / r->total_us[2],
		       r->total_us[SEALED_WARM] / r->total_us[2]);
		printf("%-44s %10.1f us %10.1f us\n", "      of which the load",
		       r->load_us[ANON_WARM], r->load_us[SEALED_WARM]);
	}
}
