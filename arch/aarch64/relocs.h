/* SPDX-License-Identifier: MIT */
/*
 * The AArch64 (LP64) relocation types libllext knows, in ascending type order: one list from
 * which the descriptor table (and so every name in a message) is generated.
 *
 * X(name, bytes at P, flags, reach, min, max)
 *
 * Ranges are the psABI's overflow checks, for placement ("-2^31 <= X < 2^32" is written
 * A64_NEG(31), A64_LT(32)); the encoders check them again, exactly. Word-scaled PC-relative
 * fields (branches, literal loads) also need X to be a multiple of 4, so their upper end is the
 * last such value. "ANY" means no check (a 64-bit or _NC field), or a value relative to the GOT
 * or to a veneer, both of which are inside the extension.
 */
#ifndef LLEXT_AARCH64_RELOCS_H
#define LLEXT_AARCH64_RELOCS_H

/* -2^b, 2^b - 1 and 2^b - 4: the ends of the psABI's "-2^b <= X < 2^b". */
#define A64_NEG(b) (-((int64_t)1 << (b)))
#define A64_LT(b) (((int64_t)1 << (b)) - 1)
#define A64_LT4(b) (((int64_t)1 << (b)) - 4)

/* Initial-exec and local-exec: only against a variable in static TLS (see LLEXT_RF_TLS_FIXED);
 * initial-exec through the GOT (LLEXT_RF_TLS_IE). */
#define TLS_FIXED (LLEXT_RF_TLS | LLEXT_RF_TLS_FIXED)
#define TLS_IE (TLS_FIXED | LLEXT_RF_TLS_IE)

