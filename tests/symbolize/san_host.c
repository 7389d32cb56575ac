// SPDX-License-Identifier: MIT
/*
 * A host built with a sanitizer: loads the extension ARGV[1], prints its PID, and calls the
 * extension's int FUNC(int) with ARGV[2] and ARGV[3], so that the sanitizer reports a bug there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

int main(int argc, char **argv)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext_fs_loader fs;
	struct llext *ext = NULL;
	char name[LLEXT_MAX_NAME_LEN + 1];
	const char *base;
	int (*fn)(int);

	if (argc != 4) {
		fprintf(stderr, "usage: %s EXT.o FUNC N\n", argv[0]);
		return 2;
	}
	/*
	 * Records a process of this PID left behind (one killed before it cleaned up, a PID reused)
	 * would be appended to and read with this run's: this process starts from none.
	 */
	for (int i = 0; i < 2; i++) {
		char stale[64];

		snprintf(stale, sizeof(stale), "/tmp/perf-%d.%s", (int)getpid(),
		         i ? "llext" : "map");
		unlink(stale);
	}
	/* Named as llext-run names it: the file's base name without ".o". */
	base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
	fs = (struct llext_fs_loader)LLEXT_FS_LOADER(argv[1]);
	if (llext_load(&fs.loader, name, &ext, &param) < 0 || llext_bringup(ext) < 0) {
		return 1;
	}
	fn = (int (*)(int))(uintptr_t)llext_find_sym(&ext->exp_tab, argv[2]);
	if (!fn) {
		return 1;
	}
	printf("pid %d\n", (int)getpid());
	fflush(stdout);
	printf("result %d\n", fn(atoi(argv[3])));
	return 0;
}
