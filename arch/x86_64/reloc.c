// SPDX-License-Identifier: MIT
/*
 * x86-64 relocations, after the System V x86-64 psABI, section "Relocation Types".
 *
 * Notation as in the psABI: S is the symbol's value, A the addend, P the place, GOT the GOT's
 * base, G the address of the symbol's GOT entry (the psABI's G is its offset from GOT: our
 * G - GOT), L the symbol's PLT entry, which here is its stub.
 *
 * GOTPCRELX and REX_GOTPCRELX are never relaxed: the GOT entry always exists, which the psABI
 * allows, and leaves the instruction bytes as the compiler wrote them.
 *
 * Thread-local storage, after Drepper's "ELF Handling For Thread-Local Storage" and the TLSDESC
 * proposal: S is the symbol's offset in the extension's TLS block, G the address of the GOT item
 * the type names (a {module, offset} pair, the module's pair, or a descriptor). No sequence is
 * relaxed: the general dynamic `data16 lea; call __tls_get_addr` pair stays a call, and the call
 * is an ordinary PLT32 or GOTPCRELX relocation against __tls_get_addr. Initial-exec (GOTTPOFF)
 * reads a GOT entry that the generic code fills with the variable's offset from the thread
 * pointer.
 */
#include <elf.h>

#include "../arch.h"
#include "relocs.h"

