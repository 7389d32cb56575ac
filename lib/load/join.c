// SPDX-License-Identifier: MIT
/*
 * Archives as link inputs, and archives loaded whole: the members pulled in as a static linker
 * pulls them, then every input joined into one relocatable object, as `ld -r` would join them,
 * which the rest of the load reads as if it were the file given.
 *
 * A member is pulled in when it defines a global symbol that is still undefined (and not weak)
 * in what was taken so far; every archive is gone through again until a pass takes nothing, as
 * inside ld's --start-group. Members come from the archive's symbol index when it has one, from
 * their own symbol tables otherwise. A coverage runtime (prof_rt.c) is one more archive, noted
 * after the load's own when an input calls it: the object, a whole archive's member, or a member
 * as it is pulled in.
 *
 * The join keeps every section of every input in order (renumbered), writes one symbol table
 * (all locals first, then one entry per global name: a definition beats a reference, a strong
 * definition a weak one; two strong ones are an error unless both are in COMDAT groups of one
 * signature, which elf.c's check_groups() then drops after the first) and rewrites what holds a
 * section or symbol index: relocations, groups, sh_link and sh_info. Each input is read and
 * checked first by elf.c, like any object, and so is the result.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "load/load.h"
#include "runtime/symbol.h"

#ifndef SHT_LLVM_ADDRSIG
#define SHT_LLVM_ADDRSIG 0x6fff4c03
#endif

/* An image in memory read through the loader interface: a member, or the joined object. */
struct llext_joined {
	struct llext_loader ldr;
	const uint8_t *p;
	size_t size, pos;
	uint8_t *owned; /* the joined image, when this is the joined object */
	/* Per symbol of the joined object: 1 for a coverage runtime's import (see add_global()). */
	uint8_t *rt_import;
	size_t nsyms;
};

static struct llext_joined *to_mem(struct llext_loader *l)
{
	return (struct llext_joined *)l;
}

static int mem_read(struct llext_loader *l, void *out, size_t len)
{
	struct llext_joined *m = to_mem(l);

	if (len > m->size - m->pos) {
		return -EINVAL;
	}
	memcpy(out, m->p + m->pos, len);
	m->pos += len;
	return 0;
}

static int mem_seek(struct llext_loader *l, size_t pos)
{
	struct llext_joined *m = to_mem(l);

	if (pos > m->size) {
		return -EINVAL;
	}
	m->pos = pos;
	return 0;
}

static void *mem_peek(struct llext_loader *l, size_t pos)
{
	struct llext_joined *m = to_mem(l);

	return pos < m->size ? (void *)(m->p + pos) : NULL;
}

static void mem_init(struct llext_joined *m, const uint8_t *p, size_t size)
{
	*m = (struct llext_joined){
	    .ldr = {.read = mem_read, .seek = mem_seek, .peek = mem_peek}, .p = p, .size = size};
}

/* ---- a set of names, each with a number ---- */

struct nameset {
	const char **key;
	uint32_t *val;
	size_t cap, n;
};

static uint32_t *nameset_find(const struct nameset *s, const char *name)
{
	if (!s->cap) {
		return NULL;
	}
	for (size_t i = llext_hash(name) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (!s->key[i]) {
			return NULL;
		}
		if (strcmp(s->key[i], name) == 0) {
			return &s->val[i];
		}
	}
}

static int nameset_grow(struct nameset *s)
{
	struct nameset g = {.cap = s->cap ? s->cap * 2 : 64};

	g.key = llext_calloc(g.cap, sizeof(*g.key));
	g.val = llext_calloc(g.cap, sizeof(*g.val));
	if (!g.key || !g.val) {
		free(g.key);
		free(g.val);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (s->key[i]) {
			size_t j = llext_hash(s->key[i]) & (g.cap - 1);

			while (g.key[j]) {
				j = (j + 1) & (g.cap - 1);
			}
			g.key[j] = s->key[i];
			g.val[j] = s->val[i];
		}
	}
	g.n = s->n;
	free(s->key);
	free(s->val);
	*s = g;
	return 0;
}

/* Adds @name (kept, not copied) with @val unless present; *@slot points at its number. */
static int nameset_add(struct nameset *s, const char *name, uint32_t val, uint32_t **slot)
{
	size_t i;

	*slot = nameset_find(s, name);
	if (*slot) {
		return 0;
	}
	if ((s->n + 1) * 2 > s->cap && nameset_grow(s) != 0) {
		return -ENOMEM;
	}
	for (i = llext_hash(name) & (s->cap - 1); s->key[i]; i = (i + 1) & (s->cap - 1)) {
	}
	s->key[i] = name;
	s->val[i] = val;
	s->n++;
	*slot = &s->val[i];
	return 0;
}

static void nameset_free(struct nameset *s)
{
	free(s->key);
	free(s->val);
}

/* ---- the inputs, and which members are taken ---- */

/* One input of the join: an object, read and checked by elf.c. */
struct input {
	struct llext_joined src; /* what e reads through (a member), unused for the object */
	struct llext_elf e;
	char what[96];       /* "libz.a(deflate.o)", for messages */
	uint32_t *secmap;    /* its section index -> the joined one, 0 if not kept */
	uint32_t *symmap;    /* its symbol index -> the joined one */
	const char **comdat; /* per section: the signature of its COMDAT group, or NULL */
	uint8_t *dropped; /* per section: in a COMDAT group an earlier one had (elf.c drops it) */
	/* Its .eh_frame's records, when joined with others' (see the .eh_frame part below), and
	 * where its kept records start in the joined .eh_frame. */
	struct ehrec *rec;
	size_t nrec;
	uint64_t eh_base;
	uint8_t *eh; /* its .eh_frame's bytes, read through the loader (the image may lack them) */
	bool runtime; /* a member of a coverage runtime: its definitions are hidden */
};

struct archive {
	struct llext_ar ar;
	const char *name;
	uint8_t *taken;      /* per member */
	struct input **open; /* per member without a symbol index: opened to read its symbols */
};

struct join {
	struct llext_load *ld;
	struct input **in;
	size_t nin;
	struct archive *arc;
	size_t narc;
	struct nameset defs, refs; /* global names defined, and referenced strongly, so far */
	void *whole_copy;          /* a whole archive read from its loader into our memory */
	struct llext_prof_rt *rt;  /* the coverage runtimes the inputs need (prof_rt.c) */
};

static const char *sym_name(const struct llext_elf *e, size_t i)
{
	return e->syms[i].st_name < e->str_size ? e->str + e->syms[i].st_name : NULL;
}

static bool ends_with_a(const char *s)
{
	size_t n = strlen(s);

	return n > 2 && strcmp(s + n - 2, ".a") == 0;
}

/* Notes the archives @e names with LLEXT_NEEDS(), each once. */
static int note_needed(struct join *j, const char *name)
{
	struct archive *a;

	for (size_t i = 0; i < j->narc; i++) {
		if (strcmp(j->arc[i].name, name) == 0) {
			return 0;
		}
	}
	a = llext_realloc(j->arc, (j->narc + 1) * sizeof(*a));
	if (!a) {
		return -ENOMEM;
	}
	j->arc = a;
	memset(&a[j->narc], 0, sizeof(*a));
	a[j->narc++].name = name;
	return 0;
}

static int note_needs(struct join *j, const struct llext_elf *e)
{
	int ret = 0;

	for (size_t off = 0; off < e->needs_size && !ret; off += strlen(e->needs + off) + 1) {
		if (ends_with_a(e->needs + off)) {
			ret = note_needed(j, e->needs + off);
		}
	}
	return ret;
}

