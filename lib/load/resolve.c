// SPDX-License-Identifier: MIT
/*
 * Symbol resolution: every symbol of the object gets a kind, and those defined outside the
 * extension an address. An undefined symbol is looked up, in order, in the load's overrides
 * (which a coverage runtime's imports skip: join.c), in what the extension binds to itself (the
 * static part of the C library), the host's EXPORT_SYMBOL() tables, the other extensions' exports,
 * the process's global symbols (unless the load says otherwise), the libraries the extension needs,
 * and the compiler's runtime (libgcc's, and the sanitizer coverage interface the program
 * defines). A vague definition of data (see unify_vague()) is looked up the same way, and a copy
 * found there is used instead of the extension's own.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "load/ld_script.h"
#include "load/load.h"
#include "runtime/ext.h"
#include "runtime/libgcc.h"
#include "runtime/sancov.h"
#include "runtime/symbol.h"
#include "runtime/tls.h"
#include "runtime/tls_host.h"
#include "runtime/tls_static.h"

/* Bumped once per load, so that each extension depended on is recorded once. */
static uint64_t load_generation;

/* Records that the extension links against @dep, once per load. */
static int add_dep(struct llext_internal *ie, struct llext_internal *dep)
{
	struct llext_internal **d;

	if (dep->mark == load_generation) {
		return 0;
	}
	d = llext_realloc(ie->deps, (ie->ndeps + 1) * sizeof(*ie->deps));
	if (!d) {
		return -ENOMEM;
	}
	ie->deps = d;
	ie->deps[ie->ndeps++] = dep;
	dep->mark = load_generation;
	return 0;
}

/* The extension's own libraries, in the order they were named. */
static bool library_lookup(const struct llext_internal *ie, const char *name, void **addr)
{
	for (size_t i = 0; i < ie->nlibs; i++) {
		*addr = llext_dlsym(ie->libs[i], name);
		if (*addr) {
			return true;
		}
	}
	return false;
}

/*
 * Where @name is defined outside the extension, in resolution order; *@owner is the extension
 * that exports it, NULL when it is not one. False if nothing defines it.
 */
static bool find_from(struct llext_load *ld, const char *name, bool overrides, uint64_t *addr,
                      struct llext_internal **owner)
{
	uint32_t h = llext_hash(name);
	const struct llext_symbol *b;
	const void *p;
	void *q;

	*owner = NULL;
	b = overrides && ld->param->overrides ? llext_symtable_lookup(ld->param->overrides, name, h)
	                                      : NULL;
	if (!b && ld->bound) {
		b = llext_symtable_lookup(ld->bound, name, h);
	}
	p = b ? b->addr : llext_host_lookup(name, h);
	if (p) {
		*addr = (uintptr_t)p;
		return true;
	}
	if (llext_exports_lookup(name, h, &q, owner) ||
	    (!ld->param->exports_only && llext_process_lookup(name, h, &q)) ||
	    library_lookup(ld->ie, name, &q) || llext_runtime_lookup(name, &q) ||
	    llext_sancov_lookup(name, false, &q)) {
		*addr = (uintptr_t)q;
		return true;
	}
	return false;
}

/* find_from(), the overrides included: for vague definitions. */
static bool find(struct llext_load *ld, const char *name, uint64_t *addr,
                 struct llext_internal **owner)
{
	return find_from(ld, name, true, addr, owner);
}

/* Find undefined symbol @i, named @name; -ENODATA if nothing defines it. A coverage runtime's
 * import skips the overrides (join.c). */
static int lookup(struct llext_load *ld, size_t i, const char *name, uint64_t *addr)
{
	struct llext_internal *owner;

	if (!find_from(ld, name, !llext_join_rt_import(ld->joined, i), addr, &owner)) {
		return -ENODATA;
	}
	return owner ? add_dep(ld->ie, owner) : 0;
}

/* Opens @lib for the extension; a name opened twice costs a reference, nothing more. */
/* Scripts naming scripts: deeper than this is a loop. */
#define SCRIPT_DEPTH 8

static int open_named(struct llext_load *ld, const char *lib, int depth);

struct script_walk {
	struct llext_load *ld;
	const char *script; /* its path, for messages */
	int depth;
};

