/* SPDX-License-Identifier: MIT */
/*
 * Branches to an undefined weak function. AAELF64 lets a static link turn such a BL into a
 * branch to the next instruction; libllext, like the dynamic linker, gives it a veneer whose GOT
 * entry holds 0 (arch/aarch64/reloc.c says why). Loading must succeed, and code that tests the
 * symbol before calling it, as C code does, runs as written.
 */
	.weak	a64_missing_fn

	.text
	.globl	a64_weak_call
	.type	a64_weak_call, %function
a64_weak_call:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	adrp	x1, :got:a64_missing_fn
	ldr	x1, [x1, #:got_lo12:a64_missing_fn]
	cbz	x1, 1f
	bl	a64_missing_fn			/* R_AARCH64_CALL26, S = 0 */
	b	2f
1:	mov	x0, #7
2:	ldp	x29, x30, [sp], #16
	ret

	.globl	a64_weak_tail
	.type	a64_weak_tail, %function
a64_weak_tail:
	adrp	x1, :got:a64_missing_fn
	ldr	x1, [x1, #:got_lo12:a64_missing_fn]
	cbz	x1, 1f
	b	a64_missing_fn			/* R_AARCH64_JUMP26, S = 0 */
1:	mov	x0, #8
	ret

	.section .note.GNU-stack, "", %progbits
