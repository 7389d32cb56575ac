/* SPDX-License-Identifier: MIT */
/*
 * An extension written by hand to use the x86-64 relocations compilers seldom emit. Functions
 * return values computed through them; tests/arch/test_arch.c compares those with what this
 * source says they are. weak_missing is an undefined weak symbol (S = 0), so that S + A = A
 * reaches the 8- and 16-bit absolute forms.
 */
	.weak	weak_missing

	.text
/* GOTPC32 then GOTOFF64: our own data, relative to the GOT. */
	.globl	x86_gotoff
	.type	x86_gotoff, @function
x86_gotoff:
	leaq	_GLOBAL_OFFSET_TABLE_(%rip), %rax	/* R_X86_64_GOTPC32 */
	movabsq	$x86_var@GOTOFF, %rdx			/* R_X86_64_GOTOFF64 */
	addq	%rdx, %rax
	ret

/* The large model's way to the GOT: GOTPC64, then an entry by GOT64 or GOTPLT64, and a
 * function by PLTOFF64. */
	.globl	x86_got64
	.type	x86_got64, @function
x86_got64:
1:	leaq	1b(%rip), %rax
	movabsq	$_GLOBAL_OFFSET_TABLE_ - 1b, %r11	/* R_X86_64_GOTPC64 */
	addq	%r11, %rax
	movabsq	$host_counter@GOT, %rdx			/* R_X86_64_GOT64 */
	movq	(%rax, %rdx), %rax
	ret

	.globl	x86_gotplt64
	.type	x86_gotplt64, @function
x86_gotplt64:
1:	leaq	1b(%rip), %rax
	movabsq	$_GLOBAL_OFFSET_TABLE_ - 1b, %r11	/* R_X86_64_GOTPC64 */
	addq	%r11, %rax
	movabsq	$host_add@GOTPLT, %rdx			/* R_X86_64_GOTPLT64 */
	movq	(%rax, %rdx), %rax
	ret

	.globl	x86_pltoff
	.type	x86_pltoff, @function
x86_pltoff:
1:	leaq	1b(%rip), %rax
	movabsq	$_GLOBAL_OFFSET_TABLE_ - 1b, %r11	/* R_X86_64_GOTPC64 */
	addq	%r11, %rax
	movabsq	$host_add@PLTOFF, %r11			/* R_X86_64_PLTOFF64 */
	addq	%r11, %rax
	jmp	*%rax					/* host_add(a, b) */

	.section .rodata.a, "a", @progbits
	.globl	x86_near
x86_near:
	.byte	0x42

/*
 * Data. x86_data8: 8 of weak + 0x7f and of weak - 0x80, PC8 to x86_near.
 * x86_data16: 16 of weak + 0xfedc and of weak - 2, PC16 to x86_near.
 * x86_data64: PC64 to host_add, GOTPCREL64 to host_counter's GOT entry.
 */
	.section .rodata.b, "a", @progbits
	.globl	x86_data8
x86_data8:
	.byte	weak_missing + 0x7f			/* R_X86_64_8 */
	.byte	weak_missing - 0x80
	.byte	x86_near - .				/* R_X86_64_PC8 */
	.balign	2
	.globl	x86_data16
x86_data16:
	.word	weak_missing + 0xfedc			/* R_X86_64_16 */
	.word	weak_missing - 2
	.word	x86_near - .				/* R_X86_64_PC16 */
	.balign	8
	.globl	x86_data64
x86_data64:
	.quad	host_add - .				/* R_X86_64_PC64 */
	.quad	host_counter@GOTPCREL			/* R_X86_64_GOTPCREL64 */

	.data
	.globl	x86_var
x86_var:
	.quad	0x1234

	.section .note.GNU-stack, "", @progbits