#define X86_64_DESC(name, size, flags, reach, min, max)                                            \
	{name, #name, size, flags, LLEXT_REACH_##reach, min, max},

static const struct llext_reloc_desc x86_64_relocs[] = {LLEXT_X86_64_RELOCS(X86_64_DESC)};

/* Store a PC-relative or absolute value that must fit in @bits, signed. */
static enum llext_reloc_err put_signed(uint8_t *loc, int64_t v, unsigned int bits)
{
	if (!llext_fits_signed(v, bits)) {
		return LLEXT_RELOC_RANGE;
	}
	llext_put_le(loc, (uint64_t)v, bits / 8);
	return LLEXT_RELOC_OK;
}

/* Store a value that must fit in @bits either as a signed or as an unsigned number (the
 * psABI's word16 and word8 fields are used both ways). */
static enum llext_reloc_err put_either(uint8_t *loc, uint64_t v, unsigned int bits)
{
	if (!llext_fits_signed((int64_t)v, bits) && !llext_fits_unsigned(v, bits)) {
		return LLEXT_RELOC_RANGE;
	}
	llext_put_le(loc, v, bits / 8);
	return LLEXT_RELOC_OK;
}

/*
 * One case per relocation type, each a line or two of psABI formula and encoding: longer than a
 * screen, but a flat switch keeps every type's formula next to its name, as the psABI lists them.
 */
static enum llext_reloc_err x86_64_apply(const struct llext_reloc *r)
{
	uint64_t S = r->S, A = r->A, P = r->P;
	uint32_t type = r->desc->type;
	int64_t v;

	/*
	 * PC32 and PLT32 in reach: nine relocations in ten that compilers emit, and the same
	 * formula, S + A - P. Tested before the switch, whose indirect jump the processor would
	 * mispredict as the two types alternate; out of reach, the switch says what to do.
	 */
	v = (int64_t)(S + A - P);
	if ((type == R_X86_64_PC32 || type == R_X86_64_PLT32) && llext_fits_signed(v, 32)) {
		llext_put_le(r->loc, (uint64_t)v, 4);
		return LLEXT_RELOC_OK;
	}
	switch (type) {
	case R_X86_64_NONE:
		return LLEXT_RELOC_OK;
	case R_X86_64_64:
		llext_put_le(r->loc, S + A, 8);
		return LLEXT_RELOC_OK;
	case R_X86_64_PC32:
		return put_signed(r->loc, (int64_t)(S + A - P), 32);
	case R_X86_64_PLT32:
		/* L + A - P, where L is S itself when S is in reach, else S's stub. */
		v = (int64_t)(S + A - P);
		if (!llext_fits_signed(v, 32) && r->L) {
			v = (int64_t)(r->L + A - P);
		}
		return put_signed(r->loc, v, 32);
	case R_X86_64_32:
		/* Zero-extended by the instruction: S + A must be below 4 GiB. */
		if (!llext_fits_unsigned(S + A, 32)) {
			return LLEXT_RELOC_RANGE;
		}
		llext_put_le(r->loc, S + A, 4);
		return LLEXT_RELOC_OK;
	case R_X86_64_32S:
		return put_signed(r->loc, (int64_t)(S + A), 32);
	case R_X86_64_16:
		return put_either(r->loc, S + A, 16);
	case R_X86_64_PC16:
		return put_signed(r->loc, (int64_t)(S + A - P), 16);
	case R_X86_64_8:
		return put_either(r->loc, S + A, 8);
	case R_X86_64_PC8:
		return put_signed(r->loc, (int64_t)(S + A - P), 8);
	case R_X86_64_PC64:
		llext_put_le(r->loc, S + A - P, 8);
		return LLEXT_RELOC_OK;
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
	case R_X86_64_TLSGD:
	case R_X86_64_TLSLD:
	case R_X86_64_GOTPC32_TLSDESC:
	case R_X86_64_GOTTPOFF:
		/* G + GOT + A - P in the psABI's terms; for the TLS types G is their GOT item:
		 * `lea x@tlsgd(%rip), %rdi`, `x@tlsld(%rip)`, `x@tlsdesc(%rip), %rax`, and for
		 * `mov x@gottpoff(%rip), %reg` the entry holding x's offset from %fs:0. */
		if (!r->G) {
			return LLEXT_RELOC_NOGOT;
		}
		return put_signed(r->loc, (int64_t)(r->G + A - P), 32);
	case R_X86_64_GOTPCREL64:
		if (!r->G) {
			return LLEXT_RELOC_NOGOT;
		}
		llext_put_le(r->loc, r->G + A - P, 8);
		return LLEXT_RELOC_OK;
	case R_X86_64_GOTOFF64:
		/* S + A - GOT */
		if (!r->got) {
			return LLEXT_RELOC_NOGOT;
		}
		llext_put_le(r->loc, S + A - r->got, 8);
		return LLEXT_RELOC_OK;
	case R_X86_64_GOTPC32:
		/* GOT + A - P */
		if (!r->got) {
			return LLEXT_RELOC_NOGOT;
		}
		return put_signed(r->loc, (int64_t)(r->got + A - P), 32);
	case R_X86_64_GOTPC64:
		if (!r->got) {
			return LLEXT_RELOC_NOGOT;
		}
		llext_put_le(r->loc, r->got + A - P, 8);
		return LLEXT_RELOC_OK;
	case R_X86_64_GOT64:
	case R_X86_64_GOTPLT64:
		/* G + A, G being the entry's offset from the GOT base. */
		if (!r->G || !r->got) {
			return LLEXT_RELOC_NOGOT;
		}
		llext_put_le(r->loc, r->G - r->got + A, 8);
		return LLEXT_RELOC_OK;
	case R_X86_64_DTPOFF32:
		/* S + A, the offset in the block: a sign-extended displacement or immediate. */
		return put_signed(r->loc, (int64_t)(S + A), 32);
	case R_X86_64_DTPOFF64:
		llext_put_le(r->loc, S + A, 8);
		return LLEXT_RELOC_OK;
	case R_X86_64_TPOFF32:
		/* Local-exec: S is then the variable's offset from %fs:0 (the generic code allows
		 * it for a block in static TLS only), negative below the thread pointer. */
		return put_signed(r->loc, (int64_t)(S + A), 32);
	case R_X86_64_TPOFF64:
		llext_put_le(r->loc, S + A, 8);
		return LLEXT_RELOC_OK;
	case R_X86_64_TLSDESC_CALL:
		/* Marks `call *x@tlscall(%rax)` for relaxation, which we never do. */
		return LLEXT_RELOC_OK;
	case R_X86_64_PLTOFF64:
		/*
		 * L - GOT + A. A 64-bit offset reaches any address, so the function itself serves
		 * as its PLT entry.
		 */
		if (!r->got) {
			return LLEXT_RELOC_NOGOT;
		}
		llext_put_le(r->loc, S + A - r->got, 8);
		return LLEXT_RELOC_OK;
	default:
		return LLEXT_RELOC_UNSUPPORTED;
	}
}

/* jmp *slot(%rip); the two padding bytes are int3. */
static void x86_64_write_stub(uint8_t *loc, uint64_t addr, uint64_t slot)
{
	loc[0] = 0xff;
	loc[1] = 0x25;
	llext_put_le(loc + 2, slot - (addr + 6), 4);
	loc[6] = 0xcc;
	loc[7] = 0xcc;
}

__attribute__((flatten)) static size_t x86_64_apply_run(const struct llext_reloc_run *run,
                                                        size_t from, struct llext_reloc *rel,
                                                        enum llext_reloc_err *err)
{
	return llext_reloc_loop(run, from, rel, err, x86_64_apply);
}

const struct llext_arch llext_arch_x86_64 = {
    .name = "x86_64",
    .machine = EM_X86_64,
    .relocs = x86_64_relocs,
    .nrelocs = sizeof(x86_64_relocs) / sizeof(x86_64_relocs[0]),
    .apply = x86_64_apply,
    .apply_run = x86_64_apply_run,
    .stub_size = 8,
    .write_stub = x86_64_write_stub,
    /* Instruction fetch is coherent with data writes on x86. */
    .sync_icache = NULL,
    /* PC32 between any two places of the extension, with room for addends. */
    .max_span = 0x7fff0000,
    .pic_hint = "-fPIC (or, with GCC, -mno-direct-extern-access)",
};