/* The linker's -lNAME in a script: libNAME.so along its search path, else libNAME.a. */
static int script_lib(struct script_walk *w, const char *entry, char *path, size_t size)
{
	char name[NAME_MAX + 1];
	int n = snprintf(name, sizeof(name), "lib%s.so", entry + 2);

	if (n < 0 || (size_t)n >= sizeof(name) - 1) {
		LOG_ERR("%s: linker script %s: '%s' is too long a name", w->ld->name, w->script,
		        entry);
		return -ENAMETOOLONG;
	}
	if (llext_ld_script_find(name, path, size) == 0) {
		return 0;
	}
	name[n - 2] = 'a';
	name[n - 1] = '\0';
	if (llext_ld_script_find(name, path, size) == 0) {
		return 0;
	}
	LOG_ERR("%s: linker script %s: %s names neither lib%s.so nor lib%s.a in the linker's "
	        "search path",
	        w->ld->name, w->script, entry, entry + 2, entry + 2);
	return -ENOENT;
}

/* One entry of a script: a library opened as dlopen() would, or an archive passed over. */
static int script_entry(void *ctx, const char *entry, bool as_needed)
{
	struct script_walk *w = ctx;
	char path[PATH_MAX];
	size_t n;

	if (strncmp(entry, "-l", 2) == 0) {
		int ret = script_lib(w, entry, path, sizeof(path));

		if (ret) {
			return ret;
		}
		entry = path;
	}
	n = strlen(entry);
	if (n >= 2 && strcmp(entry + n - 2, ".a") == 0) {
		/*
		 * A static archive (libc.so names libc_nonshared.a): it holds the C library's
		 * functions that a program links statically, which libllext binds for every
		 * extension itself (lib/api/llext.c, the static C library bindings).
		 */
		LOG_DBG("%s: %s: archive %s passed over (its functions are bound by libllext)",
		        w->ld->name, w->script, entry);
		return 0;
	}
	(void)as_needed; /* opened all the same: a library nothing uses costs only its mapping */
	return open_named(w->ld, entry, w->depth + 1);
}

/*
 * @lib failed dlopen() with @why: if it is a GNU ld script found along the linker's search
 * path, opens the libraries it names.
 */
static int open_script(struct llext_load *ld, const char *lib, int depth, const char *why)
{
	struct script_walk w = {.ld = ld, .depth = depth};
	char path[PATH_MAX];
	size_t len, where = 0;
	char *text;
	int ret;

	if (strchr(lib, '/')) {
		ret = snprintf(path, sizeof(path), "%s", lib) < (int)sizeof(path) ? 0 : -ENOENT;
	} else {
		ret = llext_ld_script_find(lib, path, sizeof(path));
	}
	if (ret == 0) {
		ret = llext_ld_script_read(path, &text, &len);
	}
	if (ret == -ENOMEM) {
		return ret;
	}
	if (ret) {
		/* Not a script: a missing or broken library, which dlopen() described. */
		LOG_ERR("%s: cannot open the library '%s' it needs: %s", ld->name, lib, why);
		return -ENOENT;
	}
	if (depth >= SCRIPT_DEPTH) {
		LOG_ERR("%s: linker script %s: scripts name each other more than %d deep (a loop?)",
		        ld->name, path, SCRIPT_DEPTH);
		free(text);
		return -ELOOP;
	}
	LOG_DBG("%s: '%s' is the linker script %s: opening what it names", ld->name, lib, path);
	w.script = path;
	ret = llext_ld_script_parse(text, len, script_entry, &w, &where);
	free(text);
	if (ret == -EINVAL) {
		LOG_ERR(
		    "%s: cannot open the library '%s' it needs: %s, and %s is no linker script of "
		    "INPUT()/GROUP() either (unexpected text at byte %zu)",
		    ld->name, lib, why, path, where);
		return -ENOENT;
	}
	return ret;
}

