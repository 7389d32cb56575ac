// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/buf_loader.h>
#include <llext/fs_loader.h>
#include <llext/log.h>

#include "common.h"

const char *fixture_path(const char *file)
{
	static __thread char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, file);
	return path;
}

void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f) {
		fail_msg("cannot open %s: %s", path, strerror(errno));
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fail_msg("cannot read %s", path);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int load_fixture(const char *file, const char *name, struct llext **ext,
		 struct llext_load_param *param)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(fixture_path(file));

	return llext_load(&fl.loader, name, ext, param);
}

int load_buffer(const void *buf, size_t len, const char *name, struct llext **ext,
		struct llext_load_param *param)
{
	struct llext_buf_loader bl = LLEXT_BUF_LOADER(buf, len);

	return llext_load(&bl.loader, name, ext, param);
}

void *ext_sym(struct llext *ext, const char *name)
{
	void *p = (void *)llext_find_sym(&ext->exp_tab, name);

	if (!p) {
		fail_msg("%s does not export %s", ext->name, name);
	}
	return p;
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_buf[16384];
static size_t log_len;

static void capture(enum llext_log_level level, const char *msg, void *user)
{
	(void)level;
	(void)user;
	pthread_mutex_lock(&log_lock);
	log_len += (size_t)snprintf(log_buf + log_len, sizeof(log_buf) - log_len, "%s\n", msg);
	if (log_len >= sizeof(log_buf)) {
		log_len = sizeof(log_buf) - 1;
	}
	pthread_mutex_unlock(&log_lock);
}

void log_capture_start(void)
{
	pthread_mutex_lock(&log_lock);
	log_len = 0;
	log_buf[0] = '\0';
	pthread_mutex_unlock(&log_lock);
	llext_set_log(LLEXT_LOG_ERR, capture, NULL);
}

void log_capture_stop(void)
{
	llext_set_log(LLEXT_LOG_ERR, NULL, NULL);
}

bool log_contains(const char *needle)
{
	bool found;

	pthread_mutex_lock(&log_lock);
	found = strstr(log_buf, needle) != NULL;
	pthread_mutex_unlock(&log_lock);
	return found;
}

const char *log_text(void)
{
	return log_buf;
}

static int count_one(struct llext *ext, void *arg)
{
	(void)ext;
	(*(int *)arg)++;
	return 0;
}

int registry_count(void)
{
	int n = 0;

	llext_iterate(count_one, &n);
	return n;
}

int run_dynamic_tests(const char *group, struct CMUnitTest *tests, size_t n)
{
	return _cmocka_run_group_tests(group, tests, n, NULL, NULL);
}
