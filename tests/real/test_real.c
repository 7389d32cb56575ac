// SPDX-License-Identifier: MIT
/*
 * Whole Debian static libraries loaded as extensions and used through their public API, near
 * libc and far from it (every free address within reach of libc reserved first, so each call
 * into libc goes through a stub or veneer). Results are checked against what the data must be:
 * round trips give back the input, checksums match an independent computation.
 */
#include <bzlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <expat.h>
#include <lzma.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include <llext/fs_loader.h>

#include "common.h"
#include "base/base.h"
#include "observe/addr.h"
#include "observe/debug.h"
#include "runtime/ext.h"
#include "runtime/symbol.h"
#include "logcap.h"
#include "reserve.h"
#include "maptrack.h"

#define MIB (1u << 20)

#if defined(__x86_64__)
#define BRANCH_REACH (2ULL << 30)
#else
#define BRANCH_REACH (128ULL << 20)
#endif

static int load_real(const char *lib, struct llext **ext)
{
	char path[512];
	struct llext_fs_loader fl = LLEXT_FS_LOADER(path);

	snprintf(path, sizeof(path), "%s/%s.o", REAL_DIR, lib);
	return llext_load(&fl.loader, lib, ext, NULL);
}

/* A symbol of the extension that must be in its own text (not a same-named host library's). */
static void *code(struct llext *ext, const char *name)
{
	uintptr_t p = (uintptr_t)ext_sym(ext, name);
	uintptr_t text = (uintptr_t)ext->mem[LLEXT_MEM_TEXT];

	assert_true(p >= text && p < text + ext->mem_size[LLEXT_MEM_TEXT]);
	return (void *)p;
}

/* A megabyte of compressible text: words from a small vocabulary picked by an LCG. */
static uint8_t *sample(size_t len)
{
	static const char *const words[] = {"alpha ",     "beta ",   "gamma ",      "delta ",
	                                    "extension ", "loader ", "relocation ", "symbol\n"};
	uint8_t *p = malloc(len);
	uint32_t x = 12345;
	size_t n = 0;

	assert_non_null(p);
	while (n < len) {
		const char *w;

		x = x * 1103515245u + 12345u;
		w = words[(x >> 16) & 7];
		for (; *w && n < len; w++) {
			p[n++] = (uint8_t)*w;
		}
	}
	return p;
}

/* CRC-32 (IEEE 802.3, reflected), bit by bit: independent of any library's tables. */
static uint32_t crc32_ref(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++) {
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
		}
	}
	return ~c;
}

static void check_zlib(struct llext *ext)
{
	__typeof__(&compress2) comp = code(ext, "compress2");
	__typeof__(&uncompress) uncomp = code(ext, "uncompress");
	__typeof__(&compressBound) bound = code(ext, "compressBound");
	__typeof__(&crc32) crc = code(ext, "crc32");
	__typeof__(&zlibVersion) version = code(ext, "zlibVersion");
	uint8_t *in = sample(MIB), *z, *out = malloc(MIB);
	uLongf zlen = bound(MIB), olen = MIB;

	assert_string_equal(version(), ZLIB_VERSION);
	z = malloc(zlen);
	assert_int_equal(comp(z, &zlen, in, MIB, 6), Z_OK);
	assert_true(zlen < MIB / 4);
	assert_int_equal(uncomp(out, &olen, z, zlen), Z_OK);
	assert_int_equal(olen, MIB);
	assert_memory_equal(in, out, MIB);
	assert_int_equal(crc(0, in, MIB), crc32_ref(in, MIB));
	free(in);
	free(z);
	free(out);
}

static void check_bzip2(struct llext *ext)
{
	__typeof__(&BZ2_bzBuffToBuffCompress) comp = code(ext, "BZ2_bzBuffToBuffCompress");
	__typeof__(&BZ2_bzBuffToBuffDecompress) decomp = code(ext, "BZ2_bzBuffToBuffDecompress");
	uint8_t *in = sample(MIB), *z = malloc(MIB + MIB / 100 + 600), *out = malloc(MIB);
	unsigned int zlen = MIB + MIB / 100 + 600, olen = MIB;

	assert_int_equal(comp((char *)z, &zlen, (char *)in, MIB, 9, 0, 0), BZ_OK);
	assert_true(zlen < MIB / 4);
	assert_int_equal(decomp((char *)out, &olen, (char *)z, zlen, 0, 0), BZ_OK);
	assert_int_equal(olen, MIB);
	assert_memory_equal(in, out, MIB);
	free(in);
	free(z);
	free(out);
}

