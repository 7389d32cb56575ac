// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: arbitrary bytes as an ar archive (the magic is put in front when the input
 * does not start with one, so that every input reaches the member headers). The archive is read
 * by lib/load/archive.c's parser directly, loaded whole through the buffer loader, and named as
 * a library (by a path ending in ".a", through a symbolic link to a memory file) of a fixture
 * that needs members of it. Whatever loads is unloaded again; nothing may crash, leak or stay
 * registered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <llext/buf_loader.h>
#include <llext/fs_loader.h>
#include <llext/llext.h>
#include <llext/log.h>

#include "fixtures.h"
#include "load/load.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char link_path[64];
static uint8_t *user; /* arc-user.o, which needs arc_a, arc_hidden and arc_count */
static size_t user_len;

static void read_user(void)
{
	FILE *f = fopen(FIXTURE_DIR "/arc-user.o", "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0) {
		abort();
	}
	rewind(f);
	user_len = (size_t)n;
	user = malloc(user_len);
	if (!user || fread(user, 1, user_len, f) != user_len) {
		abort();
	}
	fclose(f);
}

static void unlink_link(void)
{
	unlink(link_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char target[64];

	(void)argc;
	(void)argv;
	read_user();
	memfd = memfd_create("fuzz-archive", MFD_CLOEXEC);
	if (memfd < 0) {
		abort();
	}
	snprintf(target, sizeof(target), "/proc/%d/fd/%d", (int)getpid(), memfd);
	snprintf(link_path, sizeof(link_path), "/tmp/llext-fuzz-%d.a", (int)getpid());
	unlink(link_path);
	if (symlink(target, link_path) != 0) {
		abort();
	}
	atexit(unlink_link);
	return 0;
}

static void quiet(enum llext_log_level level, const char *msg, void *user_data)
{
	(void)level;
	(void)msg;
	(void)user_data;
}

static int count(struct llext *ext, void *arg)
{
	(void)ext;
	(*(int *)arg)++;
	return 0;
}

static void load_unload(struct llext_loader *ldr, const struct llext_load_param *param)
{
	struct llext *ext;
	int n = 0;

	if (llext_load(ldr, "fuzz", &ext, param) == 0) {
		llext_unload(&ext);
	}
	llext_iterate(count, &n);
	if (n != 0) {
		abort(); /* a failed or unloaded extension stayed registered */
	}
}

/* The parser alone, every member's bytes touched (ASan checks they are inside the input). */
static void parse(const uint8_t *img, size_t size)
{
	struct llext_ar ar = {0};
	unsigned sum = 0;

	if (llext_ar_parse(&ar, img, size, "fuzz") == 0) {
		for (size_t i = 0; i < ar.nm; i++) {
			for (size_t k = 0; ar.m[i].data && k < ar.m[i].size; k++) {
				sum += ar.m[i].data[k];
			}
			/* A name may be empty (a long name of no characters). */
			for (size_t k = 0; k < ar.m[i].name_len; k++) {
				sum += (unsigned)ar.m[i].name[k];
			}
		}
		for (size_t i = 0; i < ar.nsym; i++) {
			sum += (unsigned)strlen(ar.sym[i].name) + ar.sym[i].member;
		}
	}
	llext_ar_close(&ar);
	(void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool magic = size >= 8 && llext_ar_kind(data, size);
	size_t len = magic ? size : size + 8;
	uint8_t *img = malloc(len ? len : 1);
	const char *libs[] = {link_path, NULL};
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext_buf_loader bl, ul = LLEXT_BUF_LOADER(user, user_len);

	if (!img) {
		abort();
	}
	memcpy(img, "!<arch>\n", magic ? 0 : 8);
	memcpy(img + (magic ? 0 : 8), data, size);
	llext_set_log(LLEXT_LOG_ERR, quiet, NULL);
	parse(img, len);
	bl = (struct llext_buf_loader)LLEXT_BUF_LOADER(img, len);
	load_unload(&bl.loader, NULL);
	if (ftruncate(memfd, 0) != 0 || pwrite(memfd, img, len, 0) != (ssize_t)len) {
		abort();
	}
	param.libraries = libs;
	load_unload(&ul.loader, &param);
	free(img);
	return 0;
}
