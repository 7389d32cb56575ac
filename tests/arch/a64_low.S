/* SPDX-License-Identifier: MIT */
/*
 * 32-bit absolute references to the extension's own data: placement must put the whole
 * extension where S + A fits, below 4 GiB (ABS32, MOVW_UABS_G1 checked).
 */
	.text
	.globl	a64_low_addr
	.type	a64_low_addr, %function
a64_low_addr:
	movz	x0, #:abs_g1:a64_low_var		/* R_AARCH64_MOVW_UABS_G1 */
	movk	x0, #:abs_g0_nc:a64_low_var
	ret

	.data
	.balign	8
	.globl	a64_low_var
a64_low_var:
	.xword	0x600d
	.globl	a64_low_ref
a64_low_ref:
	.word	a64_low_var + 4			/* R_AARCH64_ABS32 */

	.section .note.GNU-stack, "", %progbits
