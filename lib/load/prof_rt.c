// SPDX-License-Identifier: MIT
/*
 * Coverage runtimes. An object compiled for coverage calls into the runtime of the compiler that
 * built it, which the compiler driver hands the linker: GCC's libgcov.a for --coverage
 * (-fprofile-arcs), Clang's libclang_rt.profile-ARCH.a for -fprofile-instr-generate (and for its
 * own --coverage). Linked into a program or a shared library, each module gets its own copy of
 * the runtime; an extension gets the same here: join.c links the archive in as it links any
 * library the extension names, so the runtime's members become part of that one extension.
 *
 * What tells which runtime an object needs:
 *   - GCC's instrumentation calls __gcov_init() from a constructor and __gcov_exit() from a
 *     destructor, and merges with __gcov_merge_add(): undefined names "__gcov_*".
 *   - Clang's profile counters are in sections __llvm_prf_cnts and __llvm_prf_data. On Linux the
 *     object does not reference the runtime: the driver passes the linker
 *     "-u __llvm_profile_runtime", whose member registers the exit-time write. Clang's gcov
 *     flavour calls llvm_gcda_*() and llvm_gcov_init().
 * Which compiler version built it is in .comment ("GCC: (Debian 12.2.0-14) 12.2.0", "Debian
 * clang version 14.0.6"), and where that compiler keeps its runtime follows from it. LLEXT_GCOV
 * and LLEXT_PROFILE_RT name the archive instead, and so does a library the load names (the
 * `libraries` parameter, LLEXT_NEEDS()) that is an archive whose file name starts with libgcov
 * or libclang_rt.profile. The variables are read with secure_getenv(): a runtime is code linked
 * into the extension, and a privileged program takes none from its caller's environment.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "load/load.h"

/* .comment is a few strings; anything larger is not read for a version. */
#define COMMENT_MAX 65536

/* Where GCC installations keep their per-target, per-version folders. */
static const char *const gcc_roots[] = {"/usr/lib/gcc", "/usr/lib/gcc-cross", "/usr/lib64/gcc",
                                        "/usr/local/lib/gcc"};