static int open_named(struct llext_load *ld, const char *lib, int depth)
{
	struct llext_internal *ie = ld->ie;
	char why[256];
	void **libs;
	void *h;

	if (strlen(lib) > 2 && strcmp(lib + strlen(lib) - 2, ".a") == 0) {
		return 0; /* an archive: its members were joined to the object (join.c) */
	}
	h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *err = dlerror();

		snprintf(why, sizeof(why), "%s", err ? err : "unknown error");
		return open_script(ld, lib, depth, why);
	}
	libs = llext_realloc(ie->libs, (ie->nlibs + 1) * sizeof(*libs));
	if (!libs) {
		dlclose(h);
		return -ENOMEM;
	}
	ie->libs = libs;
	ie->libs[ie->nlibs++] = h;
	return 0;
}

static int open_library(struct llext_load *ld, const char *lib)
{
	if (!*lib) {
		return 0; /* padding between LLEXT_NEEDS() names */
	}
	return open_named(ld, lib, 0);
}

/* True if the object calls into the C++ runtime, for which g++ would link libstdc++. */
static bool uses_cxx_runtime(const struct llext_elf *e)
{
	for (size_t i = e->shdr[e->symtab]->sh_info; i < e->nsyms; i++) {
		const char *name =
		    e->syms[i].st_name < e->str_size ? e->str + e->syms[i].st_name : "";

		if (e->syms[i].st_shndx == SHN_UNDEF &&
		    (strncmp(name, "_Z", 2) == 0 || strncmp(name, "__cxa_", 6) == 0 ||
		     strncmp(name, "__gxx_", 6) == 0)) {
			return true;
		}
	}
	return false;
}

/* The libraries the extension needs: its LLEXT_NEEDS() names, the C++ runtime if it uses it
 * (what a compiler driver links a C++ program with), then those of the load. */
static int open_libraries(struct llext_load *ld)
{
	static const char *const cxx[] = {"libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", NULL};
	const char *const *more = ld->param->libraries;
	const struct llext_elf *e = &ld->elf;
	bool want_cxx = uses_cxx_runtime(e);
	int ret = 0;

	for (size_t off = 0; off < e->needs_size && !ret; off += strlen(e->needs + off) + 1) {
		ret = open_library(ld, e->needs + off);
	}
	for (size_t i = 0; !ret && want_cxx && cxx[i]; i++) {
		ret = open_library(ld, cxx[i]);
	}
	for (size_t i = 0; !ret && more && more[i]; i++) {
		ret = open_library(ld, more[i]);
	}
	return ret;
}

/* Defined in a section of the object, thread-local or not. */
static bool defines(const struct llext_symval *v)
{
	return v->kind == LLEXT_SYM_DEFINED || v->kind == LLEXT_SYM_TLS;
}

/*
 * Global symbols defined in a dropped COMDAT group stand for the definition of the same name in
 * the group that was kept: alias them to it.
 */
static int resolve_dropped(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	struct llext_symtable kept = {0};
	uint32_t *idx; /* the symbol index of kept.syms[k] */
	size_t n = 0;
	int ret;

	kept.syms = llext_calloc(e->nsyms, sizeof(*kept.syms));
	idx = llext_calloc(e->nsyms, sizeof(*idx));
	if (!kept.syms || !idx) {
		free(kept.syms);
		free(idx);
		return -ENOMEM;
	}
	for (size_t i = 1; i < e->nsyms; i++) {
		if (defines(&ld->sym[i]) && !ld->sym[i].unloadable &&
		    ELF64_ST_BIND(e->syms[i].st_info) != STB_LOCAL) {
			kept.syms[n].name = e->str + e->syms[i].st_name;
			idx[n++] = (uint32_t)i;
		}
	}
	kept.sym_cnt = n;
	ret = llext_symindex_build(&kept);
	for (size_t i = 1; i < e->nsyms && !ret; i++) {
		const char *name = e->str + e->syms[i].st_name;
		const struct llext_symbol *k;
		size_t shndx = llext_elf_sym_shndx(e, i);

		if (!defines(&ld->sym[i]) || shndx >= e->shnum || !e->discarded[shndx] ||
		    ELF64_ST_BIND(e->syms[i].st_info) == STB_LOCAL) {
			continue;
		}
		k = llext_symtable_lookup(&kept, name, llext_hash(name));
		if (k) {
			ld->sym[i].kind = LLEXT_SYM_ALIAS;
			ld->sym[i].unloadable = 0;
			ld->sym[i].alias = idx[k - kept.syms];
		}
	}
	llext_symindex_free(&kept);
	free(kept.syms);
	free(idx);
	return ret;
}

