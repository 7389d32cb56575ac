// SPDX-License-Identifier: MIT
/*
 * The AArch64 backend's encoders on byte buffers, on any host: every vector from the real
 * assembler and linker (vectors-aarch64.h), then what a linker cannot show: the descriptor table,
 * veneers, refusals without a GOT entry, instructions of the wrong class, the instruction cache.
 */
#include <elf.h>

#include "aarch64/relocs.h"
#include "unit.h"

#include "vectors-aarch64.h"

const struct llext_arch *unit_arch = &llext_arch_aarch64;

static enum llext_reloc_err apply(uint32_t type, uint32_t *insn, uint64_t P, uint64_t S, uint64_t A,
                                  uint64_t got, uint64_t G, uint64_t L)
{
	uint8_t buf[4];
	enum llext_reloc_err err;

	llext_put_le(buf, *insn, 4);
	err = llext_arch_aarch64.apply(&(struct llext_reloc){.desc = unit_desc(type),
	                                                     .loc = buf,
	                                                     .P = P,
	                                                     .S = S,
	                                                     .A = A,
	                                                     .got = got,
	                                                     .G = G,
	                                                     .L = L});
	*insn = (uint32_t)llext_get_le(buf, 4);
	return err;
}

/* The list the backend's table is generated from, as arch/aarch64/relocs.h states it. */
#define LISTED(name, size, flags, reach, min, max) {name, size, flags},
static const struct {
	uint32_t type;
	uint8_t size;
	uint16_t flags;
} listed[] = {LLEXT_AARCH64_RELOCS(LISTED)};
#undef LISTED

/*
 * Every type the backend applies (the listed ones neither TLS nor dynamic) is in its table with
 * the size of its field, and the psABI's TLS and dynamic types are refused by name; then the
 * flags and reach that placement relies on.
 */
static void test_table(void **state)
{
	static const uint32_t dynamic[] = {
	    R_AARCH64_COPY,      R_AARCH64_GLOB_DAT,   R_AARCH64_JUMP_SLOT,
	    R_AARCH64_RELATIVE,  R_AARCH64_TLS_DTPMOD, R_AARCH64_TLS_DTPREL,
	    R_AARCH64_TLS_TPREL, R_AARCH64_TLSDESC,    R_AARCH64_IRELATIVE,
	};
	size_t napplied = 0;

	(void)state;
	check_table("R_AARCH64_");
	for (size_t i = 0; i < ARRAY_SIZE(listed); i++) {
		uint32_t t = listed[i].type;
		const struct llext_reloc_desc *d = unit_desc(t);

		if (t == R_AARCH64_NONE || (listed[i].flags & (LLEXT_RF_TLS | LLEXT_RF_DYNAMIC))) {
			continue;
		}
		napplied++;
		assert_int_equal(d->flags & (LLEXT_RF_TLS | LLEXT_RF_DYNAMIC), 0);
		assert_int_equal(d->size, t == R_AARCH64_ABS64 || t == R_AARCH64_PREL64   ? 8
		                          : t == R_AARCH64_ABS16 || t == R_AARCH64_PREL16 ? 2
		                                                                          : 4);
	}
	/* Data, MOVW, PC-relative, branch, LO12 and GOT forms: none may drop out of the list. */
	assert_int_equal(napplied, 41);
	/* Every TLS type of the psABI (512..573) and every dynamic one is refused by name. */
	for (uint32_t t = R_AARCH64_TLSGD_ADR_PREL21; t <= R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC;
	     t++) {
		assert_true(unit_desc(t)->flags & LLEXT_RF_TLS);
	}
	for (size_t i = 0; i < ARRAY_SIZE(dynamic); i++) {
		assert_true(unit_desc(dynamic[i])->flags & LLEXT_RF_DYNAMIC);
	}
	/* Branches may take a veneer; GOT forms need an entry; ADRP reaches +-4 GiB by page. */
	assert_true(unit_desc(R_AARCH64_CALL26)->flags & LLEXT_RF_STUB);
	assert_true(unit_desc(R_AARCH64_JUMP26)->flags & LLEXT_RF_STUB);
	assert_int_equal(unit_desc(R_AARCH64_CALL26)->min, -((int64_t)1 << 27));
	assert_int_equal(unit_desc(R_AARCH64_CALL26)->max, ((int64_t)1 << 27) - 4);
	assert_int_equal(unit_desc(R_AARCH64_ADR_PREL_PG_HI21)->reach, LLEXT_REACH_PAGE);
	assert_int_equal(unit_desc(R_AARCH64_ADR_PREL_PG_HI21)->min, -((int64_t)1 << 32));
	assert_int_equal(unit_desc(R_AARCH64_ADR_PREL_PG_HI21_NC)->reach, LLEXT_REACH_ANY);
	assert_true(unit_desc(R_AARCH64_ADR_GOT_PAGE)->flags & LLEXT_RF_GOT);
	assert_true(unit_desc(R_AARCH64_LD64_GOT_LO12_NC)->flags & LLEXT_RF_GOT);
	assert_true(unit_desc(R_AARCH64_GOT_LD_PREL19)->flags & LLEXT_RF_GOT);
	assert_int_equal(unit_desc(R_AARCH64_LD64_GOTPAGE_LO15)->flags,
	                 LLEXT_RF_GOT | LLEXT_RF_GOTBASE);
	assert_int_equal(unit_desc(R_AARCH64_ABS32)->reach, LLEXT_REACH_ABS);
	assert_int_equal(unit_desc(R_AARCH64_PREL32)->max, 0xffffffffll);
	/* A whole extension stays within one BL's reach of itself. */
	assert_true(llext_arch_aarch64.max_span <= ((uint64_t)1 << 27));
	assert_true(llext_arch_aarch64.max_span >= ((uint64_t)1 << 26));
	assert_int_equal(llext_arch_aarch64.stub_size, 16);
	assert_non_null(llext_arch_aarch64.sync_icache);
	assert_string_equal(llext_arch_aarch64.pic_hint, "-fPIC");
}

