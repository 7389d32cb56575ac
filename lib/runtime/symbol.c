// SPDX-License-Identifier: MIT
/*
 * Symbol namespaces: hash indexes over symbol tables, the host's EXPORT_SYMBOL() entries, and
 * the index of every loaded extension's exports. None of the lookups scans a table.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "runtime/ext.h"
#include "runtime/symbol.h"

/*
 * Eight bytes at a time: a multiply and a fold per word, where a byte-at-a-time hash (GNU's
 * h * 33 + c) takes a dependent step per byte, and the names of a large object are long. Nothing
 * outside the process sees the values.
 */
uint32_t llext_hash_n(const char *name, size_t len)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	const unsigned char *p = (const unsigned char *)name;
	uint64_t h = len * k, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	w = 0;
	for (size_t i = 0; i < len; i++) {
		w |= (uint64_t)p[i] << (8 * i);
	}
	h = (h ^ w) * k;
	return (uint32_t)(h >> 32);
}

uint32_t llext_hash(const char *name)
{
	return llext_hash_n(name, strlen(name));
}

/* Open addressing, linear probing, load factor at most one half. */
struct llext_symindex {
	uint32_t mask;
	struct slot {
		uint32_t hash;
		uint32_t idx; /* symbol index + 1; 0 marks an empty slot */
	} slots[];
};

int llext_symindex_build(struct llext_symtable *tab)
{
	return llext_symindex_build_hashed(tab, NULL);
}

int llext_symindex_build_hashed(struct llext_symtable *tab, const uint32_t *hashes)
{
	struct llext_symindex *ix;
	size_t n = 4;

	tab->index = NULL;
	if (tab->sym_cnt > UINT32_MAX / 4) {
		return -ENOMEM;
	}
	while (n < tab->sym_cnt * 2) {
		n *= 2;
	}
	ix = llext_calloc(1, sizeof(*ix) + n * sizeof(ix->slots[0]));
	if (!ix) {
		return -ENOMEM;
	}
	ix->mask = (uint32_t)(n - 1);
	for (size_t i = 0; i < tab->sym_cnt; i++) {
		const char *name = tab->syms[i].name;
		uint32_t h = hashes ? hashes[i] : llext_hash(name);
		uint32_t s = h & ix->mask;

		/* The first entry of a name wins; later duplicates are not indexed. */
		for (; ix->slots[s].idx; s = (s + 1) & ix->mask) {
			if (ix->slots[s].hash == h &&
			    strcmp(tab->syms[ix->slots[s].idx - 1].name, name) == 0) {
				break;
			}
		}
		if (!ix->slots[s].idx) {
			ix->slots[s].hash = h;
			ix->slots[s].idx = (uint32_t)i + 1;
		}
	}
	tab->index = ix;
	return 0;
}

void llext_symindex_free(struct llext_symtable *tab)
{
	free((void *)tab->index);
	tab->index = NULL;
}

const struct llext_symbol *llext_symtable_lookup(const struct llext_symtable *tab, const char *name,
                                                 uint32_t hash)
{
	const struct llext_symindex *ix = tab->index;

	if (!ix) {
		/* A table built by hand: nothing better than looking at every entry. */
		for (size_t i = 0; i < tab->sym_cnt; i++) {
			if (tab->syms[i].name && strcmp(tab->syms[i].name, name) == 0) {
				return &tab->syms[i];
			}
		}
		return NULL;
	}
	for (uint32_t s = hash & ix->mask; ix->slots[s].idx; s = (s + 1) & ix->mask) {
		const struct llext_symbol *sym = &tab->syms[ix->slots[s].idx - 1];

		if (ix->slots[s].hash == hash && strcmp(sym->name, name) == 0) {
			return sym;
		}
	}
	return NULL;
}

void *llext_dlsym(void *handle, const char *name)
{
	void *p = dlsym(handle, name);

	if (!p) {
		/* The first call formats the message and marks it delivered, the second frees
		 * it: the application's next dlerror() is about its own calls. */
		dlerror();
		dlerror();
	}
	return p;
}

/*
 * The host's exports. EXPORT_SYMBOL() leaves an ELF note in the module that uses it; every
 * module's notes are visible through dl_iterate_phdr(). The table is rebuilt when the set of
 * loaded modules changes (dlpi_adds / dlpi_subs), which is checked once per load.
 */
static struct {
	struct llext_symtable tab;
	size_t cap;
	unsigned long long adds, subs;
	bool valid;
} host;

