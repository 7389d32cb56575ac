/* SPDX-License-Identifier: MIT */
/*
 * Addresses to extensions and symbols, for llext_addr_info() and profilers.
 */
#ifndef LLEXT_OBSERVE_ADDR_H
#define LLEXT_OBSERVE_ADDR_H

#include "runtime/ext.h"

/* A function or object of an extension. */
struct llext_addr_sym {
	uint64_t addr, size; /* size cut to its section's end */
	uint32_t name;       /* offset in llext_addr_table.names */
	uint8_t type;        /* STT_FUNC or STT_OBJECT (untyped code counts as STT_FUNC) */
	uint8_t region;      /* enum llext_mem */
	uint8_t rank;        /* of several symbols at one address, the highest names it */
};

struct llext_addr_table {
	struct llext_addr_sym *syms; /* by address, then rank */
	size_t nsyms;
	char *names; /* a copy of the object's string table, in the same block as syms */
	bool in_map; /* that block is in the extension's spare memory, not on the heap */
	uint64_t stubs, stubs_end, got, got_end; /* [start, end) of each, or 0, 0 */
};

/* Withdraws the extension from llext_addr_info() (before its memory goes) and frees ie->addr;
 * does nothing for an extension that was never added. */
void llext_addr_remove(struct llext_internal *ie);

#endif /* LLEXT_OBSERVE_ADDR_H */