/* The veneer is the assembler's ADRP x16 / LDR x16 / BR x16 / BRK, at several distances. */
static void test_stubs(void **state)
{
	(void)state;
	check_stubs(aarch64_stubs, ARRAY_SIZE(aarch64_stubs));
}

/* Without a GOT entry, or for GDAT(S+A) with A != 0 (one entry per symbol holds S alone),
 * GOT relocations are refused, the instruction untouched. */
static void test_no_got_entry(void **state)
{
	static const struct {
		uint32_t type, insn;
	} got_forms[] = {
	    {R_AARCH64_ADR_GOT_PAGE, 0x9000000d},     /* adrp x13, 0 */
	    {R_AARCH64_LD64_GOT_LO12_NC, 0xf94001ad}, /* ldr x13, [x13] */
	    {R_AARCH64_GOT_LD_PREL19, 0x5800000d},    /* ldr x13, . */
	    {R_AARCH64_LD64_GOTPAGE_LO15, 0xf94001ad},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(got_forms); i++) {
		uint32_t insn = got_forms[i].insn;

		assert_int_equal(
		    apply(got_forms[i].type, &insn, 0x10000, 0x20000, 0, 0x30000, 0, 0),
		    LLEXT_RELOC_NOGOT);
		assert_int_equal(
		    apply(got_forms[i].type, &insn, 0x10000, 0x20000, 8, 0x30000, 0x30008, 0),
		    LLEXT_RELOC_NOGOT);
		assert_int_equal(insn, got_forms[i].insn);
	}
	/* GOTPAGE_LO15 is relative to the GOT's base as well. */
	uint32_t insn = 0xf94001ad;

	assert_int_equal(
	    apply(R_AARCH64_LD64_GOTPAGE_LO15, &insn, 0x10000, 0x20000, 0, 0, 0x30008, 0),
	    LLEXT_RELOC_NOGOT);
}