/* Adds the global names @e defines and those it references (not weakly) to the sets. */
static int note_symbols(struct join *j, const struct llext_elf *e, const char *what)
{
	uint32_t *slot;

	for (size_t i = 1; i < e->nsyms; i++) {
		const Elf64_Sym *s = &e->syms[i];
		const char *name = sym_name(e, i);
		unsigned int bind = ELF64_ST_BIND(s->st_info);

		if (!name) {
			LOG_ERR("%s: symbol %zu: name offset %u is outside the string table", what,
			        i, s->st_name);
			return -EINVAL;
		}
		if (bind == STB_LOCAL || !*name) {
			continue;
		}
		if (s->st_shndx != SHN_UNDEF && nameset_add(&j->defs, name, 0, &slot) != 0) {
			return -ENOMEM;
		}
		if (s->st_shndx == SHN_UNDEF && bind != STB_WEAK &&
		    nameset_add(&j->refs, name, 0, &slot) != 0) {
			return -ENOMEM;
		}
	}
	return 0;
}

static bool undefined(const struct join *j, const char *name)
{
	return nameset_find(&j->refs, name) && !nameset_find(&j->defs, name);
}

/* Member @i of @a, read and checked as an object. */
static int open_member(struct join *j, struct archive *a, size_t i, struct input **out)
{
	struct llext_ar_member *m = &a->ar.m[i];
	struct input *in;
	int ret = llext_ar_member_data(&a->ar, i);

	if (ret) {
		return ret;
	}
	in = llext_calloc(1, sizeof(*in));
	if (!in) {
		return -ENOMEM;
	}
	snprintf(in->what, sizeof(in->what), "%s(%.*s)", a->ar.what, (int)m->name_len, m->name);
	mem_init(&in->src, m->data, m->size);
	*out = in;
	ret = llext_elf_open(&in->e, &in->src.ldr, in->what);
	if (ret) {
		LOG_ERR("%s: member '%.*s' is not an object libllext can load", j->ld->name,
		        (int)m->name_len, m->name);
	}
	return ret;
}

static void close_input(struct input *in)
{
	if (in) {
		llext_elf_close(&in->e);
		free(in->secmap);
		free(in->symmap);
		free(in->comdat);
		free(in->dropped);
		free(in->rec);
		free(in->eh);
		free(in);
	}
}

static int add_input(struct join *j, struct input *in)
{
	struct input **n;
	int ret;

	if (j->nin % 16 == 0) {
		n = llext_realloc(j->in, (j->nin + 16) * sizeof(*n));
		if (!n) {
			close_input(in);
			return -ENOMEM;
		}
		j->in = n;
	}
	j->in[j->nin++] = in;
	ret = note_symbols(j, &in->e, in->what);
	return ret ? ret : note_needs(j, &in->e);
}

/* Notes the archive of each coverage runtime j->rt names, after the libraries noted so far, as a
 * compiler driver puts it after the user's. Clang's is wanted as its driver tells the linker to
 * (-u __llvm_profile_runtime): nothing references it. Noting one again changes nothing. */
static int note_rt_archives(struct join *j)
{
	uint32_t *slot;
	int ret = 0;

	if (j->rt->gcov[0]) {
		ret = note_needed(j, j->rt->gcov);
	}
	if (!ret && j->rt->prof[0]) {
		ret = note_needed(j, j->rt->prof);
		if (!ret && nameset_add(&j->refs, "__llvm_profile_runtime", 0, &slot) != 0) {
			ret = -ENOMEM;
		}
	}
	return ret;
}

/*
 * A member pulled on demand counts as the object does: if it is instrumented and nothing before
 * it was (by that compiler), its runtime is noted now, before the member's own references pull
 * anything, so that every member of the runtime is taken as the runtime's (hidden, its C
 * library imports its own). pull_all() then goes through the runtime's archive as through any
 * other. There are two runtimes, so this notes at most two archives in a whole join.
 */
static int note_pulled(struct join *j, const struct input *in)
{
	bool had_gcov = j->rt->gcov[0], had_prof = j->rt->prof[0];
	int ret = llext_prof_rt_need(&in->e, in->what, j->ld->param->libraries, j->rt);

	if (ret || (had_gcov == !!j->rt->gcov[0] && had_prof == !!j->rt->prof[0])) {
		return ret;
	}
	LOG_DBG("%s: %s is instrumented: its coverage runtime is linked in", j->ld->name, in->what);
	return note_rt_archives(j);
}

/* Takes member @i of @a, opened already in @in or not. */
static int take(struct join *j, struct archive *a, size_t i, struct input *in)
{
	bool on_demand;
	int ret = 0;

	if (!in) {
		ret = open_member(j, a, i, &in);
	}
	a->taken[i] = 1;
	if (ret) {
		close_input(in);
		return ret;
	}
	LOG_DBG("%s: %s pulled in", j->ld->name, in->what);
	in->runtime =
	    a->name && (strcmp(a->name, j->rt->gcov) == 0 || strcmp(a->name, j->rt->prof) == 0);
	/* A member pulled from a named archive may be the first instrumented input; a whole
	 * archive's members are looked at with the object, before any library is noted. (Read
	 * before add_input(), which may move @a.) */
	on_demand = a->name && !in->runtime;
	ret = add_input(j, in);
	if (!ret && on_demand) {
		ret = note_pulled(j, in);
	}
	return ret;
}

/* Whether member @i of an archive without an index defines a name still undefined. */
static int member_wanted(struct join *j, struct archive *a, size_t i, bool *want)
{
	struct llext_elf *e;
	int ret = 0;

	if (!a->open[i]) {
		ret = open_member(j, a, i, &a->open[i]);
		if (ret) {
			return ret;
		}
	}
	e = &a->open[i]->e;
	*want = false;
	for (size_t k = 1; k < e->nsyms && !*want; k++) {
		const char *name = sym_name(e, k);

		*want = name && e->syms[k].st_shndx != SHN_UNDEF &&
		        ELF64_ST_BIND(e->syms[k].st_info) != STB_LOCAL && undefined(j, name);
	}
	return 0;
}

/*
 * One pass over archive @ai: takes what it defines of the names still undefined. A member taken
 * may name another archive (LLEXT_NEEDS(), a coverage runtime), which moves j->arc: the archive
 * is found again by its index after each take.
 */
static int pull_pass(struct join *j, size_t ai, bool *changed)
{
	struct archive *a = &j->arc[ai];
	int ret = 0;

	for (size_t k = 0; a->ar.sym && k < a->ar.nsym && !ret; k++) {
		uint32_t m = a->ar.sym[k].member;

		if (!a->taken[m] && undefined(j, a->ar.sym[k].name)) {
			ret = take(j, a, m, NULL);
			a = &j->arc[ai];
			*changed = true;
		}
	}
	for (size_t i = 0; !a->ar.sym && i < a->ar.nm && !ret; i++) {
		struct input *in;
		bool want;

		if (a->taken[i]) {
			continue;
		}
		ret = member_wanted(j, a, i, &want);
		if (!ret && want) {
			in = a->open[i];
			a->open[i] = NULL;
			ret = take(j, a, i, in);
			a = &j->arc[ai];
			*changed = true;
		}
	}
	return ret;
}

static int open_archive(struct join *j, struct archive *a)
{
	int ret = llext_ar_open_file(&a->ar, a->name);

	if (ret) {
		LOG_ERR("%s: cannot use the archive '%s' it needs", j->ld->name, a->name);
		return ret;
	}
	a->taken = llext_calloc(a->ar.nm ? a->ar.nm : 1, 1);
	a->open = llext_calloc(a->ar.nm ? a->ar.nm : 1, sizeof(*a->open));
	return a->taken && a->open ? 0 : -ENOMEM;
}

/* Every named archive, gone through again until a pass takes nothing. */
static int pull_all(struct join *j)
{
	bool changed = true;
	int ret = 0;

	while (changed && !ret) {
		changed = false;
		/* Taking a member may name another archive: j->narc grows in the loop. */
		for (size_t i = 0; i < j->narc && !ret; i++) {
			if (!j->arc[i].taken) {
				ret = open_archive(j, &j->arc[i]);
			}
			if (!ret) {
				ret = pull_pass(j, i, &changed);
			}
		}
	}
	return ret;
}

