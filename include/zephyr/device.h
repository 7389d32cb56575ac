/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's device model, for a machine with no devices.
 *
 * struct device exists so that code handling device pointers compiles; no device does.
 * device_get_binding() finds nothing and device_is_ready() is false. DEVICE_DT_GET() is not
 * defined, since no devicetree node exists (see <zephyr/devicetree.h>).
 */
#ifndef ZEPHYR_INCLUDE_DEVICE_H_
#define ZEPHYR_INCLUDE_DEVICE_H_

#include <zephyr/autoconf.h>

#include <stdbool.h>
#include <stddef.h>

#include <zephyr/devicetree.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A device. */
struct device {
	/** Name of the device. */
	const char *name;
	/** Its configuration. */
	const void *config;
	/** Its driver's API. */
	const void *api;
	/** Its driver's data. */
	void *data;
};

/** @brief The device named @p name: NULL, since there are none. */
const struct device *device_get_binding(const char *name);
/** @brief Whether @p dev is ready: false. */
bool device_is_ready(const struct device *dev);

/** @brief The device of @p node_id, or NULL if it has none: NULL. */
#define DEVICE_DT_GET_OR_NULL(node_id) NULL

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_DEVICE_H_ */
