// SPDX-License-Identifier: MIT
/*
 * The x86-64 backend's encoders on byte buffers, on any host: every vector from the real
 * assembler and linker (vectors-x86_64.h), the descriptor table, the stub, and refusals without
 * a GOT.
 */
#include <elf.h>

#include "unit.h"

#include "vectors-x86_64.h"

const struct llext_arch *unit_arch = &llext_arch_x86_64;

static void test_table(void **state)
{
	static const uint32_t tls[] = {
	    R_X86_64_DTPMOD64, R_X86_64_DTPOFF64,     R_X86_64_TPOFF64,         R_X86_64_TLSGD,
	    R_X86_64_TLSLD,    R_X86_64_DTPOFF32,     R_X86_64_GOTTPOFF,        R_X86_64_TPOFF32,
	    R_X86_64_TLSDESC,  R_X86_64_TLSDESC_CALL, R_X86_64_GOTPC32_TLSDESC,
	};
	static const uint32_t dynamic[] = {R_X86_64_COPY, R_X86_64_GLOB_DAT, R_X86_64_JUMP_SLOT,
	                                   R_X86_64_RELATIVE, R_X86_64_IRELATIVE};

	(void)state;
	check_table("R_X86_64_");
	for (size_t i = 0; i < ARRAY_SIZE(tls); i++) {
		assert_true(unit_desc(tls[i])->flags & LLEXT_RF_TLS);
	}
	for (size_t i = 0; i < ARRAY_SIZE(dynamic); i++) {
		assert_true(unit_desc(dynamic[i])->flags & LLEXT_RF_DYNAMIC);
	}
	assert_true(unit_desc(R_X86_64_PLT32)->flags & LLEXT_RF_STUB);
	assert_true(unit_desc(R_X86_64_GOTPCREL)->flags & LLEXT_RF_GOT);
	assert_true(unit_desc(R_X86_64_GOTPC32)->flags & LLEXT_RF_GOTBASE);
	assert_int_equal(llext_arch_x86_64.stub_size, 8);
	assert_null(llext_arch_x86_64.sync_icache);
}

static void test_stubs(void **state)
{
	(void)state;
	check_stubs(x86_64_stubs, ARRAY_SIZE(x86_64_stubs));
}

/* GOT-relative types without a GOT (entry or base) are refused and leave the place alone. */
static void test_no_got(void **state)
{
	static const uint32_t types[] = {
	    R_X86_64_GOTPCREL,        R_X86_64_GOTPCRELX, R_X86_64_REX_GOTPCRELX,
	    R_X86_64_GOTPCREL64,      R_X86_64_GOTOFF64,  R_X86_64_GOTPC32,
	    R_X86_64_GOTPC64,         R_X86_64_GOT64,     R_X86_64_GOTPLT64,
	    R_X86_64_PLTOFF64,        R_X86_64_TLSGD,     R_X86_64_TLSLD,
	    R_X86_64_GOTPC32_TLSDESC,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};

		assert_int_equal(
		    llext_arch_x86_64.apply(&(struct llext_reloc){
			.desc = unit_desc(types[i]), .loc = buf, .P = 0x1000, .S = 0x2000}),
		    LLEXT_RELOC_NOGOT);
		assert_int_equal(buf[0], 1);
		assert_int_equal(buf[7], 8);
	}
}

/* PLT32 out of reach with no stub is refused. */
static void test_plt32_without_stub(void **state)
{
	uint8_t buf[4] = {0};

	(void)state;
	assert_int_equal(
	    llext_arch_x86_64.apply(&(struct llext_reloc){.desc = unit_desc(R_X86_64_PLT32),
	                                                  .loc = buf,
	                                                  .P = 0x7f0000000000,
	                                                  .S = 0x1000,
	                                                  .A = (uint64_t)-4}),
	    LLEXT_RELOC_RANGE);
}

/* DTPOFF32 is a sign-extended 32-bit offset in the block; IE/LE types are flagged fixed. */
static void test_tls(void **state)
{
	uint8_t buf[4] = {0};

	(void)state;
	assert_int_equal(llext_arch_x86_64.apply(&(struct llext_reloc){
			     .desc = unit_desc(R_X86_64_DTPOFF32), .loc = buf, .S = 0x80000000}),
	                 LLEXT_RELOC_RANGE);
	/* Local-exec against a block in static TLS: S is the offset from %fs:0, negative. */
	assert_int_equal(llext_arch_x86_64.apply(&(struct llext_reloc){
			     .desc = unit_desc(R_X86_64_TPOFF32), .loc = buf, .S = (uint64_t)-200}),
	                 LLEXT_RELOC_OK);
	assert_int_equal(llext_get_le(buf, 4), 0xffffff38);
	assert_int_equal(llext_arch_x86_64.apply(&(struct llext_reloc){
			     .desc = unit_desc(R_X86_64_TPOFF32), .loc = buf, .S = 0x80000000}),
	                 LLEXT_RELOC_RANGE);
	assert_true(unit_desc(R_X86_64_TPOFF32)->flags & LLEXT_RF_TLS_FIXED);
	assert_true(unit_desc(R_X86_64_GOTTPOFF)->flags & LLEXT_RF_TLS_FIXED);
	assert_true(unit_desc(R_X86_64_TPOFF64)->flags & LLEXT_RF_TLS_FIXED);
	assert_true(unit_desc(R_X86_64_TLSGD)->flags & LLEXT_RF_TLS_GD);
	assert_true(unit_desc(R_X86_64_TLSLD)->flags & LLEXT_RF_TLS_LD);
	assert_true(unit_desc(R_X86_64_GOTPC32_TLSDESC)->flags & LLEXT_RF_TLS_DESC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),  cmocka_unit_test(test_stubs),
	    cmocka_unit_test(test_no_got), cmocka_unit_test(test_plt32_without_stub),
	    cmocka_unit_test(test_tls),
	};

	return run_all("x86_64", tests, ARRAY_SIZE(tests), x86_64_vectors,
	               ARRAY_SIZE(x86_64_vectors));
}
