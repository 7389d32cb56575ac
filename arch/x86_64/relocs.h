/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 relocation types libllext knows, in ascending type order: one list from which the
 * descriptor table (and so every name in a message) is generated.
 *
 * X(name, bytes at P, flags, reach, min, max)
 *
 * Ranges are those of the value the psABI computes, for placement; "any" means a 64-bit field
 * or a value relative to the GOT, which is inside the extension. The dynamic TLS models (general
 * and local dynamic, descriptors) reach only the extension's own GOT and TLS block: "any" too.
 */
#ifndef LLEXT_X86_64_RELOCS_H
#define LLEXT_X86_64_RELOCS_H

#define X86_64_S32_MIN (-(int64_t)0x80000000)
#define X86_64_S32_MAX ((int64_t)0x7fffffff)

/* Initial-exec and local-exec: only against a variable in static TLS (see LLEXT_RF_TLS_FIXED);
 * initial-exec through the GOT (LLEXT_RF_TLS_IE). */
#define TLS_FIXED (LLEXT_RF_TLS | LLEXT_RF_TLS_FIXED)
#define TLS_IE (TLS_FIXED | LLEXT_RF_TLS_IE)

/* clang-format off */
#define LLEXT_X86_64_RELOCS(X)                                                                     \
	X(R_X86_64_NONE,            0, 0,                                  ANY,   0, 0)            \
	X(R_X86_64_64,              8, 0,                                  ANY,   0, 0)            \
	X(R_X86_64_PC32,            4, 0,                                  PCREL, X86_64_S32_MIN, X86_64_S32_MAX) \
	X(R_X86_64_PLT32,           4, LLEXT_RF_STUB,                      PCREL, X86_64_S32_MIN, X86_64_S32_MAX) \
	X(R_X86_64_COPY,            0, LLEXT_RF_DYNAMIC,                   ANY,   0, 0)            \
	X(R_X86_64_GLOB_DAT,        8, LLEXT_RF_DYNAMIC,                   ANY,   0, 0)            \
	X(R_X86_64_JUMP_SLOT,       8, LLEXT_RF_DYNAMIC,                   ANY,   0, 0)            \
	X(R_X86_64_RELATIVE,        8, LLEXT_RF_DYNAMIC,                   ANY,   0, 0)            \
	X(R_X86_64_GOTPCREL,        4, LLEXT_RF_GOT,                       ANY,   0, 0)            \
	X(R_X86_64_32,              4, 0,                                  ABS,   0, 0xffffffff)   \
	X(R_X86_64_32S,             4, 0,                                  ABS,   X86_64_S32_MIN, X86_64_S32_MAX) \
	X(R_X86_64_16,              2, 0,                                  ABS,   -0x8000, 0xffff) \
	X(R_X86_64_PC16,            2, 0,                                  PCREL, -0x8000, 0x7fff) \
	X(R_X86_64_8,               1, 0,                                  ABS,   -0x80, 0xff)     \
	X(R_X86_64_PC8,             1, 0,                                  PCREL, -0x80, 0x7f)     \
	X(R_X86_64_DTPMOD64,        8, LLEXT_RF_TLS | LLEXT_RF_DYNAMIC,    ANY,   0, 0)            \
	X(R_X86_64_DTPOFF64,        8, LLEXT_RF_TLS,                       ANY,   0, 0)            \
	X(R_X86_64_TPOFF64,         8, TLS_FIXED,                          ANY,   0, 0)            \
	X(R_X86_64_TLSGD,           4, LLEXT_RF_TLS | LLEXT_RF_TLS_GD,     ANY,   0, 0)            \
	X(R_X86_64_TLSLD,           4, LLEXT_RF_TLS | LLEXT_RF_TLS_LD,     ANY,   0, 0)            \
	X(R_X86_64_DTPOFF32,        4, LLEXT_RF_TLS,                       ANY,   0, 0)            \
	X(R_X86_64_GOTTPOFF,        4, TLS_IE,                             ANY,   0, 0)            \
	X(R_X86_64_TPOFF32,         4, TLS_FIXED,                          ANY,   0, 0)            \
	X(R_X86_64_PC64,            8, 0,                                  ANY,   0, 0)            \
	X(R_X86_64_GOTOFF64,        8, LLEXT_RF_GOTBASE,                   ANY,   0, 0)            \
	X(R_X86_64_GOTPC32,         4, LLEXT_RF_GOTBASE,                   ANY,   0, 0)            \
	X(R_X86_64_GOT64,           8, LLEXT_RF_GOT | LLEXT_RF_GOTBASE,    ANY,   0, 0)            \
	X(R_X86_64_GOTPCREL64,      8, LLEXT_RF_GOT,                       ANY,   0, 0)            \
	X(R_X86_64_GOTPC64,         8, LLEXT_RF_GOTBASE,                   ANY,   0, 0)            \
	X(R_X86_64_GOTPLT64,        8, LLEXT_RF_GOT | LLEXT_RF_GOTBASE,    ANY,   0, 0)            \
	X(R_X86_64_PLTOFF64,        8, LLEXT_RF_GOTBASE,                   ANY,   0, 0)            \
	X(R_X86_64_GOTPC32_TLSDESC, 4, LLEXT_RF_TLS | LLEXT_RF_TLS_DESC,   ANY,   0, 0)            \
	X(R_X86_64_TLSDESC_CALL,    0, LLEXT_RF_TLS,                       ANY,   0, 0)            \
	X(R_X86_64_TLSDESC,         16, LLEXT_RF_TLS | LLEXT_RF_DYNAMIC,  ANY,   0, 0)            \
	X(R_X86_64_IRELATIVE,       8, LLEXT_RF_DYNAMIC,                   ANY,   0, 0)            \
	X(R_X86_64_RELATIVE64,      8, LLEXT_RF_DYNAMIC,                   ANY,   0, 0)            \
	X(R_X86_64_GOTPCRELX,       4, LLEXT_RF_GOT,                       ANY,   0, 0)            \
	X(R_X86_64_REX_GOTPCRELX,   4, LLEXT_RF_GOT,                       ANY,   0, 0)
/* clang-format on */

#endif /* LLEXT_X86_64_RELOCS_H */