static int read_counters(struct dl_phdr_info *info, size_t size, void *arg)
{
	unsigned long long *c = arg;

	if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs)) {
		c[0] = c[1] = ~0ULL; /* cannot tell: always rescan */
		return 1;
	}
	c[0] = info->dlpi_adds;
	c[1] = info->dlpi_subs;
	return 1;
}

static int host_add(const char *name, const void *addr)
{
	if (host.tab.sym_cnt == host.cap) {
		size_t cap = host.cap ? host.cap * 2 : 64;
		struct llext_symbol *s = llext_realloc(host.tab.syms, cap * sizeof(*s));

		if (!s) {
			return -ENOMEM;
		}
		host.tab.syms = s;
		host.cap = cap;
	}
	host.tab.syms[host.tab.sym_cnt].name = name;
	host.tab.syms[host.tab.sym_cnt].addr = (void *)addr;
	host.tab.sym_cnt++;
	return 0;
}

static int scan_module(struct dl_phdr_info *info, size_t size, void *arg)
{
	int *err = arg;

	(void)size;
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const uint8_t *p, *end;
		size_t align = ph->p_align == 8 ? 8 : 4;

		if (ph->p_type != PT_NOTE) {
			continue;
		}
		p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p <= end && (size_t)(end - p) >= 12) {
			uint32_t namesz, descsz, type;
			const uint8_t *name, *desc;

			memcpy(&namesz, p, 4);
			memcpy(&descsz, p + 4, 4);
			memcpy(&type, p + 8, 4);
			name = p + 12;
			/* The descriptor starts aligned from the note's start, not the name's. */
			desc = p + llext_align_up(12 + (size_t)namesz, align);
			if (namesz > (size_t)(end - name) || desc > end ||
			    descsz > (size_t)(end - desc)) {
				break;
			}
			if (type == LLEXT_NOTE_EXPORT && namesz == sizeof(LLEXT_NOTE_NAME) &&
			    descsz == 8 && memcmp(name, LLEXT_NOTE_NAME, namesz) == 0) {
				const struct llext_const_symbol *sym;
				int64_t off;

				memcpy(&off, desc, 8);
				sym = (const void *)(desc + off);
				if (host_add(sym->name, sym->addr)) {
					*err = -ENOMEM;
					return 1;
				}
			}
			p = desc + llext_align_up(descsz, align);
		}
	}
	return 0;
}

/*
 * Where dlsym(RTLD_DEFAULT) found a name: extensions use the same few hundred libc functions over
 * and over, and dlsym walks every module's hash table each time.
 *
 * An answer from the global scope (the program, the libraries it came with, and those opened with
 * RTLD_GLOBAL) stays right for as long as libllext is loaded, whatever modules come and go. The
 * module that defines the name cannot go: glibc's dlsym() makes the caller (here libllext) depend
 * on it, and if the caller was loaded with the program, marks it never to be unloaded. And a
 * module loaded later joins the end of the global scope, so it cannot shadow the answer. When
 * libllext was itself opened with RTLD_LOCAL, RTLD_DEFAULT also searches the modules opened with
 * it, after the global scope: an answer from there can be shadowed by a module opened later, so
 * it is kept only until the set of loaded modules changes. Misses are not kept: a module already
 * loaded can join the global scope later (dlopen with RTLD_NOLOAD | RTLD_GLOBAL) without the
 * module list changing.
 */
struct process_sym {
	struct process_sym *next;
	uint32_t hash;
	bool global; /* found in the global scope */
	void *addr;
	char name[];
};

static struct process_sym **psyms;
static size_t npsyms, npsym_buckets;

/* Forgets the answers that may not hold once modules have come or gone, or all of them. */
static void process_cache_clear(bool all)
{
	for (size_t i = 0; i < npsym_buckets; i++) {
		struct process_sym **pp = &psyms[i];

		while (*pp) {
			struct process_sym *e = *pp;

			if (all || !e->global) {
				*pp = e->next;
				free(e);
				npsyms--;
			} else {
				pp = &e->next;
			}
		}
	}
	if (all) {
		free(psyms);
		psyms = NULL;
		npsym_buckets = 0;
	}
}

/* Whether the global scope's answer for @name is @addr (the program's handle searches it). */
static bool in_global_scope(const char *name, void *addr)
{
	static void *program;

	if (!program) {
		program = dlopen(NULL, RTLD_NOW); /* never closed: the program stays */
	}
	return program && llext_dlsym(program, name) == addr;
}

