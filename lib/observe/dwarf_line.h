/* SPDX-License-Identifier: MIT */
/*
 * The DWARF line number program, read from byte ranges: a pure reader, with no libelf and no
 * libllext structure, that the profiler support, the unit tests and a fuzz target call.
 */
#ifndef LLEXT_OBSERVE_DWARF_LINE_H
#define LLEXT_OBSERVE_DWARF_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The sections a line table reads; .debug_line relocated. NULL for a section not there. */
struct llext_dwarf_line_in {
	const uint8_t *line;
	size_t line_size;
	const uint8_t *line_str; /* .debug_line_str, for DW_FORM_line_strp */
	size_t line_str_size;
	const uint8_t *str; /* .debug_str, for DW_FORM_strp */
	size_t str_size;
};

/* A row of the line table. Strings point into the sections given. */
struct llext_dwarf_row {
	uint64_t addr;
	uint64_t file;        /* the file register: from 1 before DWARF 5, from 0 since */
	uint32_t line;        /* 0: no source line */
	uint32_t discrim;     /* DW_LNE_set_discriminator */
	const char *dir;      /* the file's directory, NULL when the table does not name it */
	const char *comp_dir; /* DWARF 5's directory 0, the compilation's, which a relative
	                       * directory is relative to; NULL before DWARF 5 */
	const char *name;     /* the file's name as the table gives it */
	bool end_sequence;    /* the first address after a sequence: no file, no line */
};

/* Called for each row in order; a nonzero return stops the walk and is returned. */
typedef int (*llext_dwarf_row_fn)(void *arg, const struct llext_dwarf_row *row);

/*
 * Walks every unit of @in->line (DWARF versions 2 to 5, 32- and 64-bit). Returns 0, -EINVAL
 * when something is malformed (the first thing wrong described in @why, with its offset in
 * .debug_line), -ENOMEM, or what @fn returned. Rows given before an error stand: callers that
 * want all or nothing keep them until the walk returns 0.
 */
int llext_dwarf_lines(const struct llext_dwarf_line_in *in, llext_dwarf_row_fn fn, void *arg,
                      char *why, size_t whylen);

#endif /* LLEXT_OBSERVE_DWARF_LINE_H */
