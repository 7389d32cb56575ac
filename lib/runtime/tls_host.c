// SPDX-License-Identifier: MIT
/*
 * Thread-local variables of the modules the C library loaded (the program, its libraries, those
 * opened with dlopen()): which module holds a variable, at which offset of its block, and
 * whether that block is in static TLS, where its offset from the thread pointer is the same in
 * every thread (what initial-exec code needs).
 *
 * The module is found from the variable's address in the calling thread (dlsym() gives it, and
 * allocates the block in this thread if needed): dl_iterate_phdr() reports each module's ID and
 * this thread's block. The static TLS area is where glibc puts the blocks of the modules loaded
 * at start and of those it gave static TLS when dlopen()ed; its size comes from glibc's
 * _dl_get_tls_static_info(), and its place from the TLS variant:
 *
 *   x86-64 (variant II)   [tp - (size - TCB), tp)   the TCB is glibc's struct pthread, at tp
 *   AArch64 (variant I)   [tp + 16, tp + size)      after the 16-byte TCB
 *
 * A block inside that range of this thread is in static TLS: a dynamically allocated block is
 * other memory. Where glibc does not tell its sizes, no block is taken to be static, so
 * initial-exec code is refused rather than guessed at.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "runtime/symbol.h"
#include "runtime/tls_host.h"

struct where_arg {
	uintptr_t addr;
	struct llext_tls_where *w;
	uintptr_t data, size;
	bool found;
};

static int find_block(struct dl_phdr_info *info, size_t size, void *p)
{
	struct where_arg *a = p;
	uintptr_t data = (uintptr_t)info->dlpi_tls_data;

	if (size < offsetof(struct dl_phdr_info, dlpi_tls_data) + sizeof(void *) ||
	    !info->dlpi_tls_modid || !data) {
		return 0;
	}
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_TLS && a->addr >= data && a->addr - data < ph->p_memsz) {
			a->w->modid = info->dlpi_tls_modid;
			a->w->off = a->addr - data;
			a->data = data;
			a->size = ph->p_memsz;
			a->found = true;
			return 1;
		}
	}
	return 0;
}

/* The calling thread's static TLS area, [*@lo, *@hi); false if glibc does not say. */
static bool static_area(uintptr_t *lo, uintptr_t *hi)
{
	void (*info)(size_t * size, size_t * align);
	uintptr_t tp = (uintptr_t)__builtin_thread_pointer();
	size_t size = 0, align = 0;

	*(void **)&info = llext_dlsym(RTLD_DEFAULT, "_dl_get_tls_static_info");
	if (!info) {
		return false;
	}
	info(&size, &align);
#if defined(__x86_64__)
	const uint32_t *tcb = llext_dlsym(RTLD_DEFAULT, "_thread_db_sizeof_pthread");

	if (!tcb || *tcb > size) {
		return false;
	}
	*lo = tp - (size - *tcb);
	*hi = tp;
#elif defined(__aarch64__)
	if (size < 16) {
		return false;
	}
	*lo = tp + 16;
	*hi = tp + size;
#else
	return false;
#endif
	return true;
}

int llext_tls_host_where(const void *addr, struct llext_tls_where *w)
{
	struct where_arg a = {.addr = (uintptr_t)addr, .w = w};
	uintptr_t lo, hi;

	*w = (struct llext_tls_where){0};
	dl_iterate_phdr(find_block, &a);
	if (!a.found) {
		return -ENOENT;
	}
	if (static_area(&lo, &hi) && a.data >= lo && a.data <= hi && hi - a.data >= a.size) {
		w->is_static = true;
		w->tpoff = (int64_t)(a.data - (uintptr_t)__builtin_thread_pointer());
	}
	return 0;
}

/*
 * Whether a thread-local name is defined as one: the C library binds a reference by name only,
 * whatever the types, and a TPREL relocation bound to something that is not thread-local makes
 * its dynamic linker divide by the alignment of a module that has no TLS. So the definitions are
 * read from each module's dynamic symbol table (DT_GNU_HASH or DT_HASH), never through dlsym(),
 * which would give a thread-local variable's module a block in dynamic TLS. Every address read
 * from a module is checked to lie in one of its loaded segments.
 */
struct defn_arg {
	const char *name;
	uint32_t gnu, sysv;
	char *module;
	size_t len;
	bool bad;
};

/* @addr (as the dynamic section gives it) in @info's loaded segments for @len bytes, or NULL. */
static const void *in_module(const struct dl_phdr_info *info, uintptr_t addr, size_t len)
{
	if (addr < info->dlpi_addr) {
		addr += info->dlpi_addr; /* the vDSO's and some dynamic linkers' own are not
		                            relocated */
	}
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && addr >= lo && addr - lo <= ph->p_memsz &&
		    len <= ph->p_memsz - (addr - lo)) {
			return (const void *)addr;
		}
	}
	return NULL;
}

/* A module's dynamic symbol table, its strings and its hash tables (those it has). */
struct dyn_tabs {
	const ElfW(Sym) * sym;
	const char *str;
	size_t strsz;
	uintptr_t gnu, sysv;
	bool has_tls;
};

