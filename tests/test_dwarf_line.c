// SPDX-License-Identifier: MIT
/*
 * The DWARF line table reader (lib/observe/dwarf_line.c) on byte buffers.
 *
 * Real tables: fixtures built by GCC and Clang with DWARF 5, 4, 2 and 64-bit DWARF, their
 * .rela.debug_line applied here with every section at address 0, read row by row and compared
 * with what `readelf --debug-dump=decodedline` prints for the same object, run by this test.
 * Then hand-made tables, valid and broken one field at a time: each broken one must be refused
 * with a sentence naming what was wrong, and no prefix of a valid one may be read past its end.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "base/base.h"
#include "observe/dwarf_line.h"

/* ---- rows, as the reader gives them and as readelf prints them ---- */

struct row {
	uint64_t addr;
	long line; /* -1 for an end of sequence */
	char file[512];
};

struct rows {
	struct row v[8192];
	size_t n;
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int collect(void *arg, const struct llext_dwarf_row *r)
{
	struct rows *rs = arg;
	struct row *o;

	assert_true(rs->n < ARRAY_SIZE(rs->v));
	o = &rs->v[rs->n++];
	o->addr = r->addr;
	o->line = r->end_sequence ? -1 : (long)r->line;
	snprintf(o->file, sizeof(o->file), "%s", r->end_sequence ? "" : base_name(r->name));
	return 0;
}

/* readelf's decoded rows: "NAME LINE ADDRESS [VIEW] [x]", "-" as the line of an end. */
static void readelf_rows(const char *path, struct rows *rs)
{
	char cmd[4200], line[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -W --debug-dump=decodedline '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	rs->n = 0;
	while (fgets(line, sizeof(line), p)) {
		char name[512], num[32], addr[32], *end;
		struct row *o;

		if (sscanf(line, "%511s %31s %31s", name, num, addr) != 3 ||
		    (strcmp(num, "-") != 0 && strspn(num, "0123456789") != strlen(num))) {
			continue; /* headings and the names of units */
		}
		assert_true(rs->n < ARRAY_SIZE(rs->v));
		o = &rs->v[rs->n];
		o->addr = strtoull(addr, &end, 16);
		if (*end) {
			continue;
		}
		o->line = num[0] == '-' ? -1 : strtol(num, NULL, 10);
		snprintf(o->file, sizeof(o->file), "%s", o->line < 0 ? "" : base_name(name));
		rs->n++;
	}
	assert_int_equal(pclose(p), 0);
}

/* ---- a fixture's sections, .rela.debug_line applied with every section at 0 ---- */

struct sects {
	uint8_t *line;
	size_t line_size;
	Elf_Data *line_str, *str;
};

/* Widths of the relocations debug information uses (S + A), by type. */
static unsigned int width_of(uint16_t machine, uint32_t type)
{
	if (machine == EM_X86_64) {
		return type == R_X86_64_64 ? 8 : type == R_X86_64_32 ? 4 : 0;
	}
	return type == R_AARCH64_ABS64 ? 8 : type == R_AARCH64_ABS32 ? 4 : 0;
}

static Elf *open_sects(const char *path, int *fd, struct sects *s)
{
	Elf_Scn *scn = NULL, *rela = NULL, *symtab = NULL;
	size_t shstrndx, line_idx = 0;
	GElf_Ehdr eh;
	Elf *e;

	elf_version(EV_CURRENT);
	*fd = open(path, O_RDONLY);
	assert_true(*fd >= 0);
	e = elf_begin(*fd, ELF_C_READ, NULL);
	assert_non_null(e);
	assert_non_null(gelf_getehdr(e, &eh));
	assert_int_equal(elf_getshdrstrndx(e, &shstrndx), 0);
	memset(s, 0, sizeof(*s));
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name;

		gelf_getshdr(scn, &sh);
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (strcmp(name, ".debug_line") == 0) {
			Elf_Data *d = elf_getdata(scn, NULL);

			line_idx = elf_ndxscn(scn);
			s->line_size = d->d_size;
			s->line = malloc(d->d_size);
			memcpy(s->line, d->d_buf, d->d_size);
		} else if (strcmp(name, ".debug_line_str") == 0) {
			s->line_str = elf_getdata(scn, NULL);
		} else if (strcmp(name, ".debug_str") == 0) {
			s->str = elf_getdata(scn, NULL);
		} else if (sh.sh_type == SHT_SYMTAB) {
			symtab = scn;
		}
	}
	assert_true(line_idx != 0);
	while ((scn = elf_nextscn(e, scn)) || !rela) {
		GElf_Shdr sh;

		if (!scn) {
			break;
		}
		gelf_getshdr(scn, &sh);
		if (sh.sh_type == SHT_RELA && sh.sh_info == line_idx) {
			rela = scn;
		}
	}
	if (rela) {
		Elf_Data *rd = elf_getdata(rela, NULL), *sd = elf_getdata(symtab, NULL);
		GElf_Shdr sh;

		gelf_getshdr(rela, &sh);
		for (size_t k = 0; k < sh.sh_size / sizeof(Elf64_Rela); k++) {
			GElf_Rela r;
			GElf_Sym sym;
			unsigned int w;
			uint64_t v;

			gelf_getrela(rd, (int)k, &r);
			gelf_getsym(sd, (int)GELF_R_SYM(r.r_info), &sym);
			w = width_of(eh.e_machine, (uint32_t)GELF_R_TYPE(r.r_info));
			assert_true(w && r.r_offset + w <= s->line_size);
			/* Every section at 0: a section symbol is 0, others their offset. */
			v = sym.st_value + (uint64_t)r.r_addend;
			memcpy(s->line + r.r_offset, &v, w); /* little-endian targets */
		}
	}
	return e;
}

static void test_real_tables(void **state)
{
	static const char *const objs[] = {
	    "basic-gcc-default.o",   "basic-gcc-dwarf4.o",    "basic-gcc-dwarf2.o",
	    "basic-gcc-dwarf64.o",   "multi-gcc-default.o",   "backtrace.o",
	    "cxx-gcc-default.o",     "basic-clang-default.o", "basic-clang-dwarf4.o",
	    "multi-clang-default.o", "cxx-clang-default.o",   "basic-gcc-sections.o",
	};
	static struct rows mine, theirs;
	size_t compared = 0, lines = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		const char *path = fixture_path(objs[i]);
		struct llext_dwarf_line_in in = {0};
		char why[256] = "";
		struct sects s;
		int fd;
		Elf *e;

		if (access(path, R_OK) != 0) {
			continue; /* no Clang, or a flag set of the other architecture */
		}
		e = open_sects(path, &fd, &s);
		in.line = s.line;
		in.line_size = s.line_size;
		if (s.line_str) {
			in.line_str = s.line_str->d_buf;
			in.line_str_size = s.line_str->d_size;
		}
		if (s.str) {
			in.str = s.str->d_buf;
			in.str_size = s.str->d_size;
		}
		mine.n = 0;
		if (llext_dwarf_lines(&in, collect, &mine, why, sizeof(why)) != 0) {
			fail_msg("%s: %s", objs[i], why);
		}
		readelf_rows(path, &theirs);
		assert_true(theirs.n > 0);
		if (mine.n != theirs.n) {
			fail_msg("%s: %zu rows, readelf %zu", objs[i], mine.n, theirs.n);
		}
		for (size_t k = 0; k < mine.n; k++) {
			const struct row *a = &mine.v[k], *b = &theirs.v[k];

			if (a->addr != b->addr || a->line != b->line || strcmp(a->file, b->file)) {
				fail_msg("%s row %zu: 0x%llx %s:%ld, readelf 0x%llx %s:%ld",
				         objs[i], k, (unsigned long long)a->addr, a->file, a->line,
				         (unsigned long long)b->addr, b->file, b->line);
			}
			lines += a->line > 0;
		}
		compared++;
		elf_end(e);
		close(fd);
		free(s.line);
	}
	print_message("# %zu objects, %zu rows with a line, as readelf decodes them\n", compared,
	              lines);
	assert_true(compared >= 6);
}