/* clang-format off */
#define LLEXT_AARCH64_RELOCS(X)                                                                                             \
	X(R_AARCH64_NONE,                         0, 0,                               ANY,   0, 0)                          \
	/* Static data relocations. */                                                                                      \
	X(R_AARCH64_ABS64,                        8, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_ABS32,                        4, 0,                               ABS,   A64_NEG(31), A64_LT(32))       \
	X(R_AARCH64_ABS16,                        2, 0,                               ABS,   A64_NEG(15), A64_LT(16))       \
	X(R_AARCH64_PREL64,                       8, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_PREL32,                       4, 0,                               PCREL, A64_NEG(31), A64_LT(32))       \
	X(R_AARCH64_PREL16,                       2, 0,                               PCREL, A64_NEG(15), A64_LT(16))       \
	/* Group relocations building a value with MOVZ/MOVN/MOVK. */                                                       \
	X(R_AARCH64_MOVW_UABS_G0,                 4, 0,                               ABS,   0, A64_LT(16))                 \
	X(R_AARCH64_MOVW_UABS_G0_NC,              4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_MOVW_UABS_G1,                 4, 0,                               ABS,   0, A64_LT(32))                 \
	X(R_AARCH64_MOVW_UABS_G1_NC,              4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_MOVW_UABS_G2,                 4, 0,                               ABS,   0, A64_LT(48))                 \
	X(R_AARCH64_MOVW_UABS_G2_NC,              4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_MOVW_UABS_G3,                 4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_MOVW_SABS_G0,                 4, 0,                               ABS,   A64_NEG(16), A64_LT(16))       \
	X(R_AARCH64_MOVW_SABS_G1,                 4, 0,                               ABS,   A64_NEG(32), A64_LT(32))       \
	X(R_AARCH64_MOVW_SABS_G2,                 4, 0,                               ABS,   A64_NEG(48), A64_LT(48))       \
	/* PC-relative addresses, literal loads and branches. */                                                            \
	X(R_AARCH64_LD_PREL_LO19,                 4, 0,                               PCREL, A64_NEG(20), A64_LT4(20))      \
	X(R_AARCH64_ADR_PREL_LO21,                4, 0,                               PCREL, A64_NEG(20), A64_LT(20))       \
	X(R_AARCH64_ADR_PREL_PG_HI21,             4, 0,                               PAGE,  A64_NEG(32), A64_LT(32))       \
	X(R_AARCH64_ADR_PREL_PG_HI21_NC,          4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_ADD_ABS_LO12_NC,              4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_LDST8_ABS_LO12_NC,            4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_TSTBR14,                      4, 0,                               PCREL, A64_NEG(15), A64_LT4(15))      \
	X(R_AARCH64_CONDBR19,                     4, 0,                               PCREL, A64_NEG(20), A64_LT4(20))      \
	X(R_AARCH64_JUMP26,                       4, LLEXT_RF_STUB,                   PCREL, A64_NEG(27), A64_LT4(27))      \
	X(R_AARCH64_CALL26,                       4, LLEXT_RF_STUB,                   PCREL, A64_NEG(27), A64_LT4(27))      \
	X(R_AARCH64_LDST16_ABS_LO12_NC,           4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_LDST32_ABS_LO12_NC,           4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_LDST64_ABS_LO12_NC,           4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_MOVW_PREL_G0,                 4, 0,                               PCREL, A64_NEG(16), A64_LT(16))       \
	X(R_AARCH64_MOVW_PREL_G0_NC,              4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_MOVW_PREL_G1,                 4, 0,                               PCREL, A64_NEG(32), A64_LT(32))       \
	X(R_AARCH64_MOVW_PREL_G1_NC,              4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_MOVW_PREL_G2,                 4, 0,                               PCREL, A64_NEG(48), A64_LT(48))       \
	X(R_AARCH64_MOVW_PREL_G2_NC,              4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_MOVW_PREL_G3,                 4, 0,                               ANY,   0, 0)                          \
	X(R_AARCH64_LDST128_ABS_LO12_NC,          4, 0,                               ANY,   0, 0)                          \
	/* GOT-relative and GOT-entry relocations; the GOT is inside the extension. */                                      \
	X(R_AARCH64_GOT_LD_PREL19,                4, LLEXT_RF_GOT,                    ANY,   0, 0)                          \
	X(R_AARCH64_ADR_GOT_PAGE,                 4, LLEXT_RF_GOT,                    ANY,   0, 0)                          \
	X(R_AARCH64_LD64_GOT_LO12_NC,             4, LLEXT_RF_GOT,                    ANY,   0, 0)                          \
	X(R_AARCH64_LD64_GOTPAGE_LO15,            4, LLEXT_RF_GOT | LLEXT_RF_GOTBASE, ANY,   0, 0)                          \
	/* Thread-local storage: the dynamic models; initial- and local-exec (TLSIE, TLSLE) in static TLS. */               \
	X(R_AARCH64_TLSGD_ADR_PREL21,             4, LLEXT_RF_TLS | LLEXT_RF_TLS_GD,  ANY,   0, 0)                          \
	X(R_AARCH64_TLSGD_ADR_PAGE21,             4, LLEXT_RF_TLS | LLEXT_RF_TLS_GD,  ANY,   0, 0)                          \
	X(R_AARCH64_TLSGD_ADD_LO12_NC,            4, LLEXT_RF_TLS | LLEXT_RF_TLS_GD,  ANY,   0, 0)                          \
	X(R_AARCH64_TLSGD_MOVW_G1,                4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSGD_MOVW_G0_NC,             4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_ADR_PREL21,             4, LLEXT_RF_TLS | LLEXT_RF_TLS_LD,  ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_ADR_PAGE21,             4, LLEXT_RF_TLS | LLEXT_RF_TLS_LD,  ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_ADD_LO12_NC,            4, LLEXT_RF_TLS | LLEXT_RF_TLS_LD,  ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_MOVW_G1,                4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_MOVW_G0_NC,             4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LD_PREL19,              4, LLEXT_RF_TLS | LLEXT_RF_TLS_LD,  ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_MOVW_DTPREL_G2,         4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_MOVW_DTPREL_G1,         4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC,      4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_MOVW_DTPREL_G0,         4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC,      4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_ADD_DTPREL_HI12,        4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_ADD_DTPREL_LO12,        4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC,     4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST8_DTPREL_LO12,      4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC,   4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST16_DTPREL_LO12,     4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC,  4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST32_DTPREL_LO12,     4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC,  4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST64_DTPREL_LO12,     4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC,  4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSIE_MOVW_GOTTPREL_G1,       4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC,    4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21,    4, TLS_IE,                          ANY,   0, 0)                          \
	X(R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC,  4, TLS_IE,                          ANY,   0, 0)                          \
	X(R_AARCH64_TLSIE_LD_GOTTPREL_PREL19,     4, TLS_IE,                          ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_MOVW_TPREL_G2,          4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_MOVW_TPREL_G1,          4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_MOVW_TPREL_G1_NC,       4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_MOVW_TPREL_G0,          4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_MOVW_TPREL_G0_NC,       4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_ADD_TPREL_HI12,         4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_ADD_TPREL_LO12,         4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_ADD_TPREL_LO12_NC,      4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST8_TPREL_LO12,       4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC,    4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST16_TPREL_LO12,      4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC,   4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST32_TPREL_LO12,      4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC,   4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST64_TPREL_LO12,      4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC,   4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSDESC_LD_PREL19,            4, LLEXT_RF_TLS | LLEXT_RF_TLS_DESC, ANY,   0, 0)                         \
	X(R_AARCH64_TLSDESC_ADR_PREL21,           4, LLEXT_RF_TLS | LLEXT_RF_TLS_DESC, ANY,   0, 0)                         \
	X(R_AARCH64_TLSDESC_ADR_PAGE21,           4, LLEXT_RF_TLS | LLEXT_RF_TLS_DESC, ANY,   0, 0)                         \
	X(R_AARCH64_TLSDESC_LD64_LO12,            4, LLEXT_RF_TLS | LLEXT_RF_TLS_DESC, ANY,   0, 0)                         \
	X(R_AARCH64_TLSDESC_ADD_LO12,             4, LLEXT_RF_TLS | LLEXT_RF_TLS_DESC, ANY,   0, 0)                         \
	X(R_AARCH64_TLSDESC_OFF_G1,               4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSDESC_OFF_G0_NC,            4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSDESC_LDR,                  0, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSDESC_ADD,                  0, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSDESC_CALL,                 0, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST128_TPREL_LO12,     4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC,  4, TLS_FIXED,                       ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST128_DTPREL_LO12,    4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	X(R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC, 4, LLEXT_RF_TLS,                    ANY,   0, 0)                          \
	/* Dynamic relocations: a dynamic linker's input, never found in ET_REL. */                                         \
	X(R_AARCH64_COPY,                         0, LLEXT_RF_DYNAMIC,                ANY,   0, 0)                          \
	X(R_AARCH64_GLOB_DAT,                     8, LLEXT_RF_DYNAMIC,                ANY,   0, 0)                          \
	X(R_AARCH64_JUMP_SLOT,                    8, LLEXT_RF_DYNAMIC,                ANY,   0, 0)                          \
	X(R_AARCH64_RELATIVE,                     8, LLEXT_RF_DYNAMIC,                ANY,   0, 0)                          \
	X(R_AARCH64_TLS_DTPMOD,                   8, LLEXT_RF_DYNAMIC,                ANY,   0, 0)                          \
	X(R_AARCH64_TLS_DTPREL,                   8, LLEXT_RF_DYNAMIC,                ANY,   0, 0)                          \
	X(R_AARCH64_TLS_TPREL,                    8, LLEXT_RF_DYNAMIC,                ANY,   0, 0)                          \
	X(R_AARCH64_TLSDESC,                      16, LLEXT_RF_DYNAMIC,               ANY,   0, 0)                          \
	X(R_AARCH64_IRELATIVE,                    8, LLEXT_RF_DYNAMIC,                ANY,   0, 0)
/* clang-format on */

#endif /* LLEXT_AARCH64_RELOCS_H */
