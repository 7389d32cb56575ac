// SPDX-License-Identifier: MIT
/*
 * llext-run: load relocatable ELF objects with libllext and run one of them from the shell.
 *
 * It uses only the public API and links only the shared library, like any program that embeds
 * libllext, so it doubles as a worked example of that API: the file loader, load parameters,
 * bringup and teardown, symbol lookup, memory domains, statistics and the log callback.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>
#include <llext/log.h>
#include <llext/mem_domain.h>

#include "crash.h"

#ifndef LLEXT_RUN_VERSION
#define LLEXT_RUN_VERSION "unknown"
#endif
/* --zephyr: the runtime's soname, and where it is installed if the dynamic linker misses it. */
#ifndef LLEXT_ZEPHYR_SONAME
#define LLEXT_ZEPHYR_SONAME "libllext-zephyr.so.0"
#endif
#ifndef LLEXT_ZEPHYR_LIBDIR
#define LLEXT_ZEPHYR_LIBDIR "/usr/local/lib"
#endif

/* Messages always name the program this way, whatever path it was started by. */
#define PROG "llext-run"

/* Exit statuses of our own (main's return value is passed through otherwise). */
enum { EXIT_LOAD = 1, EXIT_USAGE = 2 };

/* What the command line asks for. */
struct options {
	bool list, strict, verbose, timing, no_crash_report, zephyr;
	const char *call;
	/* --library names as dlopen() takes them, NULL-terminated (room for one per argument). */
	char **libs;
	int nlibs;
	/* The FILE.o operands, and main's ARGs (after "--"). */
	char **files, **args;
	int nfiles, nargs;
};

/* One file on the command line and what became of it. */
struct slot {
	const char *path;
	char name[LLEXT_MAX_NAME_LEN + 1];
	struct llext_fs_loader ldr;
	struct llext *ext;
	uint64_t load_ns, bringup_ns;
	bool brought_up;
};

/*
 * The log sink: with -v every message goes to stderr as it comes; errors are also kept, so
 * that a failed load or call can be reported in the loader's own words (report()).
 */
struct log_capture {
	bool verbose;
	char **msgs;
	size_t n, cap;
};

static const char *level_name(enum llext_log_level level)
{
	switch (level) {
	case LLEXT_LOG_ERR:
		return "error";
	case LLEXT_LOG_WRN:
		return "warning";
	case LLEXT_LOG_INF:
		return "info";
	default:
		return "debug";
	}
}

static void log_sink(enum llext_log_level level, const char *msg, void *user)
{
	struct log_capture *lc = user;
	char *copy;

	if (lc->verbose) {
		fprintf(stderr, "llext: %s: %s\n", level_name(level), msg);
	}
	if (level != LLEXT_LOG_ERR) {
		return;
	}
	if (lc->n == lc->cap) {
		size_t cap = lc->cap ? lc->cap * 2 : 8;
		char **m = realloc(lc->msgs, cap * sizeof(*m));

		if (!m) {
			return; /* the report falls back to strerror() */
		}
		lc->msgs = m;
		lc->cap = cap;
	}
	copy = strdup(msg);
	if (copy) {
		lc->msgs[lc->n++] = copy;
	}
}

static void log_clear(struct log_capture *lc)
{
	for (size_t i = 0; i < lc->n; i++) {
		free(lc->msgs[i]);
	}
	lc->n = 0;
}

/*
 * Report a failure about @s: the loader's messages as it wrote them (each already names the
 * extension or the file it is about), else @err.
 */