/*
 * One definition across modules. A definition another module may have too (vague linkage: C++
 * inline variables, static locals of inline functions, template static members, vtables,
 * typeinfo; and weak C data) stands back for a copy the host or a loaded extension provides, as
 * the dynamic linker makes every module of a program use the first copy in its search order:
 * otherwise each extension would count in a static of its own. Only data is unified: each
 * module keeps its own copy of an inline function, which is the same code.
 */

/* Symbol @i is a vague definition of data, of default visibility, in a section that is loaded:
 * STB_GNU_UNIQUE (g++'s), or an object that is weak (clang++'s, and C's) or in a section group
 * (the only groups compilers emit are COMDAT). Thread-local ones are LLEXT_SYM_TLS: never. */
static bool vague_data(const struct llext_load *ld, size_t i)
{
	const Elf64_Sym *s = &ld->elf.syms[i];
	unsigned int bind = ELF64_ST_BIND(s->st_info);

	if (bind == STB_LOCAL || ld->sym[i].kind != LLEXT_SYM_DEFINED || ld->sym[i].unloadable ||
	    ELF64_ST_VISIBILITY(s->st_other) != STV_DEFAULT || s->st_name == 0) {
		return false;
	}
	if (bind == STB_GNU_UNIQUE) {
		return true;
	}
	if (ELF64_ST_TYPE(s->st_info) != STT_OBJECT) {
		return false;
	}
	return bind == STB_WEAK ||
	       (ld->elf.shdr[llext_elf_sym_shndx(&ld->elf, i)]->sh_flags & SHF_GROUP);
}

/* A vague definition and the copy found for it, if any. */
struct vague {
	uint32_t sym;
	bool found;
	struct llext_internal *owner; /* the extension that provides it, NULL for the host */
	uint64_t addr;
};

/* The Itanium C++ ABI names a static's guard variable "_ZGV" followed by the static's name
 * without its "_Z". */
static bool is_guard(const char *name)
{
	return strncmp(name, "_ZGV", 4) == 0 && name[4];
}

/*
 * A static and its guard variable are used together or not at all: the guard says whether the
 * static was initialised, so the static of one module with the guard of another would be
 * initialised twice, or never. Both must come from the same provider.
 */
static int pair_guards(struct llext_load *ld, struct vague *v, size_t n)
{
	const struct llext_elf *e = &ld->elf;
	struct llext_symtable own = {.sym_cnt = n};
	char *obj = NULL;
	int ret;

	own.syms = llext_calloc(n, sizeof(*own.syms));
	if (!own.syms) {
		return -ENOMEM;
	}
	for (size_t k = 0; k < n; k++) {
		own.syms[k].name = e->str + e->syms[v[k].sym].st_name;
	}
	ret = llext_symindex_build(&own);
	for (size_t k = 0; k < n && !ret; k++) {
		const char *name = own.syms[k].name;
		const struct llext_symbol *o;
		struct vague *g = &v[k], *s;
		size_t len = strlen(name);
		char *p;

		if (!is_guard(name)) {
			continue;
		}
		p = llext_realloc(obj, len - 1);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		obj = p;
		memcpy(obj, "_Z", 2);
		memcpy(obj + 2, name + 4, len - 3);
		o = llext_symtable_lookup(&own, obj, llext_hash(obj));
		s = o ? &v[o - own.syms] : NULL;
		if (s && (s->found != g->found || s->owner != g->owner)) {
			LOG_WRN("%s: '%s' and its guard variable are not provided together: the "
			        "extension keeps its own copy of both",
			        ld->name, obj);
			s->found = g->found = false;
		}
	}
	free(obj);
	llext_symindex_free(&own);
	free(own.syms);
	return ret;
}

/* Symbols in dropped COMDAT groups that stand for a unified definition use the same copy. */
static void unify_aliases(struct llext_load *ld)
{
	for (size_t i = 1; i < ld->elf.nsyms; i++) {
		struct llext_symval *v = &ld->sym[i];

		if (v->kind == LLEXT_SYM_ALIAS && ld->sym[v->alias].unified) {
			v->kind = LLEXT_SYM_EXTERNAL;
			v->addr = ld->sym[v->alias].addr;
			v->unified = 1;
		}
	}
}

