/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Memory partitions and domains, after Zephyr's k_mem_domain.
 *
 * Linux has no memory domains; these types exist so that a host can learn where an extension's
 * regions are and how they are protected, through the same call a Zephyr application makes
 * (llext_add_domain()). Attributes are PROT_* bits and can be given to mprotect() as they are.
 *
 * @defgroup llext_mem_domain Memory domains
 * @{
 */
#ifndef LLEXT_MEM_DOMAIN_H
#define LLEXT_MEM_DOMAIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Access attributes of a partition: PROT_READ, PROT_WRITE and PROT_EXEC bits. */
typedef uint32_t k_mem_partition_attr_t;

/** @brief Read-only partition. */
#define K_MEM_PARTITION_P_RO_U_RO ((k_mem_partition_attr_t)PROT_READ)
/** @brief Read-write partition. */
#define K_MEM_PARTITION_P_RW_U_RW ((k_mem_partition_attr_t)(PROT_READ | PROT_WRITE))
/** @brief Read-execute partition. */
#define K_MEM_PARTITION_P_RX_U_RX ((k_mem_partition_attr_t)(PROT_READ | PROT_EXEC))

/** @brief A page-aligned range of memory with one protection. */
struct k_mem_partition {
	/** Start address, page aligned. */
	uintptr_t start;
	/** Size in bytes, a multiple of the page size. */
	size_t size;
	/** Protection of the whole range. */
	k_mem_partition_attr_t attr;
};

/** @brief Maximum number of partitions in one domain. */
#define LLEXT_MAX_DOMAIN_PARTITIONS 16

/** @brief A set of partitions. Zero-initialise before first use. */
struct k_mem_domain {
	/** Partitions in the domain; the pointers stay owned by whoever added them. */
	struct k_mem_partition *partitions[LLEXT_MAX_DOMAIN_PARTITIONS];
	/** Number of entries used in @c partitions. */
	uint8_t num_partitions;
};

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_MEM_DOMAIN_H */