static const char *arch_name(uint16_t machine)
{
	return machine == EM_AARCH64 ? "aarch64" : "x86_64";
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Which runtimes @e calls into, from its undefined names and its sections. */
static void scan_needs(const struct llext_elf *e, bool *gcov, bool *prof)
{
	for (size_t i = 1; i < e->nsyms; i++) {
		const Elf64_Sym *s = &e->syms[i];
		const char *name = s->st_name < e->str_size ? e->str + s->st_name : "";

		if (s->st_shndx != SHN_UNDEF || ELF64_ST_BIND(s->st_info) == STB_LOCAL) {
			continue;
		}
		*gcov = *gcov || starts(name, "__gcov_");
		*prof = *prof || starts(name, "llvm_gcda_") || starts(name, "llvm_gcov_") ||
		        strcmp(name, "__llvm_profile_runtime") == 0;
	}
	for (size_t i = 1; i < e->shnum; i++) {
		const char *name = llext_elf_sect_name(e, i);

		*prof = *prof || strcmp(name, "__llvm_prf_cnts") == 0 ||
		        strcmp(name, "__llvm_prf_data") == 0;
	}
}

/*
 * The version after @tag in the object's .comment ("12.2.0" in "GCC: (Debian 12.2.0-14) 12.2.0",
 * "14.0.6" in "Debian clang version 14.0.6"), copied to @out: 0, -ENOENT if there is none, or the
 * error of reading the section. The section is read whole, bounded, and ended with a NUL of ours:
 * its strings need not be.
 */
static int comment_version(const struct llext_elf *e, const char *what, const char *tag, char *out,
                           size_t size)
{
	bool found = false;
	size_t len;
	char *c;
	int ret;

	for (size_t i = 1; i < e->shnum && !found; i++) {
		const Elf64_Shdr *sh = e->shdr[i];

		if (strcmp(llext_elf_sect_name(e, i), ".comment") != 0 ||
		    sh->sh_type != SHT_PROGBITS || sh->sh_size == 0 || sh->sh_size > COMMENT_MAX) {
			continue;
		}
		c = llext_malloc(sh->sh_size + 1);
		if (!c) {
			LOG_ERR("%s: out of memory reading .comment", what);
			return -ENOMEM;
		}
		ret = llext_elf_read_section(e, i, c, what);
		if (ret) {
			free(c);
			return ret;
		}
		c[sh->sh_size] = '\0';
		for (size_t off = 0; off < sh->sh_size && !found; off += strlen(c + off) + 1) {
			const char *s = strstr(c + off, tag), *v;

			if (!s) {
				continue;
			}
			/* GCC's version follows its vendor's "(...)", Clang's the tag; only the
			 * numbers count ("14.0.0-1ubuntu1" is 14.0.0). */
			v = strstr(s, ") ");
			v = strcmp(tag, "GCC: ") == 0 && v ? v + 2 : s + strlen(tag);
			len = strspn(v, "0123456789.");
			found = len > 0 && len < size && *v != '.';
			if (found) {
				snprintf(out, size, "%.*s", (int)len, v);
			}
		}
		free(c);
	}
	return found ? 0 : -ENOENT;
}

/* @path copied to @out (PATH_MAX bytes), or -ENAMETOOLONG: never a shorter, other path. */
static int copy_path(char *out, const char *path, const char *what)
{
	if (strlen(path) >= PATH_MAX) {
		LOG_ERR("%s: the coverage runtime's path is longer than PATH_MAX: %.64s...", what,
		        path);
		return -ENAMETOOLONG;
	}
	memcpy(out, path, strlen(path) + 1);
	return 0;
}

static bool exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/* A target folder of a GCC for Linux ("x86_64-linux-gnu", "aarch64-redhat-linux"), not one for
 * another system's objects (mingw). */
static int target_dir(const struct dirent *d)
{
	return d->d_name[0] != '.' && strstr(d->d_name, "-linux") != NULL;
}

/* GCC's libgcov.a for @arch and version @ver ("12.2.0": folder "12" or "12.2.0") under @root. */
static bool gcov_under(const char *root, const char *arch, const char *ver, char *out)
{
	struct dirent **d;
	int n = scandir(root, &d, target_dir, alphasort);
	int major = (int)strcspn(ver, ".");
	bool found = false;

	for (int i = 0; i < n; i++) {
		for (int full = 0; full < 2 && !found && starts(d[i]->d_name, arch) &&
		                   d[i]->d_name[strlen(arch)] == '-';
		     full++) {
			snprintf(out, PATH_MAX, "%s/%s/%.*s/libgcov.a", root, d[i]->d_name,
			         full ? (int)strlen(ver) : major, ver);
			found = exists(out);
		}
		free(d[i]);
	}
	free(n >= 0 ? d : NULL);
	return found;
}

static int find_gcov(const struct llext_elf *e, const char *what, char *out)
{
	const char *env = secure_getenv("LLEXT_GCOV"), *arch = arch_name(e->machine);
	char ver[32];
	int ret;

	if (env && *env) {
		return copy_path(out, env, what);
	}
	ret = comment_version(e, what, "GCC: ", ver, sizeof(ver));
	if (ret == -ENOENT) {
		LOG_ERR(
		    "%s: compiled with --coverage (it calls __gcov_*) but its .comment names no "
		    "GCC version, so the gcov runtime cannot be found; set LLEXT_GCOV to the "
		    "compiler's libgcov.a (gcc -print-file-name=libgcov.a)",
		    what);
	}
	if (ret) {
		return ret;
	}
	for (size_t i = 0; i < ARRAY_SIZE(gcc_roots); i++) {
		if (gcov_under(gcc_roots[i], arch, ver, out)) {
			return 0;
		}
	}
	LOG_ERR("%s: compiled with --coverage by GCC %s, whose gcov runtime for %s (libgcov.a) is "
	        "not under /usr/lib/gcc, /usr/lib/gcc-cross, /usr/lib64/gcc or /usr/local/lib/gcc; "
	        "install that compiler, or set LLEXT_GCOV to its libgcov.a "
	        "(gcc -print-file-name=libgcov.a)",
	        what, ver, arch);
	return -ENOENT;
}

/* Clang's profile runtime for @arch and version @ver, in the layouts LLVM installs: Debian's
 * /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.profile-x86_64.a, a folder named by
 * the major version alone (LLVM 16 on), a per-target folder, or /usr/lib/clang. */
static bool prof_at(const char *arch, const char *ver, char *out)
{
	char major[16], base[2][64], vers[2][32];

	snprintf(major, sizeof(major), "%.*s", (int)strcspn(ver, "."), ver);
	snprintf(base[0], sizeof(base[0]), "/usr/lib/llvm-%s/lib/clang", major);
	snprintf(base[1], sizeof(base[1]), "/usr/lib/clang");
	snprintf(vers[0], sizeof(vers[0]), "%s", ver);
	snprintf(vers[1], sizeof(vers[1]), "%s", major);
	for (int b = 0; b < 2; b++) {
		for (int v = 0; v < 2; v++) {
			snprintf(out, PATH_MAX, "%s/%s/lib/linux/libclang_rt.profile-%s.a", base[b],
			         vers[v], arch);
			if (exists(out)) {
				return true;
			}
			snprintf(out, PATH_MAX,
			         "%s/%s/lib/%s-unknown-linux-gnu/libclang_rt.profile.a", base[b],
			         vers[v], arch);
			if (exists(out)) {
				return true;
			}
		}
	}
	return false;
}

static int find_prof(const struct llext_elf *e, const char *what, char *out)
{
	const char *env = secure_getenv("LLEXT_PROFILE_RT"), *arch = arch_name(e->machine);
	char ver[32];
	int ret;

	if (env && *env) {
		return copy_path(out, env, what);
	}
	ret = comment_version(e, what, "clang version ", ver, sizeof(ver));
	if (ret == -ENOENT) {
		LOG_ERR(
		    "%s: compiled for Clang's profiling (it has __llvm_prf_* sections or calls "
		    "llvm_gcda_*) but its .comment names no Clang version, so the profile runtime "
		    "cannot be found; set LLEXT_PROFILE_RT to it "
		    "(clang -print-file-name=libclang_rt.profile-%s.a)",
		    what, arch);
	}
	if (ret) {
		return ret;
	}
	if (prof_at(arch, ver, out)) {
		return 0;
	}
	LOG_ERR(
	    "%s: compiled for Clang %s's profiling, whose runtime for %s "
	    "(libclang_rt.profile-%s.a) is not installed (Debian: libclang-rt-%.*s-dev for that "
	    "architecture); set LLEXT_PROFILE_RT to it",
	    what, ver, arch, arch, (int)strcspn(ver, "."), ver);
	return -ENOENT;
}

/* Whether @path names an archive whose file name starts with @stem. */
static bool is_runtime(const char *path, const char *stem)
{
	const char *b = strrchr(path, '/');
	size_t n = strlen(path);

	return starts(b ? b + 1 : path, stem) && n > 2 && strcmp(path + n - 2, ".a") == 0;
}

/* An archive named in @libs or by LLEXT_NEEDS() whose file name starts with @stem: the user's
 * choice of runtime, copied to @out. 1 if there is one, 0 if not, or -ENAMETOOLONG. */
static int named(const struct llext_elf *e, const char *const *libs, const char *stem, char *out,
                 const char *what)
{
	const char *found = NULL;

	for (size_t i = 0; libs && libs[i] && !found; i++) {
		found = is_runtime(libs[i], stem) ? libs[i] : NULL;
	}
	for (size_t off = 0; off < e->needs_size && !found; off += strlen(e->needs + off) + 1) {
		found = is_runtime(e->needs + off, stem) ? e->needs + off : NULL;
	}
	if (!found) {
		return 0;
	}
	return copy_path(out, found, what) ?: 1;
}

int llext_prof_rt_need(const struct llext_elf *e, const char *what, const char *const *libs,
                       struct llext_prof_rt *rt)
{
	bool gcov = false, prof = false;
	int ret = 0;

	scan_needs(e, &gcov, &prof);
	/* What @rt has stays: the join may have noted that archive already. */
	ret = gcov && !rt->gcov[0] ? named(e, libs, "libgcov", rt->gcov, what) : 0;
	if (ret < 0) {
		return ret;
	}
	gcov = gcov && !ret;
	ret = prof && !rt->prof[0] ? named(e, libs, "libclang_rt.profile", rt->prof, what) : 0;
	if (ret < 0) {
		return ret;
	}
	prof = prof && !ret;
	if (gcov && !rt->gcov[0]) {
		ret = find_gcov(e, what, rt->gcov);
		if (ret) {
			return ret;
		}
		LOG_DBG("%s: compiled with --coverage: linking %s", what, rt->gcov);
	}
	if (prof && !rt->prof[0]) {
		ret = find_prof(e, what, rt->prof);
		if (ret) {
			return ret;
		}
		LOG_DBG("%s: compiled for Clang's profiling: linking %s", what, rt->prof);
	}
	return 0;
}