static void report(const struct log_capture *lc, const struct slot *s, int err)
{
	if (lc->n == 0) {
		fprintf(stderr, "%s: %s: %s\n", PROG, s->path, strerror(err));
		return;
	}
	for (size_t i = 0; i < lc->n; i++) {
		fprintf(stderr, "%s: %s\n", PROG, lc->msgs[i]);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: %s [OPTION]... FILE.o [FILE.o]... [-- ARG...]\n"
	    "Load relocatable ELF objects (extensions) with libllext, in order, so that each\n"
	    "links against the program and the ones before it, then run the last one's\n"
	    "'int main(int argc, char **argv)' with argv[0] = its FILE and the ARGs after '--'.\n"
	    "The exit status is main's return value.\n"
	    "\n"
	    "  -c, --call=SYMBOL  call 'void SYMBOL(void)' of the last extension instead of\n"
	    "                     main, and exit with status 0\n"
	    "  -l, --list         print each extension's memory regions, exports and\n"
	    "                     relocation counts, and run nothing (not even constructors)\n"
	    "  -N, --library=NAME open libNAME.so for every extension, as the linker's -lNAME\n"
	    "                     names it, or libNAME.a when there is no shared one (its\n"
	    "                     members are linked into each extension that needs them);\n"
	    "                     NAME with a '/' or '.so', or ending in '.a', is used as it\n"
	    "                     is; may be repeated\n"
	    "  -s, --strict       resolve symbols only against exported tables (EXPORT_SYMBOL\n"
	    "                     and other extensions), not the process's global symbols\n"
	    "  -t, --time         print how long parsing, placement, linking and bringup took\n"
	    "      --no-crash-report  on a fatal signal, do not print a backtrace that names\n"
	    "                     extension functions; just die of the signal\n"
	    "  -v, --verbose      show the loader's log (every level) on standard error\n"
	    "  -Z, --zephyr       provide Zephyr's printk, ztest, logging and kernel calls\n"
	    "                     (libllext-zephyr); a failed zassert exits with status 1\n"
	    "  -h, --help         display this help and exit\n"
	    "  -V, --version      output version information and exit\n"
	    "\n"
	    "A FILE may be a static archive (.a): all of its members are loaded as one\n"
	    "extension, as 'ld -r --whole-archive' would join them.\n"
	    "An extension's name is its file's base name without '.o', cut to %d characters.\n"
	    "\n"
	    "Exit status: main's return value; 0 after --call or --list; 1 if a file cannot be\n"
	    "loaded, the function to run is not exported, or (with --zephyr) a ztest check\n"
	    "failed; 77 if a zassume failed; 2 for a usage error.\n",
	    PROG, LLEXT_MAX_NAME_LEN);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", PROG);
	return EXIT_USAGE;
}

/*
 * The extension name for a path, by the rule --help and llext-run(1) state: the base name
 * without ".o", cut to LLEXT_MAX_NAME_LEN. The library takes any name; this rule is ours.
 */
static void name_of(char out[LLEXT_MAX_NAME_LEN + 1], const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t len = strlen(base);

	if (len > 2 && strcmp(base + len - 2, ".o") == 0) {
		len -= 2;
	}
	snprintf(out, LLEXT_MAX_NAME_LEN + 1, "%.*s", (int)len, base);
}

static int load_one(struct slot *s, struct slot *all, size_t nloaded,
                    struct llext_load_param *param, struct log_capture *lc)
{
	uint64_t t0;
	int fd, ret;

	name_of(s->name, s->path);
	if (!s->name[0]) {
		fprintf(stderr, "%s: %s: cannot make an extension name from the file name\n", PROG,
		        s->path);
		return -EINVAL;
	}
	/* Say "No such file" plainly, rather than through the loader's two messages about it. */
	fd = open(s->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = errno;
		fprintf(stderr, "%s: %s: %s\n", PROG, s->path, strerror(ret));
		return -ret;
	}
	close(fd);

	s->ldr = (struct llext_fs_loader)LLEXT_FS_LOADER(s->path);
	log_clear(lc);
	t0 = now_ns();
	ret = llext_load(&s->ldr.loader, s->name, &s->ext, param);
	s->load_ns = now_ns() - t0;
	if (ret < 0) {
		report(lc, s, -ret);
		if (lc->n > 0) {
			/* The messages may name the extension rather than the file: say which. */
			fprintf(stderr, "%s: %s: not loaded (extension '%s')\n", PROG, s->path,
			        s->name);
		}
		s->ext = NULL;
		return ret;
	}
	if (ret > 0) {
		/* llext_load() handed back an extension of the same name: drop that reference. */
		const char *other = "an earlier file";

		for (size_t i = 0; i < nloaded; i++) {
			if (all[i].ext == s->ext) {
				other = all[i].path;
			}
		}
		fprintf(stderr,
		        "%s: %s: an extension named '%s' is already loaded from %s (names are "
		        "file base names cut to %d characters); rename one of the files\n",
		        PROG, s->path, s->name, other, LLEXT_MAX_NAME_LEN);
		llext_unload(&s->ext);
		s->ext = NULL;
		return -EEXIST;
	}
	return 0;
}