/* The @n vague definitions of data whose copy elsewhere is found are resolved to that copy; the
 * extension that provides one is depended on, so it stays while this one uses its copy. */
static int unify_vague(struct llext_load *ld, size_t n)
{
	const struct llext_elf *e = &ld->elf;
	struct vague *v = llext_calloc(n, sizeof(*v));
	bool guards = false;
	size_t k = 0;
	int ret = 0;

	if (!v) {
		return -ENOMEM;
	}
	for (size_t i = 1; i < e->nsyms && k < n; i++) {
		const char *name = e->str + e->syms[i].st_name;

		if (ld->sym[i].vague) {
			v[k].sym = (uint32_t)i;
			v[k].found = find(ld, name, &v[k].addr, &v[k].owner);
			guards = guards || is_guard(name);
			k++;
		}
	}
	if (guards) {
		ret = pair_guards(ld, v, k);
	}
	for (size_t j = 0; j < k && !ret; j++) {
		struct llext_symval *s = &ld->sym[v[j].sym];

		if (!v[j].found) {
			continue;
		}
		LOG_DBG("%s: uses the copy of '%s' at %p", ld->name,
		        e->str + e->syms[v[j].sym].st_name, (void *)(uintptr_t)v[j].addr);
		s->kind = LLEXT_SYM_EXTERNAL;
		s->addr = v[j].addr;
		s->unified = 1;
		ret = v[j].owner ? add_dep(ld->ie, v[j].owner) : 0;
	}
	free(v);
	if (!ret && e->discarded) {
		unify_aliases(ld);
	}
	return ret;
}

/*
 * __start_NAME and __stop_NAME, for NAME a C identifier, are the extension's own, whatever the
 * host or others export: the start and the end of its loaded sections of that name, which the
 * layout puts together (map.c), as a linker defines them. Weak and without such sections: null.
 * 1 if @name is not one of them, else 0, -ENODATA when it is missing, or another error.
 */
static int resolve_bound(struct llext_load *ld, size_t i, const char *name)
{
	struct llext_symval *v = &ld->sym[i];
	bool stop = strncmp(name, "__stop_", 7) == 0;
	const char *sect;
	uint32_t first, last;
	int ret;

	if (!stop && strncmp(name, "__start_", 8) != 0) {
		return 1;
	}
	sect = name + (stop ? 7 : 8);
	ret = llext_mem_named(ld, sect, &first, &last);
	if (ret == -EINVAL) {
		return 1; /* not a C identifier: an ordinary name */
	}
	if (ret == -ENOENT && ELF64_ST_BIND(ld->elf.syms[i].st_info) == STB_WEAK) {
		v->kind = LLEXT_SYM_WEAK_NULL;
		v->addr = 0;
		return 0;
	}
	if (ret == -ENOENT) {
		LOG_ERR("%s: undefined symbol '%s': no section '%s' in the extension", ld->name,
		        name, sect);
		return -ENODATA;
	}
	if (ret) {
		LOG_ERR("%s: symbol '%s': the sections '%s' differ in being code, read-only, "
		        "writable or zero-filled, so are not one range; give them the same flags",
		        ld->name, name, sect);
		return -ENOEXEC;
	}
	v->kind = LLEXT_SYM_SECT_EDGE;
	v->alias = stop ? last : first;
	v->addr = stop ? ld->elf.shdr[last]->sh_size : 0;
	return 0;
}

/* The index of @mod in ld->tls_out, added if new; -ENOMEM. */
static int64_t tls_out_index(struct llext_load *ld, struct llext_tls_module *mod)
{
	struct llext_tls_module **m;

	for (size_t k = 0; k < ld->ntls_out; k++) {
		if (ld->tls_out[k] == mod) {
			return (int64_t)k;
		}
	}
	m = llext_realloc(ld->tls_out, (ld->ntls_out + 1) * sizeof(*m));
	if (!m) {
		return -ENOMEM;
	}
	ld->tls_out = m;
	m[ld->ntls_out] = mod;
	return (int64_t)ld->ntls_out++;
}

