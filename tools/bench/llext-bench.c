// SPDX-License-Identifier: MIT
/*
 * llext-bench: libllext against dlopen, measured in one process, the two sides interleaved so
 * that whatever the machine does affects both alike. Prints medians and ratios; asserts nothing
 * (docs/performance.md holds the figures and how to read them).
 *
 * Usage: llext-bench [--quick] [--only-m ROUNDS] [--plot FILE] [--debug-obj G.o G.so]
 *                    [--tls TLS.o TLS.so]... SMALL.o SMALL.so LARGE.o LARGE.so [OBJ.o LIB.so]...
 * --only-m runs row m alone, ROUNDS rounds (the full run does 51, --quick 3): a change to what a
 * first load costs can be measured in seconds, before and after, interleaved by hand.
 * Every shared library is opened through a private copy of its file, made at the start: dlopen()
 * of a library the process already has only counts a reference.
 *   a. load + find + call + unload of SMALL.o, against dlopen + dlsym + call + dlclose of SMALL.so,
 *      with the floor (floor.c: map, copy, protect, unmap, nothing else) measured after it
 *   b. the same for LARGE (sqlite3: calls sqlite3_libversion_number)
 *  b2. b again, libllext loading LARGE and a copy of it in turn, so that every load reads its
 *      file (the file loader does not read a file it loaded last again if it has not changed)
 *   i. the same for every further OBJ.o/LIB.so pair (nothing called)
 *   c. lookup of every LARGE export, against dlsym on LARGE.so
 *   d. relocations per second in the link phase of b
 *   e. bytes mapped and resident per extension, against the sum of its section sizes
 *   f. one more load with 1, 100, 1000 and 10000 extensions already loaded
 *   g. registration with debuggers (on by default) against no_debug_register: the load cycle
 *      and the heap bytes kept, for SMALL, LARGE and G.o (an object built with -g)
 *   h. how fast the code runs (workloads.c): every library's work with anonymous text, with
 *      sealed text and in the shared library, the three interleaved
 *   j. with --tls: one thread-local access per call (tools/bench/tls.c), in the extension and in
 *      the library, and the first access in a new thread, which makes the thread's block
 *   k. the file loader's cache on (the default) against no_file_cache, the loads of rows b and
 *      b2 interleaved: what reusing a file's bytes and reading code straight into place saves
 *   l. sealed text (sealed.c) against anonymous text and dlopen, every object's load cycle
 *   m. time to first result (first.c): load plus one real first use of sqlite3 (LARGE) and of
 *      zstd (when a pair's object is zstd), each in a child forked before anything is loaded,
 *      with anonymous text, sealed text, dlopen(), and the library linked into the program
 * Rows a, b and i also print the time a load spends beyond its floor, against what the target
 * leaves for it there (target x dlopen - floor).
 * With --plot, the load cost of every OBJ.o/LIB.so pair (and SMALL, LARGE) against object size
 * goes to FILE, with the floor, for tools/bench/plot.gp.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>
#include <llext/log.h>
#include <llext/mem_domain.h>

#include "bench.h"

#if defined(__x86_64__)
#define MACHINE "x86_64"
#else
#define MACHINE "aarch64"
#endif

static int iterations = 2000, large_iterations = 200, many = 10000;
/* Parameters of llext_cycle()'s loads: NULL for the defaults. */
static struct llext_load_param *cycle_param;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

double median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

/*
 * The benchmark is compiled with -fPIC, as a host should be (docs/user-guide.md, "Building the
 * host program"): naming stderr or stdout makes no copy relocation, so Debian's bzip2 and zstd,
 * which reach the C library's stdio objects with 32-bit PC-relative loads, can be placed.
 */
void die(const char *what, const char *detail)
{
	fprintf(stderr, "llext-bench: %s: %s\n", what, detail);
	exit(1);
}