/* A relocation on an instruction it cannot patch is refused rather than corrupting it. */
static void test_wrong_instruction(void **state)
{
	static const struct {
		uint32_t type, insn;
	} wrong[] = {
	    {R_AARCH64_CALL26, 0xd503201f},             /* nop */
	    {R_AARCH64_JUMP26, 0x54000000},             /* b.eq */
	    {R_AARCH64_CONDBR19, 0x36000000},           /* tbz */
	    {R_AARCH64_TSTBR14, 0x54000000},            /* b.eq */
	    {R_AARCH64_LD_PREL_LO19, 0xf9400000},       /* ldr x0, [x0] */
	    {R_AARCH64_ADR_PREL_LO21, 0x90000000},      /* adrp, not adr */
	    {R_AARCH64_ADR_PREL_PG_HI21, 0x10000000},   /* adr, not adrp */
	    {R_AARCH64_ADD_ABS_LO12_NC, 0xf9400000},    /* a load, not add */
	    {R_AARCH64_LDST64_ABS_LO12_NC, 0x91000000}, /* add, not a load */
	    {R_AARCH64_MOVW_UABS_G0, 0x91000000},       /* add */
	    {R_AARCH64_MOVW_SABS_G0, 0xb2800000},       /* opc 01: unallocated */
	    {R_AARCH64_MOVW_PREL_G0_NC, 0x91000000},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(wrong); i++) {
		uint32_t insn = wrong[i].insn;

		if (apply(wrong[i].type, &insn, 0x10000, 0x10040, 0, 0, 0, 0) != LLEXT_RELOC_INSN) {
			fail_msg("%s accepted instruction 0x%08x", unit_desc(wrong[i].type)->name,
			         wrong[i].insn);
		}
		assert_int_equal(insn, wrong[i].insn);
	}
}

/* A branch out of reach with no veneer is refused; with one it goes there, S = 0 included. */
static void test_branch_without_veneer(void **state)
{
	uint32_t bl = 0x94000000;

	(void)state;
	assert_int_equal(apply(R_AARCH64_CALL26, &bl, 0x7f0000000000, 0, 0, 0, 0, 0),
	                 LLEXT_RELOC_RANGE);
	assert_int_equal(bl, 0x94000000);
	/* The veneer 16 bytes ahead: imm26 = 4. */
	assert_int_equal(apply(R_AARCH64_CALL26, &bl, 0x7f0000000000, 0, 0, 0, 0, 0x7f0000000010),
	                 LLEXT_RELOC_OK);
	assert_int_equal(bl, 0x94000004);
	/* In reach, the veneer is not used even if there is one. */
	bl = 0x94000000;
	assert_int_equal(apply(R_AARCH64_CALL26, &bl, 0x10000, 0x10100, 0, 0, 0, 0x10010),
	                 LLEXT_RELOC_OK);
	assert_int_equal(bl, 0x94000040);
}

/* Local-exec against a block in static TLS: S is then the offset from the thread pointer, split
 * as `add x0, x0, #:tprel_hi12:v, lsl #12; add x0, x0, #:tprel_lo12_nc:v`. */
static void test_tprel(void **state)
{
	uint32_t hi = 0x91400000, lo = 0x91000000, ldr = 0xf9400000;

	(void)state;
	assert_int_equal(apply(R_AARCH64_TLSLE_ADD_TPREL_HI12, &hi, 0, 0x12345, 8, 0, 0, 0),
	                 LLEXT_RELOC_OK);
	assert_int_equal(hi, 0x91400000 | (0x12 << 10));
	assert_int_equal(apply(R_AARCH64_TLSLE_ADD_TPREL_LO12_NC, &lo, 0, 0x12345, 8, 0, 0, 0),
	                 LLEXT_RELOC_OK);
	assert_int_equal(lo, 0x91000000 | (0x34d << 10));
	/* An 8-byte load scales its offset by 8. */
	assert_int_equal(apply(R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC, &ldr, 0, 0x1010, 8, 0, 0, 0),
	                 LLEXT_RELOC_OK);
	assert_int_equal(ldr, 0xf9400000 | (3 << 10));
	/* Beyond the two 12-bit halves, and the checked low half past 4095. */
	hi = 0x91400000;
	assert_int_equal(apply(R_AARCH64_TLSLE_ADD_TPREL_HI12, &hi, 0, 0x1000000, 0, 0, 0, 0),
	                 LLEXT_RELOC_RANGE);
	assert_int_equal(apply(R_AARCH64_TLSLE_ADD_TPREL_LO12, &lo, 0, 0x1000, 0, 0, 0, 0),
	                 LLEXT_RELOC_RANGE);
}