static void check_lzma(struct llext *ext)
{
	__typeof__(&lzma_easy_buffer_encode) enc = code(ext, "lzma_easy_buffer_encode");
	__typeof__(&lzma_stream_buffer_decode) dec = code(ext, "lzma_stream_buffer_decode");
	__typeof__(&lzma_crc32) crc = code(ext, "lzma_crc32");
	uint8_t *in = sample(MIB), *z = malloc(MIB), *out = malloc(MIB);
	size_t zlen = 0, olen = 0, ipos = 0;
	uint64_t memlimit = UINT64_MAX;

	assert_int_equal(enc(1, LZMA_CHECK_CRC64, NULL, in, MIB, z, &zlen, MIB), LZMA_OK);
	assert_true(zlen > 0 && zlen < MIB / 4);
	assert_int_equal(dec(&memlimit, 0, NULL, z, &ipos, zlen, out, &olen, MIB), LZMA_OK);
	assert_int_equal(olen, MIB);
	assert_int_equal(ipos, zlen);
	assert_memory_equal(in, out, MIB);
	assert_int_equal(crc(in, MIB, 0), crc32_ref(in, MIB));
	free(in);
	free(z);
	free(out);
}

static void check_zstd(struct llext *ext)
{
	__typeof__(&ZSTD_compress) comp = code(ext, "ZSTD_compress");
	__typeof__(&ZSTD_decompress) decomp = code(ext, "ZSTD_decompress");
	__typeof__(&ZSTD_compressBound) bound = code(ext, "ZSTD_compressBound");
	__typeof__(&ZSTD_isError) is_error = code(ext, "ZSTD_isError");
	uint8_t *in = sample(MIB), *z, *out = malloc(MIB);
	size_t cap = bound(MIB), zlen, olen;

	z = malloc(cap);
	zlen = comp(z, cap, in, MIB, 3);
	assert_false(is_error(zlen));
	assert_true(zlen < MIB / 4);
	olen = decomp(out, MIB, z, zlen);
	assert_false(is_error(olen));
	assert_int_equal(olen, MIB);
	assert_memory_equal(in, out, MIB);
	free(in);
	free(z);
	free(out);
}

struct xml_count {
	int elements, depth, max_depth;
	long values;
};

static void XMLCALL on_start(void *user, const XML_Char *name, const XML_Char **attrs)
{
	struct xml_count *c = user;

	(void)name;
	c->elements++;
	if (++c->depth > c->max_depth) {
		c->max_depth = c->depth;
	}
	for (int i = 0; attrs[i]; i += 2) {
		if (strcmp(attrs[i], "v") == 0) {
			c->values += atol(attrs[i + 1]);
		}
	}
}

static void XMLCALL on_end(void *user, const XML_Char *name)
{
	(void)name;
	((struct xml_count *)user)->depth--;
}

static void check_expat(struct llext *ext)
{
	__typeof__(&XML_ParserCreate) create = code(ext, "XML_ParserCreate");
	__typeof__(&XML_SetUserData) set_user = code(ext, "XML_SetUserData");
	__typeof__(&XML_SetElementHandler) set_handlers = code(ext, "XML_SetElementHandler");
	__typeof__(&XML_Parse) parse = code(ext, "XML_Parse");
	__typeof__(&XML_ParserFree) destroy = code(ext, "XML_ParserFree");
	struct xml_count c = {0};
	size_t cap = 64 * 1024, len = 0;
	char *doc = malloc(cap);
	XML_Parser p;

	/* <root><item v="0"><leaf/></item>...<item v="999"><leaf/></item></root> */
	len += (size_t)snprintf(doc + len, cap - len, "<root>");
	for (int i = 0; i < 1000; i++) {
		len += (size_t)snprintf(doc + len, cap - len, "<item v=\"%d\"><leaf/></item>", i);
	}
	len += (size_t)snprintf(doc + len, cap - len, "</root>");
	p = create(NULL);
	assert_non_null(p);
	set_user(p, &c);
	/* The extension calls back into the host for every element. */
	set_handlers(p, on_start, on_end);
	assert_int_equal(parse(p, doc, (int)len, 1), XML_STATUS_OK);
	destroy(p);
	assert_int_equal(c.elements, 2001);
	assert_int_equal(c.max_depth, 3);
	assert_int_equal(c.depth, 0);
	assert_int_equal(c.values, 999L * 1000 / 2);
	free(doc);
}

