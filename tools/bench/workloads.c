// SPDX-License-Identifier: MIT
/*
 * How fast loaded code runs: the same library as an extension with anonymous text, as an
 * extension with sealed text, and as a shared object (dlopen()), each running the same work,
 * the three interleaved round by round (which goes first rotating), medians.
 *
 *   small    small_entry(42) (an snprintf()), 100,000 calls
 *   tls      bench_tls_bump() (one thread-local access), 1,000,000 calls
 *   zlib     compress2() then uncompress() of 1 MiB of mixed text and noise, checked
 *   bzip2    BZ2_bzBuffToBuffCompress() then BZ2_bzBuffToBuffDecompress() of the same 1 MiB
 *   lzma     lzma_easy_buffer_encode() (preset 1) then lzma_stream_buffer_decode(), 1 MiB
 *   zstd     ZSTD_compress() (level 3) then ZSTD_decompress(), 1 MiB
 *   expat    a 1 MiB document of 20,000 elements parsed, its elements counted
 *   sqlite3  an in-memory database: 100,000 rows inserted in one transaction, an index built,
 *            2,000 range queries answered, checked against each other
 * Every round checks its result (the data back unchanged, the count right).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>
#include <expat.h>
#include <lzma.h>
#include <sqlite3.h>
#include <zstd.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

#include "bench.h"

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

static struct lib open_ext(const char *obj, enum llext_text_mode mode)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(obj);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct lib l = {0};

	param.text_mode = mode;
	if (llext_load(&ldr.loader, mode == LLEXT_TEXT_SEALED ? "workload-sealed" : "workload",
	               &l.ext, &param) != 0 ||
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

/* Text-like runs broken by noise: neither trivially compressible nor incompressible. */
uint8_t *mixed_input(size_t len)
{
	uint8_t *in = malloc(len);
	uint32_t x = 12345;

	if (!in) {
		die("input", "out of memory");
	}
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		in[i] = (x >> 28) ? (uint8_t)("the quick brown fox "[i % 20]) : (uint8_t)(x >> 16);
	}
	return in;
}

#define INPUT ((size_t)1 << 20)

/* The 1 MiB every compressor's round works on, made once. */
static const uint8_t *input(void)
{
	static uint8_t *in;

	if (!in) {
		in = mixed_input(INPUT);
	}
	return in;
}

/* Checks a round trip's output against the input; frees both buffers. */
static void check_round_trip(const char *what, uint8_t *z, uint8_t *out, size_t olen)
{
	if (olen != INPUT || memcmp(input(), out, INPUT) != 0) {
		die(what, "round trip changed the data");
	}
	free(z);
	free(out);
}

/* ---- calls: small and tls ---- */

#define SMALL_CALLS 100000
#define TLS_CALLS 1000000

static uint64_t small_round(struct lib *l)
{
	int (*f)(int) = (int (*)(int))fn(l, "small_entry");
	uint64_t t0 = now_ns();

	for (int i = 0; i < SMALL_CALLS; i++) {
		if (f(42) != 8) { /* "value 42" */
			die("small_entry", "wrong answer");
		}
	}
	return now_ns() - t0;
}

static uint64_t tls_round(struct lib *l)
{
	int (*f)(void) = (int (*)(void))fn(l, "bench_tls_bump");
	int first = f();
	uint64_t t0 = now_ns();
	int last = 0;

	for (int i = 0; i < TLS_CALLS; i++) {
		last = f();
	}
	if (last != first + TLS_CALLS) {
		die("bench_tls_bump", "wrong count");
	}
	return now_ns() - t0;
}

/* ---- zlib ---- */

typedef int (*compress2_fn)(uint8_t *, unsigned long *, const uint8_t *, unsigned long, int);
typedef int (*uncompress_fn)(uint8_t *, unsigned long *, const uint8_t *, unsigned long);
typedef unsigned long (*bound_fn)(unsigned long);

static uint64_t zlib_round(struct lib *l)
{
	compress2_fn compress2 = (compress2_fn)fn(l, "compress2");
	uncompress_fn uncompress = (uncompress_fn)fn(l, "uncompress");
	unsigned long zlen = ((bound_fn)fn(l, "compressBound"))(INPUT), olen = INPUT;
	uint8_t *z = malloc(zlen), *out = malloc(INPUT);
	uint64_t t0 = now_ns(), t;

	if (!z || !out || compress2(z, &zlen, input(), INPUT, 6) != 0 ||
	    uncompress(out, &olen, z, zlen) != 0) {
		die("zlib", "round trip failed");
	}
	t = now_ns() - t0;
	check_round_trip("zlib", z, out, olen);
	return t;
}

/* ---- bzip2, lzma, zstd ---- */

