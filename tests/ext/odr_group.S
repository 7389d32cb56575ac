/* SPDX-License-Identifier: MIT */
/*
 * A global (not weak) object in a COMDAT group, as compilers that do not use weak symbols for
 * vague linkage emit it: one object in the process (tests/test_cxx_odr.c, loaded twice).
 */
	.section .data.odr_group_var,"awG",%progbits,odr_group_var,comdat
	.globl odr_group_var
	.type odr_group_var,%object
	.size odr_group_var,4
	.balign 4
odr_group_var:
	.long 11

	.text
	.globl odr_group_addr
	.type odr_group_addr,%function
odr_group_addr:
#if defined(__x86_64__)
	leaq odr_group_var(%rip), %rax
	ret
#else
	adrp x0, odr_group_var
	add x0, x0, :lo12:odr_group_var
	ret
#endif
	.section .note.GNU-stack,"",%progbits