/* ---- hand-made tables ---- */

/* A table being written. */
struct buf {
	uint8_t b[512];
	size_t n;
};

static void put(struct buf *b, uint64_t v, unsigned int size)
{
	for (unsigned int k = 0; k < size; k++) {
		b->b[b->n++] = (uint8_t)(v >> (8 * k));
	}
}

static void put_str(struct buf *b, const char *s)
{
	memcpy(b->b + b->n, s, strlen(s) + 1);
	b->n += strlen(s) + 1;
}

/* Offsets of fields the broken cases change. */
struct layout {
	size_t opcode_base, std_lens, set_file_arg, dir_index, strp, ext_len, program;
};

/*
 * One unit: version @v (2 to 5), @off-byte offsets (8: 64-bit DWARF). Rows: 0x1000 line 10,
 * 0x1004 line 11, end at 0x1006, all in file "a.c" of directory "dir" (DWARF 5: "b.c" in
 * "/src", from .debug_line_str "/src\0b.c\0").
 */
static void make_unit(struct buf *b, unsigned int v, unsigned int off, struct layout *l)
{
	static const uint8_t lens[] = {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};
	size_t len_at, hlen_at, hstart;

	b->n = 0;
	if (off == 8) {
		put(b, 0xffffffff, 4);
	}
	len_at = b->n;
	put(b, 0, off);
	put(b, v, 2);
	if (v >= 5) {
		put(b, 8, 1); /* address_size */
		put(b, 0, 1); /* segment_selector_size */
	}
	hlen_at = b->n;
	put(b, 0, off);
	hstart = b->n;
	put(b, 1, 1); /* minimum_instruction_length */
	if (v >= 4) {
		put(b, 1, 1); /* maximum_operations_per_instruction */
	}
	put(b, 1, 1);    /* default_is_stmt */
	put(b, 0xfb, 1); /* line_base -5 */
	put(b, 14, 1);   /* line_range */
	l->opcode_base = b->n;
	put(b, 13, 1);
	l->std_lens = b->n;
	for (size_t k = 0; k < sizeof(lens); k++) {
		put(b, lens[k], 1);
	}
	if (v >= 5) {
		put(b, 1, 1); /* directory format: path, line_strp */
		put(b, 1, 1);
		put(b, 0x1f, 1);
		put(b, 1, 1); /* one directory, at 0 */
		l->strp = b->n;
		put(b, 0, off);
		put(b, 2, 1); /* file format: path line_strp, directory index udata */
		put(b, 1, 1);
		put(b, 0x1f, 1);
		put(b, 2, 1);
		put(b, 0x0f, 1);
		put(b, 1, 1); /* one file */
		put(b, 5, off);
		l->dir_index = b->n;
		put(b, 0, 1);
	} else {
		put_str(b, "dir");
		put_str(b, "");
		put_str(b, "a.c");
		l->dir_index = b->n;
		put(b, 1, 1); /* directory 1, time, size */
		put(b, 0, 1);
		put(b, 0, 1);
		put_str(b, "");
	}
	l->program = b->n;
	/* DW_LNS_set_file: 0 in DWARF 5, 1 before */
	put(b, 4, 1);
	l->set_file_arg = b->n;
	put(b, v >= 5 ? 0 : 1, 1);
	put(b, 0, 1); /* DW_LNE_set_address 0x1000 */
	l->ext_len = b->n;
	put(b, 9, 1);
	put(b, 2, 1);
	put(b, 0x1000, 8);
	put(b, 3, 1); /* DW_LNS_advance_line 9 */
	put(b, 9, 1);
	put(b, 1, 1); /* DW_LNS_copy */
	/* special: address + 4, line + 1: (1 - -5) + 14 * 4 + 13 */
	put(b, 75, 1);
	put(b, 2, 1); /* DW_LNS_advance_pc 2 */
	put(b, 2, 1);
	put(b, 0, 1); /* DW_LNE_end_sequence */
	put(b, 1, 1);
	put(b, 1, 1);
	/* The lengths, now that they are known. */
	uint64_t ulen = b->n - len_at - off, hlen = l->program - hstart;
	memcpy(b->b + len_at, &ulen, off);
	memcpy(b->b + hlen_at, &hlen, off);
}

