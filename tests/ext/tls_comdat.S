/* SPDX-License-Identifier: MIT */
/*
 * Two COMDAT groups with different signatures, each defining one thread-local variable (11 and
 * 22), and initial-exec code reading the second. tests/test_tls.c renames the second signature
 * (and its variable) to the first's: the second group is dropped and its variable becomes an
 * alias of the first's, whose GOT item must still hold an offset from the thread pointer.
 */
	.section .tdata.tls_comdat_first,"awTG",%progbits,tls_comdat_v,comdat
	.globl tls_comdat_v
	.type tls_comdat_v,%tls_object
	.size tls_comdat_v,4
	.p2align 2
tls_comdat_v:
	.long 11

	.section .tdata.tls_comdat_second,"awTG",%progbits,tls_comdat_w,comdat
	.globl tls_comdat_w
	.type tls_comdat_w,%tls_object
	.size tls_comdat_w,4
	.p2align 2
tls_comdat_w:
	.long 22

	.text
	.globl tls_comdat_read
	.type tls_comdat_read,%function
tls_comdat_read:
#if defined(__x86_64__)
	movq tls_comdat_w@gottpoff(%rip), %rax
	movl %fs:(%rax), %eax
	ret
#else
	mrs x1, tpidr_el0
	adrp x0, :gottprel:tls_comdat_w
	ldr x0, [x0, #:gottprel_lo12:tls_comdat_w]
	ldr w0, [x1, x0]
	ret
#endif

	.section .note.GNU-stack,"",%progbits