/* ---- the joined object: which sections, which symbols ---- */

/* A symbol's joined section: a real index, 0 for undefined, or SPECIAL | SHN_ABS, SHN_COMMON
 * (which a joined index beyond 0xff00 could otherwise be mistaken for). */
#define SPECIAL 0x80000000u

/* An output section: section @idx of input @in (or, for in == SIZE_MAX, a generated one). */
struct osec {
	size_t in, idx;
	uint64_t off, size;
};

/* A global symbol of the joined object. */
struct gsym {
	const char *name;
	Elf64_Sym s;
	uint32_t shndx;     /* the joined section index, or a special one */
	size_t in;          /* the input it comes from */
	bool rt_import;     /* a coverage runtime's reference to a name no input defines */
	uint32_t oshndx;    /* its section there */
	const char *comdat; /* the signature of the COMDAT group it is defined in, or NULL */
};

struct out {
	struct osec *sec;
	size_t nsec, needs; /* needs: the one .llext.needs section, or 0 */
	size_t eh;          /* the one allocated .eh_frame, or 0 */
	struct gsym *g;
	size_t ng, nlocal;
	struct nameset gname;  /* name -> index in g */
	struct nameset rtname; /* the same for the coverage runtimes' imports */
	size_t symtab, strtab, shstrtab, xndx;
	uint64_t str_size, shstr_size, needs_size;
};

static bool is_needs(const struct llext_elf *e, size_t i)
{
	return strcmp(llext_elf_sect_name(e, i), LLEXT_NEEDS_SECTION) == 0;
}

/* Whether section @i is kept as it is (relocation sections depend on their target). */
static bool keepable(const struct llext_elf *e, size_t i)
{
	const Elf64_Shdr *sh = e->shdr[i];

	switch (sh->sh_type) {
	case SHT_SYMTAB:
	case SHT_SYMTAB_SHNDX:
	case SHT_REL:
	case SHT_LLVM_ADDRSIG: /* symbol indexes in its own encoding; an optimisation hint */
		return false;
	case SHT_STRTAB:
		return sh->sh_flags & SHF_ALLOC;
	default:
		return true;
	}
}

/* A relocation section elf.c left unchecked (its target is not loaded) is kept if well formed. */
static bool rela_kept(const struct llext_elf *e, size_t i)
{
	const Elf64_Shdr *sh = e->shdr[i];

	if (!keepable(e, sh->sh_info)) {
		return false;
	}
	if (e->shdr[sh->sh_info]->sh_flags & SHF_ALLOC) {
		return true;
	}
	return sh->sh_link == e->symtab && sh->sh_entsize == sizeof(Elf64_Rela) &&
	       sh->sh_size % sizeof(Elf64_Rela) == 0;
}

static int add_osec(struct out *o, size_t in, size_t idx, uint64_t size)
{
	struct osec *n;

	if (o->nsec % 64 == 0) {
		n = llext_realloc(o->sec, (o->nsec + 64) * sizeof(*n));
		if (!n) {
			return -ENOMEM;
		}
		o->sec = n;
	}
	o->sec[o->nsec++] = (struct osec){.in = in, .idx = idx, .size = size};
	return 0;
}

/* The COMDAT group signature of every section of @in that is in one. */
static int note_comdat(struct input *in)
{
	const struct llext_elf *e = &in->e;

	in->comdat = llext_calloc(e->shnum, sizeof(*in->comdat));
	if (!in->comdat) {
		return -ENOMEM;
	}
	for (size_t i = 1; i < e->shnum; i++) {
		const Elf64_Shdr *sh = e->shdr[i];
		const uint8_t *p;
		uint32_t flags, member;

		if (sh->sh_type != SHT_GROUP) {
			continue;
		}
		/* Only now: another section's offset need not lie in the image (SHT_NOBITS). */
		p = e->image + sh->sh_offset;
		memcpy(&flags, p, 4);
		for (uint64_t k = 4; (flags & GRP_COMDAT) && k < sh->sh_size; k += 4) {
			memcpy(&member, p + k, 4);
			in->comdat[member] = llext_elf_sym_name(e, sh->sh_info);
		}
	}
	return 0;
}

/* Section numbers: every kept section of every input, in order, and the generated ones. */
static int map_sections(struct join *j, struct out *o)
{
	int ret = add_osec(o, SIZE_MAX, 0, 0);

	for (size_t k = 0; k < j->nin && !ret; k++) {
		struct input *in = j->in[k];
		const struct llext_elf *e = &in->e;

		in->secmap = llext_calloc(e->shnum, sizeof(*in->secmap));
		if (!in->secmap || note_comdat(in) != 0) {
			return -ENOMEM;
		}
		for (size_t i = 1; i < e->shnum && !ret; i++) {
			const Elf64_Shdr *sh = e->shdr[i];
			bool keep = sh->sh_type == SHT_RELA ? rela_kept(e, i) : keepable(e, i);

			if (keep && i == e->eh_frame) {
				/* One .eh_frame, for the one registration (eh_frame.c). */
				if (!o->eh) {
					o->eh = o->nsec;
					ret = add_osec(o, k, i, 0);
				}
				in->secmap[i] = (uint32_t)o->eh;
			} else if (keep && is_needs(e, i)) {
				/* elf.c takes one list: every input's names go into one. */
				if (!o->needs) {
					o->needs = o->nsec;
					ret = add_osec(o, k, i, 0);
				}
				in->secmap[i] = (uint32_t)o->needs;
				o->needs_size += sh->sh_type == SHT_NOBITS ? 0 : sh->sh_size;
			} else if (keep) {
				in->secmap[i] = (uint32_t)o->nsec;
				ret =
				    add_osec(o, k, i, sh->sh_type == SHT_NOBITS ? 0 : sh->sh_size);
			}
		}
	}
	if (o->needs && !ret) {
		o->sec[o->needs].size = o->needs_size;
	}
	if (o->nsec > SPECIAL - 8) {
		LOG_ERR("%s: too many sections to join", j->ld->name);
		return -E2BIG;
	}
	return ret;
}

/* The joined section index of symbol @i of @in; -EINVAL if it has none it can keep. */
static int sym_section(const struct input *in, size_t i, uint32_t *out)
{
	const struct llext_elf *e = &in->e;
	const Elf64_Sym *s = &e->syms[i];
	size_t shndx = llext_elf_sym_shndx(e, i);

	if (s->st_shndx == SHN_UNDEF) {
		*out = 0;
		return 0;
	}
	if (s->st_shndx == SHN_ABS || s->st_shndx == SHN_COMMON) {
		*out = SPECIAL | s->st_shndx;
		return 0;
	}
	if ((s->st_shndx == SHN_XINDEX && !e->xndx) || shndx == 0 || shndx >= e->shnum ||
	    (s->st_shndx >= SHN_LORESERVE && s->st_shndx != SHN_XINDEX)) {
		LOG_ERR("%s: symbol '%s': section index %zu is invalid", in->what,
		        llext_elf_sym_name(e, i), shndx);
		return -EINVAL;
	}
	*out = in->secmap[shndx];
	if (!*out && ELF64_ST_BIND(s->st_info) != STB_LOCAL) {
		LOG_ERR("%s: global symbol '%s' is defined in section %s, which is not loaded "
		        "and cannot be joined",
		        in->what, llext_elf_sym_name(e, i), llext_elf_sect_name(e, shndx));
		return -EINVAL;
	}
	if (!*out) {
		/* A local of a table that is rewritten: nothing loaded refers to it. */
		*out = SPECIAL | SHN_ABS;
	}
	return 0;
}

static int vis_rank(unsigned int v)
{
	/* From the most restrictive: internal, hidden, protected, default. */
	static const int rank[4] = {
	    [STV_INTERNAL] = 0, [STV_HIDDEN] = 1, [STV_PROTECTED] = 2, [STV_DEFAULT] = 3};

	return rank[v & 3];
}

