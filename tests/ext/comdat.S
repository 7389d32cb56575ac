/* SPDX-License-Identifier: MIT */
/*
 * Two COMDAT groups with different signatures, each defining one function, and a caller of the
 * second. tests/test_symbols.c renames the second signature (and its symbol) to the first's,
 * making two groups of one signature, as in objects put together without a linker.
 */
	.section .text.comdat_first,"axG",%progbits,comdat_fn,comdat
	.globl comdat_fn
	.type comdat_fn,%function
comdat_fn:
#if defined(__x86_64__)
	movl $1, %eax
	ret
#else
	mov w0, #1
	ret
#endif

	.section .text.comdat_second,"axG",%progbits,comdat_fx,comdat
	.globl comdat_fx
	.type comdat_fx,%function
comdat_fx:
#if defined(__x86_64__)
	movl $2, %eax
	ret
#else
	mov w0, #2
	ret
#endif

	.text
	.globl call_second
	.type call_second,%function
call_second:
#if defined(__x86_64__)
	jmp comdat_fx
#else
	b comdat_fx
#endif

	.section .note.GNU-stack,"",%progbits
