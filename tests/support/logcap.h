/* SPDX-License-Identifier: MIT */
/* libllext's log, captured for a test to check (tests/support/logcap.c). */
#ifndef TESTS_LOGCAP_H
#define TESTS_LOGCAP_H

#include <stdbool.h>

#include <llext/log.h>

/* Messages libllext logged since log_capture_start(), one per line. */
void log_capture_start(void);
/* The same, with messages up to @level (LLEXT_LOG_WRN: errors and warnings). */
void log_capture_start_at(enum llext_log_level level);
void log_capture_stop(void);
bool log_contains(const char *needle);
const char *log_text(void);

#endif
