/* SPDX-License-Identifier: MIT */
/* The ztest hosts' side of ext/zsuite.c: loading it and finding its functions. */
#ifndef ZSUITE_EXT_H
#define ZSUITE_EXT_H

#include <zephyr/llext/fs_loader.h>
#include <zephyr/llext/llext.h>
#include <zephyr/ztest.h>

/* The extension's functions, as the hosts call them. */
struct zsuite_ext {
	struct llext *ext;
	int (*add)(int a, int b);
	int (*calls)(void);
	int (*check_equal)(int a, int b);
	int (*assume_positive)(int v);
	int (*expect_equal)(int a, int b);
	int (*pass)(void);
	int (*fail)(void);
};

/* The address of exported function @name of @ext, as a pointer of @fp's type. */
#define ZSUITE_FIND(ext, fp, name)                                                                 \
	(*(void **)&(fp) = (void *)(uintptr_t)llext_find_sym(&(ext)->exp_tab, name), (fp) != NULL)

/* Load ZSUITE_EXT (the object built for this host's compiler) as @name; false on failure. */
static inline bool zsuite_load(struct zsuite_ext *z, const char *name)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(ZSUITE_EXT);
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;

	if (llext_load(&ldr.loader, name, &z->ext, &param) != 0 || llext_bringup(z->ext) != 0) {
		return false;
	}
	return ZSUITE_FIND(z->ext, z->add, "zsuite_add") &&
	       ZSUITE_FIND(z->ext, z->calls, "zsuite_calls") &&
	       ZSUITE_FIND(z->ext, z->check_equal, "zsuite_check_equal") &&
	       ZSUITE_FIND(z->ext, z->assume_positive, "zsuite_assume_positive") &&
	       ZSUITE_FIND(z->ext, z->expect_equal, "zsuite_expect_equal") &&
	       ZSUITE_FIND(z->ext, z->pass, "zsuite_pass") &&
	       ZSUITE_FIND(z->ext, z->fail, "zsuite_fail");
}

static inline void zsuite_unload(struct zsuite_ext *z)
{
	llext_teardown(z->ext);
	llext_unload(&z->ext);
}

#endif /* ZSUITE_EXT_H */
