// SPDX-License-Identifier: MIT
/* printk() and friends: the C library's formatting, written to stdout or the host's sink. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <llext-zephyr.h>
#include <llext/symbol.h>
#include <zephyr/sys/printk.h>

#include "runtime_priv.h"

static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static llext_zephyr_print_fn sink;
static void *sink_user;

void llext_zephyr_set_print(llext_zephyr_print_fn fn, void *user)
{
	pthread_mutex_lock(&sink_lock);
	sink = fn;
	sink_user = user;
	pthread_mutex_unlock(&sink_lock);
}

char *z_llext_vformat(const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0) {
		return NULL;
	}
	return text;
}

void z_llext_print(const char *text, size_t len)
{
	/* One writer at a time, so that the sink sees whole messages and stdout is not mixed. */
	pthread_mutex_lock(&sink_lock);
	if (sink) {
		sink(text, len, sink_user);
	} else {
		fwrite(text, 1, len, stdout);
	}
	pthread_mutex_unlock(&sink_lock);
}

void vprintk(const char *fmt, va_list ap)
{
	char *text = z_llext_vformat(fmt, ap);

	if (text) {
		z_llext_print(text, strlen(text));
		free(text);
	}
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

int vsnprintk(char *str, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(str, size, fmt, ap);
}

int snprintk(char *str, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintk(str, size, fmt, ap);
	va_end(ap);
	return n;
}

EXPORT_SYMBOL(printk);
EXPORT_SYMBOL(vprintk);
EXPORT_SYMBOL(snprintk);
EXPORT_SYMBOL(vsnprintk);