static const uint8_t line_str[] = "/src\0b.c";

static int parse(const struct buf *b, size_t size, struct rows *rs, char *why, size_t len)
{
	struct llext_dwarf_line_in in = {b->b, size, line_str, sizeof(line_str), NULL, 0};

	rs->n = 0;
	why[0] = '\0';
	return llext_dwarf_lines(&in, collect, rs, why, len);
}

/* Keeps the directory too, to check how names are given. */
static int first_dir(void *arg, const struct llext_dwarf_row *r)
{
	const char **dir = arg;

	if (!*dir && !r->end_sequence) {
		*dir = r->dir ? r->dir : "(none)";
	}
	return 0;
}

static void test_valid_units(void **state)
{
	static const unsigned int versions[] = {2, 3, 4, 5};
	static struct rows rs;
	struct layout l;
	struct buf b;
	char why[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
		for (unsigned int off = 4; off <= 8; off += 4) {
			struct llext_dwarf_line_in in = {b.b,  0, line_str, sizeof(line_str),
			                                 NULL, 0};
			const char *dir = NULL;

			make_unit(&b, versions[i], off, &l);
			if (parse(&b, b.n, &rs, why, sizeof(why)) != 0) {
				fail_msg("version %u, %u-byte offsets: %s", versions[i], off, why);
			}
			assert_int_equal(rs.n, 3);
			assert_int_equal(rs.v[0].addr, 0x1000);
			assert_int_equal(rs.v[0].line, 10);
			assert_string_equal(rs.v[0].file, versions[i] >= 5 ? "b.c" : "a.c");
			assert_int_equal(rs.v[1].addr, 0x1004);
			assert_int_equal(rs.v[1].line, 11);
			assert_int_equal(rs.v[2].addr, 0x1006);
			assert_int_equal(rs.v[2].line, -1);
			in.line_size = b.n;
			assert_int_equal(llext_dwarf_lines(&in, first_dir, &dir, why, sizeof(why)),
			                 0);
			assert_string_equal(dir, versions[i] >= 5 ? "/src" : "dir");
		}
	}
	/* Two units one after the other. */
	make_unit(&b, 5, 4, &l);
	memcpy(b.b + b.n, b.b, b.n);
	assert_int_equal(parse(&b, 2 * b.n, &rs, why, sizeof(why)), 0);
	assert_int_equal(rs.n, 6);
}