/*
 * Initial-exec code against a variable outside needs the variable's module in static TLS: ask
 * the C library for it, as its dynamic linker does for a library opened with dlopen() that uses
 * initial-exec, before anything looks the variable up (dlsym() gives the calling thread a block
 * in dynamic TLS, after which the module can never be in static TLS). NULL if it is not needed
 * or the C library could not; the scan then refuses the relocations. A name that where it is
 * defined is not thread-local is refused here (*@err = -ENOEXEC): the C library would bind the
 * request to it and fail on a module without TLS.
 */
static struct llext_tls_asked *ask_static(struct llext_load *ld, size_t i, const char *name,
                                          int *err)
{
	char module[256];
	const char *paths[16];
	size_t n = 0;
	struct llext_tls_asked *h;
	int64_t tpoff;
	char why[200];

	if (!llext_tls_wants_static(ld, i)) {
		return NULL;
	}
	if (llext_tls_host_check(name, module, sizeof(module))) {
		*err = -ENOEXEC;
		LOG_ERR("%s: '%s' is thread-local in the extension but is not a thread-local "
		        "variable in %s",
		        ld->name, name, module);
		return NULL;
	}
	for (size_t k = 0; k < ld->ie->nlibs && n < ARRAY_SIZE(paths); k++) {
		struct link_map *lm = NULL;

		if (dlinfo(ld->ie->libs[k], RTLD_DI_LINKMAP, &lm) == 0 && lm && *lm->l_name) {
			paths[n++] = lm->l_name;
		}
	}
	h = llext_tls_static_ask(name, paths, n, &tpoff, why, sizeof(why));
	if (!h) {
		LOG_DBG("%s: the C library gives '%s' no static TLS: %s", ld->name, name, why);
		snprintf(ld->tls_static_why, sizeof(ld->tls_static_why), "%s", why);
	}
	return h;
}

/*
 * A thread-local variable defined outside the extension, as a dynamic linker finds it: in
 * another extension, else in the process (unless the load says otherwise) or the libraries the
 * extension needs. The C library's dlsym() gives the calling thread's copy, from which tls.c
 * finds the module and the offset. Tables of addresses (overrides, EXPORT_SYMBOL()) cannot
 * name a variable that has one address per thread and are not searched.
 */
static int resolve_tls_outside(struct llext_load *ld, size_t i, const char *name)
{
	struct llext_symval *v = &ld->sym[i];
	struct llext_tls_module *mod;
	struct llext_internal *owner = llext_tls_export_find(name, &mod, &v->addr);
	void *p = NULL;
	int64_t k;
	int ret;

	int err = 0;
	struct llext_tls_asked *asked = owner ? NULL : ask_static(ld, i, name, &err);

	if (err) {
		return err;
	}
	if (owner) {
		ret = add_dep(ld->ie, owner);
	} else if ((!ld->param->exports_only && (p = llext_dlsym(RTLD_DEFAULT, name))) ||
	           library_lookup(ld->ie, name, &p) || llext_sancov_lookup(name, true, &p)) {
		ret = llext_tls_outside(ld->ie, p, asked, &mod, &v->addr);
		if (ret == -ENOENT) {
			LOG_ERR("%s: '%s' is thread-local in the extension but not in the module "
			        "defining it",
			        ld->name, name);
			return -ENOEXEC;
		}
	} else {
		llext_tls_static_close(asked);
		LOG_ERR("%s: undefined thread-local variable '%s'; define it in the program, a "
		        "library the extension needs, or an extension loaded before",
		        ld->name, name);
		return -ENODATA;
	}
	if (ret) {
		return ret;
	}
	k = tls_out_index(ld, mod);
	if (k < 0) {
		return (int)k;
	}
	v->kind = LLEXT_SYM_TLS_OUT;
	v->alias = (uint32_t)k;
	return 0;
}

/*
 * __ehdr_start: a linker's name, in each module, for the ELF header it is loaded with, through
 * which code finds the module's program headers (Clang's profile runtime looks there for a
 * build ID to write). An extension is loaded from sections, not segments: its header has none.
 */
static const Elf64_Ehdr no_segments = {
    .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
    .e_type = ET_REL,
#if defined(__aarch64__)
    .e_machine = EM_AARCH64,
#else
    .e_machine = EM_X86_64,
#endif
    .e_version = EV_CURRENT,
    .e_ehsize = sizeof(Elf64_Ehdr),
};

