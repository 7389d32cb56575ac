// SPDX-License-Identifier: MIT
/*
 * The DWARF line number program (DWARF 4 and 5, section 6.2; versions 2 and 3 are DWARF 4's
 * without the maximum_operations_per_instruction field), read into rows of {address, file,
 * line, discriminator} for perf's jitdump file (load/perf_files.c).
 *
 * Pure: it reads byte ranges the caller gives it, .debug_line already relocated (the operands
 * of DW_LNE_set_address and the DW_FORM_line_strp/strp offsets of a relocatable object are
 * zero until .rela.debug_line is applied), and hands each row to a callback. Everything it
 * reads is untrusted: every length, offset, count and index is checked before use, and the
 * first thing wrong stops the walk with -EINVAL and a sentence saying what it was.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "observe/dwarf_line.h"

/* Numbers from the DWARF 5 specification (section 7.22 and 7.5.6). */
enum {
	DW_LNS_copy = 1,
	DW_LNS_advance_pc,
	DW_LNS_advance_line,
	DW_LNS_set_file,
	DW_LNS_set_column,
	DW_LNS_negate_stmt,
	DW_LNS_set_basic_block,
	DW_LNS_const_add_pc,
	DW_LNS_fixed_advance_pc,
	DW_LNS_set_prologue_end,
	DW_LNS_set_epilogue_begin,
	DW_LNS_set_isa,
};
enum {
	DW_LNE_end_sequence = 1,
	DW_LNE_set_address,
	DW_LNE_define_file, /* DWARF 2 to 4; reserved in DWARF 5 */
	DW_LNE_set_discriminator,
};
enum { DW_LNCT_path = 1, DW_LNCT_directory_index };
enum {
	DW_FORM_data2 = 0x05,
	DW_FORM_data4 = 0x06,
	DW_FORM_data8 = 0x07,
	DW_FORM_string = 0x08,
	DW_FORM_block = 0x09,
	DW_FORM_data1 = 0x0b,
	DW_FORM_strp = 0x0e,
	DW_FORM_udata = 0x0f,
	DW_FORM_data16 = 0x1e,
	DW_FORM_line_strp = 0x1f,
};

/* Operand counts of the standard opcodes, which the header must agree with. */
static const uint8_t std_operands[] = {0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};

/* A byte range being read; reads past its end fail. */
struct rd {
	const uint8_t *p, *end;
};

/* One file of a unit's table. */
struct file {
	const char *name;
	uint64_t dir;
};

/* What one unit's walk needs. */
struct unit {
	const struct llext_dwarf_line_in *in;
	const uint8_t *start; /* of the unit, for messages */
	unsigned int version, offsize;
	uint8_t min_insn, max_ops, default_is_stmt, line_range, opcode_base;
	int8_t line_base;
	const uint8_t *op_lens; /* standard_opcode_lengths, opcode_base - 1 of them */
	const char **dirs;
	uint64_t ndirs;
	struct file *files;
	uint64_t nfiles, cap;
};

struct walk {
	const struct llext_dwarf_line_in *in;
	char *why;
	size_t whylen;
};