static uint64_t bzip2_round(struct lib *l)
{
	__typeof__(&BZ2_bzBuffToBuffCompress) comp = fn(l, "BZ2_bzBuffToBuffCompress");
	__typeof__(&BZ2_bzBuffToBuffDecompress) decomp = fn(l, "BZ2_bzBuffToBuffDecompress");
	unsigned int zlen = INPUT + INPUT / 100 + 600, olen = INPUT;
	uint8_t *z = malloc(zlen), *out = malloc(INPUT);
	uint64_t t0 = now_ns(), t;

	if (!z || !out || comp((char *)z, &zlen, (char *)input(), INPUT, 9, 0, 0) != BZ_OK ||
	    decomp((char *)out, &olen, (char *)z, zlen, 0, 0) != BZ_OK) {
		die("bzip2", "round trip failed");
	}
	t = now_ns() - t0;
	check_round_trip("bzip2", z, out, olen);
	return t;
}

static uint64_t lzma_round(struct lib *l)
{
	__typeof__(&lzma_easy_buffer_encode) enc = fn(l, "lzma_easy_buffer_encode");
	__typeof__(&lzma_stream_buffer_decode) dec = fn(l, "lzma_stream_buffer_decode");
	size_t cap =
	    ((__typeof__(&lzma_stream_buffer_bound))fn(l, "lzma_stream_buffer_bound"))(INPUT);
	size_t zlen = 0, in_pos = 0, olen = 0;
	uint64_t memlimit = UINT64_MAX;
	uint8_t *z = malloc(cap), *out = malloc(INPUT);
	uint64_t t0 = now_ns(), t;

	if (!z || !out ||
	    enc(1, LZMA_CHECK_CRC64, NULL, input(), INPUT, z, &zlen, cap) != LZMA_OK ||
	    dec(&memlimit, 0, NULL, z, &in_pos, zlen, out, &olen, INPUT) != LZMA_OK) {
		die("lzma", "round trip failed");
	}
	t = now_ns() - t0;
	check_round_trip("lzma", z, out, olen);
	return t;
}

static uint64_t zstd_round(struct lib *l)
{
	__typeof__(&ZSTD_compress) comp = fn(l, "ZSTD_compress");
	__typeof__(&ZSTD_decompress) decomp = fn(l, "ZSTD_decompress");
	__typeof__(&ZSTD_isError) is_error = fn(l, "ZSTD_isError");
	size_t cap = ((__typeof__(&ZSTD_compressBound))fn(l, "ZSTD_compressBound"))(INPUT);
	uint8_t *z = malloc(cap), *out = malloc(INPUT);
	uint64_t t0 = now_ns(), t;
	size_t zlen = z && out ? comp(z, cap, input(), INPUT, 3) : 0;
	size_t olen = zlen && !is_error(zlen) ? decomp(out, INPUT, z, zlen) : 0;

	if (!zlen || is_error(zlen) || is_error(olen)) {
		die("zstd", "round trip failed");
	}
	t = now_ns() - t0;
	check_round_trip("zstd", z, out, olen);
	return t;
}

/* ---- expat ---- */

#define XML_ITEMS 20000

/* <r><item id="0">...</item>... </r>: XML_ITEMS + 1 elements, about 1 MiB. */
static const char *xml_document(int *len)
{
	static char *doc;
	static int n;

	if (!doc) {
		size_t cap = (size_t)XML_ITEMS * 64 + 16;

		doc = malloc(cap);
		if (!doc) {
			die("expat", "out of memory");
		}
		n = snprintf(doc, cap, "<r>");
		for (int i = 0; i < XML_ITEMS; i++) {
			n += snprintf(doc + n, cap - (size_t)n,
			              "<item id=\"%d\">the quick brown fox %d</item>\n", i, i * 7);
		}
		n += snprintf(doc + n, cap - (size_t)n, "</r>");
	}
	*len = n;
	return doc;
}

static void XMLCALL count_start(void *user, const XML_Char *name, const XML_Char **atts)
{
	(void)name;
	(void)atts;
	++*(int *)user;
}