static bool read_dynamic(const struct dl_phdr_info *info, struct dyn_tabs *t)
{
	const ElfW(Dyn) *d = NULL;
	size_t n = 0;
	uintptr_t sym = 0, str = 0;

	*t = (struct dyn_tabs){0};
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_DYNAMIC) {
			n = ph->p_memsz / sizeof(*d);
			d = in_module(info, info->dlpi_addr + ph->p_vaddr, n * sizeof(*d));
		}
		t->has_tls = t->has_tls || (ph->p_type == PT_TLS && ph->p_memsz && ph->p_align);
	}
	for (size_t i = 0; d && i < n && d[i].d_tag != DT_NULL; i++) {
		switch (d[i].d_tag) {
		case DT_SYMTAB:
			sym = d[i].d_un.d_ptr;
			break;
		case DT_STRTAB:
			str = d[i].d_un.d_ptr;
			break;
		case DT_STRSZ:
			t->strsz = d[i].d_un.d_val;
			break;
		case DT_GNU_HASH:
			t->gnu = d[i].d_un.d_ptr;
			break;
		case DT_HASH:
			t->sysv = d[i].d_un.d_ptr;
			break;
		default:
			break;
		}
	}
	t->sym = sym ? in_module(info, sym, sizeof(ElfW(Sym))) : NULL;
	t->str = str ? in_module(info, str, t->strsz) : NULL;
	return t->sym && t->str && (t->gnu || t->sysv);
}

/* Whether symbol @k of @t is a definition of @a->name, and if so, whether it is not TLS. */
static bool check_sym(const struct dl_phdr_info *info, const struct dyn_tabs *t, uint32_t k,
                      struct defn_arg *a)
{
	uintptr_t at = (uintptr_t)t->sym + (uintptr_t)k * sizeof(ElfW(Sym));
	const ElfW(Sym) *s =
	    k < UINT32_MAX / sizeof(ElfW(Sym)) ? in_module(info, at, sizeof(*s)) : NULL;
	size_t len = strlen(a->name);

	if (!s || s->st_shndx == SHN_UNDEF || ELF64_ST_BIND(s->st_info) == STB_LOCAL ||
	    s->st_name >= t->strsz || t->strsz - s->st_name <= len ||
	    memcmp(t->str + s->st_name, a->name, len + 1) != 0) {
		return false;
	}
	if (ELF64_ST_TYPE(s->st_info) != STT_TLS || !t->has_tls) {
		snprintf(a->module, a->len, "%s",
		         *info->dlpi_name ? info->dlpi_name : "the program");
		a->bad = true;
	}
	return true;
}

/* The 32-bit word @i of the table at @base, or false if it is outside the module. */
static bool word(const struct dl_phdr_info *info, uintptr_t base, uint64_t i, uint32_t *w)
{
	const uint32_t *p = i < (UINTPTR_MAX - base) / 4 ? in_module(info, base + i * 4, 4) : NULL;

	if (p) {
		*w = *p;
	}
	return p != NULL;
}

static void gnu_lookup(const struct dl_phdr_info *info, const struct dyn_tabs *t,
                       struct defn_arg *a)
{
	uintptr_t base = t->gnu < info->dlpi_addr ? t->gnu + info->dlpi_addr : t->gnu;
	uint32_t nbucket, symoff, nbloom, k, h;
	uint64_t buckets;

	if (!word(info, base, 0, &nbucket) || !word(info, base, 1, &symoff) ||
	    !word(info, base, 2, &nbloom) || !nbucket) {
		return;
	}
	buckets = 4 + (uint64_t)nbloom * (sizeof(ElfW(Addr)) / 4);
	if (!word(info, base, buckets + a->gnu % nbucket, &k) || k < symoff) {
		return;
	}
	for (; word(info, base, buckets + nbucket + (k - symoff), &h); k++) {
		if ((h | 1) == (a->gnu | 1) && check_sym(info, t, k, a)) {
			return;
		}
		if (h & 1) {
			return;
		}
	}
}

static void sysv_lookup(const struct dl_phdr_info *info, const struct dyn_tabs *t,
                        struct defn_arg *a)
{
	uintptr_t base = t->sysv < info->dlpi_addr ? t->sysv + info->dlpi_addr : t->sysv;
	uint32_t nbucket, nchain, k;

	if (!word(info, base, 0, &nbucket) || !word(info, base, 1, &nchain) || !nbucket ||
	    !word(info, base, 2 + a->sysv % nbucket, &k)) {
		return;
	}
	/* At most nchain steps: a loop in the chain ends too. */
	for (uint32_t steps = 0; k && k < nchain && steps < nchain; steps++) {
		if (check_sym(info, t, k, a) || !word(info, base, 2ULL + nbucket + k, &k)) {
			return;
		}
	}
}

static int check_module(struct dl_phdr_info *info, size_t size, void *p)
{
	struct defn_arg *a = p;
	struct dyn_tabs t;

	(void)size;
	if (read_dynamic(info, &t)) {
		if (t.gnu) {
			gnu_lookup(info, &t, a);
		} else {
			sysv_lookup(info, &t, a);
		}
	}
	return a->bad;
}

int llext_tls_host_check(const char *name, char *module, size_t len)
{
	struct defn_arg a = {.name = name, .module = module, .len = len};
	uint32_t h = 5381, g = 0;

	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		h = h * 33 + *c;
		g = (g << 4) + *c;
		g = (g ^ ((g >> 24) & 0xf0)) & 0x0fffffff;
	}
	a.gnu = h;
	a.sysv = g;
	dl_iterate_phdr(check_module, &a);
	return a.bad ? -ENOEXEC : 0;
}