static unsigned int bind_of(const struct gsym *g)
{
	return ELF64_ST_BIND(g->s.st_info);
}

/* Symbol @n of input @k merged into the global of the same name @g, as a linker merges them. */
static int merge(struct join *j, struct gsym *g, const struct gsym *n)
{
	unsigned int gv = ELF64_ST_VISIBILITY(g->s.st_other),
		     nv = ELF64_ST_VISIBILITY(n->s.st_other);
	unsigned int vis = vis_rank(gv) <= vis_rank(nv) ? gv : nv;
	bool gdef = g->shndx != 0, ndef = n->shndx != 0;
	bool gcom = g->shndx == (SPECIAL | SHN_COMMON), ncom = n->shndx == (SPECIAL | SHN_COMMON);
	bool gweak = bind_of(g) == STB_WEAK, nweak = bind_of(n) == STB_WEAK;
	bool same = g->comdat && n->comdat && strcmp(g->comdat, n->comdat) == 0;

	if (gdef && ndef && same) {
		/* The first group of a signature is kept (elf.c's check_groups()): its copy. */
	} else if (!ndef) {
		if (!gdef && gweak && !nweak) {
			g->s.st_info = ELF64_ST_INFO(STB_GLOBAL, ELF64_ST_TYPE(g->s.st_info));
		}
	} else if (!gdef || (gcom && !ncom && !nweak) || (gweak && !nweak && !gcom && !ncom)) {
		*g = *n;
	} else if (gcom && ncom) {
		/* Tentative definitions: the largest size and alignment (st_value). */
		g->s.st_size = n->s.st_size > g->s.st_size ? n->s.st_size : g->s.st_size;
		g->s.st_value = n->s.st_value > g->s.st_value ? n->s.st_value : g->s.st_value;
	} else if (!gweak && !nweak && !gcom && !ncom) {
		LOG_ERR("%s: multiple definition of '%s' in %s and %s", j->ld->name, g->name,
		        j->in[g->in]->what, j->in[n->in]->what);
		return -EEXIST;
	}
	g->s.st_other = (unsigned char)((g->s.st_other & ~3u) | vis);
	return 0;
}

/* Global symbol @i of input @k: its entry in o->g, merged; *@idx is that entry's number. */
static int add_global(struct join *j, struct out *o, size_t k, size_t i, uint32_t *idx)
{
	const struct input *in = j->in[k];
	const Elf64_Sym *s = &in->e.syms[i];
	struct gsym n = {.name = sym_name(&in->e, i), .s = *s, .in = k};
	size_t shndx = llext_elf_sym_shndx(&in->e, i);
	struct gsym *g;
	uint32_t *slot;
	int ret;

	if (!*n.name) {
		LOG_ERR("%s: global symbol %zu has no name", in->what, i);
		return -EINVAL;
	}
	/*
	 * A coverage runtime's state is the extension's own, as if linked with --exclude-libs:
	 * its weak data (Clang's __llvm_profile_raw_version, __llvm_profile_filename) must not
	 * stand back for another extension's copy, nor its functions serve another extension.
	 */
	if (in->runtime && s->st_shndx != SHN_UNDEF) {
		n.s.st_other = (unsigned char)((n.s.st_other & ~3u) | STV_HIDDEN);
	}
	/*
	 * And what it imports from the C library is its own symbol, apart from the extension's
	 * reference to the same name: the load's overrides (test doubles of malloc()) are for the
	 * extension's code, never for the runtime that writes its counters.
	 */
	n.rt_import = in->runtime && s->st_shndx == SHN_UNDEF && !nameset_find(&j->defs, n.name);
	ret = sym_section(in, i, &n.shndx);
	if (ret) {
		return ret;
	}
	if (n.shndx && !(n.shndx & SPECIAL) && shndx < in->e.shnum) {
		n.comdat = in->comdat[shndx];
		n.oshndx = (uint32_t)shndx;
	}
	if (nameset_add(n.rt_import ? &o->rtname : &o->gname, n.name, (uint32_t)o->ng, &slot) !=
	    0) {
		return -ENOMEM;
	}
	*idx = *slot;
	if (*slot != o->ng) {
		return merge(j, &o->g[*slot], &n);
	}
	if (o->ng % 64 == 0) {
		g = llext_realloc(o->g, (o->ng + 64) * sizeof(*g));
		if (!g) {
			return -ENOMEM;
		}
		o->g = g;
	}
	o->g[o->ng++] = n;
	return 0;
}

/* Symbol numbers: every input's locals first, in order, then one entry per global name. */
static int map_symbols(struct join *j, struct out *o)
{
	size_t next = 1;
	int ret = 0;

	for (size_t k = 0; k < j->nin; k++) {
		const struct llext_elf *e = &j->in[k]->e;

		for (size_t i = 1; i < e->nsyms; i++) {
			o->nlocal += ELF64_ST_BIND(e->syms[i].st_info) == STB_LOCAL;
		}
	}
	for (size_t k = 0; k < j->nin && !ret; k++) {
		struct input *in = j->in[k];
		const struct llext_elf *e = &in->e;

		in->symmap = llext_calloc(e->nsyms, sizeof(*in->symmap));
		if (!in->symmap) {
			return -ENOMEM;
		}
		for (size_t i = 1; i < e->nsyms && !ret; i++) {
			uint32_t g = 0, shndx;

			if (!sym_name(e, i)) {
				LOG_ERR(
				    "%s: symbol %zu: name offset %u is outside the string table",
				    in->what, i, e->syms[i].st_name);
				return -EINVAL;
			}
			if (ELF64_ST_BIND(e->syms[i].st_info) == STB_LOCAL) {
				in->symmap[i] = (uint32_t)next++;
				ret = sym_section(in, i, &shndx);
			} else {
				ret = add_global(j, o, k, i, &g);
				in->symmap[i] = (uint32_t)(1 + o->nlocal + g);
			}
		}
	}
	if (!ret && 1 + o->nlocal + o->ng > UINT32_MAX / 2) {
		LOG_ERR("%s: too many symbols to join", j->ld->name);
		return -E2BIG;
	}
	return ret;
}

/* ---- .eh_frame: one for all inputs, without the records of dropped code ---- */

/*
 * The unwinder is given one .eh_frame (eh_frame.c): the inputs' are joined into one, one after
 * another, as `ld -r` does. An FDE describing code of a COMDAT group that elf.c will drop (a
 * second copy of a C++ inline function) is left out, as a linker leaves it out: its relocation
 * against the dropped code could not be applied. The FDEs after it move, so their CIE pointers
 * (relative to the field) are rewritten; CIEs are always kept.
 */
struct ehrec {
	uint64_t off, len; /* in the input's .eh_frame */
	uint64_t to;       /* in its kept part, or UINT64_MAX when dropped */
	uint64_t cie;      /* an FDE's CIE, as an offset in the input's .eh_frame */
	bool fde;
};

/* Which sections of every input elf.c will drop: COMDAT groups whose signature came before. */
static int note_dropped(struct join *j)
{
	struct nameset seen = {0};
	int ret = 0;

	for (size_t k = 0; k < j->nin && !ret; k++) {
		struct input *in = j->in[k];
		const struct llext_elf *e = &in->e;

		in->dropped = llext_calloc(e->shnum, 1);
		ret = in->dropped ? 0 : -ENOMEM;
		for (size_t i = 1; i < e->shnum && !ret; i++) {
			const Elf64_Shdr *sh = e->shdr[i];
			const uint8_t *p;
			uint32_t flags, member, *slot;
			size_t before = seen.n;

			if (sh->sh_type != SHT_GROUP) {
				continue;
			}
			p = e->image + sh->sh_offset;
			memcpy(&flags, p, 4);
			if (!(flags & GRP_COMDAT) ||
			    nameset_add(&seen, llext_elf_sym_name(e, sh->sh_info), 0, &slot) != 0) {
				ret = (flags & GRP_COMDAT) ? -ENOMEM : 0;
				continue;
			}
			for (uint64_t w = 4; seen.n == before && w < sh->sh_size; w += 4) {
				memcpy(&member, p + w, 4);
				in->dropped[member] = 1;
			}
		}
	}
	nameset_free(&seen);
	return ret;
}

