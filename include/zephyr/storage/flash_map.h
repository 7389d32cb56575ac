/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/storage/flash_map.h> on a platform without flash.
 *
 * Zephyr code includes this header for flash partitions, which its devicetree describes. A
 * Linux process has neither flash nor devicetree partitions, so opening an area fails with
 * -ENOTSUP. The devicetree macros (FIXED_PARTITION_ID() and friends) are not defined: a name
 * they would look up cannot exist here, and code that uses them does so under options that stay
 * undefined (CONFIG_FILE_SYSTEM, CONFIG_FLASH_MAP).
 */
#ifndef ZEPHYR_INCLUDE_STORAGE_FLASH_MAP_H_
#define ZEPHYR_INCLUDE_STORAGE_FLASH_MAP_H_

#include <zephyr/autoconf.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A flash partition (none exists here). */
struct flash_area {
	/** Partition number. */
	uint8_t fa_id;
	/** Start offset in the device. */
	off_t fa_off;
	/** Size in bytes. */
	size_t fa_size;
	/** The flash device. */
	const void *fa_dev;
};

/**
 * @brief Open flash area @p id.
 * @retval -ENOTSUP there is no flash
 */
static inline int flash_area_open(uint8_t id, const struct flash_area **fa)
{
	ARG_UNUSED(id);
	*fa = NULL;
	return -ENOTSUP;
}

/** @brief Close a flash area (none can be open). */
static inline void flash_area_close(const struct flash_area *fa)
{
	ARG_UNUSED(fa);
}

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_STORAGE_FLASH_MAP_H_ */
