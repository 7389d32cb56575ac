/* SPDX-License-Identifier: MIT */
/*
 * The interface between the generic loader (lib/) and an architecture backend (arch/<name>/).
 *
 * The generic code owns everything that does not depend on the instruction set: symbol
 * resolution, the computation of S, A, P, G, L and the GOT base, bounds checks against the
 * section, the number of GOT entries and stubs, and placement. A backend only describes its
 * relocation types, encodes values into instructions or data with the psABI's range checks, and
 * writes stubs. Backends are pure (they touch only the bytes they are given), so both are built
 * on every host and unit-tested there; only the host's backend is used to load code.
 *
 * For speed, the per-relocation part of the generic computation (P from the place's offset, S,
 * G and L from the symbol's record) is also written once here, in llext_reloc_loop(), which each
 * backend instantiates with its encoder as apply_run(): one call per relocation section.
 */
#ifndef LLEXT_ARCH_H
#define LLEXT_ARCH_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

/* What a relocation needs besides S + A. */
enum {
	/* Needs a GOT entry holding S (G is its address). */
	LLEXT_RF_GOT = 1 << 0,
	/* A call or jump: when S is out of reach, it may go through a stub (L). */
	LLEXT_RF_STUB = 1 << 1,
	/* Uses the GOT's base address. */
	LLEXT_RF_GOTBASE = 1 << 2,
	/*
	 * Thread-local storage. S is then the symbol's offset in the extension's TLS block (the
	 * psABI's DTPOFF or DTPREL of S), and G, if one of the three below is set, the address of
	 * the GOT item that relocation names.
	 */
	LLEXT_RF_TLS = 1 << 3,
	/* Dynamic-linking relocation (COPY, JUMP_SLOT, ...): never valid in ET_REL. */
	LLEXT_RF_DYNAMIC = 1 << 4,
	/* Initial-exec or local-exec: needs the variable at one fixed offset from the thread
	 * pointer in every thread, in static TLS; refused where the generic code has none. For
	 * local-exec S is then the offset from the thread pointer. */
	LLEXT_RF_TLS_FIXED = 1 << 5,
	/* General dynamic: G is S's pair {module, offset} (the psABI's GTLSIDX, x86-64's
	 * tls_index), the argument of __tls_get_addr(). */
	LLEXT_RF_TLS_GD = 1 << 6,
	/* Local dynamic: G is the extension's pair {module, 0} (GLDM). */
	LLEXT_RF_TLS_LD = 1 << 7,
	/* TLS descriptor: G is S's descriptor {resolver, argument} (GTLSDESC). */
	LLEXT_RF_TLS_DESC = 1 << 8,
	/* Initial-exec through the GOT (also LLEXT_RF_TLS_FIXED): G is S's entry holding its
	 * offset from the thread pointer (GTPREL, x86-64's GOTTPOFF), which only a variable in
	 * static TLS has. */
	LLEXT_RF_TLS_IE = 1 << 9,
};

/*
 * How far a relocation's result reaches, for placement: the generic code uses this to choose an
 * address from which every external symbol is reachable. Encoders check again, exactly.
 */
enum llext_reach {
	/* The result is not limited (64-bit fields, or relative to the GOT inside the extension).
	 */
	LLEXT_REACH_ANY,
	/* S + A - P must lie in [min, max]. */
	LLEXT_REACH_PCREL,
	/* Page(S + A) - Page(P) must lie in [min, max] (4 KiB pages). */
	LLEXT_REACH_PAGE,
	/* S + A must lie in [min, max]. */
	LLEXT_REACH_ABS,
};

/* One relocation type of one architecture. */
struct llext_reloc_desc {
	uint32_t type;
	/* Name as in the psABI, e.g. "R_X86_64_PC32". */
	const char *name;
	/* Bytes read and written at P; the place must fit in its section. */
	uint8_t size;
	/* LLEXT_RF_* */
	uint16_t flags;
	/* enum llext_reach and the range of the constrained value. */
	uint8_t reach;
	int64_t min, max;
};

