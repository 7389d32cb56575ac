/* SPDX-License-Identifier: MIT */
/*
 * Addresses to extensions and symbols, for llext_addr_info() and profilers. addr.c owns each
 * extension's table; the load stage that builds it (load/addr_table.c) hands it the symbols.
 */
#ifndef LLEXT_OBSERVE_ADDR_H
#define LLEXT_OBSERVE_ADDR_H

#include "runtime/ext.h"

/* A function or object of an extension, as the table holds it. */
struct llext_addr_sym {
	uint64_t addr, size; /* size cut to its section's end */
	uint32_t name;       /* offset in the names given with the symbols */
	uint8_t type;        /* STT_FUNC or STT_OBJECT (untyped code counts as STT_FUNC) */
	uint8_t region;      /* enum llext_mem */
	uint8_t rank;        /* of several symbols at one address, the highest names it */
};

/* What the load stage gives for an extension's table. */
struct llext_addr_parts {
	/* By address, then rank; @names follows in the same block, which llext_addr_add() owns
	 * from then on (freed with the table unless @in_map: then it goes with the mapping). */
	struct llext_addr_sym *syms;
	size_t nsyms;
	const char *names;
	bool in_map;
	uint64_t stubs, stubs_end, got, got_end; /* [start, end) of each, or 0, 0 */
};

/* Makes @ie's table of @p and publishes @ie (placed: ie->map set) to llext_addr_info(). Takes
 * the symbols' block whatever it returns; on failure what was kept goes with
 * llext_addr_remove(). */
int llext_addr_add(struct llext_internal *ie, const struct llext_addr_parts *p);

/* Withdraws the extension from llext_addr_info() (before its memory goes) and frees its table;
 * does nothing for an extension that was never added. */
void llext_addr_remove(struct llext_internal *ie);

/* A function of the extension's text: the symbol that names its address, and its extent (its
 * size, or up to the next symbol, the stubs or the end of the text when the object gave none). */
struct llext_addr_func {
	uint64_t addr, size;
	const char *name;
};

/* The function after position *@pos (0 to start) in address order, into @out; false when there
 * are no more. For profilers, at the end of a load. */
bool llext_addr_next_func(const struct llext_internal *ie, size_t *pos,
                          struct llext_addr_func *out);

/* Whether the table is in the extension's spare memory rather than on the heap. */
bool llext_addr_in_map(const struct llext_internal *ie);

#endif /* LLEXT_OBSERVE_ADDR_H */