static void process_cache_add(const char *name, uint32_t hash, void *addr)
{
	size_t len = strlen(name) + 1;
	struct process_sym *e;

	if (npsyms >= npsym_buckets) {
		size_t n = npsym_buckets ? npsym_buckets * 2 : 256;
		struct process_sym **nb = llext_calloc(n, sizeof(*nb));

		if (!nb) {
			return; /* only a cache */
		}
		for (size_t i = 0; i < npsym_buckets; i++) {
			while (psyms[i]) {
				struct process_sym *next = psyms[i]->next;

				psyms[i]->next = nb[psyms[i]->hash & (n - 1)];
				nb[psyms[i]->hash & (n - 1)] = psyms[i];
				psyms[i] = next;
			}
		}
		free(psyms);
		psyms = nb;
		npsym_buckets = n;
	}
	e = llext_malloc(sizeof(*e) + len);
	if (!e) {
		return;
	}
	e->hash = hash;
	e->global = in_global_scope(name, addr);
	e->addr = addr;
	memcpy(e->name, name, len);
	e->next = psyms[hash & (npsym_buckets - 1)];
	psyms[hash & (npsym_buckets - 1)] = e;
	npsyms++;
}

static const struct process_sym *process_cache_find(const char *name, uint32_t hash)
{
	for (struct process_sym *e = npsym_buckets ? psyms[hash & (npsym_buckets - 1)] : NULL; e;
	     e = e->next) {
		if (e->hash == hash && strcmp(e->name, name) == 0) {
			return e;
		}
	}
	return NULL;
}

bool llext_process_lookup(const char *name, uint32_t hash, void **addr)
{
	const struct process_sym *e = process_cache_find(name, hash);
	void *p;

	if (e) {
		*addr = e->addr;
		return true;
	}
	p = llext_dlsym(RTLD_DEFAULT, name);
	if (p) {
		process_cache_add(name, hash, p);
	}
	*addr = p;
	return p != NULL;
}

void llext_module_counters(unsigned long long c[2])
{
	c[0] = c[1] = 0;
	dl_iterate_phdr(read_counters, c);
}

bool llext_process_cached(const char *name)
{
	return process_cache_find(name, llext_hash(name)) != NULL;
}

int llext_host_refresh(void)
{
	unsigned long long c[2];
	int err = 0;

	llext_module_counters(c);
	if (host.valid && c[0] == host.adds && c[1] == host.subs && c[0] != ~0ULL) {
		return 0;
	}
	/* Modules came or went: their export notes with them, and maybe answers of dlsym(). */
	process_cache_clear(false);
	llext_symindex_free(&host.tab);
	host.tab.sym_cnt = 0;
	host.valid = false;
	dl_iterate_phdr(scan_module, &err);
	if (err) {
		LOG_ERR("out of memory reading the host's exported symbols");
		return err;
	}
	err = llext_symindex_build(&host.tab);
	if (err) {
		LOG_ERR("out of memory indexing the host's exported symbols");
		return err;
	}
	host.adds = c[0];
	host.subs = c[1];
	host.valid = true;
	LOG_DBG("host exports %zu symbols", host.tab.sym_cnt);
	return 0;
}

const void *llext_host_lookup(const char *name, uint32_t hash)
{
	const struct llext_symbol *s = llext_symtable_lookup(&host.tab, name, hash);

	return s ? s->addr : NULL;
}

/* Frees the host table at exit, so leak checkers see a clean process. */
__attribute__((destructor)) static void host_fini(void)
{
	llext_symindex_free(&host.tab);
	free(host.tab.syms);
	host.tab.syms = NULL;
	host.tab.sym_cnt = 0;
	host.cap = 0;
	host.valid = false;
	process_cache_clear(true);
}

/* A name in the index of all loaded extensions' exports, and the extensions that export it. */
struct llext_export_name {
	struct llext_export_name *next; /* hash chain */
	uint32_t hash;
	const char *name; /* an exporter's copy */
	struct llext_export_node *head, *tail;
};

/* One extension's export of one name, in that index. */
struct llext_export_node {
	struct llext_export_node *prev, *next; /* exporters of the same name, in load order */
	uint32_t hash;
	bool linked; /* listed in the index */
	const char *name;
	void *addr;
	struct llext_internal *owner;
	/* Room for the name's entry, used when this node is the name's first exporter: adding an
	 * extension allocates nothing. When it leaves before the others, the entry moves into the
	 * next exporter's room. */
	struct llext_export_name room;
};