__attribute__((format(printf, 3, 4))) static int fail(const struct walk *w, const uint8_t *at,
                                                      const char *fmt, ...)
{
	int n = snprintf(w->why, w->whylen, "at offset 0x%zx: ", (size_t)(at - w->in->line));
	va_list ap;

	if (n >= 0 && (size_t)n < w->whylen) {
		va_start(ap, fmt);
		vsnprintf(w->why + n, w->whylen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool get_u(struct rd *r, unsigned int size, uint64_t *v)
{
	if ((size_t)(r->end - r->p) < size) {
		return false;
	}
	*v = 0;
	for (unsigned int k = 0; k < size; k++) {
		*v |= (uint64_t)r->p[k] << (8 * k);
	}
	r->p += size;
	return true;
}

static bool get_u8(struct rd *r, uint8_t *v)
{
	uint64_t x;

	if (!get_u(r, 1, &x)) {
		return false;
	}
	*v = (uint8_t)x;
	return true;
}

/* LEB128: bits beyond 64 must be zero (or copies of the sign, for signed values). */
static bool get_leb(struct rd *r, bool is_signed, uint64_t *v)
{
	unsigned int shift = 0;
	uint64_t bits;
	uint8_t b;

	*v = 0;
	do {
		if (r->p == r->end) {
			return false;
		}
		b = *r->p++;
		bits = b & 0x7f;
		if (shift < 63) {
			*v |= bits << shift;
		} else if (shift == 63) {
			/* One bit left: the rest of the byte must be what sign extension gives. */
			if (bits != 0 && bits != (is_signed ? 0x7fu : 1u)) {
				return false;
			}
			*v |= bits << 63;
		} else if (bits != (is_signed && (*v >> 63) ? 0x7fu : 0u)) {
			return false;
		}
		shift += 7;
	} while (b & 0x80);
	if (is_signed && shift < 64 && (b & 0x40)) {
		*v |= ~(uint64_t)0 << shift;
	}
	return true;
}

/* A NUL-terminated string starting at @off of a section of @size bytes, or NULL. */
static const char *str_at(const uint8_t *sect, size_t size, uint64_t off)
{
	if (!sect || off >= size || !memchr(sect + off, 0, size - off)) {
		return NULL;
	}
	return (const char *)sect + off;
}

static const char *get_str(struct rd *r)
{
	const char *s = str_at(r->p, (size_t)(r->end - r->p), 0);

	if (s) {
		r->p += strlen(s) + 1;
	}
	return s;
}

/*
 * One attribute of a DWARF 5 directory or file entry: a number in @num, or a string in @str.
 * Only the forms section 6.2.4.1 allows for the content types it defines are read. One case per
 * form, each a few checked reads: longer than a screen, but flat like the specification's list.
 */
static int get_form(const struct walk *w, struct unit *u, struct rd *r, uint64_t form,
                    uint64_t *num, const char **str)
{
	const uint8_t *at = r->p;
	uint64_t v;

	*num = 0;
	*str = NULL;
	switch (form) {
	case DW_FORM_string:
		*str = get_str(r);
		if (!*str) {
			return fail(w, at, "a DW_FORM_string runs past the header");
		}
		return 0;
	case DW_FORM_line_strp:
	case DW_FORM_strp: {
		bool line = form == DW_FORM_line_strp;
		const uint8_t *sect = line ? w->in->line_str : w->in->str;
		size_t size = line ? w->in->line_str_size : w->in->str_size;

		if (!get_u(r, u->offsize, &v)) {
			return fail(w, at, "a string offset runs past the header");
		}
		*str = str_at(sect, size, v);
		if (!*str) {
			return fail(w, at, "string offset 0x%llx is not in %s (%zu bytes)",
			            (unsigned long long)v, line ? ".debug_line_str" : ".debug_str",
			            sect ? size : 0);
		}
		return 0;
	}
	case DW_FORM_udata:
		if (!get_leb(r, false, num)) {
			return fail(w, at, "a LEB128 number is truncated or too large");
		}
		return 0;
	case DW_FORM_data1:
	case DW_FORM_data2:
	case DW_FORM_data4:
	case DW_FORM_data8: {
		unsigned int size = form == DW_FORM_data1   ? 1
		                    : form == DW_FORM_data2 ? 2
		                    : form == DW_FORM_data4 ? 4
		                                            : 8;

		if (!get_u(r, size, num)) {
			return fail(w, at, "a %u-byte field runs past the header", size);
		}
		return 0;
	}
	case DW_FORM_data16: /* MD5 */
		if (r->end - r->p < 16) {
			return fail(w, at, "a 16-byte field runs past the header");
		}
		r->p += 16;
		return 0;
	case DW_FORM_block:
		if (!get_leb(r, false, &v) || v > (uint64_t)(r->end - r->p)) {
			return fail(w, at, "a block runs past the header");
		}
		r->p += v;
		return 0;
	default:
		return fail(w, at, "form 0x%llx is not one of a line table header",
		            (unsigned long long)form);
	}
}

/* Adds a file to the unit's table (DW_LNE_define_file adds to it later). */
static int add_file(const struct walk *w, struct unit *u, const uint8_t *at, const char *name,
                    uint64_t dir)
{
	/* DWARF 5 numbers directories from 0 (the compilation's); earlier versions from 1,
	 * 0 being the compilation directory, which only .debug_info names. */
	if (u->version >= 5 ? dir >= u->ndirs : dir > u->ndirs) {
		return fail(w, at, "file '%s' is in directory %llu of %llu", name,
		            (unsigned long long)dir, (unsigned long long)u->ndirs);
	}
	if (u->nfiles == u->cap) {
		uint64_t cap = u->cap ? u->cap * 2 : 16;
		struct file *f =
		    cap < SIZE_MAX / sizeof(*f) ? llext_realloc(u->files, cap * sizeof(*f)) : NULL;

		if (!f) {
			return -ENOMEM;
		}
		u->files = f;
		u->cap = cap;
	}
	u->files[u->nfiles++] = (struct file){name, dir};
	return 0;
}

/* One entry of a DWARF 5 directory or file table: its path and directory index. */
static int v5_entry(const struct walk *w, struct unit *u, struct rd *r, uint64_t fmt[2][16],
                    unsigned int nfmt, const char *what, const char **path, uint64_t *dir)
{
	const uint8_t *at = r->p;

	for (unsigned int k = 0; k < nfmt; k++) {
		uint64_t num;
		const char *str;
		int ret = get_form(w, u, r, fmt[1][k], &num, &str);

		if (ret) {
			return ret;
		}
		if (fmt[0][k] == DW_LNCT_path) {
			if (!str) {
				return fail(w, at, "a %s path has form 0x%llx, not a string", what,
				            (unsigned long long)fmt[1][k]);
			}
			*path = str;
		} else if (fmt[0][k] == DW_LNCT_directory_index) {
			if (str) {
				return fail(w, at, "a directory index is a string");
			}
			*dir = num;
		}
	}
	return 0;
}

/* DWARF 5: a table of directories or files, described by its own list of (content, form). */
static int v5_table(const struct walk *w, struct unit *u, struct rd *r, bool files)
{
	const char *what = files ? "file" : "directory";
	uint64_t fmt[2][16], count;
	const uint8_t *at = r->p;
	uint8_t nfmt;
	bool has_path = false;
	int ret;

	if (!get_u8(r, &nfmt)) {
		return fail(w, at, "the header ends before the %s entry format", what);
	}
	if (nfmt > ARRAY_SIZE(fmt[0])) {
		return fail(w, at, "%u %s entry fields are more than the %zu supported", nfmt, what,
		            ARRAY_SIZE(fmt[0]));
	}
	for (unsigned int k = 0; k < nfmt; k++) {
		if (!get_leb(r, false, &fmt[0][k]) || !get_leb(r, false, &fmt[1][k])) {
			return fail(w, at, "the %s entry format is truncated", what);
		}
		has_path |= fmt[0][k] == DW_LNCT_path;
	}
	at = r->p;
	if (!get_leb(r, false, &count)) {
		return fail(w, at, "the %s count is truncated", what);
	}
	/* Every entry takes at least one byte, once it has a path. */
	if (count && !has_path) {
		return fail(w, at, "%s entries have no DW_LNCT_path", what);
	}
	if (count > (uint64_t)(r->end - r->p)) {
		return fail(w, at, "%llu %s entries cannot fit in the header",
		            (unsigned long long)count, what);
	}
	if (!files) {
		u->dirs = llext_calloc(count ? count : 1, sizeof(*u->dirs));
		if (!u->dirs) {
			return -ENOMEM;
		}
		u->ndirs = count;
	}
	for (uint64_t i = 0; i < count; i++) {
		const char *path = NULL;
		uint64_t dir = 0;

		at = r->p;
		ret = v5_entry(w, u, r, fmt, nfmt, what, &path, &dir);
		if (ret) {
			return ret;
		}
		if (!files) {
			u->dirs[i] = path;
		} else if ((ret = add_file(w, u, at, path, dir)) != 0) {
			return ret;
		}
	}
	return 0;
}

/* DWARF 2 to 4: include_directories and file_names, each ended by an empty string. */
static int v4_tables(const struct walk *w, struct unit *u, struct rd *r)
{
	const uint8_t *at, *start = r->p;
	const char *s;
	uint64_t n = 0;
	int ret;

	/* Counted first, then kept: no array grows with the header's whims. */
	while ((at = r->p, s = get_str(r)) && *s) {
		n++;
	}
	if (!s) {
		return fail(w, at, "include_directories runs past the header");
	}
	u->dirs = llext_calloc(n ? n : 1, sizeof(*u->dirs));
	if (!u->dirs) {
		return -ENOMEM;
	}
	r->p = start;
	while ((s = get_str(r)) && *s) {
		u->dirs[u->ndirs++] = s;
	}
	for (;;) {
		uint64_t dir, skip;

		at = r->p;
		s = get_str(r);
		if (!s) {
			return fail(w, at, "file_names runs past the header");
		}
		if (!*s) {
			return 0;
		}
		if (!get_leb(r, false, &dir) || !get_leb(r, false, &skip) ||
		    !get_leb(r, false, &skip)) {
			return fail(w, at, "file '%s' is truncated", s);
		}
		ret = add_file(w, u, at, s, dir);
		if (ret) {
			return ret;
		}
	}
}

/* The header after unit_length and version; leaves @prog at the line number program. */
static int header(const struct walk *w, struct unit *u, struct rd *r, struct rd *prog)
{
	const uint8_t *at = r->p;
	uint8_t addr_size, seg_size;
	uint64_t hlen;
	struct rd h;
	int ret;

	if (u->version >= 5) {
		if (!get_u8(r, &addr_size) || !get_u8(r, &seg_size)) {
			return fail(w, at, "the header is truncated");
		}
		if ((addr_size != 4 && addr_size != 8) || seg_size != 0) {
			return fail(w, at, "address size %u or segment selector size %u is invalid",
			            addr_size, seg_size);
		}
	}
	at = r->p;
	if (!get_u(r, u->offsize, &hlen)) {
		return fail(w, at, "the header is truncated");
	}
	if (hlen > (uint64_t)(r->end - r->p)) {
		return fail(w, at, "header_length 0x%llx is past the end of the unit",
		            (unsigned long long)hlen);
	}
	h = (struct rd){r->p, r->p + hlen};
	*prog = (struct rd){h.end, r->end};
	at = h.p;
	u->max_ops = 1;
	if (!get_u8(&h, &u->min_insn) || (u->version >= 4 && !get_u8(&h, &u->max_ops)) ||
	    !get_u8(&h, &u->default_is_stmt) || !get_u8(&h, (uint8_t *)&u->line_base) ||
	    !get_u8(&h, &u->line_range) || !get_u8(&h, &u->opcode_base)) {
		return fail(w, at, "the header is truncated");
	}
	if (u->max_ops == 0 || u->line_range == 0 || u->opcode_base == 0) {
		return fail(w, at,
		            "maximum_operations_per_instruction %u, line_range %u or opcode_base "
		            "%u is 0",
		            u->max_ops, u->line_range, u->opcode_base);
	}
	u->op_lens = h.p;
	for (unsigned int op = 1; op < u->opcode_base; op++) {
		uint8_t n;

		at = h.p;
		if (!get_u8(&h, &n)) {
			return fail(w, at, "standard_opcode_lengths runs past the header");
		}
		if (op < ARRAY_SIZE(std_operands) && n != std_operands[op]) {
			return fail(w, at, "standard opcode %u is given %u operands, not %u", op, n,
			            std_operands[op]);
		}
	}
	if (u->version < 5) {
		return v4_tables(w, u, &h);
	}
	ret = v5_table(w, u, &h, false);
	return ret ? ret : v5_table(w, u, &h, true);
}

/* The state machine's registers (section 6.2.2). */
struct regs {
	uint64_t addr, op_index, file, line, discrim;
	bool end_sequence;
};

static void reset(struct regs *s)
{
	*s = (struct regs){.file = 1, .line = 1};
}

/* Advances by @adv operations, as DW_LNS_advance_pc and special opcodes do; wraps like
 * unsigned arithmetic, as the target address space does. */
static void advance(const struct unit *u, struct regs *s, uint64_t adv)
{
	s->addr += u->min_insn * ((s->op_index + adv) / u->max_ops);
	s->op_index = (s->op_index + adv) % u->max_ops;
}

static int emit(const struct walk *w, const struct unit *u, const uint8_t *at, const struct regs *s,
                llext_dwarf_row_fn fn, void *arg)
{
	struct llext_dwarf_row row = {.addr = s->addr, .end_sequence = s->end_sequence};
	/* DWARF 5 numbers files from 0, earlier versions from 1. */
	uint64_t idx = u->version >= 5 ? s->file : s->file - 1;
	const struct file *f;

	if (!s->end_sequence) {
		if (idx >= u->nfiles) {
			return fail(w, at, "a row names file %llu; the table has %llu",
			            (unsigned long long)s->file, (unsigned long long)u->nfiles);
		}
		if (s->line > UINT32_MAX || s->discrim > UINT32_MAX) {
			return fail(w, at, "line %lld or discriminator %llu is out of range",
			            (long long)s->line, (unsigned long long)s->discrim);
		}
		f = &u->files[idx];
		row.file = s->file;
		row.name = f->name;
		row.line = (uint32_t)s->line;
		row.discrim = (uint32_t)s->discrim;
		if (u->version >= 5) {
			row.dir = u->dirs[f->dir];
			row.comp_dir = u->dirs[0];
		} else if (f->dir) {
			row.dir = u->dirs[f->dir - 1];
		}
	}
	return fn(arg, &row);
}

/* An extended opcode, after its 0 byte. */
static int extended(const struct walk *w, struct unit *u, struct rd *r, struct regs *s,
                    llext_dwarf_row_fn fn, void *arg)
{
	const uint8_t *at = r->p - 1;
	uint64_t len, v;
	uint8_t op = 0;
	struct rd x;
	int ret = 0;

	if (!get_leb(r, false, &len) || len == 0 || len > (uint64_t)(r->end - r->p)) {
		return fail(w, at, "an extended opcode's length is 0 or past the end of the unit");
	}
	x = (struct rd){r->p, r->p + len};
	r->p = x.end;
	get_u8(&x, &op);
	switch (op) {
	case DW_LNE_end_sequence:
		s->end_sequence = true;
		ret = emit(w, u, at, s, fn, arg);
		reset(s);
		return ret;
	case DW_LNE_set_address:
		if (len - 1 > 8 || !get_u(&x, (unsigned int)(len - 1), &v)) {
			return fail(w, at, "DW_LNE_set_address has %llu bytes of address",
			            (unsigned long long)len - 1);
		}
		s->addr = v;
		s->op_index = 0;
		return 0;
	case DW_LNE_define_file: {
		const char *name;
		uint64_t dir, skip;

		if (u->version >= 5) {
			return fail(w, at, "DW_LNE_define_file is reserved in DWARF 5");
		}
		name = get_str(&x);
		if (!name || !get_leb(&x, false, &dir) || !get_leb(&x, false, &skip) ||
		    !get_leb(&x, false, &skip)) {
			return fail(w, at, "DW_LNE_define_file is truncated");
		}
		return add_file(w, u, at, name, dir);
	}
	case DW_LNE_set_discriminator:
		if (!get_leb(&x, false, &s->discrim)) {
			return fail(w, at, "DW_LNE_set_discriminator is truncated");
		}
		return 0;
	default:
		return 0; /* a vendor's: its length says what to skip */
	}
}

/*
 * The line number program of one unit: the state machine of section 6.2.2, one case per opcode
 * (each a line or two of the specification), which is why it runs past a screen.
 */
static int program(const struct walk *w, struct unit *u, struct rd *r, llext_dwarf_row_fn fn,
                   void *arg)
{
	struct regs s;
	int ret = 0;

	reset(&s);
	while (r->p < r->end && !ret) {
		const uint8_t *at = r->p;
		uint8_t op = *r->p++;
		uint64_t v;

		if (op >= u->opcode_base) {
			uint8_t adj = op - u->opcode_base;

			advance(u, &s, adj / u->line_range);
			s.line += (uint64_t)(int64_t)(u->line_base + adj % u->line_range);
			ret = emit(w, u, at, &s, fn, arg);
			s.discrim = 0;
			continue;
		}
		switch (op) {
		case 0:
			ret = extended(w, u, r, &s, fn, arg);
			break;
		case DW_LNS_copy:
			ret = emit(w, u, at, &s, fn, arg);
			s.discrim = 0;
			break;
		case DW_LNS_advance_pc:
		case DW_LNS_advance_line:
		case DW_LNS_set_file:
		case DW_LNS_set_column:
		case DW_LNS_set_isa:
			if (!get_leb(r, op == DW_LNS_advance_line, &v)) {
				return fail(w, at,
				            "the operand of opcode %u is truncated or too large",
				            op);
			}
			if (op == DW_LNS_advance_pc) {
				advance(u, &s, v);
			} else if (op == DW_LNS_advance_line) {
				s.line += v;
			} else if (op == DW_LNS_set_file) {
				s.file = v;
			}
			break;
		case DW_LNS_const_add_pc:
			advance(u, &s, (255u - u->opcode_base) / u->line_range);
			break;
		case DW_LNS_fixed_advance_pc:
			if (!get_u(r, 2, &v)) {
				return fail(w, at, "DW_LNS_fixed_advance_pc is truncated");
			}
			s.addr += v;
			s.op_index = 0;
			break;
		case DW_LNS_negate_stmt:
		case DW_LNS_set_basic_block:
		case DW_LNS_set_prologue_end:
		case DW_LNS_set_epilogue_begin:
			break;
		default:
			/* A standard opcode this reader does not know: the header says how many
			 * LEB128 operands to skip. */
			for (uint8_t k = 0; k < u->op_lens[op - 1]; k++) {
				if (!get_leb(r, false, &v)) {
					return fail(w, at,
					            "the operands of opcode %u are truncated", op);
				}
			}
			break;
		}
	}
	return ret;
}

int llext_dwarf_lines(const struct llext_dwarf_line_in *in, llext_dwarf_row_fn fn, void *arg,
                      char *why, size_t whylen)
{
	const struct walk w = {in, why, whylen};
	struct rd r = {in->line, in->line + in->line_size};
	int ret = 0;

	while (r.p < r.end && !ret) {
		struct unit u = {.in = in, .start = r.p, .offsize = 4};
		uint64_t len, version = 0;
		const uint8_t *unit_end;
		struct rd prog;

		if (!get_u(&r, 4, &len)) {
			return fail(&w, u.start, "a unit_length is truncated");
		}
		if (len == 0xffffffffu) { /* 64-bit DWARF */
			u.offsize = 8;
			if (!get_u(&r, 8, &len)) {
				return fail(&w, u.start, "a unit_length is truncated");
			}
		} else if (len >= 0xfffffff0u) {
			return fail(&w, u.start, "unit_length 0x%llx is reserved",
			            (unsigned long long)len);
		}
		if (len > (uint64_t)(r.end - r.p)) {
			return fail(&w, u.start,
			            "unit_length 0x%llx is past the end of the section",
			            (unsigned long long)len);
		}
		unit_end = r.p + len;
		r.end = unit_end;
		if (!get_u(&r, 2, &version) || version < 2 || version > 5) {
			return fail(&w, u.start, "version %llu is not 2 to 5",
			            (unsigned long long)version);
		}
		u.version = (unsigned int)version;
		ret = header(&w, &u, &r, &prog);
		if (!ret) {
			ret = program(&w, &u, &prog, fn, arg);
		}
		free(u.dirs);
		free(u.files);
		r = (struct rd){unit_end, in->line + in->line_size};
	}
	return ret;
}
