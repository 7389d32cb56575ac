/* SPDX-License-Identifier: MIT */
/*
 * An extension written by hand to use the AArch64 relocations compilers do not emit in ordinary
 * code. Every function returns values computed through them; tests/arch/test_arch.c compares
 * those with what this source says they are. References go to other sections (or to symbols
 * resolved at load time) so that the assembler leaves a relocation instead of resolving them.
 *
 * weak_missing is an undefined weak symbol: S = 0, so S + A = A for the absolute forms, which
 * lets small and negative values reach the checked MOVW and 16-bit data relocations.
 */
	.weak	weak_missing

/* A text section laid out before the code: PC-relative references to it are negative. */
	.section .text.before, "ax", %progbits
	.globl	a64_back
	.type	a64_back, %function
a64_back:
	mov	x0, #11
	ret

	.text
/* Branches into other sections: CONDBR19 (B.cond, CBZ), TSTBR14. */
	.globl	a64_branches
	.type	a64_branches, %function
a64_branches:
	cbz	x0, a64_t_cbz		/* R_AARCH64_CONDBR19 */
	tbnz	x0, #1, a64_t_tbnz	/* R_AARCH64_TSTBR14 */
	cmp	x0, #1
	b.eq	a64_t_beq		/* R_AARCH64_CONDBR19 */
	mov	x0, #-1
	ret

/* LDR literal from rodata (LD_PREL_LO19) and ADR to a string (ADR_PREL_LO21). */
	.globl	a64_literal
	.type	a64_literal, %function
a64_literal:
	ldr	x0, a64_lit64		/* R_AARCH64_LD_PREL_LO19 */
	ldr	w1, a64_lit32		/* R_AARCH64_LD_PREL_LO19, 32-bit load */
	add	x0, x0, x1
	ret

	.globl	a64_adr
	.type	a64_adr, %function
a64_adr:
	adr	x0, a64_msg		/* R_AARCH64_ADR_PREL_LO21 */
	ret

/* Loads scaled by 1, 2 and 16 bytes: out[0] byte, out[1] halfword, out[2..3] the quadword. */
	.globl	a64_ldst
	.type	a64_ldst, %function