/* An undefined symbol: 0, -ENODATA when it is missing, or another error. */
static int resolve_undefined(struct llext_load *ld, size_t i)
{
	const Elf64_Sym *s = &ld->elf.syms[i];
	struct llext_symval *v = &ld->sym[i];
	const char *name = ld->elf.str + s->st_name;
	unsigned int bind = ELF64_ST_BIND(s->st_info);
	int ret;

	if (strcmp(name, "_TLS_MODULE_BASE_") == 0) {
		/* The start of the module's TLS block, which a linker defines (local dynamic
		 * through descriptors): offset 0 in ours. */
		v->kind = LLEXT_SYM_TLS;
		v->addr = 0;
		return 0;
	}
	if (ELF64_ST_TYPE(s->st_info) == STT_TLS && *name && bind != STB_LOCAL) {
		return resolve_tls_outside(ld, i, name);
	}
	if (bind == STB_LOCAL || !*name) {
		LOG_ERR("%s: symbol %zu is undefined but not global", ld->name, i);
		return -EINVAL;
	}
	if (strcmp(name, "_GLOBAL_OFFSET_TABLE_") == 0) {
		v->kind = LLEXT_SYM_GOTBASE;
		ld->need_got = true;
		return 0;
	}
	if (strcmp(name, "__dso_handle") == 0) {
		/* Identifies this extension to __cxa_atexit(); a linker defines it in every
		 * module, hidden. */
		v->kind = LLEXT_SYM_DSO;
		ld->ie->dso_handle = true;
		return 0;
	}
	if (strcmp(name, "__ehdr_start") == 0) {
		v->kind = LLEXT_SYM_EXTERNAL;
		v->addr = (uintptr_t)&no_segments;
		return 0;
	}
	ret = resolve_bound(ld, i, name);
	if (ret <= 0) {
		return ret;
	}
	ret = lookup(ld, i, name, &v->addr);
	if (ret == 0) {
		v->kind = LLEXT_SYM_EXTERNAL;
	} else if (ret == -ENODATA && bind == STB_WEAK) {
		v->kind = LLEXT_SYM_WEAK_NULL;
		v->addr = 0;
		ret = 0;
	} else if (ret == -ENODATA) {
		LOG_ERR("%s: undefined symbol '%s'", ld->name, name);
	}
	return ret;
}

/*
 * A symbol in a thread-local section (a variable, or the section's own symbol): its value is its
 * offset in the extension's TLS block (tls_link.c laid the block out). STT_TLS elsewhere is
 * malformed.
 */
static int resolve_tls(struct llext_load *ld, size_t i, size_t shndx)
{
	const struct llext_elf *e = &ld->elf;
	struct llext_symval *v = &ld->sym[i];

	if (!(e->shdr[shndx]->sh_flags & SHF_TLS) || !(e->shdr[shndx]->sh_flags & SHF_ALLOC)) {
		LOG_ERR("%s: symbol '%s' is thread-local but its section %s is not", ld->name,
		        llext_elf_sym_name(e, i), llext_elf_sect_name(e, shndx));
		return -EINVAL;
	}
	v->kind = LLEXT_SYM_TLS;
	v->addr = ld->sect[shndx].tls_off + e->syms[i].st_value;
	/* .tbss takes no room in the reservation, yet its variables are there. */
	v->unloadable = e->discarded && e->discarded[shndx];
	return 0;
}

