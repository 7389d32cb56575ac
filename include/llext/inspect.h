/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Where the sections and regions of a loaded extension are.
 *
 * Section-level answers need the extension to have been loaded with the @c keep_section_info
 * load parameter. The loader arguments exist for source compatibility with Zephyr, whose
 * loaders carry this information; libllext keeps it with the extension and ignores them.
 *
 * @defgroup llext_inspect Extension inspection
 * @{
 */
#ifndef LLEXT_INSPECT_H
#define LLEXT_INSPECT_H

#include <stddef.h>

#include <llext/llext.h>
#include <llext/loader.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Get the header, address and size of a region of an extension.
 *
 * Any of @p hdr, @p addr and @p size may be NULL. The header describes the region as one
 * section, as Zephyr's does: type, flags, run-time address (@c sh_addr), alignment, and the
 * range of the object file its sections span (@c sh_offset, @c sh_size: from the first byte of
 * its first section to the last byte of its last one; the symbol, string and section name
 * tables are one section each). A region built on the heap from no section (the export table,
 * the constructor lists) has @c sh_offset 0 and its size in memory. @p *size is the region's
 * size in memory, which can be larger than its span: stubs, the GOT and alignment padding.
 * Without @c keep_section_info, @p *hdr is set to NULL.
 *
 * @param ldr Extension loader (unused)
 * @param ext Extension
 * @param region Region
 * @param hdr Where to store a pointer to the region's header, kept with the extension
 * @param addr Where to store the region's address (NULL for an empty region)
 * @param size Where to store the region's size in bytes
 * @retval 0 success
 * @retval -EINVAL @p ext is NULL or @p region is not a region
 */
int llext_get_region_info(const struct llext_loader *ldr, const struct llext *ext,
                          enum llext_mem region, const elf_shdr_t **hdr, const void **addr,
                          size_t *size);

/**
 * @brief Get the index of a section of an extension, by name.
 *
 * @param ldr Extension loader (unused)
 * @param ext Extension
 * @param section_name Name of the section
 * @retval >0 the section's index in the object
 * @retval -EINVAL a NULL argument
 * @retval -ENOTSUP no section information is kept
 * @retval -ENOENT no section has that name
 */
int llext_section_shndx(const struct llext_loader *ldr, const struct llext *ext,
                        const char *section_name);

/**
 * @brief Get the header of a section of an extension, and where it was loaded.
 *
 * Any of @p hdr, @p region and @p offset may be NULL. A section that was not loaded has the
 * region @c LLEXT_MEM_COUNT and offset 0.
 *
 * @param ldr Extension loader (unused)
 * @param ext Extension
 * @param shndx Section index
 * @param hdr Where to store a pointer to the section's header, as in the object
 * @param region Where to store the region the section is in
 * @param offset Where to store the section's offset in that region
 * @retval 0 success
 * @retval -EINVAL @p ext is NULL or @p shndx is not a section of the object
 * @retval -ENOTSUP no section information is kept
 */
int llext_get_section_info(const struct llext_loader *ldr, const struct llext *ext,
                           unsigned int shndx, const elf_shdr_t **hdr, enum llext_mem *region,
                           size_t *offset);

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_INSPECT_H */