/* Types the encoder does not handle (the generic code refuses them first) are refused. */
static void test_unsupported(void **state)
{
	uint32_t insn = 0x91000000;

	(void)state;
	assert_int_equal(apply(R_AARCH64_TLSLE_MOVW_TPREL_G0, &insn, 0, 0, 0, 0, 0, 0),
	                 LLEXT_RELOC_UNSUPPORTED);
	assert_int_equal(apply(R_AARCH64_GLOB_DAT, &insn, 0, 0, 0, 0, 0, 0),
	                 LLEXT_RELOC_UNSUPPORTED);
	assert_int_equal(insn, 0x91000000);
	assert_int_equal(apply(R_AARCH64_NONE, &insn, 0, 0, 0, 0, 0, 0), LLEXT_RELOC_OK);
	assert_int_equal(insn, 0x91000000);
}

/*
 * TLS: the GOT item forms need their item (and, for GTLSIDX and GTLSDESC, A = 0: one item per
 * symbol holds S); the checked DTPREL forms their range; the unsupported large-model forms are
 * refused; the initial- and local-exec ones never reach the encoder (tests/test_tls.c).
 */
static void test_tls(void **state)
{
	uint32_t adrp = 0x90000000, add = 0x91000000, add12 = 0x91400000, movz = 0xd2a00000;

	(void)state;
	assert_int_equal(apply(R_AARCH64_TLSDESC_ADR_PAGE21, &adrp, 0x10000, 0x10, 0, 0, 0, 0),
	                 LLEXT_RELOC_NOGOT);
	assert_int_equal(apply(R_AARCH64_TLSGD_ADD_LO12_NC, &add, 0x10000, 0x10, 8, 0, 0x20000, 0),
	                 LLEXT_RELOC_NOGOT);
	assert_int_equal(apply(R_AARCH64_TLSLD_ADR_PAGE21, &adrp, 0x10000, 0x10, 0, 0, 0, 0),
	                 LLEXT_RELOC_NOGOT);
	assert_int_equal(adrp, 0x90000000);
	assert_int_equal(add, 0x91000000);
	/* DTPREL(S+A): 0 <= X < 2^24 for HI12, < 2^12 for the checked LO12; _NC wraps. */
	assert_int_equal(apply(R_AARCH64_TLSLD_ADD_DTPREL_HI12, &add12, 0, 0xfff000, 0, 0, 0, 0),
	                 LLEXT_RELOC_OK);
	assert_int_equal(add12, 0x917ffc00);
	assert_int_equal(apply(R_AARCH64_TLSLD_ADD_DTPREL_HI12, &add12, 0, 0x1000000, 0, 0, 0, 0),
	                 LLEXT_RELOC_RANGE);
	assert_int_equal(apply(R_AARCH64_TLSLD_ADD_DTPREL_LO12, &add, 0, 0x1000, 0, 0, 0, 0),
	                 LLEXT_RELOC_RANGE);
	assert_int_equal(apply(R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC, &add, 0, 0x1004, 0, 0, 0, 0),
	                 LLEXT_RELOC_OK);
	assert_int_equal(add, 0x91001000);
	assert_int_equal(apply(R_AARCH64_TLSLD_MOVW_DTPREL_G1, &movz, 0, 1ull << 32, 0, 0, 0, 0),
	                 LLEXT_RELOC_RANGE);
	/* A descriptor load on an ADD is the wrong instruction. */
	add = 0x91000000;
	assert_int_equal(apply(R_AARCH64_TLSDESC_LD64_LO12, &add, 0, 0x10, 0, 0, 0x20008, 0),
	                 LLEXT_RELOC_INSN);
	assert_int_equal(apply(R_AARCH64_TLSGD_MOVW_G1, &movz, 0, 0x10, 0, 0x20000, 0x20008, 0),
	                 LLEXT_RELOC_UNSUPPORTED);
	assert_int_equal(apply(R_AARCH64_TLSDESC_CALL, &add, 0, 0x10, 0, 0, 0x20008, 0),
	                 LLEXT_RELOC_OK);
	assert_int_equal(add, 0x91000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_stubs),
	    cmocka_unit_test(test_no_got_entry),
	    cmocka_unit_test(test_wrong_instruction),
	    cmocka_unit_test(test_branch_without_veneer),
	    cmocka_unit_test(test_unsupported),
	    cmocka_unit_test(test_tprel),
	    cmocka_unit_test(test_tls),
	};

	return run_all("aarch64", tests, ARRAY_SIZE(tests), aarch64_vectors,
	               ARRAY_SIZE(aarch64_vectors));
}