static const char *prot_string(k_mem_partition_attr_t attr, char buf[4])
{
	buf[0] = (attr & PROT_READ) ? 'r' : '-';
	buf[1] = (attr & PROT_WRITE) ? 'w' : '-';
	buf[2] = (attr & PROT_EXEC) ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}

static int cmp_part(const void *a, const void *b)
{
	const struct k_mem_partition *x = *(struct k_mem_partition *const *)a;
	const struct k_mem_partition *y = *(struct k_mem_partition *const *)b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The memory regions of @s, lowest address first, as the memory domain API sees them. */
static int list_regions(const struct slot *s)
{
	static const char *const region_names[LLEXT_MEM_PARTITIONS] = {
	    [LLEXT_MEM_TEXT] = "text",
	    [LLEXT_MEM_DATA] = "data",
	    [LLEXT_MEM_RODATA] = "rodata",
	    [LLEXT_MEM_BSS] = "bss",
	};
	struct k_mem_domain domain = {0};
	char prot[4];
	int ret;

	ret = llext_add_domain(s->ext, &domain);
	if (ret) {
		fprintf(stderr, "%s: %s: llext_add_domain: %s\n", PROG, s->path, strerror(-ret));
		return ret;
	}
	printf("%s: %s\n", s->ext->name, s->path);
	printf("  regions (%u):\n", domain.num_partitions);
	qsort(domain.partitions, domain.num_partitions, sizeof(domain.partitions[0]), cmp_part);
	for (unsigned int i = 0; i < domain.num_partitions; i++) {
		const struct k_mem_partition *p = domain.partitions[i];
		const char *label = "?";
		size_t used = 0;

		/* Each region starts its partition; that tells which region a partition is. */
		for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
			if (s->ext->mem[r] && (uintptr_t)s->ext->mem[r] == p->start) {
				label = region_names[r];
				used = s->ext->mem_size[r];
			}
		}
		printf("    %-7s 0x%012jx %8zu  %s  (%zu bytes used)\n", label, (uintmax_t)p->start,
		       p->size, prot_string(p->attr, prot), used);
	}
	return 0;
}

static void list_exports(const struct slot *s)
{
	printf("  exports (%zu):\n", s->ext->exp_tab.sym_cnt);
	for (size_t i = 0; i < s->ext->exp_tab.sym_cnt; i++) {
		const struct llext_symbol *sym = &s->ext->exp_tab.syms[i];

		printf("    %-28s 0x%012jx\n", sym->name, (uintmax_t)(uintptr_t)sym->addr);
	}
}

/* Relocations by type, then the stubs and GOT entries they needed. */
static int list_relocs(const struct slot *s)
{
	struct llext_reloc_count *counts;
	struct llext_stats stats;
	size_t ntypes, total = 0;

	ntypes = llext_reloc_counts(s->ext, NULL, 0);
	counts = calloc(ntypes ? ntypes : 1, sizeof(*counts));
	if (!counts) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		return -ENOMEM;
	}
	ntypes = llext_reloc_counts(s->ext, counts, ntypes);
	for (size_t i = 0; i < ntypes; i++) {
		total += counts[i].count;
	}
	printf("  relocations (%zu):\n", total);
	for (size_t i = 0; i < ntypes; i++) {
		printf("    %-28s %6zu\n", counts[i].name, counts[i].count);
	}
	free(counts);
	if (llext_get_stats(s->ext, &stats) == 0) {
		printf("  stubs %zu, GOT entries %zu\n", stats.stubs, stats.got_entries);
	}
	return 0;
}

/* --list: every extension's regions, exports and relocations; nothing runs. */
static int list_all(const struct slot *slots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (list_regions(&slots[i]) != 0) {
			return EXIT_LOAD;
		}
		list_exports(&slots[i]);
		crash_list_functions(stdout, slots[i].ext);
		if (list_relocs(&slots[i]) != 0) {
			return EXIT_LOAD;
		}
	}
	return 0;
}

