/* SPDX-License-Identifier: MIT */
/*
 * llext-run's crash report and symbol listing: extension addresses named through
 * llext_addr_info(), everything else through dladdr().
 */
#ifndef LLEXT_RUN_CRASH_H
#define LLEXT_RUN_CRASH_H

#include <stdio.h>

#include <llext/llext.h>

/*
 * From now on a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) prints "PROG: fatal
 * signal ..." and a symbolized backtrace to standard error, then kills the process with the
 * same signal, as if there had been no handler. Returns 0, or a negative errno after saying
 * on standard error why it could not.
 */
int crash_report_install(const char *prog);

/*
 * Makes crash_print_backtrace() ready, for a program that leaves fatal signals to another
 * handler (libFuzzer's) and only wants the backtrace printed; @prog names the program.
 */
void crash_backtrace_init(const char *prog);

/*
 * Prints the calling thread's backtrace to standard error, named as the crash report names it:
 * "PROG: backtrace:", then one line per frame. As safe in a signal handler as the report is.
 */
void crash_print_backtrace(void);

/* Prints @ext's functions, by address, with their sizes, in llext-run --list's layout. */
void crash_list_functions(FILE *out, const struct llext *ext);

#endif