/* The records of @in's .eh_frame (@b, @size bytes), each checked to lie inside it. */
static int read_records(struct input *in, const uint8_t *b, uint64_t size)
{
	uint64_t off = 0;

	while (off + 4 <= size) {
		struct ehrec *r;
		uint32_t len, id;

		memcpy(&len, b + off, 4);
		if (len == 0) {
			return 0; /* a terminator: what follows is not read by the unwinder either
			           */
		}
		if (len == 0xffffffff || len < 4 || len > size - off - 4) {
			LOG_ERR("%s: .eh_frame record at 0x%llx: length 0x%x cannot be joined",
			        in->what, (unsigned long long)off, len);
			return -ENOEXEC;
		}
		memcpy(&id, b + off + 4, 4);
		if (in->nrec % 64 == 0) {
			r = llext_realloc(in->rec, (in->nrec + 64) * sizeof(*r));
			if (!r) {
				return -ENOMEM;
			}
			in->rec = r;
		}
		r = &in->rec[in->nrec++];
		*r = (struct ehrec){
		    .off = off, .len = 4 + (uint64_t)len, .fde = id != 0, .cie = off + 4 - id};
		if (r->fde && (id > off + 4 || r->len < 16)) {
			LOG_ERR("%s: .eh_frame FDE at 0x%llx: its CIE pointer or size is invalid",
			        in->what, (unsigned long long)off);
			return -ENOEXEC;
		}
		off += r->len;
	}
	/* As eh_frame.c reads them: fewer than four bytes left make a terminator if all zero. */
	for (; off < size; off++) {
		if (b[off]) {
			LOG_ERR("%s: .eh_frame+0x%llx: trailing bytes after the last record",
			        in->what, (unsigned long long)off);
			return -ENOEXEC;
		}
	}
	return 0;
}

/* The record of @in holding byte @off of its .eh_frame, or NULL. */
static struct ehrec *record_at(const struct input *in, uint64_t off)
{
	size_t lo = 0, hi = in->nrec;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (off < in->rec[mid].off) {
			hi = mid;
		} else if (off >= in->rec[mid].off + in->rec[mid].len) {
			lo = mid + 1;
		} else {
			return &in->rec[mid];
		}
	}
	return NULL;
}

/* Whether symbol @i of @in stands for code elf.c will drop. */
static bool sym_dropped(const struct join *j, const struct out *o, const struct input *in, size_t i)
{
	const struct gsym *g;
	size_t shndx = llext_elf_sym_shndx(&in->e, i);

	if (i == STN_UNDEF) {
		return false; /* no symbol, whatever bytes a file puts in its entry: not mapped */
	}
	if (ELF64_ST_BIND(in->e.syms[i].st_info) == STB_LOCAL) {
		return in->e.syms[i].st_shndx != SHN_UNDEF && shndx < in->e.shnum &&
		       in->dropped[shndx];
	}
	g = &o->g[in->symmap[i] - 1 - o->nlocal];
	return g->shndx && !(g->shndx & SPECIAL) && j->in[g->in]->dropped[g->oshndx];
}

/* Drops the FDEs whose relocations name dropped code; counts the relocations kept. */
static int drop_fdes(const struct join *j, const struct out *o, struct input *in)
{
	const struct llext_elf *e = &in->e;

	for (size_t i = 1; i < e->shnum; i++) {
		const struct llext_rela_tab *t = &e->rela[i];

		if (e->shdr[i]->sh_type != SHT_RELA || e->shdr[i]->sh_info != e->eh_frame) {
			continue;
		}
		for (size_t k = 0; k < t->n; k++) {
			struct ehrec *r = record_at(in, t->r[k].r_offset);
			size_t sym = ELF64_R_SYM(t->r[k].r_info);

			/* Each relocation follows its record (eh_offset()): outside all of them it
			 * would have no place in the joined .eh_frame. */
			if (!r) {
				LOG_ERR("%s: .eh_frame relocation %zu at 0x%llx is in no record",
				        in->what, k, (unsigned long long)t->r[k].r_offset);
				return -ENOEXEC;
			}
			if (r->fde && sym < e->nsyms && sym_dropped(j, o, in, sym)) {
				r->to = UINT64_MAX;
			}
		}
	}
	return 0;
}

/* Where each kept record of @in goes; the kept bytes are *@size. */
static int place_records(struct input *in, uint64_t *size)
{
	uint64_t to = 0;

	for (size_t k = 0; k < in->nrec; k++) {
		struct ehrec *r = &in->rec[k];

		if (r->to == UINT64_MAX) {
			continue;
		}
		if (r->fde) {
			struct ehrec *c = record_at(in, r->cie);

			if (!c || c->off != r->cie || c->fde) {
				LOG_ERR("%s: .eh_frame FDE at 0x%llx does not point at a CIE",
				        in->what, (unsigned long long)r->off);
				return -ENOEXEC;
			}
		}
		r->to = to;
		to += r->len;
	}
	*size = to;
	return 0;
}

/* The relocations of @in's RELA section @i that are kept. */
static size_t rela_kept_count(const struct input *in, size_t i)
{
	const struct llext_rela_tab *t = &in->e.rela[i];
	size_t n = 0;

	for (size_t k = 0; k < t->n; k++) {
		const struct ehrec *r = record_at(in, t->r[k].r_offset);

		n += r && r->to != UINT64_MAX;
	}
	return n;
}

/* Every input's .eh_frame records, placed in the one joined .eh_frame. */
static int join_eh_frames(struct join *j, struct out *o)
{
	uint64_t base = 0;
	int ret = o->eh ? note_dropped(j) : 0;

	for (size_t k = 0; k < j->nin && o->eh && !ret; k++) {
		struct input *in = j->in[k];
		const struct llext_elf *e = &in->e;
		const Elf64_Shdr *sh = e->eh_frame ? e->shdr[e->eh_frame] : NULL;
		uint64_t size = 0;

		if (!sh || sh->sh_type == SHT_NOBITS) {
			continue;
		}
		/* Read as any section is: a hostile one flagged as code may be a hole of the file
		 * loader's snapshot (loaders/file_cache.c). */
		in->eh = llext_malloc(sh->sh_size ? sh->sh_size : 1);
		ret = in->eh ? llext_elf_read_section(e, e->eh_frame, in->eh, in->what) : -ENOMEM;
		ret = ret ?: read_records(in, in->eh, sh->sh_size);
		ret = ret ?: drop_fdes(j, o, in);
		ret = ret ?: place_records(in, &size);
		in->eh_base = base;
		base += size;
		for (size_t i = 1; i < e->shnum && !ret; i++) {
			if (e->shdr[i]->sh_type == SHT_RELA && e->shdr[i]->sh_info == e->eh_frame &&
			    in->secmap[i]) {
				o->sec[in->secmap[i]].size =
				    rela_kept_count(in, i) * sizeof(Elf64_Rela);
			}
		}
	}
	if (o->eh) {
		o->sec[o->eh].size = base;
	}
	return ret;
}

/* Where byte @off of @in's .eh_frame went in the joined one; UINT64_MAX if dropped. */
static uint64_t eh_offset(const struct input *in, uint64_t off)
{
	const struct ehrec *r = record_at(in, off);

	if (!r) {
		/* The end, or past the records: the end of its part. */
		return in->eh_base +
		       (in->nrec ? in->rec[in->nrec - 1].to + in->rec[in->nrec - 1].len : 0);
	}
	return r->to == UINT64_MAX ? UINT64_MAX : in->eh_base + r->to + (off - r->off);
}