/* One cycle: load, find, call, unload. Returns nanoseconds; fills stats if asked. */
static uint64_t llext_cycle(const char *path, const char *sym, int (*call)(void *),
                            struct llext_stats *st)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(path);
	struct llext *ext;
	uint64_t t0 = now_ns(), t;
	void *fn;

	if (llext_load(&fl.loader, "bench", &ext, cycle_param) != 0) {
		die(path, "llext_load failed");
	}
	fn = (void *)llext_find_sym(&ext->exp_tab, sym);
	if (!fn) {
		die(path, sym);
	}
	call(fn);
	if (st) {
		llext_get_stats(ext, st);
	}
	llext_unload(&ext);
	t = now_ns() - t0;
	return t;
}

static uint64_t dlopen_cycle(const char *path, const char *sym, int (*call)(void *))
{
	uint64_t t0 = now_ns();
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	void *fn;

	if (!h) {
		die(path, dlerror());
	}
	fn = dlsym(h, sym);
	if (!fn) {
		die(path, sym);
	}
	call(fn);
	dlclose(h);
	return now_ns() - t0;
}

static int call_small(void *fn)
{
	return ((int (*)(int))fn)(42);
}

static int call_version(void *fn)
{
	return ((int (*)(void))fn)();
}

struct pair {
	double llext_us, dl_us, floor_us;
	struct llext_stats st;
};

/*
 * llext then dlopen on even rounds, dlopen then llext on odd ones; then the floor, in rounds of
 * its own: interleaved with the others, its fresh huge pages made theirs slower as well. With
 * @alt, libllext loads @obj and @alt (a copy) in turn, so that every load reads its file: the
 * file loader uses the bytes the last load read when it loads the same file again.
 */
static struct pair compare(const char *obj, const char *alt, const char *so, const char *sym,
                           int (*call)(void *), int n)
{
	uint64_t *a = calloc((size_t)n, sizeof(*a)), *b = calloc((size_t)n, sizeof(*b));
	struct pair p = {0};

	/* Warm both: page cache, libllext's process-wide tables, ld.so's caches. */
	llext_cycle(obj, sym, call, NULL);
	dlopen_cycle(so, sym, call);
	for (int i = 0; i < n; i++) {
		const char *file = alt && i % 2 ? alt : obj;

		if (i % 2) {
			b[i] = dlopen_cycle(so, sym, call);
			a[i] = llext_cycle(file, sym, call, i == n - 1 ? &p.st : NULL);
		} else {
			a[i] = llext_cycle(file, sym, call, i == n - 1 ? &p.st : NULL);
			b[i] = dlopen_cycle(so, sym, call);
		}
	}
	p.llext_us = median(a, (size_t)n) / 1e3;
	p.dl_us = median(b, (size_t)n) / 1e3;
	floor_cycle(obj);
	for (int i = 0; i < n; i++) {
		a[i] = floor_cycle(obj);
	}
	p.floor_us = median(a, (size_t)n) / 1e3;
	free(a);
	free(b);
	return p;
}

/*
 * A row, its floor and where the load's time goes; with a target (@target times dlopen, 0 for
 * none), what the target leaves for the work beyond the floor (parsing, symbols, relocations,
 * tables), against what the load spends there. A target below the floor cannot be met by any
 * loader that gives an extension fresh memory.
 */
static void print_pair(const char *label, struct pair p, double target, const char *stretch)
{
	double left = target * p.dl_us - p.floor_us;
	char t[32] = "";

	if (target > 0) {
		snprintf(t, sizeof(t), "<= %.2f%s", target, stretch);
	}
	printf("%-44s %10.1f us %10.1f us %8.2f   %s\n", label, p.llext_us, p.dl_us,
	       p.llext_us / p.dl_us, t);
	printf("%-44s floor %.1f us (load / floor %.2f); parse %.1f us, placement %.1f us, "
	       "linking %.1f us, %zu relocations\n",
	       "", p.floor_us, p.llext_us / p.floor_us, p.st.parse_ns / 1e3, p.st.place_ns / 1e3,
	       p.st.link_ns / 1e3, p.st.relocs);
	if (target > 0 && left > 0) {
		printf("%-44s beyond the floor: %.1f us spent; the target allows %.1f us\n", "",
		       p.llext_us - p.floor_us, left);
	} else if (target > 0) {
		printf("%-44s beyond the floor: %.1f us spent; the target allows none, the floor "
		       "alone exceeds it\n",
		       "", p.llext_us - p.floor_us);
	}
}

