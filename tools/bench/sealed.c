// SPDX-License-Identifier: MIT
/*
 * Row l: sealed text (LLEXT_TEXT_SEALED: the code in a sealed memory file mapped read+execute)
 * against the default anonymous text, with dlopen() of the same library in the same rounds:
 * load+find+unload of each object, the three interleaved, which goes first rotating. And the
 * workloads of row h again with sealed text (how fast the code runs from a memory file).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

#include "bench.h"

static uint64_t cycle(const char *obj, const char *sym, const struct llext_load_param *param)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(obj);
	struct llext *ext;
	uint64_t t0 = now_ns();

	if (llext_load(&fl.loader, "sealed", &ext, param) != 0) {
		die(obj, "llext_load failed");
	}
	if (!llext_find_sym(&ext->exp_tab, sym)) {
		die(obj, sym);
	}
	llext_unload(&ext);
	return now_ns() - t0;
}

static uint64_t dl_cycle(const char *so, const char *sym)
{
	uint64_t t0 = now_ns();
	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);

	if (!h || !dlsym(h, sym)) {
		die(so, h ? sym : dlerror());
	}
	dlclose(h);
	return now_ns() - t0;
}

/* The first export of @obj that @so has too, or NULL; the caller frees it. */
static char *first_common_export(const char *obj, const char *so)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(obj);
	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	struct llext *ext;
	char *name = NULL;

	if (!h || llext_load(&fl.loader, "sealed-names", &ext, NULL) != 0) {
		die(obj, "cannot load");
	}
	for (size_t i = 0; i < ext->exp_tab.sym_cnt && !name; i++) {
		if (dlsym(h, ext->exp_tab.syms[i].name)) {
			name = strdup(ext->exp_tab.syms[i].name);
		}
	}
	llext_unload(&ext);
	dlclose(h);
	return name;
}

void sealed_row(const char *label, const char *obj, const char *so, const char *sym, int n)
{
	struct llext_load_param anon = LLEXT_LOAD_PARAM_DEFAULT, sealed = LLEXT_LOAD_PARAM_DEFAULT;
	uint64_t *t[3];
	char *found = sym ? NULL : first_common_export(obj, so);
	double m[3];

	if (!sym && !found) {
		die(obj, "no export in common with the library");
	}
	sym = sym ? sym : found;
	anon.text_mode = LLEXT_TEXT_ANONYMOUS;
	sealed.text_mode = LLEXT_TEXT_SEALED;
	for (int k = 0; k < 3; k++) {
		t[k] = calloc((size_t)n, sizeof(*t[k]));
	}
	for (int i = -1; i < n; i++) { /* round -1 warms all three */
		for (int j = 0; j < 3; j++) {
			int k = (i + 3 + j) % 3;
			uint64_t v =
			    k == 2 ? dl_cycle(so, sym) : cycle(obj, sym, k ? &sealed : &anon);

			if (i >= 0) {
				t[k][i] = v;
			}
		}
	}
	for (int k = 0; k < 3; k++) {
		m[k] = median(t[k], (size_t)n) / 1e3;
		free(t[k]);
	}
	printf("l. %-41s %10.1f us %10.1f us %10.1f us %8.3f %8.2f\n", label, m[0], m[1], m[2],
	       m[1] / m[0], m[1] / m[2]);
	free(found);
}

void sealed_speed(const char *zlib_o, const char *zlib_so, const char *sqlite_o,
                  const char *sqlite_so, int rounds)
{
	static struct llext_load_param sealed = LLEXT_LOAD_PARAM_DEFAULT;

	sealed.text_mode = LLEXT_TEXT_SEALED;
	workload_param = &sealed;
	printf("\n%-44s %13s %13s %8s\n", "code speed, sealed text (extension / .so)", "libllext",
	       "dlopen", "ratio");
	workloads(zlib_o, zlib_so, sqlite_o, sqlite_so, rounds);
	workload_param = NULL;
}
