/* SPDX-License-Identifier: MIT */
/* Calls into libc, which the veneer test puts more than a branch's reach away. */
	.text
	.globl	a64_libc_strlen
	.type	a64_libc_strlen, %function
a64_libc_strlen:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	strlen				/* R_AARCH64_CALL26 */
	add	x0, x0, #100
	ldp	x29, x30, [sp], #16
	ret

	.globl	a64_libc_labs
	.type	a64_libc_labs, %function
a64_libc_labs:
	b	labs				/* R_AARCH64_JUMP26 */

	.section .note.GNU-stack, "", %progbits