/* The kept records of every input, their FDEs' CIE pointers rewritten. */
static void write_eh(const struct join *j, uint8_t *out)
{
	for (size_t k = 0; k < j->nin; k++) {
		const struct input *in = j->in[k];
		const uint8_t *b = in->eh;

		for (size_t i = 0; i < in->nrec; i++) {
			const struct ehrec *r = &in->rec[i];
			uint8_t *d = out + in->eh_base + r->to;

			if (r->to == UINT64_MAX) {
				continue;
			}
			memcpy(d, b + r->off, r->len);
			if (r->fde) {
				uint32_t id = (uint32_t)(r->to + 4 - record_at(in, r->cie)->to);

				memcpy(d + 4, &id, 4);
			}
		}
	}
}

/* ---- the joined object: sizes, places, bytes ---- */

enum { GEN_SYMTAB = 1, GEN_STRTAB, GEN_SHSTRTAB, GEN_XNDX };

static const char *const gen_name[] = {"", ".symtab", ".strtab", ".shstrtab", ".symtab_shndx"};

static const char *osec_name(const struct join *j, const struct osec *s)
{
	return s->in == SIZE_MAX ? gen_name[s->idx] : llext_elf_sect_name(&j->in[s->in]->e, s->idx);
}

/* A group's kept members, in the joined numbering. */
static uint64_t group_size(const struct input *in, size_t i, uint32_t *out)
{
	const Elf64_Shdr *sh = in->e.shdr[i];
	const uint8_t *p = in->e.image + sh->sh_offset;
	uint64_t n = 4;

	for (uint64_t k = 4; k < sh->sh_size; k += 4) {
		uint32_t member;

		memcpy(&member, p + k, 4);
		if (in->secmap[member]) {
			if (out) {
				memcpy((uint8_t *)out + n, &in->secmap[member], 4);
			}
			n += 4;
		}
	}
	if (out) {
		memcpy(out, p, 4);
	}
	return n;
}

static uint64_t nsyms_out(const struct out *o)
{
	return 1 + o->nlocal + o->ng;
}

/* The generated tables' sizes and everyone's offsets; *@total is the image's size. */
static int layout(struct join *j, struct out *o, uint64_t *total)
{
	uint64_t off = sizeof(Elf64_Ehdr);
	int ret = 0;

	o->str_size = 1;
	o->shstr_size = 1;
	for (size_t k = 0; k < j->nin; k++) {
		const struct llext_elf *e = &j->in[k]->e;

		for (size_t i = 1; i < e->nsyms; i++) {
			o->str_size += strlen(sym_name(e, i)) + 1;
		}
	}
	for (size_t i = 1; i < o->nsec; i++) {
		const struct osec *s = &o->sec[i];

		o->shstr_size += strlen(osec_name(j, s)) + 1;
		if (j->in[s->in]->e.shdr[s->idx]->sh_type == SHT_GROUP) {
			o->sec[i].size = group_size(j->in[s->in], s->idx, NULL);
		}
	}
	o->symtab = o->nsec;
	ret = add_osec(o, SIZE_MAX, GEN_SYMTAB, nsyms_out(o) * sizeof(Elf64_Sym));
	o->strtab = o->nsec;
	ret = ret ?: add_osec(o, SIZE_MAX, GEN_STRTAB, o->str_size);
	o->shstrtab = o->nsec;
	ret = ret ?: add_osec(o, SIZE_MAX, GEN_SHSTRTAB, 0);
	if (!ret && o->nsec + 1 >= SHN_LORESERVE) {
		o->xndx = o->nsec;
		ret = add_osec(o, SIZE_MAX, GEN_XNDX, nsyms_out(o) * sizeof(Elf32_Word));
	}
	for (size_t i = o->symtab; i < o->nsec && !ret; i++) {
		o->shstr_size += strlen(gen_name[o->sec[i].idx]) + 1;
	}
	o->sec[o->shstrtab].size = o->shstr_size;
	for (size_t i = 1; i < o->nsec && !ret; i++) {
		off = llext_align_up(off, 8);
		o->sec[i].off = off;
		off += o->sec[i].size;
	}
	*total = llext_align_up(off, 8) + o->nsec * sizeof(Elf64_Shdr);
	return ret;
}

/* Where the joined object is written, and its string tables' fill levels. */
struct writer {
	uint8_t *img;
	uint64_t shoff;
	size_t str, shstr;
};

static uint32_t add_string(struct writer *w, size_t *fill, uint64_t base, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t at = (uint32_t)*fill;

	if (n == 1) {
		return 0;
	}
	memcpy(w->img + base + *fill, s, n);
	*fill += n;
	return at;
}

static Elf64_Shdr *out_shdr(struct writer *w, size_t i)
{
	return (Elf64_Shdr *)(w->img + w->shoff) + i;
}

/* A relocation section's entries, their symbols renumbered; those of .eh_frame records left out
 * are left out too, the others follow their records. */
static int write_rela(const struct input *in, size_t i, uint8_t *out)
{
	const struct llext_elf *e = &in->e;
	const Elf64_Shdr *sh = e->shdr[i];
	size_t n = sh->sh_size / sizeof(Elf64_Rela), kept = 0;
	bool eh = e->eh_frame && sh->sh_info == e->eh_frame && in->rec;

	for (size_t k = 0; k < n; k++) {
		Elf64_Rela r;
		size_t sym;

		if (e->rela[i].r) {
			r = e->rela[i].r[k];
		} else {
			memcpy(&r, e->image + sh->sh_offset + k * sizeof(r), sizeof(r));
		}
		sym = ELF64_R_SYM(r.r_info);
		if (sym >= e->nsyms && !(e->shdr[sh->sh_info]->sh_flags & SHF_ALLOC)) {
			/* Debug information: still out of range, for debug_copy.c to report, as it
			 * does for any object; the extension loads without it. */
			r.r_info = ELF64_R_INFO(UINT32_MAX, ELF64_R_TYPE(r.r_info));
			memcpy(out + kept++ * sizeof(r), &r, sizeof(r));
			continue;
		}
		if (sym >= e->nsyms) {
			LOG_ERR("%s: relocation section %s: entry %zu: symbol %zu is beyond the "
			        "symbol table",
			        in->what, llext_elf_sect_name(e, i), k, sym);
			return -EINVAL;
		}
		if (eh) {
			r.r_offset = eh_offset(in, r.r_offset);
			if (r.r_offset == UINT64_MAX) {
				continue;
			}
		}
		r.r_info = ELF64_R_INFO(in->symmap[sym], ELF64_R_TYPE(r.r_info));
		memcpy(out + kept++ * sizeof(r), &r, sizeof(r));
	}
	return 0;
}

/* Section @s's header, links renumbered. */
static void write_header(struct writer *w, const struct join *j, const struct out *o, size_t idx)
{
	const struct osec *s = &o->sec[idx];
	const struct input *in = j->in[s->in];
	const Elf64_Shdr *sh = in->e.shdr[s->idx];
	Elf64_Shdr *d = out_shdr(w, idx);

	*d = *sh;
	d->sh_offset = s->off;
	if (sh->sh_type != SHT_NOBITS) {
		d->sh_size = s->size;
	}
	if (sh->sh_type == SHT_RELA || sh->sh_type == SHT_GROUP) {
		d->sh_link = (uint32_t)o->symtab;
		d->sh_info =
		    sh->sh_type == SHT_RELA ? in->secmap[sh->sh_info] : in->symmap[sh->sh_info];
		return;
	}
	if (sh->sh_link) {
		d->sh_link = sh->sh_link == in->e.symtab ? (uint32_t)o->symtab
		             : sh->sh_link < in->e.shnum ? in->secmap[sh->sh_link]
		                                         : 0;
	}
	if (sh->sh_flags & SHF_INFO_LINK) {
		d->sh_info = sh->sh_info < in->e.shnum ? in->secmap[sh->sh_info] : 0;
	}
}

/* Every input's LLEXT_NEEDS() names, one input after another. */
static void write_needs(const struct join *j, uint8_t *out)
{
	for (size_t k = 0; k < j->nin; k++) {
		const struct llext_elf *e = &j->in[k]->e;

		if (e->needs_size) {
			memcpy(out, e->needs, e->needs_size);
			out += e->needs_size;
		}
	}
}

