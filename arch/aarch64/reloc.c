// SPDX-License-Identifier: MIT
/*
 * AArch64 relocations, after "ELF for the Arm 64-bit Architecture" (AAELF64), section
 * "Relocation", LP64 only.
 *
 * Notation as in the psABI: S is the symbol's value, A the addend, P the place, X the result of
 * the relocation's operation, Page(expr) is expr with its low 12 bits cleared, GOT the GOT's base,
 * G(GDAT(S+A)) the address of the GOT entry holding S + A, and L a veneer (our stub) that
 * reaches S. All arithmetic is on 64-bit two's-complement values; "check -2^31 <= X < 2^32" is
 * the psABI's overflow check, returned as LLEXT_RELOC_RANGE.
 *
 * Choices where the psABI leaves room, or where libllext differs from a static linker:
 *
 * - The generic code allocates one GOT entry per symbol, holding S. GDAT(S+A) with A != 0 would
 *   need an entry of its own; compilers never ask for one, so such a relocation is refused
 *   (LLEXT_RELOC_NOGOT) rather than silently reading the entry for S.
 *
 * - Word-scaled PC-relative fields (B, BL, B.cond, CBZ, TBZ, LDR literal) drop X[1:0]. A value
 *   that is not a multiple of 4 would silently land elsewhere, so it is refused
 *   (LLEXT_RELOC_ALIGN), as is a LDST*_ABS_LO12_NC whose X is not a multiple of the access
 *   size the instruction scales by.
 *
 * - CALL26 and JUMP26 whose target is out of the +-128 MiB a branch reaches go through the
 *   symbol's veneer, L - P (A must be 0), as a static linker inserts one. An undefined weak target
 * has S = 0. AAELF64 asks a static link on a platform without symbol pre-emption to turn a CALL26
 * to such a symbol into a branch to the next instruction, and leaves JUMP26 unspecified. Linux user
 * space is a pre-emptible platform: there the dynamic linker leaves the PLT slot of an unresolved
 * weak function at 0. libllext does the same: the branch goes to a veneer whose GOT entry holds 0.
 * Loading succeeds; code that tests the symbol before calling it (the only portable use of a weak
 * function) runs as written; an unguarded call faults at address 0, where the mistake is visible,
 * instead of returning garbage.
 *
 * - The signed group relocations (MOVW_SABS_G0..G2, MOVW_PREL_G0..G3) turn the instruction
 *   into MOVZ when X >= 0 and into MOVN holding NOT X when X < 0, as AAELF64 requires. The _NC
 *   forms and the unsigned ones keep the instruction's opcode and only fill its immediate.
 *
 * - Every encoder checks that the instruction at P belongs to the class the relocation patches
 *   (LLEXT_RELOC_INSN): a type attached to the wrong instruction would otherwise corrupt it.
 */
#include <elf.h>

#include "../arch.h"
#include "relocs.h"