/* --time: one line per extension, in load order. */
static void print_times(const struct slot *slots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct slot *s = &slots[i];
		struct llext_stats st;

		if (llext_get_stats(s->ext, &st) != 0) {
			continue;
		}
		fprintf(stderr, "%s: %s: time: parse %.3f ms, place %.3f ms, link %.3f ms, ", PROG,
		        s->ext->name, st.parse_ns / 1e6, st.place_ns / 1e6, st.link_ns / 1e6);
		if (s->brought_up) {
			fprintf(stderr, "bringup %.3f ms, ", s->bringup_ns / 1e6);
		} else {
			fprintf(stderr, "bringup not run, ");
		}
		fprintf(stderr, "llext_load %.3f ms\n", s->load_ns / 1e6);
	}
}

/* Load every file in order; stop at the first that fails. */
static int load_all(struct slot *slots, const struct options *opt, struct llext_load_param *param,
                    struct log_capture *lc)
{
	for (int i = 0; i < opt->nfiles; i++) {
		slots[i].path = opt->files[i];
		if (load_one(&slots[i], slots, (size_t)i, param, lc) != 0) {
			return EXIT_LOAD;
		}
	}
	return 0;
}

/* Run constructors, in load order: what an extension links to is set up before it. */
static void bringup_all(struct slot *slots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		llext_bringup(slots[i].ext);
		slots[i].bringup_ns = now_ns() - t0;
		slots[i].brought_up = true;
	}
}

/*
 * Run every destructor while all the extensions' code is there (one may call back into a later
 * one), the newest construction first. Then the process ends and their memory with it, as a
 * linked program's libraries do: a thread an extension left running keeps valid code, and a leak
 * checker still finds what the extensions' globals point to.
 */
static void teardown_all(struct slot *slots, size_t n)
{
	struct llext **exts = calloc(n ? n : 1, sizeof(*exts));

	if (!exts) {
		/* libllext's exit handler runs them at exit() in the same order. */
		fprintf(stderr, "%s: out of memory; the destructors run at exit\n", PROG);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		exts[i] = slots[i].ext;
	}
	llext_teardown_many(exts, n);
	free(exts);
}

/* --call: 'void SYMBOL(void)' of @last. */
static int call_fn(const struct slot *last, const char *symbol, struct log_capture *lc)
{
	int ret;

	log_clear(lc);
	ret = llext_call_fn(last->ext, symbol);
	if (ret) {
		report(lc, last, -ret);
		return EXIT_LOAD;
	}
	return 0;
}

/* main(argc, argv) of @last, with argv[0] its path and the ARGs after "--"; its status. */
static int call_main(const struct slot *last, const struct options *opt)
{
	int (*entry)(int, char **);
	char **av;
	int status;

	entry = (int (*)(int, char **))(uintptr_t)llext_find_sym(&last->ext->exp_tab, "main");
	if (!entry) {
		fprintf(stderr, "%s: %s: no exported function 'main'; %s\n", PROG, last->path,
		        "give one, or name the function to run with --call");
		return EXIT_LOAD;
	}
	av = calloc((size_t)opt->nargs + 2, sizeof(*av));
	if (!av) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		return EXIT_LOAD;
	}
	av[0] = (char *)last->path;
	for (int i = 0; i < opt->nargs; i++) {
		av[i + 1] = opt->args[i];
	}
	status = entry(opt->nargs + 1, av);
	free(av);
	return status;
}

/* The message for an option getopt_long() refused ('?' or ':'), as a usage error. */
static int option_error(int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':') {
		return usage_error("option '%s' requires an argument", arg);
	}
	if (strncmp(arg, "--", 2) != 0) {
		return usage_error("invalid option '-%c'", optopt);
	}
	if (optopt) {
		return usage_error("option '%s' takes no argument", arg);
	}
	return usage_error("unrecognized option '%s'", arg);
}

/* Sentinel of parse_args(): go on and run. Any other value is the exit status. */
#define RUN (-1)

#if defined(__x86_64__)
#define MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define MULTIARCH "aarch64-linux-gnu"
#else
#define MULTIARCH ""
#endif

/* libNAME@ext (".a" or ".so") in LIBRARY_PATH's folders, then where Debian installs libraries;
 * NULL if none. */
