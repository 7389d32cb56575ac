/* SPDX-License-Identifier: MIT */
/*
 * Sealed text: an extension's code in a sealed memory file mapped read+execute, for processes
 * that may not turn writable memory into executable memory (sealed.c).
 */
#ifndef LLEXT_RUNTIME_SEALED_H
#define LLEXT_RUNTIME_SEALED_H

#include <stdbool.h>
#include <stddef.h>

/* What LLEXT_SEALED_TEXT says: -1 unset (or neither 0 nor 1), 0 or 1. Read once. */
int llext_sealed_env(void);
/* Whether this process may not make writable memory executable, as far as known: PR_SET_MDWE,
 * asked once, or a refusal a load recorded (llext_sealed_note_refused()). */
bool llext_sealed_hardened(void);
/* Record that making text executable was refused (by a seccomp filter or a security module,
 * which nothing else tells): later loads that leave the choice seal their text. */
void llext_sealed_note_refused(void);
/* The policy that refuses, for messages: PR_SET_MDWE, a seccomp filter, or a security module. */
const char *llext_sealed_policy(void);
/*
 * Replace the read+write pages [@addr, @addr + @len) (@len a multiple of the page size), which
 * hold finished code, by a memory file named @name holding the same bytes, sealed against every
 * write, growth and shrink, mapped read+execute (private) at the same address. The file
 * descriptor is closed before returning: the mapping keeps the file.
 */
int llext_sealed_map(void *addr, size_t len, const char *name);

#endif /* LLEXT_RUNTIME_SEALED_H */