/* c: every export of the large extension that the shared library also has. */
static void lookups(const char *obj, const char *so)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(obj);
	struct llext *ext;
	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	const char **names;
	size_t n = 0, rounds = 51;
	uint64_t *a = calloc(rounds, sizeof(*a)), *b = calloc(rounds, sizeof(*b));
	volatile uintptr_t sink = 0;

	if (!h || llext_load(&fl.loader, "lookup", &ext, NULL) != 0) {
		die(obj, "cannot load for lookups");
	}
	names = calloc(ext->exp_tab.sym_cnt, sizeof(*names));
	for (size_t i = 0; i < ext->exp_tab.sym_cnt; i++) {
		if (dlsym(h, ext->exp_tab.syms[i].name)) {
			names[n++] = ext->exp_tab.syms[i].name;
		}
	}
	for (size_t r = 0; r < rounds; r++) {
		uint64_t t0 = now_ns();

		for (size_t i = 0; i < n; i++) {
			sink += (uintptr_t)llext_find_sym(&ext->exp_tab, names[i]);
		}
		a[r] = now_ns() - t0;
		t0 = now_ns();
		for (size_t i = 0; i < n; i++) {
			sink += (uintptr_t)dlsym(h, names[i]);
		}
		b[r] = now_ns() - t0;
	}
	(void)sink;
	struct pair p = {.llext_us = median(a, rounds) / (double)n,
	                 .dl_us = median(b, rounds) / (double)n};

	printf("%-44s %10.1f ns %10.1f ns %8.2f   %s\n",
	       "c. lookup, per symbol (llext_find_sym / dlsym)", p.llext_us, p.dl_us,
	       p.llext_us / p.dl_us, "<= 1.00");
	printf("%-44s over the %zu names both export\n", "", n);
	llext_unload(&ext);
	dlclose(h);
	free(names);
	free(a);
	free(b);
}

/* Size and resident size, from /proc/self/smaps, of the mappings holding [lo, hi). */
static void mapped_resident(uintptr_t lo, uintptr_t hi, size_t *size, size_t *rss)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	bool in = false;

	*size = *rss = 0;
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long a, b, kb;

		if (sscanf(line, "%llx-%llx ", &a, &b) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = a < hi && b > lo;
			if (in) {
				*size += (size_t)(b - a);
			}
		} else if (in && sscanf(line, "Rss: %llu kB", &kb) == 1) {
			*rss += (size_t)kb * 1024;
		}
	}
	if (f) {
		fclose(f);
	}
}

static void memory(const char *label, const char *obj)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(obj);
	struct k_mem_domain dom = {0};
	struct llext *ext;
	size_t sections = 0, mapped, rss;
	uintptr_t lo = UINTPTR_MAX, hi = 0;

	if (llext_load(&fl.loader, "memory", &ext, NULL) != 0 || llext_add_domain(ext, &dom)) {
		die(obj, "cannot load for memory figures");
	}
	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		sections += ext->mem_size[r];
	}
	for (int i = 0; i < dom.num_partitions; i++) {
		lo = dom.partitions[i]->start < lo ? dom.partitions[i]->start : lo;
		hi = dom.partitions[i]->start + dom.partitions[i]->size > hi
		         ? dom.partitions[i]->start + dom.partitions[i]->size
		         : hi;
	}
	mapped_resident(lo, hi, &mapped, &rss);
	printf("e. %-41s sections %zu B, mapped %zu B (%+.1f pages), resident %zu B\n", label,
	       sections, mapped, ((double)mapped - (double)sections) / 4096.0, rss);
	llext_unload(&ext);
}