static int write_section(struct writer *w, const struct join *j, const struct out *o, size_t idx)
{
	const struct osec *s = &o->sec[idx];
	const struct input *in = j->in[s->in];
	const Elf64_Shdr *sh = in->e.shdr[s->idx];
	uint8_t *out = w->img + s->off;

	write_header(w, j, o, idx);
	out_shdr(w, idx)->sh_name =
	    add_string(w, &w->shstr, o->sec[o->shstrtab].off, osec_name(j, s));
	if (idx == o->needs) {
		write_needs(j, out);
		return 0;
	}
	if (idx == o->eh) {
		write_eh(j, out);
		return 0;
	}
	switch (sh->sh_type) {
	case SHT_NOBITS:
		return 0;
	case SHT_GROUP:
		group_size(in, s->idx, (uint32_t *)out);
		return 0;
	case SHT_RELA:
		return write_rela(in, s->idx, out);
	default:
		return s->size ? llext_elf_read_section(&in->e, s->idx, out, in->what) : 0;
	}
}

/* One symbol of the joined table, its section numbered as the joined object has it. */
static void write_sym(struct writer *w, const struct out *o, size_t idx, const Elf64_Sym *s,
                      const char *name, uint32_t shndx)
{
	Elf64_Sym d = *s;

	d.st_name = add_string(w, &w->str, o->sec[o->strtab].off, name);
	if (shndx & SPECIAL) {
		d.st_shndx = (uint16_t)shndx;
		shndx = 0;
	} else {
		d.st_shndx = shndx >= SHN_LORESERVE ? SHN_XINDEX : (uint16_t)shndx;
	}
	memcpy(w->img + o->sec[o->symtab].off + idx * sizeof(d), &d, sizeof(d));
	if (o->xndx) {
		Elf32_Word x = shndx;

		memcpy(w->img + o->sec[o->xndx].off + idx * sizeof(x), &x, sizeof(x));
	}
}

/* A symbol's value in the joined object: those in .eh_frame follow their records. */
static uint64_t sym_value(const struct input *in, size_t shndx, uint64_t v)
{
	uint64_t to;

	if (!in->rec || shndx != in->e.eh_frame || !shndx) {
		return v;
	}
	to = eh_offset(in, v);
	return to == UINT64_MAX ? in->eh_base : to;
}

static void write_symbols(struct writer *w, const struct join *j, const struct out *o)
{
	size_t next = 1;

	for (size_t k = 0; k < j->nin; k++) {
		const struct input *in = j->in[k];
		const struct llext_elf *e = &in->e;

		for (size_t i = 1; i < e->nsyms; i++) {
			uint32_t shndx;

			if (ELF64_ST_BIND(e->syms[i].st_info) == STB_LOCAL) {
				Elf64_Sym v = e->syms[i];

				/* Checked by map_symbols(). */
				(void)sym_section(in, i, &shndx);
				v.st_value = sym_value(in, llext_elf_sym_shndx(e, i), v.st_value);
				write_sym(w, o, next++, &v, sym_name(e, i), shndx);
			}
		}
	}
	for (size_t g = 0; g < o->ng; g++) {
		Elf64_Sym v = o->g[g].s;

		if (o->g[g].shndx && !(o->g[g].shndx & SPECIAL)) {
			v.st_value = sym_value(j->in[o->g[g].in], o->g[g].oshndx, v.st_value);
		}
		write_sym(w, o, next++, &v, o->g[g].name, o->g[g].shndx);
	}
}

/* The generated sections' headers, section 0's and the ELF header. */
static void write_tables(struct writer *w, const struct join *j, const struct out *o)
{
	const Elf64_Ehdr *at = elf64_getehdr(j->in[0]->e.elf);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)w->img, first;
	Elf64_Shdr *d;

	for (size_t i = o->symtab; i < o->nsec; i++) {
		d = out_shdr(w, i);
		d->sh_name =
		    add_string(w, &w->shstr, o->sec[o->shstrtab].off, gen_name[o->sec[i].idx]);
		d->sh_offset = o->sec[i].off;
		d->sh_size = o->sec[i].size;
		d->sh_addralign = i == o->symtab ? 8 : i == o->xndx ? 4 : 1;
		d->sh_type = i == o->symtab ? SHT_SYMTAB
		             : i == o->xndx ? SHT_SYMTAB_SHNDX
		                            : SHT_STRTAB;
	}
	d = out_shdr(w, o->symtab);
	d->sh_link = (uint32_t)o->strtab;
	d->sh_info = (uint32_t)(1 + o->nlocal);
	d->sh_entsize = sizeof(Elf64_Sym);
	if (o->xndx) {
		out_shdr(w, o->xndx)->sh_link = (uint32_t)o->symtab;
		out_shdr(w, o->xndx)->sh_entsize = sizeof(Elf32_Word);
	}
	/* An archive member is only 2-aligned: its header is copied, not read in place. */
	memcpy(&first, at, sizeof(first));
	memcpy(eh->e_ident, first.e_ident, EI_NIDENT);
	eh->e_type = ET_REL;
	eh->e_machine = first.e_machine;
	eh->e_version = EV_CURRENT;
	eh->e_flags = first.e_flags;
	eh->e_shoff = w->shoff;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = o->nsec < SHN_LORESERVE ? (uint16_t)o->nsec : 0;
	eh->e_shstrndx = o->shstrtab < SHN_LORESERVE ? (uint16_t)o->shstrtab : SHN_XINDEX;
	if (o->nsec >= SHN_LORESERVE) {
		out_shdr(w, 0)->sh_size = o->nsec;
	}
	if (o->shstrtab >= SHN_LORESERVE) {
		out_shdr(w, 0)->sh_link = (uint32_t)o->shstrtab;
	}
}

/* Writes the joined object into ld->joined, and opens it as ld->elf. */
static int note_rt_imports(struct llext_joined *jd, const struct out *o);

static int write_joined(struct join *j, struct out *o)
{
	struct llext_joined *jd;
	struct writer w = {0};
	uint64_t total;
	int ret = layout(j, o, &total);

	if (ret) {
		return ret;
	}
	jd = llext_calloc(1, sizeof(*jd));
	w.img = total <= SIZE_MAX ? llext_calloc(1, (size_t)total) : NULL;
	if (!jd || !w.img) {
		LOG_ERR("%s: cannot allocate %llu bytes for the joined object", j->ld->name,
		        (unsigned long long)total);
		free(jd);
		free(w.img);
		return -ENOMEM;
	}
	mem_init(jd, w.img, (size_t)total);
	jd->owned = w.img;
	j->ld->joined = jd;
	w.shoff = total - o->nsec * sizeof(Elf64_Shdr);
	w.str = w.shstr = 1;
	for (size_t i = 1; i < o->symtab && !ret; i++) {
		ret = write_section(&w, j, o, i);
	}
	if (ret) {
		return ret;
	}
	write_symbols(&w, j, o);
	write_tables(&w, j, o);
	return note_rt_imports(jd, o);
}

static void out_free(struct out *o)
{
	free(o->sec);
	free(o->g);
	nameset_free(&o->gname);
	nameset_free(&o->rtname);
}

void llext_join_free(struct llext_joined *jd)
{
	if (jd) {
		free(jd->owned);
		free(jd->rt_import);
		free(jd);
	}
}

bool llext_join_rt_import(const struct llext_joined *jd, size_t sym)
{
	return jd && jd->rt_import && sym < jd->nsyms && jd->rt_import[sym];
}

