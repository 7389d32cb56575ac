// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: arbitrary bytes as an extension, through the buffer loader. Whatever loads
 * is unloaded again; nothing may crash, leak (ASan's leak checker runs) or stay registered.
 * Loads that succeed are described to perf's jitdump file too, line table included.
 */
#include <stdint.h>
#include <stdlib.h>

#include <llext/buf_loader.h>
#include <llext/llext.h>
#include <llext/log.h>

#include "fuzz_jitdump.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_jitdump_init();
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct llext_buf_loader bl = LLEXT_BUF_LOADER(data, size);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;
	int n = 0;

	/* The default, said explicitly: the debuggers' copy (lib/debug.c) reads parts of the
	 * object the loader does not, such as the relocations of debug information. */
	param.no_debug_register = false;
	llext_set_log(LLEXT_LOG_ERR, quiet, NULL);
	if (llext_load(&bl.loader, "fuzz", &ext, &param) == 0) {
		fuzz_jitdump_discard();
		llext_unload(&ext);
	}
	llext_iterate(count, &n);
	if (n != 0) {
		abort(); /* a failed or unloaded extension stayed registered */
	}
	return 0;
}