/* Every prefix of a valid unit, its unit_length cut to fit: read up to the cut, never past it
 * (ASan and valgrind watch); the table is refused, or its rows before the cut are given. */
static void test_prefixes(void **state)
{
	static struct rows rs;
	struct layout l;
	struct buf b;
	char why[256];
	size_t tried = 0, refused = 0;

	(void)state;
	for (unsigned int v = 2; v <= 5; v++) {
		for (unsigned int off = 4; off <= 8; off += 4) {
			size_t lenf = off == 8 ? 12 : 4;

			make_unit(&b, v, off, &l);
			for (size_t n = 1; n < b.n; n++) {
				uint8_t *copy = malloc(n); /* exactly n bytes */
				struct llext_dwarf_line_in in = {
				    copy, n, line_str, sizeof(line_str), NULL, 0};
				uint64_t ulen = n - lenf;
				int ret;

				memcpy(copy, b.b, n);
				if (n >= lenf) {
					memcpy(copy + lenf - off, &ulen, off);
				}
				rs.n = 0;
				why[0] = '\0';
				ret = llext_dwarf_lines(&in, collect, &rs, why, sizeof(why));
				assert_true(ret == 0 || (ret == -EINVAL && why[0]));
				refused += ret != 0;
				tried++;
				free(copy);
			}
		}
	}
	print_message("# %zu prefixes, %zu refused\n", tried, refused);
}

