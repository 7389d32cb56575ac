/* SPDX-License-Identifier: MIT */
/*
 * The GDB JIT interface: what debuggers read to find extensions, and the registry of the objects
 * they read (debug.c).
 */
#ifndef LLEXT_OBSERVE_DEBUG_H
#define LLEXT_OBSERVE_DEBUG_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/ext.h"

/* Layout fixed by the GDB manual ("JIT Compilation Interface"); gdb and lldb read these. */
struct jit_code_entry {
	struct jit_code_entry *next, *prev;
	const char *symfile_addr;
	uint64_t symfile_size;
};

struct jit_descriptor {
	uint32_t version; /* 1 */
	uint32_t action_flag;
	struct jit_code_entry *relevant_entry, *first_entry;
};

extern struct jit_descriptor __jit_debug_descriptor;
void __jit_debug_register_code(void);

/* One extension's registration: its list entry and the ELF object the entry points at. */
struct llext_debug;

/* Bytes a block must have before the object, for its registration. */
size_t llext_debug_room(void);
/*
 * Registers with debuggers the @size-byte object at @block + llext_debug_room(), zeroed room
 * before it; the block is the registration's from now on (freed with it unless @in_map: in the
 * extension's spare memory, it goes with the mapping).
 */
void llext_debug_register(struct llext_internal *ie, void *block, size_t size, bool in_map);
/* Before the extension's memory goes; does nothing if it was not registered. */
void llext_debug_unregister(struct llext_internal *ie);
/* Heap bytes the registration keeps (0 if not registered). */
size_t llext_debug_size(const struct llext_internal *ie);

#endif /* LLEXT_OBSERVE_DEBUG_H */
