// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: arbitrary bytes as an extension, through the buffer loader and then through
 * the file loader, from a memory file (in fuzzing builds the file cache's size thresholds are
 * small, so that inputs reach its snapshot with holes: lib/loaders/file_cache.c). The file is
 * loaded three times: the second load uses the bytes the first one read (files count as settled
 * at once here, and each input's file gets a modification time of its own), the third goes
 * without the cache (no_file_cache), and all three must end the same way. Whatever loads is
 * unloaded again; nothing may crash, leak (ASan's leak checker runs) or stay registered. Loads that
 * succeed are described to perf's jitdump file too, line table included.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llext/buf_loader.h>
#include <llext/fs_loader.h>
#include <llext/llext.h>
#include <llext/log.h>

#include "fuzz_jitdump.h"
#include "loaders/file_cache.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The memory file each input is written to, and a path that opens it. */
static int memfd = -1;
static char mem_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_jitdump_init();
	memfd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (memfd < 0) {
		abort();
	}
	snprintf(mem_path, sizeof(mem_path), "/proc/self/fd/%d", memfd);
	llext_fs_settle_ns = 0;
	return 0;
}

static void quiet(enum llext_log_level level, const char *msg, void *user)
{
	(void)level;
	(void)msg;
	(void)user;
}

static int count(struct llext *ext, void *arg)
{
	(void)ext;
	(*(int *)arg)++;
	return 0;
}

/* Loads and unloads what @ldr holds, without the file cache if @no_cache; returns what the load
 * returned. */
static int load_unload(struct llext_loader *ldr, bool no_cache)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;
	int n = 0, ret;

	param.no_file_cache = no_cache;

	/* The default, said explicitly: the debuggers' copy (lib/load/debug_copy.c) reads parts of
	 * the object the loader does not, such as the relocations of debug information. */
	param.no_debug_register = false;
	ret = llext_load(ldr, "fuzz", &ext, &param);
	if (ret == 0) {
		fuzz_jitdump_discard();
		llext_unload(&ext);
	}
	llext_iterate(count, &n);
	if (n != 0) {
		abort(); /* a failed or unloaded extension stayed registered */
	}
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static long inputs;
	struct llext_buf_loader bl = LLEXT_BUF_LOADER(data, size);
	struct llext_fs_loader fl = LLEXT_FS_LOADER(mem_path);
	struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = ++inputs}};
	int first;

	llext_set_log(LLEXT_LOG_ERR, quiet, NULL);
	load_unload(&bl.loader, false);
	if (ftruncate(memfd, 0) != 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size) ||
	    futimens(memfd, times) != 0) {
		abort();
	}
	/* The second load, from the bytes the first read, and the third, which reads the file
	 * whole, must end the same way. */
	first = load_unload(&fl.loader, false);
	if (load_unload(&fl.loader, false) != first || load_unload(&fl.loader, true) != first) {
		abort();
	}
	return 0;
}