/* f: the cost of one more load (and unload) as the registry grows. */
static void growth(const char *obj)
{
	static const int marks[] = {1, 100, 1000, 10000};
	struct llext **exts = calloc((size_t)many, sizeof(*exts));
	int loaded = 0;
	double first = 0;

	for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]) && marks[m] <= many; m++) {
		uint64_t t[31];

		for (; loaded < marks[m]; loaded++) {
			struct llext_fs_loader fl = LLEXT_FS_LOADER(obj);
			char name[16];

			snprintf(name, sizeof(name), "g%d", loaded);
			if (llext_load(&fl.loader, name, &exts[loaded], NULL) != 0) {
				die(obj, "cannot load one more");
			}
		}
		for (int i = 0; i < 31; i++) {
			struct llext_fs_loader fl = LLEXT_FS_LOADER(obj);
			struct llext *ext;
			uint64_t t0 = now_ns();

			if (llext_load(&fl.loader, "onemore", &ext, NULL) != 0) {
				die(obj, "cannot load one more");
			}
			llext_unload(&ext);
			t[i] = now_ns() - t0;
		}
		double us = median(t, 31) / 1e3;

		if (!first) {
			first = us;
		}
		printf("f. %-41s %10.1f us %10s    %8.2f   %s\n",
		       marks[m] == 1      ? "one more load, 1 already loaded"
		       : marks[m] == 100  ? "one more load, 100 already loaded"
		       : marks[m] == 1000 ? "one more load, 1000 already loaded"
		                          : "one more load, 10000 already loaded",
		       us, "", us / first, marks[m] == 1 ? "" : "<= 1.50 x first");
	}
	while (loaded > 0) {
		llext_unload(&exts[--loaded]);
	}
	free(exts);
}

/* Nanoseconds per call of @fn, the median of 31 rounds of @n calls. */
static double per_call(int (*fn)(void), int n)
{
	uint64_t t[31];
	volatile unsigned int sink = 0;

	for (int r = 0; r < 31; r++) {
		uint64_t t0 = now_ns();

		for (int i = 0; i < n; i++) {
			sink += (unsigned int)fn();
		}
		t[r] = now_ns() - t0;
	}
	(void)sink;
	return median(t, 31) / n;
}

struct first_access {
	int (*fn)(void);
	uint64_t ns;
};

static void *first_access(void *arg)
{
	struct first_access *f = arg;
	uint64_t t0 = now_ns();

	f->fn();
	f->ns = now_ns() - t0;
	return NULL;
}

/* The first access of a new thread, median of 31 threads (the block is made then). */
static double first_call(int (*fn)(void))
{
	uint64_t t[31];

	for (int r = 0; r < 31; r++) {
		struct first_access f = {fn, 0};
		pthread_t th;

		if (pthread_create(&th, NULL, first_access, &f) != 0 ||
		    pthread_join(th, NULL) != 0) {
			die("pthread", "cannot run a thread");
		}
		t[r] = f.ns;
	}
	return median(t, 31);
}

/* g: a thread-local access from an extension and from the same code in a library. */
static void tls_access(const char *obj, const char *so)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(obj);
	struct llext *ext;
	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	int (*a)(void), (*b)(void);
	const char *base = strrchr(obj, '/');
	char label[64];

	if (!h || llext_load(&fl.loader, "tls", &ext, NULL) != 0) {
		die(obj, "cannot load for the TLS figures");
	}
	a = (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "bench_tls_bump");
	b = (int (*)(void))(uintptr_t)dlsym(h, "bench_tls_bump");
	if (!a || !b) {
		die(obj, "bench_tls_bump");
	}
	a();
	b();
	double la = per_call(a, iterations * 500), lb = per_call(b, iterations * 500);

	snprintf(label, sizeof(label), "j. TLS access per call, %s", base ? base + 1 : obj);
	printf("%-44s %10.2f ns %10.2f ns %8.2f   %s\n", label, la, lb, la / lb, "<= 1.50");
	double fa = first_call(a), fb = first_call(b);

	printf("%-44s %10.0f ns %10.0f ns %8.2f\n", "   first access in a new thread", fa, fb,
	       fa / fb);
	llext_unload(&ext);
	dlclose(h);
}

static size_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

static int never(void *fn)
{
	(void)fn;
	return 0;
}