struct broken {
	const char *name;
	unsigned int version;
	void (*edit)(struct buf *b, const struct layout *l);
	const char *says;
};

static void huge_length(struct buf *b, const struct layout *l)
{
	(void)l;
	memcpy(b->b, &(uint32_t){0x7ffffff0}, 4);
}
static void reserved_length(struct buf *b, const struct layout *l)
{
	(void)l;
	memcpy(b->b, &(uint32_t){0xfffffff0}, 4);
}
static void huge_length64(struct buf *b, const struct layout *l)
{
	(void)l;
	memcpy(b->b, &(uint32_t){0xffffffff}, 4);
	memcpy(b->b + 4, &(uint64_t){UINT64_MAX - 3}, 8);
}
static void truncated_header(struct buf *b, const struct layout *l)
{
	/* The unit ends in the middle of the header. */
	memcpy(b->b, &(uint32_t){(uint32_t)(l->opcode_base - 4)}, 4);
}
static void opcode_base_0(struct buf *b, const struct layout *l)
{
	b->b[l->opcode_base] = 0;
}
static void opcode_base_past(struct buf *b, const struct layout *l)
{
	b->b[l->opcode_base] = 255; /* 254 lengths: past the header */
}
static void std_len_wrong(struct buf *b, const struct layout *l)
{
	b->b[l->std_lens + 1] = 3; /* DW_LNS_advance_pc with 3 operands */
}
static void line_range_0(struct buf *b, const struct layout *l)
{
	b->b[l->opcode_base - 1] = 0;
}
static void max_ops_0(struct buf *b, const struct layout *l)
{
	b->b[l->opcode_base - 4] = 0;
}
static void version_1(struct buf *b, const struct layout *l)
{
	(void)l;
	b->b[4] = 1;
}
static void version_6(struct buf *b, const struct layout *l)
{
	(void)l;
	b->b[4] = 6;
}
static void bad_file(struct buf *b, const struct layout *l)
{
	b->b[l->set_file_arg] = 7;
}
static void bad_file_0(struct buf *b, const struct layout *l)
{
	b->b[l->set_file_arg] = 0; /* before DWARF 5, files count from 1 */
}
static void bad_dir(struct buf *b, const struct layout *l)
{
	b->b[l->dir_index] = 3;
}
static void strp_past(struct buf *b, const struct layout *l)
{
	memcpy(b->b + l->strp, &(uint32_t){sizeof(line_str)}, 4);
}
static void strp_huge(struct buf *b, const struct layout *l)
{
	memcpy(b->b + l->strp, &(uint32_t){0xfffffff0}, 4);
}
static void bad_form(struct buf *b, const struct layout *l)
{
	b->b[l->strp - 2] = 0x25; /* DW_FORM_strx1: needs .debug_str_offsets */
}
static void header_length_past(struct buf *b, const struct layout *l)
{
	(void)l;
	memcpy(b->b + 6, &(uint32_t){0x10000}, 4); /* version 4, 32-bit */
}
static void ext_len_past(struct buf *b, const struct layout *l)
{
	b->b[l->ext_len] = 0x7f;
}
static void ext_len_0(struct buf *b, const struct layout *l)
{
	b->b[l->ext_len] = 0;
}
static void addr_too_wide(struct buf *b, const struct layout *l)
{
	/* set_address with 9 bytes: eats the next opcode, which the length still covers */
	b->b[l->ext_len] = 10;
}
static void leb_overflow(struct buf *b, const struct layout *l)
{
	/* DW_LNS_advance_line 9 becomes an 11-byte LEB128 running into what follows */
	size_t at = l->ext_len + 10;

	b->b[at] = 4; /* DW_LNS_set_file */
	memset(b->b + at + 1, 0xff, 10);
	b->b[at + 11] = 0x7f;
}