static void check_sqlite3(struct llext *ext)
{
	__typeof__(&sqlite3_open) open_db = code(ext, "sqlite3_open");
	__typeof__(&sqlite3_exec) exec = code(ext, "sqlite3_exec");
	__typeof__(&sqlite3_prepare_v2) prepare = code(ext, "sqlite3_prepare_v2");
	__typeof__(&sqlite3_step) step = code(ext, "sqlite3_step");
	__typeof__(&sqlite3_column_int64) column = code(ext, "sqlite3_column_int64");
	__typeof__(&sqlite3_column_double) column_d = code(ext, "sqlite3_column_double");
	__typeof__(&sqlite3_finalize) finalize = code(ext, "sqlite3_finalize");
	__typeof__(&sqlite3_close) close_db = code(ext, "sqlite3_close");
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(open_db(":memory:", &db), SQLITE_OK);
	assert_int_equal(exec(db,
	                      "CREATE TABLE t(x INTEGER, s TEXT);"
	                      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
	                      "WHERE i < 1000) INSERT INTO t SELECT i, printf('row %d', i) FROM n;",
	                      NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(prepare(db,
	                         "SELECT sum(x), count(*), sum(length(s)), sqrt(sum(x * x)) FROM t "
	                         "WHERE x % 3 = 0",
	                         -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(step(st), SQLITE_ROW);
	/* Multiples of 3 up to 999: 333 of them, summing to 3 * 333 * 334 / 2. */
	assert_int_equal(column(st, 0), 3 * 333 * 334 / 2);
	assert_int_equal(column(st, 1), 333);
	/* "row N": 4 + digits; 3 one-digit, 30 two-digit, 300 three-digit multiples of 3. */
	assert_int_equal(column(st, 2), 3 * 5 + 30 * 6 + 300 * 7);
	/* sqrt of 9 * sum(k^2, k = 1..333), through libm. */
	double want = 3.0 * __builtin_sqrt(333.0 * 334.0 * 667.0 / 6.0);

	assert_true(column_d(st, 3) > want - 1e-6 && column_d(st, 3) < want + 1e-6);
	assert_int_equal(step(st), SQLITE_DONE);
	assert_int_equal(finalize(st), SQLITE_OK);
	assert_int_equal(close_db(db), SQLITE_OK);
}

struct lib {
	const char *name;
	void (*check)(struct llext *ext);
	/*
	 * Debian builds these archives as PIE code, which on x86_64 reads libc's `stderr` (and
	 * `stdout`) with 32-bit PC-relative loads: such an object can only run within 2 GiB of
	 * libc's data.
	 */
	bool x86_64_needs_libc_data_near;
};

static const struct lib libs[] = {
    {"zlib", check_zlib, false}, {"bzip2", check_bzip2, true},  {"lzma", check_lzma, false},
    {"zstd", check_zstd, true},  {"expat", check_expat, false}, {"sqlite3", check_sqlite3, false},
};
#define NLIBS (ARRAY_SIZE(libs))

static uint64_t distance(uintptr_t a, uintptr_t b)
{
	return a > b ? a - b : b - a;
}

/* The reservation of a "far" test, released by its teardown even when an assertion fails. */
static void *gap;

static int release_gap(void **state)
{
	(void)state;
	if (gap) {
		reserve_release(gap);
		gap = NULL;
	}
	return 0;
}

/*
 * The extension's symbols by address, thousands of them here: every export is found at its
 * address, and a walk from the start of text meets addresses in increasing order only.
 */
static void check_by_address(struct llext *ext)
{
	const uint8_t *text = ext->mem[LLEXT_MEM_TEXT], *p = text, *prev = NULL;
	struct llext_addr_info info;
	size_t same_name = 0, walked = 0;

	for (size_t i = 0; i < ext->exp_tab.sym_cnt; i++) {
		const struct llext_symbol *s = &ext->exp_tab.syms[i];

		assert_int_equal(llext_addr_info(s->addr, &info), 0);
		assert_ptr_equal(info.ext, ext);
		/* The export, or another name of the same address. */
		assert_ptr_equal(info.sym_addr, s->addr);
		same_name += strcmp(info.sym_name, s->name) == 0;
	}
	assert_true(same_name > ext->exp_tab.sym_cnt / 2);
	while (p && p < text + ext->mem_size[LLEXT_MEM_TEXT]) {
		assert_int_equal(llext_addr_info(p, &info), 0);
		assert_true(!prev || (const uint8_t *)info.sym_addr > prev);
		prev = info.sym_addr;
		p = info.next_sym_addr;
		walked++;
	}
	assert_true(walked > 10);
}

/*
 * Every export is found by name, in the extension's own table and in the index of all extensions'
 * exports, at its address: thousands of names of every length, hashed eight bytes at a time
 * when the table is built and again, from the bare string, by each lookup.
 */
static void check_found_by_name(struct llext *ext)
{
	bool ends[8] = {false};
	size_t longest = 0;

	for (size_t i = 0; i < ext->exp_tab.sym_cnt; i++) {
		const struct llext_symbol *s = &ext->exp_tab.syms[i];
		struct llext_internal *owner = NULL;
		size_t len = strlen(s->name);
		void *addr = NULL;

		assert_ptr_equal(llext_find_sym(&ext->exp_tab, s->name), s->addr);
		assert_true(llext_exports_lookup(s->name, llext_hash(s->name), &addr, &owner));
		assert_ptr_equal(addr, s->addr);
		assert_ptr_equal(owner, to_internal(ext));
		ends[len % 8] = true;
		longest = len > longest ? len : longest;
	}
	/* Among them, names that end at every offset within a word, and names of three words. */
	for (size_t k = 0; k < 8; k++) {
		assert_true(ends[k]);
	}
	assert_true(longest > 16);
}

/*
 * What libllext keeps for an extension's lifetime, its symbols by address and the debuggers'
 * copy, goes into the unused tail of its huge pages when there is room (lib/load/map.c), which
 * costs no memory and no page faults: sqlite3's tail holds both. Smaller objects, on small pages,
 * keep them on the heap.
 */
static void check_tables_placed(const struct lib *l, struct llext *ext)
{
	const struct llext_internal *ie = to_internal(ext);

	if (strcmp(l->name, "sqlite3") == 0) {
		assert_true(llext_addr_in_map(ie));
		assert_non_null(ie->debug);
		assert_int_equal(llext_debug_size(ie), 0);
	} else if (strcmp(l->name, "bzip2") == 0) {
		assert_false(llext_addr_in_map(ie));
		assert_true(llext_debug_size(ie) > 0);
	}
}

static void run_lib(const struct lib *l, bool far)
{
	uintptr_t libc = (uintptr_t)dlsym(RTLD_DEFAULT, "memcpy");
	struct llext_stats st;
	struct llext *ext;

	if (far) {
		gap = reserve_around(libc, 2 * BRANCH_REACH);
	}
#if defined(__x86_64__)
	if (far && l->x86_64_needs_libc_data_near) {
		/* Refused, naming the data and the flag that would make it loadable anywhere. */
		log_capture_start();
		assert_int_equal(load_real(l->name, &ext), -ENOEXEC);
		log_capture_stop();
		assert_true(log_contains("'stderr'") || log_contains("'stdout'"));
		assert_true(log_contains("-fPIC"));
		assert_int_equal(registry_count(), 0);
		return;
	}
#endif
	assert_int_equal(load_real(l->name, &ext), 0);
	assert_int_equal(llext_bringup(ext), 0);
	assert_int_equal(llext_get_stats(ext, &st), 0);
	/* Thousands of relocations, and calls into libc through stubs. */
	assert_true(st.relocs > 300);
	assert_true(st.stubs > 0 && st.got_entries >= st.stubs);
	if (far) {
		assert_true(distance((uintptr_t)ext->mem[LLEXT_MEM_TEXT], libc) > BRANCH_REACH);
	}
	l->check(ext);
	check_by_address(ext);
	check_found_by_name(ext);
	check_tables_placed(l, ext);
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_near(void **state)
{
	run_lib(*state, false);
}

static void test_far(void **state)
{
	run_lib(*state, true);
}

/* ---- many at once, in any order ---- */

static void test_many_orders(void **state)
{
	/* 4 of the libraries, loaded in each of the 24 orders and unloaded in another one. */
	static const int perm4[24][4] = {
	    {0, 1, 2, 3}, {0, 1, 3, 2}, {0, 2, 1, 3}, {0, 2, 3, 1}, {0, 3, 1, 2}, {0, 3, 2, 1},
	    {1, 0, 2, 3}, {1, 0, 3, 2}, {1, 2, 0, 3}, {1, 2, 3, 0}, {1, 3, 0, 2}, {1, 3, 2, 0},
	    {2, 0, 1, 3}, {2, 0, 3, 1}, {2, 1, 0, 3}, {2, 1, 3, 0}, {2, 3, 0, 1}, {2, 3, 1, 0},
	    {3, 0, 1, 2}, {3, 0, 2, 1}, {3, 1, 0, 2}, {3, 1, 2, 0}, {3, 2, 0, 1}, {3, 2, 1, 0},
	};
	static const char *const names[4] = {"zlib", "bzip2", "expat", "sqlite3"};
	struct llext *ext[4];
	size_t heap_before, mapped_before;

	(void)state;
	/* Warm up once: the first loads build process-wide tables that stay. */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(load_real(names[i], &ext[i]), 0);
		assert_int_equal(llext_bringup(ext[i]), 0);
	}
	check_zlib(ext[0]);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(llext_unload(&ext[i]), 0);
	}

	heap_before = mallinfo2().uordblks;
	mapped_before = maptrack_live_bytes();
	for (int p = 0; p < 24; p++) {
		const int *load = perm4[p], *unload = perm4[(p * 7 + 5) % 24];

		for (int i = 0; i < 4; i++) {
			assert_int_equal(load_real(names[load[i]], &ext[load[i]]), 0);
		}
		assert_int_equal(registry_count(), 4);
		for (int i = 0; i < 4; i++) {
			assert_int_equal(llext_bringup(ext[i]), 0);
		}
		check_zlib(ext[0]);
		for (int i = 0; i < 4; i++) {
			assert_int_equal(llext_unload(&ext[unload[i]]), 0);
			assert_null(llext_by_name(names[unload[i]]));
		}
		assert_int_equal(registry_count(), 0);
		/* Every mapping the loader made is gone again. */
		assert_int_equal(maptrack_live_bytes(), mapped_before);
	}
	/* No heap left in use either. */
	assert_int_equal(mallinfo2().uordblks, heap_before);
}

int main(void)
{
	struct CMUnitTest t[2 * NLIBS + 1];
	char names[2 * NLIBS][48];
	size_t n = 0;

	for (size_t i = 0; i < NLIBS; i++) {
		snprintf(names[n], sizeof(names[n]), "%s near", libs[i].name);
		t[n] = (struct CMUnitTest){names[n], test_near, NULL, NULL, (void *)&libs[i]};
		n++;
		snprintf(names[n], sizeof(names[n]), "%s far from libc", libs[i].name);
		t[n] = (struct CMUnitTest){names[n], test_far, NULL, release_gap, (void *)&libs[i]};
		n++;
	}
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_many_orders);
	return run_dynamic_tests("real", t, n);
}