/* Load cost of an OBJ.o/LIB.so pair: the first export both have is looked up, nothing called. */
static struct pair library_pair(const char *obj, const char *so)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(obj);
	struct llext *ext;
	const char *sym = NULL;
	char *name;
	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	struct pair p;

	if (!h || llext_load(&fl.loader, "pair", &ext, NULL) != 0) {
		die(obj, "cannot load");
	}
	for (size_t i = 0; i < ext->exp_tab.sym_cnt && !sym; i++) {
		if (dlsym(h, ext->exp_tab.syms[i].name)) {
			sym = ext->exp_tab.syms[i].name;
		}
	}
	name = sym ? strdup(sym) : NULL;
	llext_unload(&ext);
	dlclose(h);
	if (!name) {
		die(obj, "no export in common with the library");
	}
	/* Nothing is called: any function's arguments are unknown here. */
	p = compare(obj, NULL, so, name, never, large_iterations);
	free(name);
	return p;
}

/* i: every further OBJ.o/LIB.so pair of @files (SMALL.o SMALL.so LARGE.o LARGE.so ...). */
static struct pair *library_rows(char **files, int nfiles)
{
	struct pair *p = calloc((size_t)nfiles / 2 + 1, sizeof(*p));
	char label[64];

	for (int k = 4; k + 1 < nfiles; k += 2) {
		const char *base = strrchr(files[k], '/') ? strrchr(files[k], '/') + 1 : files[k];

		p[k / 2] = library_pair(files[k], files[k + 1]);
		snprintf(label, sizeof(label), "i. %s: load+find+unload / dlopen", base);
		print_pair(label, p[k / 2], 2.0, "");
	}
	return p;
}

static void plot_row(FILE *out, const char *obj, struct pair p)
{
	fprintf(out, "%zu %.2f %.2f %.2f %s\n", file_size(obj), p.llext_us, p.dl_us, p.floor_us,
	        obj);
}

/* --plot: SMALL, then each further pair, then LARGE; @p[k / 2] is the pair of files[k]. */
static void write_plot(const char *path, char **files, int nfiles, const struct pair *p)
{
	FILE *out = fopen(path, "w");

	if (!out) {
		die(path, strerror(errno));
	}
	fprintf(out, "# bytes libllext_us dlopen_us floor_us object\n");
	plot_row(out, files[0], p[0]);
	for (int k = 4; k + 1 < nfiles; k += 2) {
		plot_row(out, files[k], p[k / 2]);
	}
	plot_row(out, files[2], p[1]);
	fclose(out);
}

/* g: the same cycle with registration on (the default) and off, interleaved; bytes kept. */
static void debug_cost(const char *label, const char *obj, const char *sym, int (*call)(void *),
                       int n)
{
	struct llext_load_param off = LLEXT_LOAD_PARAM_DEFAULT;
	uint64_t *a = calloc((size_t)n, sizeof(*a)), *b = calloc((size_t)n, sizeof(*b));
	struct llext_fs_loader fl = LLEXT_FS_LOADER(obj), fl2 = LLEXT_FS_LOADER(obj);
	struct llext *on_ext, *off_ext;
	size_t kept;

	off.no_debug_register = true;
	for (int i = -1; i < n; i++) {
		uint64_t x, y;

		cycle_param = i % 2 ? &off : NULL;
		x = llext_cycle(obj, sym, call, NULL);
		cycle_param = i % 2 ? NULL : &off;
		y = llext_cycle(obj, sym, call, NULL);
		if (i >= 0) { /* round -1 warms both */
			a[i] = i % 2 ? y : x;
			b[i] = i % 2 ? x : y;
		}
	}
	cycle_param = NULL;
	if (llext_load(&fl.loader, "debug-on", &on_ext, NULL) != 0 ||
	    llext_load(&fl2.loader, "debug-off", &off_ext, &off) != 0) {
		die(obj, "cannot load for the registration figures");
	}
	kept = on_ext->alloc_size - off_ext->alloc_size;
	printf("g. %-41s %10.1f us %10.1f us %8.3f   kept %zu B of a %zu B object\n", label,
	       median(a, (size_t)n) / 1e3, median(b, (size_t)n) / 1e3,
	       median(a, (size_t)n) / median(b, (size_t)n), kept, file_size(obj));
	llext_unload(&on_ext);
	llext_unload(&off_ext);
	free(a);
	free(b);
}