/* One relocation to apply, with every input already computed by the generic code. */
struct llext_reloc {
	const struct llext_reloc_desc *desc;
	/* Where the bytes are: P's memory. Unit tests use a buffer that is not at P. */
	uint8_t *loc;
	/* The psABI's P, S and A. */
	uint64_t P, S, A;
	/* Base of the extension's GOT (0 if it has none). */
	uint64_t got;
	/* Address of the GOT entry for S (0 if none was allocated); for the TLS types, of the GOT
	 * item the type names (LLEXT_RF_TLS_GD, _LD, _DESC). */
	uint64_t G;
	/* Address of the stub for S (0 if none was allocated). */
	uint64_t L;
};

/* Why an encoder refused a relocation. */
enum llext_reloc_err {
	LLEXT_RELOC_OK = 0,
	/* The value does not fit the field. */
	LLEXT_RELOC_RANGE,
	/* The value is not a multiple of what the instruction scales by. */
	LLEXT_RELOC_ALIGN,
	/* The relocation needs a GOT entry or GOT base that was not provided. */
	LLEXT_RELOC_NOGOT,
	/* The instruction at P is not one this relocation can patch. */
	LLEXT_RELOC_INSN,
	/* A type the encoder does not handle. */
	LLEXT_RELOC_UNSUPPORTED,
};

/* What a relocation may use of its symbol once the extension is placed: S, and the addresses of
 * the symbol's GOT entry and stub (0 when it has none). */
struct llext_reloc_sym {
	uint64_t S, G, L;
};

/* One relocation section to apply, with every input of the loop at hand. */
struct llext_reloc_run {
	const struct llext_arch *arch;
	const Elf64_Rela *rela;
	size_t n;
	/* Symbol i's values: (const char *)syms + i * sym_stride. The generic code keeps them
	 * at the start of a larger per-symbol record. */
	const void *syms;
	size_t sym_stride;
	/* The patched section's bytes, and its run-time address. */
	uint8_t *base;
	uint64_t P0;
	/* Base of the extension's GOT (0 if it has none). */
	uint64_t got;
};

struct llext_arch {
	const char *name;
	/* ELF e_machine. */
	uint16_t machine;
	/* Relocation types this backend knows, sorted by type. */
	const struct llext_reloc_desc *relocs;
	size_t nrelocs;
	/* Encode one relocation. */
	enum llext_reloc_err (*apply)(const struct llext_reloc *r);
	/*
	 * Encode the relocations of @run from index @from on, the way apply() would, with S, G
	 * and L taken from the symbol, and stop at the first one that is thread-local (whose G the
	 * generic code computes) or that fails. Returns the index it stopped at (run->n when done);
	 * *@rel then holds that relocation's inputs and *@err the encoder's answer (LLEXT_RELOC_OK
	 * for a thread-local one, not applied). llext_reloc_loop() below is the whole of it.
	 */
	size_t (*apply_run)(const struct llext_reloc_run *run, size_t from, struct llext_reloc *rel,
	                    enum llext_reloc_err *err);
	/* Bytes per stub, a multiple of 4. */
	size_t stub_size;
	/* Write at @loc (run-time address @addr) a stub that jumps to the address held in the
	 * GOT entry at @slot. */
	void (*write_stub)(uint8_t *loc, uint64_t addr, uint64_t slot);
	/* Make instruction fetch see code just written, or NULL if the hardware keeps caches
	 * coherent. Called on the host's backend only. */
	void (*sync_icache)(void *start, size_t len);
	/* Largest span, in bytes, that one extension may cover so that references inside it
	 * stay in reach of its PC-relative relocations. */
	uint64_t max_span;
	/* The compiler flags that make an object reach external data through the GOT, for the
	 * message given when no address reaches all its symbols. */
	const char *pic_hint;
};

/* The descriptor of a relocation type, or NULL if the backend does not know it. */
const struct llext_reloc_desc *llext_arch_reloc(const struct llext_arch *arch, uint32_t type);

/*
 * A direct-mapped cache in front of llext_arch_reloc(), keyed by a type's low bits: an object
 * uses a handful of types, and each relocation's type is looked up at least once. Zeroed before
 * use. Inline, since it is on the path of every relocation.
 */
#define LLEXT_RELOC_CACHE_SLOTS 64

struct llext_reloc_cache {
	const struct llext_reloc_desc *slot[LLEXT_RELOC_CACHE_SLOTS];
};

