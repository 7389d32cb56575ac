// SPDX-License-Identifier: MIT
/* The logging backend: messages to stderr, or to the host's sink. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <llext-zephyr.h>
#include <llext/symbol.h>
#include <zephyr/logging/log.h>

#include "runtime_priv.h"

/* Bytes per line of a hex dump. */
#define DUMP_LINE 16

static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static llext_zephyr_log_fn sink;
static void *sink_user;

void llext_zephyr_set_log(llext_zephyr_log_fn fn, void *user)
{
	pthread_mutex_lock(&sink_lock);
	sink = fn;
	sink_user = user;
	pthread_mutex_unlock(&sink_lock);
}

static const char *level_name(int level)
{
	static const char *const names[] = {"none", "err", "wrn", "inf", "dbg"};

	return level >= 0 && level <= LOG_LEVEL_DBG ? names[level] : "???";
}

static void emit(int level, const char *module, const char *msg)
{
	pthread_mutex_lock(&sink_lock);
	if (sink) {
		sink(level, module, msg, sink_user);
	} else {
		fprintf(stderr, "<%s> %s: %s\n", level_name(level), module, msg);
	}
	pthread_mutex_unlock(&sink_lock);
}

void z_llext_log(int level, const char *module, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = z_llext_vformat(fmt, ap);
	va_end(ap);
	emit(level, module, msg ? msg : fmt);
	free(msg);
}

/* One line of a dump: offset, bytes in hex, then as text. */
static void dump_line(FILE *out, const uint8_t *p, size_t off, size_t n)
{
	fprintf(out, "\n%08zx: ", off);
	for (size_t i = 0; i < DUMP_LINE; i++) {
		if (i < n) {
			fprintf(out, "%02x ", p[off + i]);
		} else {
			fputs("   ", out);
		}
	}
	fputc('|', out);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[off + i];

		fputc(c >= 0x20 && c < 0x7f ? c : '.', out);
	}
	fputc('|', out);
}

void z_llext_log_hexdump(int level, const char *module, const void *data, size_t length,
			 const char *str)
{
	char *msg = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&msg, &size);

	if (!out) {
		emit(level, module, str);
		return;
	}
	fputs(str, out);
	for (size_t off = 0; off < length; off += DUMP_LINE) {
		dump_line(out, data, off, length - off < DUMP_LINE ? length - off : DUMP_LINE);
	}
	if (fclose(out) == 0) {
		emit(level, module, msg);
	} else {
		emit(level, module, str);
	}
	free(msg);
}

EXPORT_SYMBOL(z_llext_log);
EXPORT_SYMBOL(z_llext_log_hexdump);