/* A symbol with a section index: absolute, common, or in a section of the object. */
static int resolve_defined(struct llext_load *ld, size_t i)
{
	const struct llext_elf *e = &ld->elf;
	const Elf64_Sym *s = &e->syms[i];
	struct llext_symval *v = &ld->sym[i];
	/* Special indexes are in the raw field; only SHN_XINDEX defers to the table, whose entries
	 * are always real section indexes (0xfff1 there is a section, not ABS). */
	size_t shndx = llext_elf_sym_shndx(e, i);

	if (ELF64_ST_TYPE(s->st_info) == STT_TLS &&
	    (s->st_shndx == SHN_ABS || s->st_shndx == SHN_COMMON)) {
		LOG_ERR("%s: thread-local symbol '%s' is absolute or common, which no compiler "
		        "emits and libllext does not support",
		        ld->name, e->str + s->st_name);
		return -ENOEXEC;
	}
	if (s->st_shndx == SHN_ABS) {
		v->kind = LLEXT_SYM_ABS;
		v->addr = s->st_value;
		return 0;
	}
	if (s->st_shndx == SHN_COMMON) {
		v->kind = LLEXT_SYM_COMMON;
		return 0;
	}
	if (shndx == 0 || shndx >= e->shnum ||
	    (s->st_shndx >= SHN_LORESERVE && s->st_shndx != SHN_XINDEX)) {
		LOG_ERR("%s: symbol '%s': section index %zu is invalid", ld->name,
		        e->str + s->st_name, shndx);
		return -EINVAL;
	}
	if (s->st_value > e->shdr[shndx]->sh_size) {
		LOG_ERR("%s: symbol '%s': value 0x%llx is beyond section %s (0x%llx bytes)",
		        ld->name, llext_elf_sym_name(e, i), (unsigned long long)s->st_value,
		        llext_elf_sect_name(e, shndx), (unsigned long long)e->shdr[shndx]->sh_size);
		return -EINVAL;
	}
	if ((e->shdr[shndx]->sh_flags & SHF_TLS) || ELF64_ST_TYPE(s->st_info) == STT_TLS) {
		return resolve_tls(ld, i, shndx);
	}
	v->kind = LLEXT_SYM_DEFINED;
	v->unloadable = ld->sect[shndx].region == LLEXT_MEM_COUNT;
	return 0;
}

/* Which symbols the relocation scan must look at closely (struct llext_load's slow): those
 * with a value fixed before placement, those it refuses, and thread-local ones, whose value is
 * an offset in a TLS block that only thread-local relocations may use. */
static void mark_slow(struct llext_load *ld)
{
	for (size_t i = 0; i < ld->elf.nsyms; i++) {
		struct llext_symval *v = &ld->sym[i];

		ld->slow[i] = v->unloadable || v->kind == LLEXT_SYM_NONE ||
		              v->kind == LLEXT_SYM_EXTERNAL || v->kind == LLEXT_SYM_WEAK_NULL ||
		              v->kind == LLEXT_SYM_ABS || llext_tls_sym(ld, v);
	}
}

int llext_resolve_symbols(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	size_t missing = 0, nvague = 0;
	int ret;

	ret = llext_host_refresh();
	if (!ret) {
		ret = open_libraries(ld);
	}
	if (ret) {
		return ret;
	}
	load_generation++;
	for (size_t i = 1; i < e->nsyms; i++) {
		const Elf64_Sym *s = &e->syms[i];

		if (s->st_name >= e->str_size) {
			LOG_ERR("%s: symbol %zu: name offset %u is outside the string table",
			        ld->name, i, s->st_name);
			return -EINVAL;
		}
		if (s->st_shndx == SHN_XINDEX && !e->xndx) {
			LOG_ERR("%s: symbol %zu uses SHN_XINDEX without an extended index table",
			        ld->name, i);
			return -EINVAL;
		}
		ret = s->st_shndx == SHN_UNDEF ? resolve_undefined(ld, i) : resolve_defined(ld, i);
		if (ret == -ENODATA) {
			missing++;
		} else if (ret) {
			return ret;
		} else if (ELF64_ST_BIND(s->st_info) != STB_LOCAL && vague_data(ld, i)) {
			ld->sym[i].vague = 1;
			nvague++;
		}
	}
	if (e->discarded) {
		ret = resolve_dropped(ld);
		if (ret) {
			return ret;
		}
	}
	ld->nvague = nvague;
	if (nvague) {
		ret = unify_vague(ld, nvague);
		if (ret) {
			return ret;
		}
	}
	mark_slow(ld);
	if (missing) {
		LOG_ERR("%s: %zu undefined symbol%s; export %s with EXPORT_SYMBOL() or load the "
		        "extension defining %s first",
		        ld->name, missing, missing == 1 ? "" : "s", missing == 1 ? "it" : "them",
		        missing == 1 ? "it" : "them");
		return -ENODATA;
	}
	return 0;
}
