/* SPDX-License-Identifier: MIT */
/*
 * The file loader's reuse of a file's bytes from one load of it to the next.
 */
#ifndef LLEXT_LOADERS_FILE_CACHE_H
#define LLEXT_LOADERS_FILE_CACHE_H

#include <stdint.h>

/* How long a file must have stayed unchanged before it was read for the file loader to use its
 * bytes again on the next load of the same file; tests change it. */
#define LLEXT_FS_SETTLE_DEFAULT ((int64_t)2 * 1000000000)
extern int64_t llext_fs_settle_ns;

#endif /* LLEXT_LOADERS_FILE_CACHE_H */