static char *find_lib(const char *name, const char *ext)
{
	static const char *const dirs[] = {"/usr/local/lib/" MULTIARCH, "/usr/local/lib",
	                                   "/usr/lib/" MULTIARCH,       "/usr/lib",
	                                   "/lib/" MULTIARCH,           "/lib"};
	const char *env = getenv("LIBRARY_PATH");
	char path[4096];

	while (env && *env) {
		size_t n = strcspn(env, ":");

		snprintf(path, sizeof(path), "%.*s/lib%s%s", (int)n, env, name, ext);
		if (n && access(path, R_OK) == 0) {
			return strdup(path);
		}
		env += n + (env[n] == ':');
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/lib%s%s", dirs[i], name, ext);
		if (access(path, R_OK) == 0) {
			return strdup(path);
		}
	}
	return NULL;
}

/*
 * --library=NAME: libNAME.so, as the linker's -lNAME, found as the dynamic linker finds
 * libraries; when there is no shared one, libNAME.a (a static archive, whose members are linked
 * into each extension that needs them), found as find_lib() says. A libNAME.so that dlopen()
 * refuses but that is there (a GNU ld script, as libm.so is) still comes first, as with the
 * linker: libllext follows the script. A NAME that is already a
 * file name (a '/', ".so" or ending in ".a") is taken as it is.
 */
static int add_library(struct options *opt, const char *name)
{
	size_t len = strlen(name);
	bool as_is =
	    strchr(name, '/') || strstr(name, ".so") || (len > 2 && !strcmp(name + len - 2, ".a"));
	char *lib = malloc(len + sizeof("lib.so"));
	void *h;

	if (!lib) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		return -1;
	}
	sprintf(lib, as_is ? "%s" : "lib%s.so", name);
	if (!as_is) {
		/* Only a look: the extension's load opens it again, and keeps it open. */
		h = dlopen(lib, RTLD_LAZY | RTLD_LOCAL);
		char *so = h ? NULL : find_lib(name, ".so");

		if (h) {
			dlclose(h);
		} else if (so) {
			free(so);
		} else {
			char *a = find_lib(name, ".a");

			if (a) {
				free(lib);
				lib = a;
			}
		}
	}
	opt->libs[opt->nlibs++] = lib;
	return 0;
}

/*
 * Our options come before the first "--"; everything after it belongs to the extension (main's
 * ARGs). Returns the number of arguments before it.
 */
static int split_args(int argc, char **argv, struct options *opt)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			opt->args = argv + i + 1;
			opt->nargs = argc - i - 1;
			return i;
		}
	}
	return argc;
}

