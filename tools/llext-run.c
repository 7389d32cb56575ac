// SPDX-License-Identifier: MIT
/*
 * llext-run: load relocatable ELF objects with libllext and run one of them from the shell.
 *
 * It uses only the public API and links only the shared library, like any program that embeds
 * libllext, so it doubles as a worked example of that API: the file loader, load parameters,
 * bringup and teardown, symbol lookup, memory domains, statistics and the log callback.
 */
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

/* Messages always name the program this way, whatever path it was started by. */
#define PROG "llext-run"

/* Exit statuses of our own (main's return value is passed through otherwise). */
enum { EXIT_LOAD = 1, EXIT_USAGE = 2 };

struct options {
	bool list, strict, verbose, timing, no_crash_report;
	const char *call;
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
 * that a failed load can be reported as "llext-run: FILE: reason" with the loader's own words.
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

/* The loader prefixes its messages with the extension's name or the file's path: drop it. */
static const char *strip_prefix(const char *msg, const char *name, const char *path)
{
	const char *prefixes[] = {name, path};

	for (size_t i = 0; i < 2; i++) {
		size_t len = strlen(prefixes[i]);

		if (len && strncmp(msg, prefixes[i], len) == 0 && msg[len] == ':' &&
		    msg[len + 1] == ' ') {
			return msg + len + 2;
		}
	}
	return msg;
}

/* Report a failure about @s: the loader's messages if it logged any, else @err. */
static void report(const struct log_capture *lc, const struct slot *s, int err)
{
	if (lc->n == 0) {
		fprintf(stderr, "%s: %s: %s\n", PROG, s->path, strerror(err));
		return;
	}
	for (size_t i = 0; i < lc->n; i++) {
		fprintf(stderr, "%s: %s: %s\n", PROG, s->path,
		        strip_prefix(lc->msgs[i], s->name, s->path));
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
	    "  -l, --list         print each extension's memory regions, exports, functions\n"
	    "                     and relocation counts, and run nothing (not even\n"
	    "                     constructors)\n"
	    "  -s, --strict       resolve symbols only against exported tables (EXPORT_SYMBOL\n"
	    "                     and other extensions), not the process's global symbols\n"
	    "  -t, --time         print how long parsing, placement, linking and bringup took\n"
	    "      --no-crash-report  on a fatal signal, do not print a backtrace that names\n"
	    "                     extension functions; just die of the signal\n"
	    "  -v, --verbose      show the loader's log (every level) on standard error\n"
	    "  -h, --help         display this help and exit\n"
	    "  -V, --version      output version information and exit\n"
	    "\n"
	    "An extension's name is its file's base name without '.o', cut to %d characters.\n"
	    "\n"
	    "Exit status: main's return value; 0 after --call or --list; 1 if a file cannot be\n"
	    "loaded or the function to run is not exported; 2 for a usage error.\n",
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

/* The extension name for a path: base name, without ".o", cut to LLEXT_MAX_NAME_LEN. */
static void name_of(char out[LLEXT_MAX_NAME_LEN + 1], const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 2 && strcmp(base + len - 2, ".o") == 0) {
		len -= 2;
	}
	if (len > LLEXT_MAX_NAME_LEN) {
		len = LLEXT_MAX_NAME_LEN;
	}
	memcpy(out, base, len);
	out[len] = '\0';
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

static int list_one(const struct slot *s)
{
	static const char *const region_names[LLEXT_MEM_PARTITIONS] = {
	    [LLEXT_MEM_TEXT] = "text",
	    [LLEXT_MEM_DATA] = "data",
	    [LLEXT_MEM_RODATA] = "rodata",
	    [LLEXT_MEM_BSS] = "bss",
	};
	struct k_mem_domain domain = {0};
	struct llext_reloc_count *counts;
	struct llext_stats stats;
	size_t ntypes, total = 0;
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

	printf("  exports (%zu):\n", s->ext->exp_tab.sym_cnt);
	for (size_t i = 0; i < s->ext->exp_tab.sym_cnt; i++) {
		const struct llext_symbol *sym = &s->ext->exp_tab.syms[i];

		printf("    %-28s 0x%012jx\n", sym->name, (uintmax_t)(uintptr_t)sym->addr);
	}

	crash_list_functions(stdout, s->ext);

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

static void print_time(const struct slot *s)
{
	struct llext_stats st;

	if (llext_get_stats(s->ext, &st) != 0) {
		return;
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

/* Tear down and unload in reverse load order: dependents go before what they link to. */
static void unload_all(struct slot *slots, size_t n)
{
	while (n--) {
		if (slots[n].ext) {
			llext_teardown(slots[n].ext);
			llext_unload(&slots[n].ext);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"call", required_argument, NULL, 'c'}, {"list", no_argument, NULL, 'l'},
	    {"strict", no_argument, NULL, 's'},     {"time", no_argument, NULL, 't'},
	    {"verbose", no_argument, NULL, 'v'},    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},    {"no-crash-report", no_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct log_capture lc = {0};
	struct options opt = {0};
	struct slot *slots = NULL;
	struct slot *last;
	int nopt = argc, nfiles, status = 0, c;
	char **args = NULL;
	int nargs = 0;

	/* Everything after the first "--" belongs to the extension's main, not to us. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			nopt = i;
			args = argv + i + 1;
			nargs = argc - i - 1;
			break;
		}
	}

	opterr = 0;
	while ((c = getopt_long(nopt, argv, ":c:lstvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.call = optarg;
			break;
		case 'l':
			opt.list = true;
			break;
		case 's':
			opt.strict = true;
			break;
		case 't':
			opt.timing = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'R': /* --no-crash-report: long only, so not in the short option string */
			opt.no_crash_report = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("llext-run (libllext) %s\n", LLEXT_RUN_VERSION);
			return 0;
		case ':':
			return usage_error("option '%s' requires an argument", argv[optind - 1]);
		default:
			if (strncmp(argv[optind - 1], "--", 2) != 0) {
				return usage_error("invalid option '-%c'", optopt);
			}
			if (optopt) {
				return usage_error("option '%s' takes no argument",
				                   argv[optind - 1]);
			}
			return usage_error("unrecognized option '%s'", argv[optind - 1]);
		}
	}
	nfiles = nopt - optind;
	if (nfiles <= 0) {
		return usage_error("%s", "missing FILE.o operand");
	}
	if (opt.list && opt.call) {
		return usage_error("%s", "--list runs nothing: it cannot be used with --call");
	}
	if (nargs > 0 && opt.call) {
		return usage_error("%s", "ARGs after '--' go to main; --call takes none");
	}
	if (nargs > 0 && opt.list) {
		return usage_error("%s", "ARGs after '--' go to main; --list runs nothing");
	}

	slots = calloc((size_t)nfiles, sizeof(*slots));
	if (!slots) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		return EXIT_LOAD;
	}
	param.exports_only = opt.strict;
	lc.verbose = opt.verbose;
	llext_set_log(opt.verbose ? LLEXT_LOG_DBG : LLEXT_LOG_ERR, log_sink, &lc);
	if (!opt.no_crash_report) {
		crash_report_install(PROG); /* best effort: it says why if it cannot */
	}

	for (int i = 0; i < nfiles; i++) {
		slots[i].path = argv[optind + i];
		if (load_one(&slots[i], slots, (size_t)i, &param, &lc) != 0) {
			status = EXIT_LOAD;
			goto out;
		}
	}
	last = &slots[nfiles - 1];

	if (opt.list) {
		for (int i = 0; i < nfiles; i++) {
			if (list_one(&slots[i]) != 0) {
				status = EXIT_LOAD;
				break;
			}
		}
		if (opt.timing) {
			for (int i = 0; i < nfiles; i++) {
				print_time(&slots[i]);
			}
		}
		goto out;
	}

	for (int i = 0; i < nfiles; i++) {
		uint64_t t0 = now_ns();

		llext_bringup(slots[i].ext);
		slots[i].bringup_ns = now_ns() - t0;
		slots[i].brought_up = true;
	}
	if (opt.timing) {
		for (int i = 0; i < nfiles; i++) {
			print_time(&slots[i]);
		}
	}

	fflush(NULL);
	if (opt.call) {
		int ret;

		log_clear(&lc);
		ret = llext_call_fn(last->ext, opt.call);
		if (ret) {
			report(&lc, last, -ret);
			status = EXIT_LOAD;
		}
	} else {
		int (*entry)(int, char **);
		char **av;

		entry =
		    (int (*)(int, char **))(uintptr_t)llext_find_sym(&last->ext->exp_tab, "main");
		if (!entry) {
			fprintf(stderr,
			        "%s: %s: no exported function 'main'; give one, or name the "
			        "function to run with --call\n",
			        PROG, last->path);
			status = EXIT_LOAD;
			goto out;
		}
		av = calloc((size_t)nargs + 2, sizeof(*av));
		if (!av) {
			fprintf(stderr, "%s: out of memory\n", PROG);
			status = EXIT_LOAD;
			goto out;
		}
		av[0] = (char *)last->path;
		for (int i = 0; i < nargs; i++) {
			av[i + 1] = args[i];
		}
		status = entry(nargs + 1, av);
		free(av);
	}
	fflush(NULL);

out:
	unload_all(slots, (size_t)nfiles);
	free(slots);
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
	log_clear(&lc);
	free(lc.msgs);
	return status;
}
