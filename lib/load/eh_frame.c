// SPDX-License-Identifier: MIT
/*
 * Checking .eh_frame while loading, before runtime/unwind.c registers it.
 *
 * The unwinder trusts registered frames: the first exception thrown anywhere in the process
 * makes it parse every registered CIE and FDE, and it aborts on an encoding it does not know.
 * So every record is checked here the way the unwinder will read it, and every FDE must describe
 * code of this extension only, so that the host's own frames never use it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/base.h"
#include "load/load.h"

/* DWARF pointer encodings (DW_EH_PE_*). */
enum {
	PE_ABSPTR = 0x00,
	PE_ULEB128 = 0x01,
	PE_UDATA2 = 0x02,
	PE_UDATA4 = 0x03,
	PE_UDATA8 = 0x04,
	PE_SLEB128 = 0x09,
	PE_SDATA2 = 0x0a,
	PE_SDATA4 = 0x0b,
	PE_SDATA8 = 0x0c,
	PE_PCREL = 0x10,
	PE_INDIRECT = 0x80,
	PE_OMIT = 0xff,
};

struct cursor {
	const uint8_t *p, *end;
	uint64_t addr; /* run-time address of p */
	bool bad;
};

/* Moves past @n bytes; false (and the cursor marked bad) if there are not that many. */
static bool skip(struct cursor *c, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return false;
	}
	c->p += n;
	c->addr += n;
	return true;
}

/* Reads a value of @n bytes, at most 8, in the host's byte order (the section is the host's;
 * both supported machines are little-endian). */
static uint64_t take(struct cursor *c, size_t n)
{
	const uint8_t *p = c->p;
	uint64_t v = 0;

	if (!skip(c, n)) {
		return 0;
	}
	memcpy(&v, p, n);
	return v;
}

static uint64_t leb128(struct cursor *c, bool is_signed)
{
	uint64_t v = 0;
	unsigned int shift = 0;
	uint8_t byte;

	do {
		byte = (uint8_t)take(c, 1);
		if (shift < 64) {
			v |= (uint64_t)(byte & 0x7f) << shift;
		}
		shift += 7;
	} while ((byte & 0x80) && !c->bad);
	if (is_signed && shift < 64 && (byte & 0x40)) {
		v |= ~(uint64_t)0 << shift;
	}
	return v;
}

/* Reads a pointer in encoding @enc; false for an encoding the unwinder would not accept. */
static bool encoded(struct cursor *c, uint8_t enc, uint64_t *out)
{
	uint64_t here = c->addr, v;

	switch (enc & 0x0f) {
	case PE_ABSPTR:
	case PE_UDATA8:
	case PE_SDATA8:
		v = take(c, 8);
		break;
	case PE_UDATA2:
		v = take(c, 2);
		break;
	case PE_SDATA2:
		v = (uint64_t)(int64_t)(int16_t)take(c, 2);
		break;
	case PE_UDATA4:
		v = take(c, 4);
		break;
	case PE_SDATA4:
		v = (uint64_t)(int64_t)(int32_t)take(c, 4);
		break;
	case PE_ULEB128:
		v = leb128(c, false);
		break;
	case PE_SLEB128:
		v = leb128(c, true);
		break;
	default:
		return false;
	}
	switch (enc & 0x70) {
	case 0:
		break;
	case PE_PCREL:
		v += here;
		break;
	default:
		/* textrel, datarel, funcrel, aligned: not what compilers emit for .eh_frame. */
		return false;
	}
	*out = v;
	return !c->bad;
}

static bool known_encoding(uint8_t enc)
{
	switch (enc & 0x0f) {
	case PE_ABSPTR:
	case PE_ULEB128:
	case PE_UDATA2:
	case PE_UDATA4:
	case PE_UDATA8:
	case PE_SLEB128:
	case PE_SDATA2:
	case PE_SDATA4:
	case PE_SDATA8:
		return (enc & 0x70) == 0 || (enc & 0x70) == PE_PCREL;
	default:
		return false;
	}
}

struct cie {
	uint8_t fde_enc;
	bool has_aug;
};

static int check_cie(struct cursor *c, struct cie *cie)
{
	const uint8_t *aug;
	size_t aug_len;
	uint8_t version = (uint8_t)take(c, 1);
	uint64_t ignore;

	cie->fde_enc = PE_ABSPTR;
	if (version != 1 && version != 3) {
		return -1;
	}
	aug = c->p;
	aug_len = strnlen((const char *)aug, (size_t)(c->end - c->p));
	if (aug_len == (size_t)(c->end - c->p)) {
		return -1;
	}
	skip(c, aug_len + 1);
	leb128(c, false);                             /* code alignment */
	leb128(c, true);                              /* data alignment */
	version == 1 ? take(c, 1) : leb128(c, false); /* return address register */
	cie->has_aug = aug[0] == 'z';
	if (!cie->has_aug) {
		return aug_len == 0 && !c->bad ? 0 : -1;
	}
	leb128(c, false); /* augmentation data length */
	for (size_t i = 1; i < aug_len && !c->bad; i++) {
		uint8_t enc;

		switch (aug[i]) {
		case 'R':
			enc = (uint8_t)take(c, 1);
			if ((enc & PE_INDIRECT) || !known_encoding(enc)) {
				return -1;
			}
			cie->fde_enc = enc;
			break;
		case 'P':
			enc = (uint8_t)take(c, 1);
			if (!encoded(c, enc & ~PE_INDIRECT, &ignore)) {
				return -1;
			}
			break;
		case 'L':
			enc = (uint8_t)take(c, 1);
			if (enc != PE_OMIT && !known_encoding(enc & ~PE_INDIRECT)) {
				return -1;
			}
			break;
		case 'S': /* signal frame */
		case 'B': /* AArch64 BTI */
		case 'G': /* AArch64 memory tagging */
			break;
		default:
			return -1;
		}
	}
	return c->bad ? -1 : 0;
}