a64_ldst:
	adrp	x1, a64_bytes		/* R_AARCH64_ADR_PREL_PG_HI21 */
	ldrb	w2, [x1, #:lo12:a64_bytes + 3]	/* R_AARCH64_LDST8_ABS_LO12_NC */
	str	x2, [x0]
	adrp	x1, a64_halves
	ldrh	w2, [x1, #:lo12:a64_halves + 2]	/* R_AARCH64_LDST16_ABS_LO12_NC */
	str	x2, [x0, #8]
	adrp	x1, a64_quad
	ldr	q0, [x1, #:lo12:a64_quad]	/* R_AARCH64_LDST128_ABS_LO12_NC */
	str	q0, [x0, #16]
	/* The store forms patch the same field. */
	adrp	x1, a64_store
	strb	w2, [x1, #:lo12:a64_store]	/* R_AARCH64_LDST8_ABS_LO12_NC */
	strh	w2, [x1, #:lo12:a64_store + 2]	/* R_AARCH64_LDST16_ABS_LO12_NC */
	ret

/* The signed groups: MOVN for negative values, MOVZ for positive ones. */
	.globl	a64_sabs
	.type	a64_sabs, %function
a64_sabs:
	movz	x1, #:abs_g0_s:weak_missing - 1234	/* R_AARCH64_MOVW_SABS_G0, MOVN */
	str	x1, [x0]
	movz	x1, #:abs_g0_s:weak_missing + 0xfedc	/* R_AARCH64_MOVW_SABS_G0, MOVZ */
	str	x1, [x0, #8]
	movz	x1, #:abs_g1_s:weak_missing - 0x12345678	/* R_AARCH64_MOVW_SABS_G1 */
	movk	x1, #:abs_g0_nc:weak_missing - 0x12345678
	str	x1, [x0, #16]
	movz	x1, #:abs_g2_s:weak_missing - 0x123456789abc	/* R_AARCH64_MOVW_SABS_G2 */
	movk	x1, #:abs_g1_nc:weak_missing - 0x123456789abc
	movk	x1, #:abs_g0_nc:weak_missing - 0x123456789abc
	str	x1, [x0, #24]
	movz	x1, #:abs_g2_s:weak_missing + 0x7edcba987654
	movk	x1, #:abs_g1_nc:weak_missing + 0x7edcba987654
	movk	x1, #:abs_g0_nc:weak_missing + 0x7edcba987654
	str	x1, [x0, #32]
	ret

/* The checked unsigned groups, and a full 64-bit address of our own data with G3 + _NC. */
	.globl	a64_uabs
	.type	a64_uabs, %function
a64_uabs:
	movz	x1, #:abs_g0:weak_missing + 0xfff0	/* R_AARCH64_MOVW_UABS_G0 */
	str	x1, [x0]
	movz	x1, #:abs_g1:weak_missing + 0x87654321	/* R_AARCH64_MOVW_UABS_G1 */
	movk	x1, #:abs_g0_nc:weak_missing + 0x87654321
	str	x1, [x0, #8]
	movz	x1, #:abs_g2:weak_missing + 0xba9876543210	/* R_AARCH64_MOVW_UABS_G2 */
	movk	x1, #:abs_g1_nc:weak_missing + 0xba9876543210
	movk	x1, #:abs_g0_nc:weak_missing + 0xba9876543210
	str	x1, [x0, #16]
	movz	x1, #:abs_g3:a64_quad			/* R_AARCH64_MOVW_UABS_G3 */
	movk	x1, #:abs_g2_nc:a64_quad		/* R_AARCH64_MOVW_UABS_G2_NC */
	movk	x1, #:abs_g1_nc:a64_quad		/* R_AARCH64_MOVW_UABS_G1_NC */
	movk	x1, #:abs_g0_nc:a64_quad		/* R_AARCH64_MOVW_UABS_G0_NC */
	str	x1, [x0, #24]
	ret

/*
 * PC-relative groups: an address built from S + A - P. Each relocation has its own P, so the
 * addends grow by 4 per instruction to keep X = target - label for the whole sequence.
 * out[0] a64_fwd (rodata, ahead: G0, MOVZ); out[1] a64_back (text laid out before: G0, MOVN);
 * out[2] a64_back with G1; out[3] a64_fwd with G2; out[4] host_add, wherever the host is, with
 * G3 and the three _NC forms.
 */
	.globl	a64_prel
	.type	a64_prel, %function
a64_prel:
1:	movz	x1, #:prel_g0:a64_fwd			/* R_AARCH64_MOVW_PREL_G0 */
	adr	x2, 1b
	add	x1, x1, x2
	str	x1, [x0]
2:	movz	x1, #:prel_g0:a64_back			/* R_AARCH64_MOVW_PREL_G0, MOVN */
	adr	x2, 2b
	add	x1, x1, x2
	str	x1, [x0, #8]
3:	movz	x1, #:prel_g1:a64_back			/* R_AARCH64_MOVW_PREL_G1 */
	movk	x1, #:prel_g0_nc:a64_back + 4		/* R_AARCH64_MOVW_PREL_G0_NC */
	adr	x2, 3b
	add	x1, x1, x2
	str	x1, [x0, #16]
4:	movz	x1, #:prel_g2:a64_fwd			/* R_AARCH64_MOVW_PREL_G2 */
	movk	x1, #:prel_g1_nc:a64_fwd + 4		/* R_AARCH64_MOVW_PREL_G1_NC */
	movk	x1, #:prel_g0_nc:a64_fwd + 8
	adr	x2, 4b
	add	x1, x1, x2
	str	x1, [x0, #24]
5:	movz	x1, #:prel_g3:host_add			/* R_AARCH64_MOVW_PREL_G3 */
	movk	x1, #:prel_g2_nc:host_add + 4		/* R_AARCH64_MOVW_PREL_G2_NC */
	movk	x1, #:prel_g1_nc:host_add + 8
	movk	x1, #:prel_g0_nc:host_add + 12
	adr	x2, 5b
	add	x1, x1, x2
	str	x1, [x0, #32]
	ret

/* Through the GOT: out[0] by GOT_LD_PREL19, out[1] by GOTPAGE_LO15 (GCC's -fpic), out[2] by
 * ADR_GOT_PAGE + LD64_GOT_LO12_NC. */
	.globl	a64_got
	.type	a64_got, %function
a64_got:
	ldr	x1, :got:host_counter			/* R_AARCH64_GOT_LD_PREL19 */
	str	x1, [x0]
	adrp	x1, _GLOBAL_OFFSET_TABLE_		/* R_AARCH64_ADR_PREL_PG_HI21 */
	ldr	x1, [x1, #:gotpage_lo15:host_counter]	/* R_AARCH64_LD64_GOTPAGE_LO15 */
	str	x1, [x0, #8]
	adrp	x1, :got:host_name			/* R_AARCH64_ADR_GOT_PAGE */
	ldr	x1, [x1, #:got_lo12:host_name]		/* R_AARCH64_LD64_GOT_LO12_NC */
	str	x1, [x0, #16]
	ret

/* ADRP without its overflow check, and ADD of the low 12 bits. */
	.globl	a64_page_nc
	.type	a64_page_nc, %function
a64_page_nc:
	adrp	x0, :pg_hi21_nc:a64_quad		/* R_AARCH64_ADR_PREL_PG_HI21_NC */
	add	x0, x0, #:lo12:a64_quad			/* R_AARCH64_ADD_ABS_LO12_NC */
	ret

/* A call and a tail call to the host. */
	.globl	a64_call
	.type	a64_call, %function
a64_call:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	host_add				/* R_AARCH64_CALL26 */
	add	w0, w0, #1
	ldp	x29, x30, [sp], #16
	ret

	.globl	a64_tail
	.type	a64_tail, %function
a64_tail:
	b	host_add				/* R_AARCH64_JUMP26 */

/* Branch targets, in a section of their own after the code. */
	.section .text.targets, "ax", %progbits
a64_t_cbz:
	mov	x0, #100
	ret
a64_t_tbnz:
	mov	x0, #200
	ret
a64_t_beq:
	mov	x0, #300
	ret

	.section .rodata.lit, "a", %progbits
	.balign	8
a64_lit64:
	.xword	0x1122334455667788
a64_lit32:
	.word	0x99aabbcc
a64_msg:
	.asciz	"adr-ok"
	.balign	8
	.globl	a64_fwd
a64_fwd:
	.xword	0

	.section .rodata.bytes, "a", %progbits
	.balign	16
a64_bytes:
	.byte	0x10, 0x20, 0x30, 0x5a
a64_halves:
	.hword	0x1111, 0xbeef
	.balign	16
	.globl	a64_quad
a64_quad:
	.xword	0x0123456789abcdef, 0xfedcba9876543210

/*
 * Data relocations. a64_data16: ABS16 of weak + 0x1234 and of weak - 2, PREL16 to a64_quad.
 * a64_data32: ABS32 of weak + 0x89abcdef and of weak - 5, PREL32 to a64_back (text).
 * a64_data64: ABS64 of a64_quad + 8, PREL64 to host_add (wherever the host is).
 */
	.section .rodata.data, "a", %progbits
	.balign	8
	.globl	a64_data16
a64_data16:
	.hword	weak_missing + 0x1234			/* R_AARCH64_ABS16 */
	.hword	weak_missing - 2
	.hword	a64_quad - .				/* R_AARCH64_PREL16 */
	.balign	4
	.globl	a64_data32
a64_data32:
	.word	weak_missing + 0x89abcdef		/* R_AARCH64_ABS32 */
	.word	weak_missing - 5
	.word	a64_back - .				/* R_AARCH64_PREL32 */
	.balign	8
	.globl	a64_data64
a64_data64:
	.xword	a64_quad + 8				/* R_AARCH64_ABS64 */
	.xword	host_add - .				/* R_AARCH64_PREL64 */

	.data
	.globl	a64_store
a64_store:
	.xword	0

	.section .note.GNU-stack, "", %progbits