/*
 * The exports of all loaded extensions, by name: one entry per distinct name, holding its
 * exporters in load order, so that the extension loaded first wins (as Zephyr's list walk
 * does) and adding, removing and finding cost the same however many extensions export a name
 * (every plugin of a system may export the same entry point). A name's entry lives in one of
 * its exporters' nodes (struct llext_export_node's room), so that the index allocates nothing
 * but its buckets.
 */
static struct llext_export_name **names;
static size_t nnames, nname_buckets;

static struct llext_export_name **name_slot(const char *name, uint32_t hash)
{
	struct llext_export_name **pp = &names[hash & (nname_buckets - 1)];

	while (*pp && ((*pp)->hash != hash || strcmp((*pp)->name, name) != 0)) {
		pp = &(*pp)->next;
	}
	return pp;
}

static int grow(size_t want)
{
	struct llext_export_name **nb;
	size_t n = nname_buckets ? nname_buckets : 64;

	while (n < want) {
		n *= 2;
	}
	if (n == nname_buckets) {
		return 0;
	}
	nb = llext_calloc(n, sizeof(*nb));
	if (!nb) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < nname_buckets; i++) {
		while (names[i]) {
			struct llext_export_name *e = names[i];

			names[i] = e->next;
			e->next = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	}
	free(names);
	names = nb;
	nname_buckets = n;
	return 0;
}

static void unlink_node(struct llext_export_node *node)
{
	struct llext_export_name **pp = name_slot(node->name, node->hash), *e = *pp;

	if (node->prev) {
		node->prev->next = node->next;
	} else {
		e->head = node->next;
	}
	if (node->next) {
		node->next->prev = node->prev;
	} else {
		e->tail = node->prev;
	}
	node->linked = false;
	if (!e->head) {
		*pp = e->next;
		nnames--;
		return;
	}
	if (e == &node->room) {
		/* The entry lived in the leaving node: it moves to the next exporter's room,
		 * unused until now (the name had its entry). */
		e->head->room = *e;
		e = *pp = &e->head->room;
	}
	if (e->name == node->name) {
		/* The name's storage belonged to the extension leaving. */
		e->name = e->head->name;
	}
}

void llext_exports_remove(struct llext_internal *ie)
{
	for (size_t i = 0; i < ie->pub.exp_tab.sym_cnt; i++) {
		if (ie->exp_nodes[i].linked) {
			unlink_node(&ie->exp_nodes[i]);
		}
	}
	if (nnames == 0) {
		free(names);
		names = NULL;
		nname_buckets = 0;
	}
}

int llext_exports_add(struct llext_internal *ie)
{
	size_t n = ie->pub.exp_tab.sym_cnt;

	if (!n) {
		return 0;
	}
	if (grow(nnames + n)) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct llext_export_node *node = &ie->exp_nodes[i];
		struct llext_export_name **pp = name_slot(node->name, node->hash);
		struct llext_export_name *e = *pp;

		if (!e) {
			e = &node->room;
			*e = (struct llext_export_name){.hash = node->hash, .name = node->name};
			*pp = e;
			nnames++;
		}
		node->linked = true;
		node->next = NULL;
		node->prev = e->tail;
		if (e->tail) {
			e->tail->next = node;
		} else {
			e->head = node;
		}
		e->tail = node;
	}
	return 0;
}

struct llext_export_node *llext_exports_alloc(size_t n, size_t *bytes)
{
	*bytes = n * sizeof(struct llext_export_node);
	return llext_calloc(n, sizeof(struct llext_export_node));
}

void llext_exports_fill(struct llext_export_node *nodes, const struct llext_symtable *tab,
                        const uint32_t *hashes, struct llext_internal *owner)
{
	for (size_t i = 0; i < tab->sym_cnt; i++) {
		nodes[i].hash = hashes[i];
		nodes[i].name = tab->syms[i].name;
		nodes[i].addr = tab->syms[i].addr;
		nodes[i].owner = owner;
	}
}

bool llext_exports_lookup(const char *name, uint32_t hash, void **addr,
                          struct llext_internal **owner)
{
	struct llext_export_name *e;

	if (!names) {
		return false;
	}
	e = *name_slot(name, hash);
	if (!e) {
		return false;
	}
	*addr = e->head->addr;
	*owner = e->head->owner;
	return true;
}