/* What the command line asks for. */
struct options {
	const char *plot, *debug_obj, *debug_so, *tls[8];
	int ntls;
	int only_m;   /* rounds of row m, run alone; 0 for every row */
	char **files; /* SMALL.o SMALL.so LARGE.o LARGE.so [OBJ.o LIB.so]... */
	int nfiles;
};

static int parse_args(int argc, char **argv, struct options *o)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			iterations = 20;
			large_iterations = 5;
			many = 100;
		} else if (strcmp(argv[i], "--only-m") == 0 && i + 1 < argc &&
		           atoi(argv[i + 1]) > 0) {
			o->only_m = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--plot") == 0 && i + 1 < argc) {
			o->plot = argv[++i];
		} else if (strcmp(argv[i], "--debug-obj") == 0 && i + 2 < argc) {
			o->debug_obj = argv[++i];
			o->debug_so = argv[++i];
		} else if (strcmp(argv[i], "--tls") == 0 && i + 2 < argc && o->ntls < 8) {
			o->tls[o->ntls++] = argv[++i];
			o->tls[o->ntls++] = argv[++i];
		} else {
			fprintf(stderr,
			        "usage: llext-bench [--quick] [--only-m ROUNDS] [--plot FILE] "
			        "[--debug-obj G.o G.so] "
			        "[--tls TLS.o TLS.so]... SMALL.o SMALL.so LARGE.o LARGE.so "
			        "[OBJ.o LIB.so]...\n");
			return -1;
		}
	}
	o->files = argv + i;
	o->nfiles = argc - i;
	if (o->nfiles < 4 || o->nfiles % 2) {
		fprintf(stderr, "llext-bench: needs SMALL.o SMALL.so LARGE.o LARGE.so\n");
		return -1;
	}
	return 0;
}

/* g: what registration with debuggers costs. */
static void debug_section(const struct options *o)
{
	const char *small_o = o->files[0], *large_o = o->files[2];

	printf("\n%-44s %13s %13s %8s\n", "registration with debuggers", "on", "off", "ratio");
	debug_cost("small", small_o, "small_entry", call_small, iterations);
	debug_cost("sqlite3 (no -g)", large_o, "sqlite3_libversion_number", call_version,
	           large_iterations);
	if (o->debug_obj) {
		/* llext-run's code: main is one of its exports; nothing is called. */
		debug_cost("llext-run built with -g", o->debug_obj, "main", never,
		           large_iterations);
	}
}

/* h: code speed, three ways, for every pair whose library a workload knows (workloads.c). */
static void speed_section(const struct options *o)
{
	int rounds = iterations > 100 ? 21 : 1;

	speed_header();
	for (int k = 0; k + 1 < o->nfiles; k += 2) {
		if (!speed_row(o->files[k], o->files[k + 1], rounds)) {
			printf("h. %-41s no workload for this library\n", o->files[k]);
		}
	}
	for (int k = 0; k < o->ntls; k += 2) {
		speed_row(o->tls[k], o->tls[k + 1], rounds);
	}
	if (o->debug_obj) {
		printf("h. %-41s nothing in it is called\n", "llext-run built with -g");
	}
}

/*
 * A copy of the file at @path, in a temporary file removed at once: the path returned names it
 * through the descriptor kept open (/proc/self/fd/N), so that nothing is left behind however the
 * benchmark ends. The caller closes *@fd.
 */
char *copy_of(const char *path, int *fd)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	size_t len = 0;
	char *bytes = NULL, *copy = malloc(strlen(dir) + 32);
	FILE *in = fopen(path, "rb");

	if (!copy || !in || fseek(in, 0, SEEK_END) != 0 || (len = (size_t)ftell(in)) == 0 ||
	    !(bytes = malloc(len)) || fseek(in, 0, SEEK_SET) != 0 ||
	    fread(bytes, 1, len, in) != len) {
		die(path, "cannot read");
	}
	fclose(in);
	sprintf(copy, "%s/llext-bench-XXXXXX", dir);
	*fd = mkstemp(copy);
	if (*fd < 0 || unlink(copy) != 0 || write(*fd, bytes, len) != (ssize_t)len) {
		die(copy, "cannot write");
	}
	free(bytes);
	sprintf(copy, "/proc/self/fd/%d", *fd);
	return copy;
}