static const struct broken broken[] = {
    {"unit_length past the section", 4, huge_length, "past the end of the section"},
    {"reserved unit_length", 4, reserved_length, "is reserved"},
    {"64-bit unit_length past the section", 4, huge_length64, "past the end of the section"},
    {"truncated header", 4, truncated_header, "past the end of the unit"},
    {"opcode_base 0", 4, opcode_base_0, "opcode_base 0 is 0"},
    {"opcode_base past the header", 4, opcode_base_past, "runs past the header"},
    {"standard_opcode_lengths", 4, std_len_wrong, "opcode 2 is given 3 operands"},
    {"line_range 0", 4, line_range_0, "line_range 0"},
    {"maximum_operations_per_instruction 0", 4, max_ops_0, "instruction 0"},
    {"version 1", 4, version_1, "version 1 is not 2 to 5"},
    {"version 6", 5, version_6, "version 6 is not 2 to 5"},
    {"file index past the table", 4, bad_file, "names file 7; the table has 1"},
    {"file index 0 before DWARF 5", 3, bad_file_0, "names file 0"},
    {"file index past the DWARF 5 table", 5, bad_file, "names file 7; the table has 1"},
    {"directory index", 4, bad_dir, "in directory 3 of 1"},
    {"DWARF 5 directory index", 5, bad_dir, "in directory 3 of 1"},
    {"line_strp past .debug_line_str", 5, strp_past, "is not in .debug_line_str"},
    {"line_strp offset huge", 5, strp_huge, "0xfffffff0 is not in .debug_line_str"},
    {"unsupported form", 5, bad_form, "form 0x25"},
    {"header_length past the unit", 4, header_length_past, "header_length 0x10000"},
    {"extended opcode past the unit", 4, ext_len_past, "past the end of the unit"},
    {"extended opcode of length 0", 4, ext_len_0, "length is 0"},
    {"DW_LNE_set_address of 9 bytes", 4, addr_too_wide, "has 9 bytes of address"},
    {"LEB128 beyond 64 bits", 4, leb_overflow, "is truncated"},
};

static void test_broken(void **state)
{
	const struct broken *t = *state;
	static struct rows rs;
	struct layout l;
	struct buf b;
	char why[256];

	make_unit(&b, t->version, 4, &l);
	t->edit(&b, &l);
	assert_int_equal(parse(&b, b.n, &rs, why, sizeof(why)), -EINVAL);
	if (!strstr(why, t->says)) {
		fail_msg("said '%s', not '%s'", why, t->says);
	}
	print_message("# %s: %s\n", t->name, why);
}

/* DWARF 5 needs .debug_line_str for line_strp; without it, the table is refused. */
static void test_no_line_str(void **state)
{
	struct llext_dwarf_line_in in = {0};
	static struct rows rs;
	struct layout l;
	struct buf b;
	char why[256];

	(void)state;
	make_unit(&b, 5, 4, &l);
	in.line = b.b;
	in.line_size = b.n;
	assert_int_equal(llext_dwarf_lines(&in, collect, &rs, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "is not in .debug_line_str (0 bytes)"));
}

int main(void)
{
	static struct CMUnitTest t[64];
	static char names[64][128];
	size_t n = 0;

	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_real_tables);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_valid_units);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_prefixes);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_no_line_str);
	for (size_t i = 0; i < ARRAY_SIZE(broken); i++) {
		snprintf(names[n], sizeof(names[n]), "broken %s", broken[i].name);
		t[n] = (struct CMUnitTest){names[n], test_broken, NULL, NULL, (void *)&broken[i]};
		n++;
	}
	return run_dynamic_tests("dwarf_line", t, n);
}
