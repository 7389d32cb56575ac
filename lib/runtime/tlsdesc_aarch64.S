/* SPDX-License-Identifier: MIT */
/*
 * The TLS descriptor resolver for AArch64 extensions (what GCC and Clang emit for -fPIC), after
 * AAELF64 and the TLSDESC proposal. The extension does
 *
 *	adrp	x0, :tlsdesc:x
 *	ldr	x1, [x0, #:tlsdesc_lo12:x]
 *	add	x0, x0, #:tlsdesc_lo12:x
 *	blr	x1
 *
 * and expects in x0 the offset of x from the thread pointer (TPIDR_EL0), every other register
 * as it was (x30 holds the return address, as after any BLR; the flags may change): the call is
 * not an ABI call, and GCC keeps values in x1-x18 and in the vector registers across it. x0
 * points to the descriptor {resolver, module, offset} (tlsdesc.h).
 *
 * The fast path (this thread already has a block of the module) uses four registers it saves.
 * The slow path calls C, so it saves every register C may change: x1-x18, x29, x30, q0-q31.
 * SVE state beyond the low 128 bits is not saved: code compiled for SVE that keeps vectors live
 * across a TLS access would need it, and neither compiler does so today.
 */
#include "runtime/tlsdesc.h"

	.text
	.globl	llext_tlsdesc_resolve
	.hidden	llext_tlsdesc_resolve
	.type	llext_tlsdesc_resolve, %function
	.p2align 4
llext_tlsdesc_resolve:
	.cfi_startproc
	hint	#34					/* BTI C: reached with BLR */
	stp	x1, x2, [sp, #-32]!
	.cfi_adjust_cfa_offset 32
	stp	x3, x4, [sp, #16]
	ldr	x1, [x0, #LLEXT_TLS_DESC_MOD]		/* the module */
	mrs	x2, tpidr_el0
	adrp	x3, :gottprel:llext_tls_self
	ldr	x3, [x3, #:gottprel_lo12:llext_tls_self]
	ldr	x2, [x2, x3]				/* this thread's table, or NULL */
	cbz	x2, .Lslow
	ldr	w3, [x1, #LLEXT_TLS_MOD_INDEX]
	ldr	x4, [x2, #LLEXT_TLS_TAB_N]
	cmp	x3, x4
	b.hs	.Lslow
	add	x2, x2, #LLEXT_TLS_TAB_SLOTS
	add	x2, x2, x3, lsl #LLEXT_TLS_SLOT_SHIFT	/* the module's slot */
	ldr	x3, [x1, #LLEXT_TLS_MOD_KEY]
	ldp	x4, x2, [x2]				/* its key and block */
	cmp	x3, x4					/* stale, or never filled? */
	b.ne	.Lslow
	ldr	x3, [x0, #LLEXT_TLS_DESC_OFF]
	add	x0, x2, x3				/* the variable */
	mrs	x1, tpidr_el0
	sub	x0, x0, x1				/* from the thread pointer */
	ldp	x3, x4, [sp, #16]
	ldp	x1, x2, [sp], #32
	.cfi_adjust_cfa_offset -32
	ret

.Lslow:
	.cfi_adjust_cfa_offset 32
	stp	x29, x30, [sp, #-16]!
	.cfi_adjust_cfa_offset 16
	.cfi_rel_offset x29, 0
	.cfi_rel_offset x30, 8
	mov	x29, sp
	sub	sp, sp, #(7 * 16 + 32 * 16)
	stp	x5, x6, [sp, #0]
	stp	x7, x8, [sp, #16]
	stp	x9, x10, [sp, #32]
	stp	x11, x12, [sp, #48]
	stp	x13, x14, [sp, #64]
	stp	x15, x16, [sp, #80]
	stp	x17, x18, [sp, #96]
	stp	q0, q1, [sp, #112]
	stp	q2, q3, [sp, #144]
	stp	q4, q5, [sp, #176]
	stp	q6, q7, [sp, #208]
	stp	q8, q9, [sp, #240]
	stp	q10, q11, [sp, #272]
	stp	q12, q13, [sp, #304]
	stp	q14, q15, [sp, #336]
	stp	q16, q17, [sp, #368]
	stp	q18, q19, [sp, #400]
	stp	q20, q21, [sp, #432]
	stp	q22, q23, [sp, #464]
	stp	q24, q25, [sp, #496]
	stp	q26, q27, [sp, #528]
	stp	q28, q29, [sp, #560]
	stp	q30, q31, [sp, #592]
	bl	llext_tls_desc_slow			/* x0: the descriptor, then the variable */
	mrs	x1, tpidr_el0
	sub	x0, x0, x1				/* from the thread pointer */
	ldp	x5, x6, [sp, #0]
	ldp	x7, x8, [sp, #16]
	ldp	x9, x10, [sp, #32]
	ldp	x11, x12, [sp, #48]
	ldp	x13, x14, [sp, #64]
	ldp	x15, x16, [sp, #80]
	ldp	x17, x18, [sp, #96]
	ldp	q0, q1, [sp, #112]
	ldp	q2, q3, [sp, #144]
	ldp	q4, q5, [sp, #176]
	ldp	q6, q7, [sp, #208]
	ldp	q8, q9, [sp, #240]
	ldp	q10, q11, [sp, #272]
	ldp	q12, q13, [sp, #304]
	ldp	q14, q15, [sp, #336]
	ldp	q16, q17, [sp, #368]
	ldp	q18, q19, [sp, #400]
	ldp	q20, q21, [sp, #432]
	ldp	q22, q23, [sp, #464]
	ldp	q24, q25, [sp, #496]
	ldp	q26, q27, [sp, #528]
	ldp	q28, q29, [sp, #560]
	ldp	q30, q31, [sp, #592]
	mov	sp, x29
	ldp	x29, x30, [sp], #16
	.cfi_adjust_cfa_offset -16
	.cfi_restore x29
	.cfi_restore x30
	ldp	x3, x4, [sp, #16]
	ldp	x1, x2, [sp], #32
	.cfi_adjust_cfa_offset -32
	ret
	.cfi_endproc
	.size	llext_tlsdesc_resolve, . - llext_tlsdesc_resolve

/*
 * The resolver for a variable whose block is in static TLS, at one offset from the thread pointer
 * in every thread (the C library's static TLS, see tls_host.c and tls_static.c): that offset,
 * read from the module, plus the variable's. One register, saved.
 */
	.globl	llext_tlsdesc_static
	.hidden	llext_tlsdesc_static
	.type	llext_tlsdesc_static, %function
	.p2align 4
llext_tlsdesc_static:
	.cfi_startproc
	hint	#34					/* BTI C: reached with BLR */
	str	x1, [sp, #-16]!
	.cfi_adjust_cfa_offset 16
	ldr	x1, [x0, #LLEXT_TLS_DESC_MOD]		/* the module */
	ldr	x1, [x1, #LLEXT_TLS_MOD_TPOFF]		/* its block, from the thread pointer */
	ldr	x0, [x0, #LLEXT_TLS_DESC_OFF]
	add	x0, x0, x1				/* the variable, from the thread pointer */
	ldr	x1, [sp], #16
	.cfi_adjust_cfa_offset -16
	ret
	.cfi_endproc
	.size	llext_tlsdesc_static, . - llext_tlsdesc_static

	.section .note.GNU-stack, "", %progbits