/*
 * b2: row b with every load reading its file: the file loader uses the bytes the last load read
 * when it loads the same file, unchanged, again, as row b does; a host that loads many files
 * once each does not.
 */
static void fresh_reads(const struct options *o)
{
	int fd;
	char *copy = copy_of(o->files[2], &fd);
	struct pair p = compare(o->files[2], copy, o->files[3], "sqlite3_libversion_number",
	                        call_version, large_iterations);

	print_pair("b2. sqlite3, every load reading its file", p, 0, "");
	close(fd);
	free(copy);
}

/* The least of @v's @n values. */
static double minimum(const uint64_t *v, size_t n)
{
	uint64_t m = v[0];

	for (size_t i = 1; i < n; i++) {
		m = v[i] < m ? v[i] : m;
	}
	return (double)m;
}

/*
 * k: the load cycle of LARGE with the file cache on and off (no_file_cache), interleaved, which
 * one goes first alternating; with @alt, as row b2: the files loaded in turn, so that no load
 * finds the last one's bytes.
 */
static void cache_cost(const char *label, const char *obj, const char *alt, int n)
{
	struct llext_load_param off = LLEXT_LOAD_PARAM_DEFAULT;
	uint64_t *on_ns = calloc((size_t)n, sizeof(*on_ns)),
		 *off_ns = calloc((size_t)n, sizeof(*off_ns));

	off.no_file_cache = true;
	for (int i = -1; i < n; i++) {
		const char *file = alt && (i & 1) ? alt : obj;
		uint64_t x, y;

		cycle_param = i % 2 ? &off : NULL;
		x = llext_cycle(file, "sqlite3_libversion_number", call_version, NULL);
		cycle_param = i % 2 ? NULL : &off;
		y = llext_cycle(file, "sqlite3_libversion_number", call_version, NULL);
		if (i >= 0) { /* round -1 warms both */
			on_ns[i] = i % 2 ? y : x;
			off_ns[i] = i % 2 ? x : y;
		}
	}
	cycle_param = NULL;
	printf("k. %-41s %10.1f us %10.1f us %8.3f   min %.1f / %.1f us\n", label,
	       median(on_ns, (size_t)n) / 1e3, median(off_ns, (size_t)n) / 1e3,
	       median(on_ns, (size_t)n) / median(off_ns, (size_t)n),
	       minimum(on_ns, (size_t)n) / 1e3, minimum(off_ns, (size_t)n) / 1e3);
	free(on_ns);
	free(off_ns);
}

/* k: what the file cache saves, for rows b and b2. */
static void cache_section(const struct options *o)
{
	int fd;
	char *copy = copy_of(o->files[2], &fd);

	printf("\n%-44s %13s %13s %8s\n", "file cache (sqlite3 load cycle)", "on", "off", "ratio");
	cache_cost("b. the same file, unchanged", o->files[2], NULL, large_iterations);
	cache_cost("b2. two copies in turn", o->files[2], copy, large_iterations);
	close(fd);
	free(copy);
}