static int parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
	    {"call", required_argument, NULL, 'c'},
	    {"list", no_argument, NULL, 'l'},
	    {"strict", no_argument, NULL, 's'},
	    {"time", no_argument, NULL, 't'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"library", required_argument, NULL, 'N'},
	    {"zephyr", no_argument, NULL, 'Z'},
	    {"no-crash-report", no_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	int nopt = split_args(argc, argv, opt), c;

	opterr = 0;
	while ((c = getopt_long(nopt, argv, ":c:lN:stvZhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opt->call = optarg;
			break;
		case 'l':
			opt->list = true;
			break;
		case 'N':
			if (add_library(opt, optarg) != 0) {
				return EXIT_LOAD;
			}
			break;
		case 's':
			opt->strict = true;
			break;
		case 't':
			opt->timing = true;
			break;
		case 'v':
			opt->verbose = true;
			break;
		case 'R': /* --no-crash-report: long only, so not in the short option string */
			opt->no_crash_report = true;
			break;
		case 'Z':
			opt->zephyr = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("llext-run (libllext) %s\n", LLEXT_RUN_VERSION);
			return 0;
		default:
			return option_error(c, argv);
		}
	}
	/* getopt_long() moved the operands after the options, before nopt. */
	opt->files = argv + optind;
	opt->nfiles = nopt - optind;
	return RUN;
}

/* Options that make no sense together, or without a file. */
static int check_args(const struct options *opt)
{
	if (opt->nfiles <= 0) {
		return usage_error("%s", "missing FILE.o operand");
	}
	if (opt->list && opt->call) {
		return usage_error("%s", "--list runs nothing: it cannot be used with --call");
	}
	if (opt->nargs > 0 && opt->call) {
		return usage_error("%s", "ARGs after '--' go to main; --call takes none");
	}
	if (opt->nargs > 0 && opt->list) {
		return usage_error("%s", "ARGs after '--' go to main; --list runs nothing");
	}
	return RUN;
}

/*
 * --zephyr: open libllext-zephyr with RTLD_GLOBAL. libllext then finds its EXPORT_SYMBOL()
 * notes (it rescans the process's modules when they change), so extensions link against its
 * printk, ztest and kernel calls. Its default failure path stays: a failed zassert prints the
 * check and exits with status 1, before any teardown. Returns the handle, or NULL after saying
 * why.
 */
static void *open_zephyr(void)
{
	void *h = dlopen(LLEXT_ZEPHYR_SONAME, RTLD_NOW | RTLD_GLOBAL);
	char *first;

	if (h) {
		return h;
	}
	/* Installed outside the dynamic linker's search path (a prefix such as /usr/local). */
	first = strdup(dlerror());
	h = dlopen(LLEXT_ZEPHYR_LIBDIR "/" LLEXT_ZEPHYR_SONAME, RTLD_NOW | RTLD_GLOBAL);
	if (!h) {
		fprintf(stderr, "%s: --zephyr: %s\n", PROG, first ? first : dlerror());
	}
	free(first);
	return h;
}

/* --zephyr: 1 if a ztest check failed (a zexpect, which does not stop the extension), else 0. */
static int zephyr_status(void *zephyr)
{
	unsigned int (*failures)(void);

	*(void **)&failures = dlsym(zephyr, "llext_zephyr_failures");
	return failures && failures() > 0 ? EXIT_LOAD : 0;
}

/* Run the last extension's function (--call) or main; the exit status. */
static int run_last(const struct slot *last, const struct options *opt, struct log_capture *lc,
                    void *zephyr)
{
	int status;

	/* Our output so far comes before anything the extension prints. */
	fflush(NULL);
	if (opt->call) {
		status = call_fn(last, opt->call, lc);
	} else {
		status = call_main(last, opt);
	}
	if (status == 0 && zephyr) {
		status = zephyr_status(zephyr);
	}
	fflush(NULL);
	return status;
}

/* Load, then list or bring up and run; always unload. */
static int run(const struct options *opt)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	size_t n = (size_t)opt->nfiles;
	struct log_capture lc = {0};
	struct slot *slots;
	void *zephyr = NULL;
	int status;

	if (opt->zephyr && !(zephyr = open_zephyr())) {
		return EXIT_LOAD;
	}
	slots = calloc(n, sizeof(*slots));
	if (!slots) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		status = EXIT_LOAD;
		goto out;
	}
	param.exports_only = opt->strict;
	param.libraries = (const char *const *)opt->libs;
	lc.verbose = opt->verbose;
	llext_set_log(opt->verbose ? LLEXT_LOG_DBG : LLEXT_LOG_ERR, log_sink, &lc);
	if (!opt->no_crash_report) {
		crash_report_install(PROG); /* best effort: it says why if it cannot */
	}

	status = load_all(slots, opt, &param, &lc);
	if (status == 0) {
		if (opt->list) {
			status = list_all(slots, n);
		} else {
			bringup_all(slots, n);
		}
		if (opt->timing) {
			print_times(slots, n);
		}
	}
	if (status == 0 && !opt->list) {
		status = run_last(&slots[n - 1], opt, &lc, zephyr);
	}

	teardown_all(slots, n);
	free(slots);
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
	log_clear(&lc);
	free(lc.msgs);
out:
	if (zephyr) {
		dlclose(zephyr);
	}
	return status;
}

int main(int argc, char **argv)
{
	struct options opt = {0};
	int status = EXIT_LOAD;

	opt.libs = calloc((size_t)argc + 1, sizeof(*opt.libs));
	if (opt.libs) {
		status = parse_args(argc, argv, &opt);
	}
	if (status == RUN) {
		status = check_args(&opt);
	}
	if (status == RUN) {
		status = run(&opt);
	}
	for (int i = 0; opt.libs && i < opt.nlibs; i++) {
		free(opt.libs[i]);
	}
	free(opt.libs);
	return status;
}
