// SPDX-License-Identifier: MIT
/*
 * The crash report: when an extension (or anything else) dies of a fatal signal, say which
 * functions were running before dying of that signal, so that a crash in an extension names
 * extension functions rather than addresses in anonymous memory.
 *
 * The handler runs on its own stack (a stack overflow is a SIGSEGV too) and writes with write(2)
 * only. It calls backtrace(), made ready beforehand (its first call loads libgcc_s, which may
 * allocate), llext_addr_info(), which is async-signal-safe, and dladdr(), which is not formally
 * so: a crash report is worth the risk of one more crash, which SA_RESETHAND turns into plain
 * death by the signal.
 */
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "crash.h"

#define MAX_FRAMES 64

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
static const char *prog_name;
static char alt_stack[64 * 1024];

/* ---- output without stdio ---- */

struct line {
	char buf[512];
	size_t len;
};

static void put(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (n > sizeof(l->buf) - 1 - l->len) {
		n = sizeof(l->buf) - 1 - l->len;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void put_num(struct line *l, uintptr_t v, unsigned int base, const char *prefix)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	tmp[--i] = '\0';
	do {
		tmp[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	put(l, prefix);
	put(l, tmp + i);
}

static void flush(struct line *l)
{
	put(l, "\n");
	while (write(STDERR_FILENO, l->buf, l->len) < 0 && errno == EINTR) {
	}
	l->len = 0;
}

/* ---- naming an address ---- */

/* "name+0xOFF [extension]" for extension code, "name+0xOFF (file)" for the rest. */
static void name_addr(struct line *l, uintptr_t pc, uintptr_t lookup)
{
	struct llext_addr_info info;
	Dl_info di;
	int ret = llext_addr_info((const void *)lookup, &info);

	if (ret == 0) {
		if (info.sym_name) {
			put(l, info.sym_name);
			put_num(l, pc - (uintptr_t)info.sym_addr, 16, "+0x");
		} else {
			put(l, info.region == LLEXT_MEM_STUBS ? "<stub>" : "??");
		}
		put(l, " [");
		put(l, info.ext->name);
		put(l, "]");
		return;
	}
	if (ret == -EBUSY) {
		put(l, "?? [an extension, being loaded or unloaded]");
		return;
	}
	if (!dladdr((const void *)lookup, &di) || !di.dli_fname) {
		put(l, "??");
		return;
	}
	if (di.dli_sname) {
		put(l, di.dli_sname);
		put_num(l, pc - (uintptr_t)di.dli_saddr, 16, "+0x");
		put(l, " (");
		put(l, strrchr(di.dli_fname, '/') ? strrchr(di.dli_fname, '/') + 1 : di.dli_fname);
	} else {
		/* No dynamic symbol: the offset in the file is what addr2line takes. */
		put(l, "?? (");
		put(l, strrchr(di.dli_fname, '/') ? strrchr(di.dli_fname, '/') + 1 : di.dli_fname);
		put_num(l, pc - (uintptr_t)di.dli_fbase, 16, "+0x");
	}
	put(l, ")");
}

static uintptr_t fault_pc(const void *uctx)
{
	const ucontext_t *uc = uctx;

#if defined(__x86_64__)
	return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	return (uintptr_t)uc->uc_mcontext.pc;
#else
	(void)uc;
	return 0;
#endif
}

static void print_frame(struct line *l, int n, uintptr_t pc, bool exact)
{
	put_num(l, (uintptr_t)n, 10, "#");
	put_num(l, pc, 16, " 0x");
	put(l, " ");
	/* A return address follows the call: the call itself is the byte before. */
	name_addr(l, pc, exact ? pc : pc - 1);
	flush(l);
}

static void report(int sig, const siginfo_t *si, const void *uctx)
{
	void *frames[MAX_FRAMES];
	uintptr_t pc = fault_pc(uctx);
	struct line l = {.len = 0};
	int n = backtrace(frames, MAX_FRAMES), first = -1, k = 0;

	put(&l, prog_name);
	put(&l, ": fatal signal ");
	put_num(&l, (uintptr_t)sig, 10, "");
	put(&l, " (SIG");
	put(&l, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	put(&l, ")");
	if (sig == SIGSEGV || sig == SIGBUS) {
		put_num(&l, (uintptr_t)si->si_addr, 16, " accessing 0x");
	}
	put(&l, "; backtrace:");
	flush(&l);

	/* The handler's own frames and the signal trampoline come first: start at the
	 * interrupted instruction. */
	for (int i = 0; i < n; i++) {
		if ((uintptr_t)frames[i] == pc) {
			first = i;
			break;
		}
	}
	if (first < 0) {
		/* The unwinder did not get past the signal frame: the pc is all there is. */
		print_frame(&l, 0, pc, true);
		return;
	}
	for (int i = first; i < n; i++) {
		print_frame(&l, k++, (uintptr_t)frames[i], i == first);
	}
}

void crash_print_backtrace(void)
{
	void *frames[MAX_FRAMES];
	struct line l = {.len = 0};
	int n = backtrace(frames, MAX_FRAMES);

	put(&l, prog_name);
	put(&l, ": backtrace:");
	flush(&l);
	/* Frame 0 is this function: its caller's call is where the report was asked for. */
	for (int i = 1; i < n; i++) {
		print_frame(&l, i - 1, (uintptr_t)frames[i], false);
	}
}

static void on_fatal(int sig, siginfo_t *si, void *uctx)
{
	int saved = errno;

	report(sig, si, uctx);
	/* Die of the same signal: with the default action, raised again, or (for a fault) met again
	 * when the instruction reruns after the handler returns. */
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved;
}

static int fail_install(void)
{
	int err = errno;

	fprintf(stderr, "%s: cannot install the crash report: %s\n", prog_name, strerror(err));
	return -err;
}

void crash_backtrace_init(const char *prog)
{
	void *warm[1];

	prog_name = prog;
	/* The first backtrace() loads libgcc_s, which a signal handler must not do. */
	backtrace(warm, 1);
}

int crash_report_install(const char *prog)
{
	stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof(alt_stack)};
	struct sigaction sa = {.sa_sigaction = on_fatal};

	crash_backtrace_init(prog);
	if (sigaltstack(&ss, NULL) != 0) {
		return fail_install();
	}
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++) {
		if (sigaction(fatal_signals[i], &sa, NULL) != 0) {
			return fail_install();
		}
	}
	return 0;
}

/* ---- --list ---- */

/* Calls @fn for each function of @ext's text, in address order. */
static size_t each_function(FILE *out, const struct llext *ext)
{
	const uint8_t *p = ext->mem[LLEXT_MEM_TEXT];
	const uint8_t *end = p + ext->mem_size[LLEXT_MEM_TEXT];
	struct llext_addr_info info;
	size_t n = 0;

	/* Each lookup also gives the next symbol's address: the walk visits every symbol. */
	while (p && p < end && llext_addr_info(p, &info) == 0) {
		if (info.sym_addr == p && info.sym_type == STT_FUNC) {
			if (out) {
				fprintf(out, "    %-28s 0x%012jx %6zu\n", info.sym_name,
				        (uintmax_t)(uintptr_t)p, info.sym_size);
			}
			n++;
		}
		p = info.next_sym_addr;
	}
	return n;
}

void crash_list_functions(FILE *out, const struct llext *ext)
{
	fprintf(out, "  functions (%zu):\n", each_function(NULL, ext));
	each_function(out, ext);
}
