/* SPDX-License-Identifier: MIT */
/*
 * The TLS descriptor resolver for x86-64 extensions (-mtls-dialect=gnu2), after the TLSDESC
 * proposal ("Thread-Local Storage Descriptors for IA32 and AMD64/EM64T"). The extension does
 *
 *	lea	x@tlsdesc(%rip), %rax
 *	call	*x@tlscall(%rax)
 *
 * and expects in %rax the offset of x from the thread pointer (%fs:0), with every other register
 * as it was: the call is not an ABI call, so the vector registers and the red zone's neighbours
 * may be live across it. Only the flags may change. %rax points to the descriptor {resolver,
 * module, offset} (tlsdesc.h).
 *
 * The fast path (this thread already has a block of the module) uses three registers it saves.
 * The slow path calls C, so it saves every register C may change, the whole extended state
 * (XSAVE, or FXSAVE where the OS did not enable XSAVE) included, and aligns the stack, which
 * the call sequence does not promise.
 */
#include "runtime/tlsdesc.h"

	.text
	.globl	llext_tlsdesc_resolve
	.hidden	llext_tlsdesc_resolve
	.type	llext_tlsdesc_resolve, @function
	.p2align 4
llext_tlsdesc_resolve:
	.cfi_startproc
	pushq	%rcx
	.cfi_adjust_cfa_offset 8
	pushq	%rdx
	.cfi_adjust_cfa_offset 8
	pushq	%rsi
	.cfi_adjust_cfa_offset 8
	movq	LLEXT_TLS_DESC_MOD(%rax), %rcx		/* the module */
	movq	llext_tls_self@gottpoff(%rip), %rdx
	movq	%fs:(%rdx), %rdx			/* this thread's table, or NULL */
	testq	%rdx, %rdx
	jz	.Lslow
	movl	LLEXT_TLS_MOD_INDEX(%rcx), %esi
	cmpq	LLEXT_TLS_TAB_N(%rdx), %rsi
	jae	.Lslow
	shlq	$LLEXT_TLS_SLOT_SHIFT, %rsi
	leaq	LLEXT_TLS_TAB_SLOTS(%rdx,%rsi), %rdx	/* the module's slot */
	movq	LLEXT_TLS_MOD_KEY(%rcx), %rsi
	cmpq	%rsi, (%rdx)				/* stale, or never filled? */
	jne	.Lslow
	movq	8(%rdx), %rdx				/* the block */
	addq	LLEXT_TLS_DESC_OFF(%rax), %rdx		/* the variable */
	subq	%fs:0, %rdx				/* from the thread pointer */
	movq	%rdx, %rax
	popq	%rsi
	.cfi_adjust_cfa_offset -8
	popq	%rdx
	.cfi_adjust_cfa_offset -8
	popq	%rcx
	.cfi_adjust_cfa_offset -8
	ret

.Lslow:
	.cfi_adjust_cfa_offset 24
	pushq	%rdi
	.cfi_adjust_cfa_offset 8
	pushq	%r8
	.cfi_adjust_cfa_offset 8
	pushq	%r9
	.cfi_adjust_cfa_offset 8
	pushq	%r10
	.cfi_adjust_cfa_offset 8
	pushq	%r11
	.cfi_adjust_cfa_offset 8
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_offset %rbp, -80
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	movq	%rax, %rdi				/* the descriptor, C's argument */
	movl	llext_tls_xsave_size(%rip), %esi
	testl	%esi, %esi
	jz	.Lfxsave
	subq	%rsi, %rsp
	andq	$-64, %rsp
	/* XRSTOR wants the header's reserved bytes zero; XSAVE writes only XSTATE_BV. */
	xorl	%eax, %eax
	movq	%rax, 512(%rsp)
	movq	%rax, 520(%rsp)
	movq	%rax, 528(%rsp)
	movq	%rax, 536(%rsp)
	movq	%rax, 544(%rsp)
	movq	%rax, 552(%rsp)
	movq	%rax, 560(%rsp)
	movq	%rax, 568(%rsp)
	movl	$-1, %eax
	movl	$-1, %edx
	xsave64	(%rsp)
	call	llext_tls_desc_slow
	movq	%rax, %rsi
	movl	$-1, %eax
	movl	$-1, %edx
	xrstor64 (%rsp)
	jmp	.Ldone
.Lfxsave:
	subq	$512, %rsp
	andq	$-64, %rsp
	fxsave64 (%rsp)
	call	llext_tls_desc_slow
	movq	%rax, %rsi
	fxrstor64 (%rsp)
.Ldone:
	movq	%rsi, %rax
	subq	%fs:0, %rax				/* from the thread pointer */
	movq	%rbp, %rsp
	popq	%rbp
	.cfi_def_cfa %rsp, 72
	.cfi_restore %rbp
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	.cfi_def_cfa_offset 8
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
	.type	llext_tlsdesc_static, @function
	.p2align 4
llext_tlsdesc_static:
	.cfi_startproc
	pushq	%rcx
	.cfi_adjust_cfa_offset 8
	movq	LLEXT_TLS_DESC_MOD(%rax), %rcx		/* the module */
	movq	LLEXT_TLS_MOD_TPOFF(%rcx), %rcx		/* its block, from the thread pointer */
	addq	LLEXT_TLS_DESC_OFF(%rax), %rcx		/* the variable */
	movq	%rcx, %rax
	popq	%rcx
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size	llext_tlsdesc_static, . - llext_tlsdesc_static

	.section .note.GNU-stack, "", @progbits