/* Parses the CIE an FDE points at, wherever in the section that is. */
static int cie_at(const uint8_t *eh, size_t size, uint64_t addr, uint64_t cie_addr, struct cie *cie)
{
	uint64_t off = cie_addr - addr, len;
	struct cursor c;

	if (cie_addr < addr || off > size || size - off < 8) {
		return -1;
	}
	c = (struct cursor){eh + off, eh + size, cie_addr, false};
	len = take(&c, 4);
	if (len < 4 || len == 0xffffffffu || len > size - off - 4) {
		return -1;
	}
	c.end = eh + off + 4 + len;
	if (take(&c, 4) != 0) {
		return -1;
	}
	return check_cie(&c, cie);
}

/* What the checks of one .eh_frame share: the section, the code, the last CIE read. */
struct eh_check {
	const uint8_t *eh;
	size_t size;
	uint64_t addr, text, text_end;
	const char *name;
	/* FDEs in a row mostly share a CIE: the last one checked is kept. */
	uint64_t last_cie;
	struct cie last;
};

/* An FDE, at @off, whose CIE pointer field at @id_addr holds @id: its CIE and its range. */
static int check_fde(struct eh_check *k, struct cursor *c, size_t off, uint64_t id_addr,
                     uint64_t id)
{
	uint64_t begin, range;
	struct cie cie;

	/* The CIE pointer counts back from its own field. */
	if (k->last_cie && k->last_cie == id_addr - id) {
		cie = k->last;
	} else if (cie_at(k->eh, k->size, k->addr, id_addr - id, &cie) == 0) {
		k->last_cie = id_addr - id;
		k->last = cie;
	} else {
		LOG_ERR("%s: .eh_frame+0x%zx: FDE does not point at a valid CIE", k->name, off);
		return -ENOEXEC;
	}
	if (cie.fde_enc == (PE_PCREL | PE_SDATA4) && !c->bad && c->end - c->p >= 8) {
		/* What GCC and Clang write, nearly always: two 32-bit fields, read directly. */
		int32_t b, r;

		memcpy(&b, c->p, 4);
		memcpy(&r, c->p + 4, 4);
		begin = c->addr + (uint64_t)(int64_t)b;
		range = (uint64_t)(int64_t)r;
		skip(c, 8);
	} else if (!encoded(c, cie.fde_enc, &begin) || !encoded(c, cie.fde_enc & 0x0f, &range)) {
		LOG_ERR("%s: .eh_frame+0x%zx: FDE address cannot be read", k->name, off);
		return -ENOEXEC;
	}
	if (begin < k->text || begin > k->text_end || range > k->text_end - begin) {
		LOG_ERR("%s: .eh_frame+0x%zx: FDE covers 0x%llx..0x%llx, outside the extension's "
		        "code",
		        k->name, off, (unsigned long long)begin,
		        (unsigned long long)(begin + range));
		return -ENOEXEC;
	}
	return 0;
}

int llext_eh_frame_check(const uint8_t *eh, size_t size, uint64_t addr, uint64_t text,
                         uint64_t text_end, const char *name)
{
	struct eh_check k = {eh, size, addr, text, text_end, name, 0, {0}};
	size_t off = 0;

	while (off + 4 <= size) {
		struct cursor c = {eh + off, eh + size, addr + off, false};
		uint64_t len = take(&c, 4), id_addr, id;
		struct cie cie;

		if (len == 0) {
			break; /* terminator */
		}
		if (len == 0xffffffffu || len < 4 || len > size - off - 4) {
			LOG_ERR("%s: .eh_frame+0x%zx: record length 0x%llx is invalid", name, off,
			        (unsigned long long)len);
			return -ENOEXEC;
		}
		c.end = eh + off + 4 + len;
		id_addr = c.addr;
		id = take(&c, 4);
		if (id == 0 && check_cie(&c, &cie) != 0) {
			LOG_ERR("%s: .eh_frame+0x%zx: CIE is malformed or uses an unsupported "
			        "encoding",
			        name, off);
			return -ENOEXEC;
		}
		if (id != 0 && check_fde(&k, &c, off, id_addr, id) != 0) {
			return -ENOEXEC;
		}
		off += 4 + len;
	}
	/*
	 * Fewer than four bytes left: the unwinder reads a length there all the same, made of them,
	 * the zero bytes after the section, and whatever follows. Only zeros make a terminator.
	 */
	for (; off < size; off++) {
		if (eh[off] != 0) {
			LOG_ERR("%s: .eh_frame+0x%zx: trailing bytes after the last record", name,
			        off);
			return -ENOEXEC;
		}
	}
	return 0;
}