static uint64_t expat_round(struct lib *l)
{
	__typeof__(&XML_ParserCreate) create = fn(l, "XML_ParserCreate");
	__typeof__(&XML_SetUserData) set_user = fn(l, "XML_SetUserData");
	__typeof__(&XML_SetStartElementHandler) set_start = fn(l, "XML_SetStartElementHandler");
	__typeof__(&XML_Parse) parse = fn(l, "XML_Parse");
	__typeof__(&XML_ParserFree) destroy = fn(l, "XML_ParserFree");
	int len, elements = 0;
	const char *doc = xml_document(&len);
	uint64_t t0 = now_ns(), t;
	XML_Parser p = create(NULL);

	if (!p) {
		die("expat", "cannot make a parser");
	}
	set_user(p, &elements);
	set_start(p, count_start);
	if (parse(p, doc, len, 1) != XML_STATUS_OK) {
		die("expat", "the document did not parse");
	}
	destroy(p);
	t = now_ns() - t0;
	if (elements != XML_ITEMS + 1) {
		die("expat", "wrong element count");
	}
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

/* The answer every sqlite3 round must give: the first one's, checked by each later one. */
static uint64_t sqlite_checked_round(struct lib *l)
{
	static long long answer;
	long long got;
	uint64_t t = sqlite_round(l, &got);

	if (answer == 0) {
		answer = got;
	} else if (got != answer) {
		die("sqlite3", "the builds answered differently");
	}
	return t;
}

/* ---- the three ways ---- */

struct workload {
	const char *name;  /* what the object's file name contains */
	const char *label; /* the row's */
	uint64_t (*round)(struct lib *);
	double per; /* what a round's time is divided by (calls), and its unit */
	const char *unit;
};

static const struct workload table[] = {
    {"small", "small: small_entry() per call", small_round, SMALL_CALLS, "ns"},
    {"tls", "bench_tls_bump() per call", tls_round, TLS_CALLS, "ns"},
    {"zlib", "zlib: 1 MiB compress+uncompress", zlib_round, 1e6, "ms"},
    {"bzip2", "bzip2: 1 MiB compress+decompress", bzip2_round, 1e6, "ms"},
    {"lzma", "lzma: 1 MiB encode+decode, preset 1", lzma_round, 1e6, "ms"},
    {"zstd", "zstd: 1 MiB compress+decompress", zstd_round, 1e6, "ms"},
    {"expat", "expat: 1 MiB document, 20k elements", expat_round, 1e6, "ms"},
    {"sqlite3", "sqlite3: 100k rows, index, 2k queries", sqlite_checked_round, 1e6, "ms"},
};

static const char *base_name(const char *path)
{
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

static const struct workload *workload_of(const char *obj)
{
	const char *base = base_name(obj);

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strncmp(base, table[i].name, strlen(table[i].name)) == 0) {
			return &table[i];
		}
	}
	return NULL;
}

/*
 * The median of the rounds' ratios @a[i] / @b[i]: the ways of one round ran one after the other,
 * so a burst of other work on the machine moves a round's ratio less than its times.
 */
static double round_ratio(const uint64_t *a, const uint64_t *b, int rounds)
{
	uint64_t *r = calloc((size_t)rounds, sizeof(*r));
	double m;

	for (int i = 0; i < rounds; i++) {
		r[i] = (uint64_t)((double)a[i] * 1e6 / (double)(b[i] ? b[i] : 1));
	}
	m = median(r, (size_t)rounds) / 1e6;
	free(r);
	return m;
}

void speed_header(void)
{
	printf("\n%-40s %11s %11s %11s %8s %8s\n", "code speed (the same work, three ways)",
	       "anonymous", "sealed", "dlopen", "anon/dl", "s/anon");
	printf("%-40s (medians; ratios: the median of each round's, then of the fastest rounds)\n",
	       "");
}

bool speed_row(const char *obj, const char *so, int rounds)
{
	const struct workload *w = workload_of(obj);
	struct lib l[3];
	uint64_t *t[3];
	double m[3], ratio[2], fastest[3];
	char label[64];

	if (!w) {
		return false;
	}
	l[0] = open_ext(obj, LLEXT_TEXT_ANONYMOUS);
	l[1] = open_ext(obj, LLEXT_TEXT_SEALED);
	l[2] = open_so(so);
	for (int k = 0; k < 3; k++) {
		t[k] = calloc((size_t)rounds, sizeof(*t[k]));
		w->round(&l[k]); /* warms each */
	}
	for (int i = 0; i < rounds; i++) {
		for (int j = 0; j < 3; j++) {
			int k = (i + j) % 3; /* which goes first rotates */

			t[k][i] = w->round(&l[k]);
		}
	}
	ratio[0] = round_ratio(t[0], t[2], rounds);
	ratio[1] = round_ratio(t[1], t[0], rounds);
	for (int k = 0; k < 3; k++) {
		/* median() sorts: the rounds' order is gone after this. */
		m[k] = median(t[k], (size_t)rounds) / w->per;
		fastest[k] = (double)t[k][0];
		close_lib(&l[k]);
		free(t[k]);
	}
	if (w->round == tls_round) {
		snprintf(label, sizeof(label), "%s: %s", base_name(obj), w->label);
	} else {
		snprintf(label, sizeof(label), "%s", w->label);
	}
	printf("h. %-37s %8.2f %s %8.2f %s %8.2f %s %8.3f %8.3f   fastest %.3f %.3f\n", label, m[0],
	       w->unit, m[1], w->unit, m[2], w->unit, ratio[0], ratio[1], fastest[0] / fastest[2],
	       fastest[1] / fastest[0]);
	return true;
}
