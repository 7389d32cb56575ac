// SPDX-License-Identifier: MIT
/*
 * A libFuzzer program as a plugin author writes one: linked with clang -fsanitize=fuzzer and
 * nothing else (no -rdynamic), it loads the extension named by $SANCOV_EXT and fuzzes its
 * nested_check().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

static int (*check)(const uint8_t *, size_t);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct llext_fs_loader fs = LLEXT_FS_LOADER(getenv("SANCOV_EXT"));
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext = NULL;

	(void)argc;
	(void)argv;
	if (llext_load(&fs.loader, "nested", &ext, &param) < 0 || llext_bringup(ext) < 0) {
		fprintf(stderr, "libfuzzer-host: cannot load %s\n", getenv("SANCOV_EXT"));
		exit(1);
	}
	check = (int (*)(const uint8_t *, size_t))(uintptr_t)llext_find_sym(&ext->exp_tab,
	                                                                    "nested_check");
	return check ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return check(data, size);
}