/* Which symbols of the joined object are the coverage runtimes' imports. */
static int note_rt_imports(struct llext_joined *jd, const struct out *o)
{
	bool any = false;

	for (size_t g = 0; g < o->ng; g++) {
		any = any || o->g[g].rt_import;
	}
	if (!any) {
		return 0;
	}
	jd->nsyms = 1 + o->nlocal + o->ng;
	jd->rt_import = llext_calloc(jd->nsyms, 1);
	if (!jd->rt_import) {
		return -ENOMEM;
	}
	for (size_t g = 0; g < o->ng; g++) {
		jd->rt_import[1 + o->nlocal + g] = o->g[g].rt_import;
	}
	return 0;
}

/* ---- the driver's entry ---- */

/* Whether byte @pos of what @ldr holds can be read. */
static bool readable(struct llext_loader *ldr, size_t pos)
{
	uint8_t b;

	return llext_seek(ldr, pos) == 0 && llext_read(ldr, &b, 1) == 0;
}

/* The size of what @ldr holds (a loader does not say): the first byte it cannot read. */
static int loader_size(struct llext_loader *ldr, size_t *size)
{
	size_t lo = 8, hi = 16; /* lo bytes can be read, hi cannot (once found) */

	while (readable(ldr, hi - 1)) {
		lo = hi;
		if (hi > SIZE_MAX / 4) {
			return -EFBIG;
		}
		hi *= 2;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (readable(ldr, mid - 1)) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	*size = lo;
	return 0;
}

/* An archive given to llext_load() itself: read whole through @ldr; every member taken. */
static int take_whole(struct join *j, struct llext_loader *ldr, struct archive *a)
{
	const uint8_t *img;
	size_t size;
	int ret = loader_size(ldr, &size);

	if (ret) {
		LOG_ERR("%s: the archive is too large", j->ld->name);
		return ret;
	}
	img = llext_peek(ldr, 0);
	if (!img || !llext_peek(ldr, size - 1)) {
		j->whole_copy = llext_malloc(size);
		if (!j->whole_copy) {
			return -ENOMEM;
		}
		ret = llext_seek(ldr, 0) ?: llext_read(ldr, j->whole_copy, size);
		if (ret) {
			LOG_ERR("%s: reading the archive failed: %s", j->ld->name, strerror(-ret));
			return ret > 0 ? -EIO : ret;
		}
		img = j->whole_copy;
	}
	ret = llext_ar_parse(&a->ar, img, size, j->ld->name);
	if (!ret && a->ar.nm == 0) {
		LOG_ERR("%s: the archive has no members", j->ld->name);
		ret = -ENOEXEC;
	}
	a->taken = ret ? NULL : llext_calloc(a->ar.nm, 1);
	for (size_t i = 0; !ret && i < a->ar.nm; i++) {
		ret = a->taken ? take(j, a, i, NULL) : -ENOMEM;
	}
	return ret;
}

static void join_free(struct join *j, struct archive *whole)
{
	for (size_t i = 0; i < j->nin; i++) {
		close_input(j->in[i]);
	}
	free(j->in);
	for (size_t i = 0; i <= j->narc; i++) {
		struct archive *a = i < j->narc ? &j->arc[i] : whole;

		for (size_t m = 0; a->open && m < a->ar.nm; m++) {
			close_input(a->open[m]);
		}
		free(a->open);
		free(a->taken);
		llext_ar_close(&a->ar);
	}
	free(j->arc);
	free(j->whole_copy);
	nameset_free(&j->defs);
	nameset_free(&j->refs);
}

/* Whether the object, or the load, names an archive. */
static bool names_archive(const struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	const char *const *more = ld->param->libraries;

	for (size_t off = 0; off < e->needs_size; off += strlen(e->needs + off) + 1) {
		if (ends_with_a(e->needs + off)) {
			return true;
		}
	}
	for (size_t i = 0; more && more[i]; i++) {
		if (ends_with_a(more[i])) {
			return true;
		}
	}
	return false;
}

/*
 * The coverage runtimes the object or a whole archive's members need, after every library the
 * load names: a copy the user named is the one taken. A member pulled later may need one too
 * (note_pulled()).
 */
static int note_runtimes(struct join *j, int kind)
{
	int ret = 0;

	/* The members of a whole archive are looked at here; the object was before the join. */
	for (size_t i = 0; kind && i < j->nin && !ret; i++) {
		ret = llext_prof_rt_need(&j->in[i]->e, j->in[i]->what, j->ld->param->libraries,
		                         j->rt);
	}
	return ret ?: note_rt_archives(j);
}

/* The inputs: the object (moved out of ld->elf) or the whole archive, then what they pull. */
static int gather(struct join *j, struct llext_loader *ldr, int kind, struct archive *whole)
{
	const char *const *more = j->ld->param->libraries;
	struct input *in;
	int ret = 0;

	if (kind) {
		ret = take_whole(j, ldr, whole);
	} else {
		in = llext_calloc(1, sizeof(*in));
		if (!in) {
			return -ENOMEM;
		}
		in->e = j->ld->elf;
		memset(&j->ld->elf, 0, sizeof(j->ld->elf));
		snprintf(in->what, sizeof(in->what), "%s", j->ld->name);
		ret = add_input(j, in);
	}
	for (size_t i = 0; !ret && more && more[i]; i++) {
		if (ends_with_a(more[i])) {
			ret = note_needed(j, more[i]);
		}
	}
	return ret ?: note_runtimes(j, kind) ?: pull_all(j);
}

static int join_inputs(struct llext_load *ld, struct llext_loader *ldr, int kind,
                       struct llext_prof_rt *rt)
{
	struct join j = {.ld = ld, .rt = rt};
	struct archive whole = {0};
	struct out o = {0};
	int ret = gather(&j, ldr, kind, &whole);

	if (!ret && j.nin == 1 && !kind) {
		/* Nothing pulled in: the object as it is. */
		ld->elf = j.in[0]->e;
		memset(&j.in[0]->e, 0, sizeof(j.in[0]->e));
	} else if (!ret) {
		ret = map_sections(&j, &o);
		ret = ret ?: map_symbols(&j, &o);
		ret = ret ?: join_eh_frames(&j, &o);
		ret = ret ?: write_joined(&j, &o);
		LOG_DBG("%s: %zu objects joined", ld->name, j.nin);
	}
	out_free(&o);
	join_free(&j, &whole);
	if (!ret && ld->joined) {
		ret = llext_elf_open(&ld->elf, &ld->joined->ldr, ld->name);
	}
	return ret;
}

/* 1 or 2 if @ldr holds an archive (llext_ar_kind()), 0 if not: looked at in place when the loader
 * can peek, else read. */
static int sniff(struct llext_loader *ldr, const char *what, int *kind)
{
	const uint8_t *p = llext_peek(ldr, 0);
	uint8_t magic[8];
	int ret;

	if (p && llext_peek(ldr, sizeof(magic) - 1)) {
		*kind = llext_ar_kind(p, sizeof(magic));
		return 0;
	}
	ret = llext_seek(ldr, 0);
	ret = ret ? ret : llext_read(ldr, magic, sizeof(magic));
	if (ret) {
		LOG_ERR("%s: cannot read the ELF header or archive magic (file too short?): %s",
		        what, strerror(ret > 0 ? EIO : -ret));
		return ret > 0 ? -EIO : ret;
	}
	*kind = llext_ar_kind(magic, sizeof(magic));
	return 0;
}

int llext_join_open(struct llext_load *ld, struct llext_loader *ldr)
{
	struct llext_prof_rt *rt;
	int kind = 0, ret = sniff(ldr, ld->name, &kind);

	if (ret) {
		return ret;
	}
	rt = llext_calloc(1, sizeof(*rt));
	if (!rt) {
		return -ENOMEM;
	}
	if (!kind) {
		ret = llext_elf_open(&ld->elf, ldr, ld->name);
		ret = ret ?: llext_prof_rt_need(&ld->elf, ld->name, ld->param->libraries, rt);
		if (ret || (!names_archive(ld) && !rt->gcov[0] && !rt->prof[0])) {
			free(rt);
			return ret;
		}
	}
	ret = join_inputs(ld, ldr, kind, rt);
	free(rt);
	return ret;
}
