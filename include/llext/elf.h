/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief ELF types used by the libllext API.
 *
 * libllext loads 64-bit ELF objects only, so every type maps to its ELF64 form. The names are
 * Zephyr's, which lets code written for Zephyr's llext use them unchanged.
 */
#ifndef LLEXT_ELF_H
#define LLEXT_ELF_H

#include <elf.h>

/** @brief ELF file header. */
typedef Elf64_Ehdr elf_ehdr_t;
/** @brief ELF section header. */
typedef Elf64_Shdr elf_shdr_t;
/** @brief ELF program header. */
typedef Elf64_Phdr elf_phdr_t;
/** @brief ELF address. */
typedef Elf64_Addr elf_addr_t;
/** @brief ELF half word (16 bits). */
typedef Elf64_Half elf_half_t;
/** @brief ELF word (32 bits). */
typedef Elf64_Word elf_word_t;
/** @brief ELF symbol table entry. */
typedef Elf64_Sym elf_sym_t;
/** @brief ELF relocation without addend. */
typedef Elf64_Rel elf_rel_t;
/** @brief ELF relocation with addend. */
typedef Elf64_Rela elf_rela_t;

/** @brief Relocation type of an r_info field. */
#define ELF_R_TYPE(info) ELF64_R_TYPE(info)
/** @brief Symbol index of an r_info field. */
#define ELF_R_SYM(info) ELF64_R_SYM(info)
/** @brief Binding of an st_info field. */
#define ELF_ST_BIND(info) ELF64_ST_BIND(info)
/** @brief Type of an st_info field. */
#define ELF_ST_TYPE(info) ELF64_ST_TYPE(info)

#endif /* LLEXT_ELF_H */