static const char *base_name(const char *path)
{
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

/* l: sealed text, for every object the benchmark loads. */
static void sealed_section(const struct options *o)
{
	printf("\n%-44s %13s %13s %13s %8s %8s\n", "sealed text (load+find+unload)", "anonymous",
	       "sealed", "dlopen", "s/anon", "s/dlopen");
	sealed_row("small", o->files[0], o->files[1], "small_entry", iterations);
	sealed_row("sqlite3", o->files[2], o->files[3], "sqlite3_libversion_number",
	           large_iterations);
	for (int k = 4; k + 1 < o->nfiles; k += 2) {
		sealed_row(base_name(o->files[k]), o->files[k], o->files[k + 1], NULL,
		           large_iterations);
	}
	for (int k = 0; k < o->ntls; k += 2) {
		sealed_row(base_name(o->tls[k]), o->tls[k], o->tls[k + 1], "bench_tls_bump",
		           iterations);
	}
	if (o->debug_obj) {
		sealed_row("llext-run built with -g", o->debug_obj, o->debug_so, "main",
		           large_iterations);
	}
}

/* The private copies' paths and descriptors, kept until the end of main(). */
static struct {
	char *path[32];
	int fd[32], n;
} copies;

static const char *private_copy(const char *path)
{
	if (copies.n == 32) {
		die(path, "too many shared libraries");
	}
	copies.path[copies.n] = copy_of(path, &copies.fd[copies.n]);
	return copies.path[copies.n++];
}

/*
 * Every shared library replaced by a private copy: dlopen() of a library the process already has
 * (libelf brings libz) only counts a reference, and the baseline would be free.
 */
static void private_copies(struct options *o)
{
	for (int k = 1; k < o->nfiles; k += 2) {
		o->files[k] = (char *)private_copy(o->files[k]);
	}
	for (int k = 1; k < o->ntls; k += 2) {
		o->tls[k] = private_copy(o->tls[k]);
	}
	if (o->debug_so) {
		o->debug_so = private_copy(o->debug_so);
	}
}

static void free_copies(void)
{
	while (copies.n > 0) {
		copies.n--;
		close(copies.fd[copies.n]);
		free(copies.path[copies.n]);
	}
}

/*
 * m: the time to a first result, before anything is loaded or opened: each child it forks must
 * start as a fresh process would. zstd when one of the further pairs is zstd.
 */
static void first_section(const struct options *o)
{
	const char *zstd_o = NULL, *zstd_so = NULL;

	for (int k = 4; k + 1 < o->nfiles; k += 2) {
		if (strstr(base_name(o->files[k]), "zstd")) {
			zstd_o = o->files[k];
			zstd_so = o->files[k + 1];
		}
	}
	first_results_measure(o->files[0], o->files[2], o->files[3], zstd_o, zstd_so,
	                      o->only_m > 0      ? o->only_m
	                      : iterations > 100 ? 51
	                                         : 3);
}

int main(int argc, char **argv)
{
	struct options o = {0};
	const char *machine = MACHINE;
	struct pair a, b, *rows;

	if (parse_args(argc, argv, &o) != 0) {
		return 2;
	}
	private_copies(&o);
	first_section(&o);
	if (o.only_m > 0) {
		first_results_print();
		free_copies();
		return 0;
	}
	printf("libllext benchmark: %s, %ld CPUs, medians of %d (small) and %d (large) "
	       "interleaved rounds\n\n",
	       machine, sysconf(_SC_NPROCESSORS_ONLN), iterations, large_iterations);
	printf("%-44s %13s %13s %8s   %s\n", "case", "libllext", "baseline", "ratio", "target");
	a = compare(o.files[0], NULL, o.files[1], "small_entry", call_small, iterations);
	print_pair("a. small: load+find+call+unload / dlopen", a, 0.5, "");
	b = compare(o.files[2], NULL, o.files[3], "sqlite3_libversion_number", call_version,
	            large_iterations);
	print_pair("b. sqlite3: load+find+call+unload / dlopen", b, 1.5, " (1.00)");
	fresh_reads(&o);
	rows = library_rows(o.files, o.nfiles);
	rows[0] = a;
	rows[1] = b;
	lookups(o.files[2], o.files[3]);
	printf("d. %-41s %10.2f M/s   (%zu relocations in %.1f us of linking)   >= 150\n",
	       "relocations applied per second, b", (double)b.st.relocs / (b.st.link_ns / 1e3),
	       b.st.relocs, b.st.link_ns / 1e3);
	memory("small extension", o.files[0]);
	memory("sqlite3", o.files[2]);
	growth(o.files[0]);
	for (int k = 0; k < o.ntls; k += 2) {
		tls_access(o.tls[k], o.tls[k + 1]);
	}
	debug_section(&o);
	cache_section(&o);
	if (o.plot) {
		write_plot(o.plot, o.files, o.nfiles, rows);
	}
	speed_section(&o);
	sealed_section(&o);
	first_results_print();
	free_copies();
	free(rows);
	return 0;
}
