/* SPDX-License-Identifier: MIT */
/*
 * What the TLS descriptor resolvers (runtime/tlsdesc_<arch>.S) read, shared with runtime/tls.c, which
 * checks these offsets against its structures. Included by assembly: #defines only.
 *
 * A descriptor, in the extension's GOT, is three words: the resolver's address (the word the
 * TLSDESC call sequence jumps through), the extension's TLS module and the variable's offset in
 * the module's block. The last two are also the general dynamic {module, offset} pair, which is
 * what __tls_get_addr() is given.
 */
#ifndef LLEXT_RUNTIME_TLSDESC_H
#define LLEXT_RUNTIME_TLSDESC_H

/* The descriptor: resolver, module, offset. */
#define LLEXT_TLS_DESC_MOD 8
#define LLEXT_TLS_DESC_OFF 16

/* struct llext_tls_module: its key (never reused), its index in the per-thread tables, and for
 * a block in static TLS, the block's offset from the thread pointer. */
#define LLEXT_TLS_MOD_KEY 0
#define LLEXT_TLS_MOD_INDEX 8
#define LLEXT_TLS_MOD_TPOFF 16

/* struct llext_tls_table, one per thread: the number of slots, then slots of {key, block}. */
#define LLEXT_TLS_TAB_N 0
#define LLEXT_TLS_TAB_SLOTS 8
#define LLEXT_TLS_SLOT_SHIFT 4

#endif /* LLEXT_RUNTIME_TLSDESC_H */
