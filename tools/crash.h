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

/* Prints @ext's functions, by address, with their sizes, in llext-run --list's layout. */
void crash_list_functions(FILE *out, const struct llext *ext);

#endif