#define AARCH64_DESC(name, size, flags, reach, min, max)                                           \
	{name, #name, size, flags, LLEXT_REACH_##reach, min, max},

static const struct llext_reloc_desc aarch64_relocs[] = {LLEXT_AARCH64_RELOCS(AARCH64_DESC)};

/* Instruction classes, as (insn & mask) == value. */
struct insn_class {
	uint32_t mask, value;
};

/* B, BL */
static const struct insn_class cls_b = {0x7c000000, 0x14000000};
/* B.cond, BC.cond */
static const struct insn_class cls_bcond = {0xff000000, 0x54000000};
/* CBZ, CBNZ */
static const struct insn_class cls_cbz = {0x7e000000, 0x34000000};
/* TBZ, TBNZ */
static const struct insn_class cls_tbz = {0x7e000000, 0x36000000};
/* LDR (literal), LDRSW (literal), PRFM (literal), SIMD&FP LDR (literal) */
static const struct insn_class cls_ldr_lit = {0x3b000000, 0x18000000};
/* ADR */
static const struct insn_class cls_adr = {0x9f000000, 0x10000000};
/* ADRP */
static const struct insn_class cls_adrp = {0x9f000000, 0x90000000};
/* ADD, ADDS, SUB, SUBS (immediate) */
static const struct insn_class cls_add = {0x1f800000, 0x11000000};
/* Loads and stores with an unsigned, scaled 12-bit offset */
static const struct insn_class cls_ldst = {0x3b000000, 0x39000000};
/* MOVN, MOVZ, MOVK (opc 01 is unallocated) */
static const struct insn_class cls_movw = {0x1f800000, 0x12800000};

/* The MOVW opcode field, bits [30:29]. */
#define MOVW_OPC_MASK (3u << 29)
#define MOVW_OPC_MOVN (0u << 29)
#define MOVW_OPC_MOVZ (2u << 29)
#define MOVW_OPC_MOVK (3u << 29)

static int64_t page(uint64_t v)
{
	return (int64_t)(v & ~(uint64_t)0xfff);
}

/* Read the instruction at @loc if it is of class @c. */
static int get_insn(const uint8_t *loc, const struct insn_class *c, uint32_t *insn)
{
	*insn = (uint32_t)llext_get_le(loc, 4);
	if (c == &cls_movw && (*insn & MOVW_OPC_MASK) == (1u << 29)) {
		return 0;
	}
	return (*insn & c->mask) == c->value;
}

/* Replace the bits of @insn under @mask with @field (already shifted into place) and store. */
static enum llext_reloc_err put_field(uint8_t *loc, uint32_t insn, uint32_t mask, uint32_t field)
{
	llext_put_le(loc, (insn & ~mask) | (field & mask), 4);
	return LLEXT_RELOC_OK;
}

/* A data field of @bits bits: the psABI's "-2^(bits-1) <= X < 2^bits", so it may hold X as a
 * signed or as an unsigned number. */
static enum llext_reloc_err put_data(uint8_t *loc, int64_t X, unsigned int bits)
{
	if (X < -((int64_t)1 << (bits - 1)) || X >= ((int64_t)1 << bits)) {
		return LLEXT_RELOC_RANGE;
	}
	llext_put_le(loc, (uint64_t)X, bits / 8);
	return LLEXT_RELOC_OK;
}

/*
 * A word-scaled PC-relative field: X must fit in @bits bits signed ("-2^(bits-1) <= X <
 * 2^(bits-1)"), be a multiple of 4, and X[bits-1:2] goes at bit @lsb.
 */
static enum llext_reloc_err put_pcrel_words(uint8_t *loc, const struct insn_class *c, int64_t X,
                                            unsigned int bits, unsigned int lsb)
{
	uint32_t insn, n = bits - 2;

	if (!get_insn(loc, c, &insn)) {
		return LLEXT_RELOC_INSN;
	}
	if (!llext_fits_signed(X, bits)) {
		return LLEXT_RELOC_RANGE;
	}
	if (X & 3) {
		return LLEXT_RELOC_ALIGN;
	}
	return put_field(loc, insn, ((1u << n) - 1) << lsb, (uint32_t)((uint64_t)X >> 2) << lsb);
}

/* CONDBR19 patches both B.cond and CBZ/CBNZ, which share the imm19 field at bit 5. */
static enum llext_reloc_err put_condbr(uint8_t *loc, int64_t X)
{
	uint32_t insn;

	if (get_insn(loc, &cls_bcond, &insn)) {
		return put_pcrel_words(loc, &cls_bcond, X, 21, 5);
	}
	return put_pcrel_words(loc, &cls_cbz, X, 21, 5);
}

/* ADR and ADRP: a 21-bit immediate split into immlo, bits [30:29], and immhi, bits [23:5]. */
static enum llext_reloc_err put_adr(uint8_t *loc, const struct insn_class *c, uint64_t imm)
{
	uint32_t insn;

	if (!get_insn(loc, c, &insn)) {
		return LLEXT_RELOC_INSN;
	}
	return put_field(loc, insn, (3u << 29) | (0x7ffffu << 5),
	                 (uint32_t)((imm & 3) << 29 | ((imm >> 2) & 0x7ffff) << 5));
}

/* ADRP: X = Page(target) - Page(P), X[32:12] into the immediate; check -2^32 <= X < 2^32 unless
 * @nc. */
static enum llext_reloc_err put_adrp(uint8_t *loc, uint64_t target, uint64_t P, int nc)
{
	int64_t X = page(target) - page(P);
	uint32_t insn;

	if (!get_insn(loc, &cls_adrp, &insn)) {
		return LLEXT_RELOC_INSN;
	}
	if (!nc && !llext_fits_signed(X, 33)) {
		return LLEXT_RELOC_RANGE;
	}
	return put_adr(loc, &cls_adrp, (uint64_t)X >> 12);
}

/*
 * The 12-bit immediate of ADD or of a load/store scaled by 2^@scale: X[11:scale] at bit 10. A
 * load/store needs X to be a multiple of its access size.
 */
static enum llext_reloc_err put_lo12(uint8_t *loc, const struct insn_class *c, uint64_t X,
                                     unsigned int scale)
{
	uint32_t insn;

	if (!get_insn(loc, c, &insn)) {
		return LLEXT_RELOC_INSN;
	}
	if (X & ((1u << scale) - 1)) {
		return LLEXT_RELOC_ALIGN;
	}
	return put_field(loc, insn, 0xfffu << 10, (uint32_t)((X & 0xfff) >> scale) << 10);
}

/* MOVZ/MOVK with X[shift+15:shift], the opcode kept; @bits > 0 checks 0 <= X < 2^bits. */
static enum llext_reloc_err put_movw_u(uint8_t *loc, uint64_t X, unsigned int shift,
                                       unsigned int bits)
{
	uint32_t insn;

	if (!get_insn(loc, &cls_movw, &insn)) {
		return LLEXT_RELOC_INSN;
	}
	if (bits && !llext_fits_unsigned(X, bits)) {
		return LLEXT_RELOC_RANGE;
	}
	return put_field(loc, insn, 0xffffu << 5, (uint32_t)((X >> shift) & 0xffff) << 5);
}

/*
 * The signed groups: MOVZ with X[shift+15:shift] if X >= 0, MOVN with NOT X's bits if X < 0,
 * so that the sequence builds X whatever its sign. @bits > 0 checks -2^bits <= X < 2^bits. A
 * MOVK (only valid for the _NC companions) keeps its opcode and takes X's bits.
 */
static enum llext_reloc_err put_movw_s(uint8_t *loc, int64_t X, unsigned int shift,
                                       unsigned int bits)
{
	uint64_t v = (uint64_t)X;
	uint32_t insn;

	if (!get_insn(loc, &cls_movw, &insn)) {
		return LLEXT_RELOC_INSN;
	}
	if (bits && !llext_fits_signed(X, bits + 1)) {
		return LLEXT_RELOC_RANGE;
	}
	if ((insn & MOVW_OPC_MASK) != MOVW_OPC_MOVK) {
		insn &= ~MOVW_OPC_MASK;
		if (X < 0) {
			insn |= MOVW_OPC_MOVN;
			v = ~v;
		} else {
			insn |= MOVW_OPC_MOVZ;
		}
	}
	return put_field(loc, insn, 0xffffu << 5, (uint32_t)((v >> shift) & 0xffff) << 5);
}

/* G(GDAT(S+A)): the generic code gives each symbol one entry, holding S (see the top). */
static int got_entry(const struct llext_reloc *r, uint64_t *G)
{
	if (!r->G || r->A != 0) {
		return 0;
	}
	*G = r->G;
	return 1;
}

/* The low 12 bits of DTPREL(S+A): checked 0 <= X < 2^12 unless @nc, scaled by 2^@scale. */
static enum llext_reloc_err put_dtprel_lo12(uint8_t *loc, const struct insn_class *c, uint64_t X,
                                            unsigned int scale, int nc)
{
	if (!nc && X >= 0x1000) {
		return LLEXT_RELOC_RANGE;
	}
	return put_lo12(loc, c, X, scale);
}

/*
 * Thread-local storage, dynamic models, and initial-exec through the GOT (TLSIE, whose GTPREL
 * entry the generic code fills for a variable outside in static TLS; it refuses TLSLE). S is the
 * symbol's offset in the extension's TLS block, so DTPREL(S+A) = S + A; G is the GOT item the
 * type names: GTLSIDX(S,A) for TLSGD, GLDM(S) for TLSLD, GTLSDESC(S+A) for TLSDESC. The generic
 * code makes one GTLSIDX and one GTLSDESC per symbol, holding S: A must be 0 for those (as for
 * the GOT, see got_entry()). The large-model MOVW forms (G - GOT) are not emitted by GCC or Clang
 * and not supported.
 *
 * Like aarch64_apply(), a flat switch with one case per type.
 */
static enum llext_reloc_err aarch64_apply_tls(const struct llext_reloc *r)
{
	uint64_t X = r->S + r->A, P = r->P, G = r->G;
	uint32_t type = r->desc->type, insn;
	uint16_t fl = r->desc->flags;

	if ((fl & LLEXT_RF_TLS_LD) && !G) {
		return LLEXT_RELOC_NOGOT;
	}
	if ((fl & (LLEXT_RF_TLS_GD | LLEXT_RF_TLS_DESC | LLEXT_RF_TLS_IE)) && !got_entry(r, &G)) {
		return LLEXT_RELOC_NOGOT;
	}
	switch (type) {
	case R_AARCH64_TLSGD_ADR_PREL21:
	case R_AARCH64_TLSLD_ADR_PREL21:
	case R_AARCH64_TLSDESC_ADR_PREL21:
		/* ADR: G - P, check -2^20 <= X < 2^20. */
		if (!get_insn(r->loc, &cls_adr, &insn)) {
			return LLEXT_RELOC_INSN;
		}
		if (!llext_fits_signed((int64_t)(G - P), 21)) {
			return LLEXT_RELOC_RANGE;
		}
		return put_adr(r->loc, &cls_adr, G - P);
	case R_AARCH64_TLSGD_ADR_PAGE21:
	case R_AARCH64_TLSLD_ADR_PAGE21:
	case R_AARCH64_TLSDESC_ADR_PAGE21:
		/* ADRP: Page(G) - Page(P), check -2^32 <= X < 2^32. */
		return put_adrp(r->loc, G, P, 0);
	case R_AARCH64_TLSGD_ADD_LO12_NC:
	case R_AARCH64_TLSLD_ADD_LO12_NC:
	case R_AARCH64_TLSDESC_ADD_LO12:
		return put_lo12(r->loc, &cls_add, G, 0);
	case R_AARCH64_TLSDESC_LD64_LO12:
	case R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC:
		return put_lo12(r->loc, &cls_ldst, G, 3);
	case R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21:
		/* ADRP: Page(G(GTPREL(S+A))) - Page(P), check -2^32 <= X < 2^32. */
		return put_adrp(r->loc, G, P, 0);
	case R_AARCH64_TLSLD_LD_PREL19:
	case R_AARCH64_TLSDESC_LD_PREL19:
	case R_AARCH64_TLSIE_LD_GOTTPREL_PREL19:
		/* LDR literal: G - P, check -2^20 <= X < 2^20. */
		return put_pcrel_words(r->loc, &cls_ldr_lit, (int64_t)(G - P), 21, 5);
	case R_AARCH64_TLSDESC_LDR:
	case R_AARCH64_TLSDESC_ADD:
	case R_AARCH64_TLSDESC_CALL:
		/* Mark the sequence for relaxation, which we never do. */
		return LLEXT_RELOC_OK;
	case R_AARCH64_TLSLD_MOVW_DTPREL_G2:
		return put_movw_s(r->loc, (int64_t)X, 32, 48);
	case R_AARCH64_TLSLD_MOVW_DTPREL_G1:
		return put_movw_s(r->loc, (int64_t)X, 16, 32);
	case R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC:
		return put_movw_u(r->loc, X, 16, 0);
	case R_AARCH64_TLSLD_MOVW_DTPREL_G0:
		return put_movw_s(r->loc, (int64_t)X, 0, 16);
	case R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC:
		return put_movw_u(r->loc, X, 0, 0);
	case R_AARCH64_TLSLD_ADD_DTPREL_HI12:
	case R_AARCH64_TLSLE_ADD_TPREL_HI12:
		/* ADD (LSL #12): X[23:12], check 0 <= X < 2^24. */
		if (!get_insn(r->loc, &cls_add, &insn)) {
			return LLEXT_RELOC_INSN;
		}
		if (X >= 0x1000000) {
			return LLEXT_RELOC_RANGE;
		}
		return put_field(r->loc, insn, 0xfffu << 10, (uint32_t)((X >> 12) & 0xfff) << 10);
	default:
		return LLEXT_RELOC_UNSUPPORTED;
	}
}

/* The DTPREL low-12 forms, ADD and loads/stores, in a table: (type, class, scale, _NC). */
static const struct {
	uint32_t type;
	const struct insn_class *c;
	uint8_t scale, nc;
} dtprel_lo12[] = {
    {R_AARCH64_TLSLD_ADD_DTPREL_LO12, &cls_add, 0, 0},
    {R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC, &cls_add, 0, 1},
    {R_AARCH64_TLSLD_LDST8_DTPREL_LO12, &cls_ldst, 0, 0},
    {R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC, &cls_ldst, 0, 1},
    {R_AARCH64_TLSLD_LDST16_DTPREL_LO12, &cls_ldst, 1, 0},
    {R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC, &cls_ldst, 1, 1},
    {R_AARCH64_TLSLD_LDST32_DTPREL_LO12, &cls_ldst, 2, 0},
    {R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC, &cls_ldst, 2, 1},
    {R_AARCH64_TLSLD_LDST64_DTPREL_LO12, &cls_ldst, 3, 0},
    {R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC, &cls_ldst, 3, 1},
    {R_AARCH64_TLSLD_LDST128_DTPREL_LO12, &cls_ldst, 4, 0},
    {R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC, &cls_ldst, 4, 1},
    /* Local-exec: S is then TPREL(S), the offset from the thread pointer (the generic code
     * allows it for a block in static TLS only); the fields are the same. */
    {R_AARCH64_TLSLE_ADD_TPREL_LO12, &cls_add, 0, 0},
    {R_AARCH64_TLSLE_ADD_TPREL_LO12_NC, &cls_add, 0, 1},
    {R_AARCH64_TLSLE_LDST8_TPREL_LO12, &cls_ldst, 0, 0},
    {R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC, &cls_ldst, 0, 1},
    {R_AARCH64_TLSLE_LDST16_TPREL_LO12, &cls_ldst, 1, 0},
    {R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC, &cls_ldst, 1, 1},
    {R_AARCH64_TLSLE_LDST32_TPREL_LO12, &cls_ldst, 2, 0},
    {R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC, &cls_ldst, 2, 1},
    {R_AARCH64_TLSLE_LDST64_TPREL_LO12, &cls_ldst, 3, 0},
    {R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC, &cls_ldst, 3, 1},
    {R_AARCH64_TLSLE_LDST128_TPREL_LO12, &cls_ldst, 4, 0},
    {R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC, &cls_ldst, 4, 1},
};

static enum llext_reloc_err apply_tls(const struct llext_reloc *r)
{
	for (size_t i = 0; i < sizeof(dtprel_lo12) / sizeof(dtprel_lo12[0]); i++) {
		if (dtprel_lo12[i].type == r->desc->type) {
			return put_dtprel_lo12(r->loc, dtprel_lo12[i].c, r->S + r->A,
			                       dtprel_lo12[i].scale, dtprel_lo12[i].nc);
		}
	}
	return aarch64_apply_tls(r);
}

/*
 * One case per relocation type, each a line or two of psABI formula and encoding: longer than a
 * screen, but a flat switch keeps every type's formula next to its name, as the psABI lists them.
 */
static enum llext_reloc_err aarch64_apply(const struct llext_reloc *r)
{
	uint64_t S = r->S, A = r->A, P = r->P, G;
	uint8_t *loc = r->loc;
	uint32_t insn;
	int64_t X;

	if (r->desc->flags & LLEXT_RF_TLS) {
		return apply_tls(r);
	}
	switch (r->desc->type) {
	case R_AARCH64_NONE:
		return LLEXT_RELOC_OK;

	/* Data: S + A, or S + A - P; check -2^(n-1) <= X < 2^n for n < 64. */
	case R_AARCH64_ABS64:
		llext_put_le(loc, S + A, 8);
		return LLEXT_RELOC_OK;
	case R_AARCH64_ABS32:
		return put_data(loc, (int64_t)(S + A), 32);
	case R_AARCH64_ABS16:
		return put_data(loc, (int64_t)(S + A), 16);
	case R_AARCH64_PREL64:
		llext_put_le(loc, S + A - P, 8);
		return LLEXT_RELOC_OK;
	case R_AARCH64_PREL32:
		return put_data(loc, (int64_t)(S + A - P), 32);
	case R_AARCH64_PREL16:
		return put_data(loc, (int64_t)(S + A - P), 16);

	/* Unsigned groups, S + A: MOVZ checked 0 <= X < 2^(16(n+1)), MOVK (_NC) unchecked. */
	case R_AARCH64_MOVW_UABS_G0:
		return put_movw_u(loc, S + A, 0, 16);
	case R_AARCH64_MOVW_UABS_G0_NC:
		return put_movw_u(loc, S + A, 0, 0);
	case R_AARCH64_MOVW_UABS_G1:
		return put_movw_u(loc, S + A, 16, 32);
	case R_AARCH64_MOVW_UABS_G1_NC:
		return put_movw_u(loc, S + A, 16, 0);
	case R_AARCH64_MOVW_UABS_G2:
		return put_movw_u(loc, S + A, 32, 48);
	case R_AARCH64_MOVW_UABS_G2_NC:
		return put_movw_u(loc, S + A, 32, 0);
	case R_AARCH64_MOVW_UABS_G3:
		return put_movw_u(loc, S + A, 48, 0);

	/* Signed groups, S + A: MOV[NZ] checked -2^(16(n+1)) <= X < 2^(16(n+1)). */
	case R_AARCH64_MOVW_SABS_G0:
		return put_movw_s(loc, (int64_t)(S + A), 0, 16);
	case R_AARCH64_MOVW_SABS_G1:
		return put_movw_s(loc, (int64_t)(S + A), 16, 32);
	case R_AARCH64_MOVW_SABS_G2:
		return put_movw_s(loc, (int64_t)(S + A), 32, 48);

	/* PC-relative groups, S + A - P: the same, MOVK for the _NC forms, G3 unchecked. */
	case R_AARCH64_MOVW_PREL_G0:
		return put_movw_s(loc, (int64_t)(S + A - P), 0, 16);
	case R_AARCH64_MOVW_PREL_G0_NC:
		return put_movw_u(loc, S + A - P, 0, 0);
	case R_AARCH64_MOVW_PREL_G1:
		return put_movw_s(loc, (int64_t)(S + A - P), 16, 32);
	case R_AARCH64_MOVW_PREL_G1_NC:
		return put_movw_u(loc, S + A - P, 16, 0);
	case R_AARCH64_MOVW_PREL_G2:
		return put_movw_s(loc, (int64_t)(S + A - P), 32, 48);
	case R_AARCH64_MOVW_PREL_G2_NC:
		return put_movw_u(loc, S + A - P, 32, 0);
	case R_AARCH64_MOVW_PREL_G3:
		return put_movw_s(loc, (int64_t)(S + A - P), 48, 0);

	/* PC-relative, S + A - P. */
	case R_AARCH64_LD_PREL_LO19:
		/* LDR literal: check -2^20 <= X < 2^20, X[20:2]. */
		return put_pcrel_words(loc, &cls_ldr_lit, (int64_t)(S + A - P), 21, 5);
	case R_AARCH64_ADR_PREL_LO21:
		/* ADR: check -2^20 <= X < 2^20, X[20:0]. */
		X = (int64_t)(S + A - P);
		if (!get_insn(loc, &cls_adr, &insn)) {
			return LLEXT_RELOC_INSN;
		}
		if (!llext_fits_signed(X, 21)) {
			return LLEXT_RELOC_RANGE;
		}
		return put_adr(loc, &cls_adr, (uint64_t)X);
	case R_AARCH64_ADR_PREL_PG_HI21:
		/* ADRP: Page(S+A) - Page(P), check -2^32 <= X < 2^32, X[32:12]. */
		return put_adrp(loc, S + A, P, 0);
	case R_AARCH64_ADR_PREL_PG_HI21_NC:
		return put_adrp(loc, S + A, P, 1);
	case R_AARCH64_TSTBR14:
		/* TBZ/TBNZ: check -2^15 <= X < 2^15, X[15:2]. */
		return put_pcrel_words(loc, &cls_tbz, (int64_t)(S + A - P), 16, 5);
	case R_AARCH64_CONDBR19:
		/* B.cond, CBZ/CBNZ: check -2^20 <= X < 2^20, X[20:2]. */
		return put_condbr(loc, (int64_t)(S + A - P));
	case R_AARCH64_JUMP26:
	case R_AARCH64_CALL26:
		/*
		 * B/BL: check -2^27 <= X < 2^27, X[27:2]. X is S + A - P when S is in reach,
		 * else L - P through S's veneer, when the generic code made one. The veneer
		 * jumps to S itself, so a non-zero A (which no compiler emits for a call) cannot
		 * go through it: branching to L + A would land inside the veneer.
		 */
		X = (int64_t)(S + A - P);
		if (!llext_fits_signed(X, 28) && r->L && A == 0) {
			X = (int64_t)(r->L - P);
		}
		return put_pcrel_words(loc, &cls_b, X, 28, 0);

	/* Absolute low 12 bits, S + A, no overflow check. */
	case R_AARCH64_ADD_ABS_LO12_NC:
		return put_lo12(loc, &cls_add, S + A, 0);
	case R_AARCH64_LDST8_ABS_LO12_NC:
		return put_lo12(loc, &cls_ldst, S + A, 0);
	case R_AARCH64_LDST16_ABS_LO12_NC:
		return put_lo12(loc, &cls_ldst, S + A, 1);
	case R_AARCH64_LDST32_ABS_LO12_NC:
		return put_lo12(loc, &cls_ldst, S + A, 2);
	case R_AARCH64_LDST64_ABS_LO12_NC:
		return put_lo12(loc, &cls_ldst, S + A, 3);
	case R_AARCH64_LDST128_ABS_LO12_NC:
		return put_lo12(loc, &cls_ldst, S + A, 4);

	/* Through the GOT. */
	case R_AARCH64_GOT_LD_PREL19:
		/* G(GDAT(S+A)) - P, check -2^20 <= X < 2^20, X[20:2]. */
		if (!got_entry(r, &G)) {
			return LLEXT_RELOC_NOGOT;
		}
		return put_pcrel_words(loc, &cls_ldr_lit, (int64_t)(G - P), 21, 5);
	case R_AARCH64_ADR_GOT_PAGE:
		/* Page(G(GDAT(S+A))) - Page(P), check -2^32 <= X < 2^32, X[32:12]. */
		if (!got_entry(r, &G)) {
			return LLEXT_RELOC_NOGOT;
		}
		return put_adrp(loc, G, P, 0);
	case R_AARCH64_LD64_GOT_LO12_NC:
		/* G(GDAT(S+A)), X[11:3], no overflow check. */
		if (!got_entry(r, &G)) {
			return LLEXT_RELOC_NOGOT;
		}
		return put_lo12(loc, &cls_ldst, G, 3);
	case R_AARCH64_LD64_GOTPAGE_LO15:
		/* G(GDAT(S+A)) - Page(GOT), check 0 <= X < 2^15, X[14:3] (GCC's -fpic). */
		if (!got_entry(r, &G) || !r->got) {
			return LLEXT_RELOC_NOGOT;
		}
		X = (int64_t)G - page(r->got);
		if (!get_insn(loc, &cls_ldst, &insn)) {
			return LLEXT_RELOC_INSN;
		}
		if (X < 0 || X >= ((int64_t)1 << 15)) {
			return LLEXT_RELOC_RANGE;
		}
		if (X & 7) {
			return LLEXT_RELOC_ALIGN;
		}
		return put_field(loc, insn, 0xfffu << 10, (uint32_t)(X >> 3) << 10);
	default:
		return LLEXT_RELOC_UNSUPPORTED;
	}
}

/*
 * A veneer through the GOT entry at @slot:
 *
 *	adrp	x16, slot		// Page(slot) - Page(addr)
 *	ldr	x16, [x16, #:lo12:slot]
 *	br	x16
 *	brk	#0			// padding to stub_size, never reached
 *
 * x16 (IP0) is the register AAPCS64 lets a linker's veneer clobber between a call and its
 * target, and a BR through x16 may land on a "BTI c" target. The slot is in the extension's
 * GOT and the stub in its text, at most max_span apart, well within ADRP's +-4 GiB; GOT entries
 * are 8-byte aligned, as the scaled LDR needs.
 */
static void aarch64_write_stub(uint8_t *loc, uint64_t addr, uint64_t slot)
{
	uint64_t pages = (uint64_t)(page(slot) - page(addr)) >> 12;

	llext_put_le(
	    loc,
	    0x90000010u | (uint32_t)(pages & 3) << 29 | (uint32_t)((pages >> 2) & 0x7ffff) << 5, 4);
	llext_put_le(loc + 4, 0xf9400210u | (uint32_t)((slot & 0xfff) >> 3) << 10, 4);
	llext_put_le(loc + 8, 0xd61f0200u, 4);
	llext_put_le(loc + 12, 0xd4200000u, 4);
}

/*
 * Instruction fetch does not snoop data writes on AArch64: clean the data cache and invalidate
 * the instruction cache over the code just written (the compiler's builtin does both, with the
 * barriers). Only the host's backend is asked to do this; elsewhere it has nothing to do.
 */
static void aarch64_sync_icache(void *start, size_t len)
{
#if defined(__aarch64__)
	__builtin___clear_cache((char *)start, (char *)start + len);
#else
	(void)start;
	(void)len;
#endif
}

__attribute__((flatten)) static size_t aarch64_apply_run(const struct llext_reloc_run *run,
                                                         size_t from, struct llext_reloc *rel,
                                                         enum llext_reloc_err *err)
{
	return llext_reloc_loop(run, from, rel, err, aarch64_apply);
}

const struct llext_arch llext_arch_aarch64 = {
    .name = "aarch64",
    .machine = EM_AARCH64,
    .relocs = aarch64_relocs,
    .nrelocs = sizeof(aarch64_relocs) / sizeof(aarch64_relocs[0]),
    .apply = aarch64_apply,
    .apply_run = aarch64_apply_run,
    .stub_size = 16,
    .write_stub = aarch64_write_stub,
    .sync_icache = aarch64_sync_icache,
    /*
     * One number bounds every reference inside an extension, and the tightest that compilers
     * use between sections in the default (small) model is CALL26/JUMP26 from text to text or
     * to a veneer at the end of text: +-128 MiB. ADRP (+-4 GiB) reaches everything else in a
     * span that small. So the whole extension must span under 128 MiB, less 64 KiB of room for
     * addends; larger static data belongs on the heap. The tiny model's +-1 MiB (ADR, LDR
     * literal) cannot be promised this way: -mcmodel=tiny is the programmer's promise that the
     * extension is under 1 MiB, and the encoders report a breach exactly.
     */
    .max_span = 0x8000000 - 0x10000,
    .pic_hint = "-fPIC",
};
