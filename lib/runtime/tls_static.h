/* SPDX-License-Identifier: MIT */
/*
 * Static TLS for a module the C library loaded later, asked of its dynamic linker
 * (tls_static.c).
 */
#ifndef LLEXT_RUNTIME_TLS_STATIC_H
#define LLEXT_RUNTIME_TLS_STATIC_H

#include <stddef.h>
#include <stdint.h>

/* A library that asked for static TLS, and its memory file. */
struct llext_tls_asked;

/*
 * Asks the C library to put the module defining the thread-local variable @name (looked up in
 * the process, then in the @nneeded libraries at the paths @needed) in static TLS, as it does
 * for a library opened with dlopen() that uses initial-exec. Returns the library, to close
 * with llext_tls_static_close() once nothing needs the answer, and sets *@tpoff to the variable's
 * offset from the thread pointer, the same in every thread; NULL with the C library's reason in
 * @why if it could not.
 */
struct llext_tls_asked *llext_tls_static_ask(const char *name, const char *const *needed,
                                             size_t nneeded, int64_t *tpoff, char *why,
                                             size_t whylen);

/*
 * A block of @memsz bytes aligned to @align in static TLS, its first @filesz bytes copied from
 * @image in every thread (the others zero), for an extension's own variables: a library of that
 * block, opened. Returns its handle, sets *@tpoff to the block's offset from the thread pointer
 * and *@modid to its module ID in the C library; NULL with the reason in @why if it could not.
 */
struct llext_tls_asked *llext_tls_static_block(const void *image, size_t filesz, size_t memsz,
                                               size_t align, int64_t *tpoff, size_t *modid,
                                               char *why, size_t whylen);

/*
 * Closes what either returned (NULL: nothing). The C library takes the static TLS back when the
 * library that took it is closed and its block was the last one taken; a block with others after
 * it stays used, so many loads and unloads can run out of the room it keeps.
 */
void llext_tls_static_close(struct llext_tls_asked *a);

/* The file llext_tls_static_ask() would open for @name and @needed, in @buf (@cap bytes): its
 * size, or 0 if it does not fit or more libraries are named than it takes (for tests). */
size_t llext_tls_static_image(uint8_t *buf, size_t cap, const char *name, const char *const *needed,
                              size_t nneeded);

#endif /* LLEXT_RUNTIME_TLS_STATIC_H */