/* The slot that type @type uses, in a llext_reloc_cache or in a table kept alongside one. */
static inline size_t llext_reloc_cache_index(uint32_t type)
{
	return type % LLEXT_RELOC_CACHE_SLOTS;
}

/* The descriptor of @type, looked up in @arch's table on a miss and kept; NULL if the backend
 * does not know it (the slot is then empty: unknown types end a load). */
static inline __attribute__((always_inline)) const struct llext_reloc_desc *
llext_reloc_cache_get(struct llext_reloc_cache *c, const struct llext_arch *arch, uint32_t type)
{
	const struct llext_reloc_desc **slot = &c->slot[llext_reloc_cache_index(type)];
	const struct llext_reloc_desc *d = *slot;

	if (!d || d->type != type) {
		d = llext_arch_reloc(arch, type);
		*slot = d;
	}
	return d;
}

/*
 * The loop behind every backend's apply_run(), with the backend's encoder given as a constant so
 * that the compiler inlines it: one call per section instead of one indirect call and one
 * in-memory argument block per relocation. Types are looked up through a llext_reloc_cache,
 * which holds the few types a section uses.
 */
static inline __attribute__((always_inline)) size_t
llext_reloc_loop(const struct llext_reloc_run *run, size_t from, struct llext_reloc *rel,
                 enum llext_reloc_err *err,
                 enum llext_reloc_err (*encode)(const struct llext_reloc *r))
{
	struct llext_reloc_cache cache = {{0}};
	const Elf64_Rela *rela = run->rela;
	const char *syms = run->syms;
	size_t n = run->n, stride = run->sym_stride;
	uint8_t *base = run->base;
	uint64_t P0 = run->P0, got = run->got;

	for (size_t i = from; i < n; i++) {
		uint64_t info = rela[i].r_info, off = rela[i].r_offset;
		uint32_t type = (uint32_t)ELF64_R_TYPE(info);
		const struct llext_reloc_sym *s =
		    (const struct llext_reloc_sym *)(syms + ELF64_R_SYM(info) * stride);
		const struct llext_reloc_desc *d = llext_reloc_cache_get(&cache, run->arch, type);
		enum llext_reloc_err e;
		struct llext_reloc r;

		r = (struct llext_reloc){.desc = d,
		                         .loc = base + off,
		                         .P = P0 + off,
		                         .S = s->S,
		                         .A = (uint64_t)rela[i].r_addend,
		                         .got = got,
		                         .G = s->G,
		                         .L = s->L};
		if (!d || (d->flags & LLEXT_RF_TLS)) {
			*err = d ? LLEXT_RELOC_OK : LLEXT_RELOC_UNSUPPORTED;
			*rel = r;
			return i;
		}
		e = encode(&r);
		if (e != LLEXT_RELOC_OK) {
			*err = e;
			*rel = r;
			return i;
		}
	}
	*err = LLEXT_RELOC_OK;
	return n;
}

extern const struct llext_arch llext_arch_x86_64;
extern const struct llext_arch llext_arch_aarch64;

/* The backend for an ELF e_machine, or NULL. */
const struct llext_arch *llext_arch_find(uint16_t machine);

/* The backend of the machine this library runs on. */
const struct llext_arch *llext_arch_host(void);

/* The name of a relocation type for messages: "R_X86_64_PC32", or "type 123" written in @buf. */
const char *llext_arch_reloc_name(const struct llext_arch *arch, uint32_t type, char buf[24]);

/* Small helpers shared by the encoders. */
static inline int llext_fits_signed(int64_t v, unsigned int bits)
{
	return v >= -((int64_t)1 << (bits - 1)) && v < ((int64_t)1 << (bits - 1));
}

static inline int llext_fits_unsigned(uint64_t v, unsigned int bits)
{
	return bits >= 64 || v < ((uint64_t)1 << bits);
}

/* Little-endian field access; both supported machines store data little-endian. */
static inline uint64_t llext_get_le(const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < size; i++) {
		v |= (uint64_t)p[i] << (8 * i);
	}
	return v;
}

static inline void llext_put_le(uint8_t *p, uint64_t v, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

#endif /* LLEXT_ARCH_H */
