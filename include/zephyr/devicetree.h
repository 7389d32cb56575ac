/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's devicetree macros, for a machine without a devicetree: every node, chosen
 * node, alias and compatible is absent.
 *
 * The tests that code guards device access with evaluate to 0, in C and in #if:
 * DT_HAS_CHOSEN(zephyr_console), DT_NODE_EXISTS(...), DT_NODE_HAS_STATUS_OKAY(...) and the rest.
 * Macros that would name a node's properties are not defined, so code that uses a device
 * without such a guard fails to compile, as it does in Zephyr when the node is missing.
 */
#ifndef ZEPHYR_INCLUDE_DEVICETREE_H_
#define ZEPHYR_INCLUDE_DEVICETREE_H_

#include <zephyr/autoconf.h>

/** @brief The identifier of no node. */
#define DT_INVALID_NODE _
/** @brief The chosen node @p prop: none. */
#define DT_CHOSEN(prop) DT_INVALID_NODE
/** @brief The node labelled @p label: none. */
#define DT_NODELABEL(label) DT_INVALID_NODE
/** @brief The node aliased @p alias: none. */
#define DT_ALIAS(alias) DT_INVALID_NODE
/** @brief The node at @p path: none. */
#define DT_PATH(...) DT_INVALID_NODE
/** @brief Instance @p inst of @p compat: none. */
#define DT_INST(inst, compat) DT_INVALID_NODE
/** @brief Whether chosen node @p prop exists: 0. */
#define DT_HAS_CHOSEN(prop) 0
/** @brief Whether alias @p alias exists: 0. */
#define DT_HAS_ALIAS(alias) 0
/** @brief Whether @p node_id exists: 0. */
#define DT_NODE_EXISTS(node_id) 0
/** @brief Whether @p node_id has status "okay": 0. */
#define DT_NODE_HAS_STATUS_OKAY(node_id) 0
/** @brief Whether @p node_id has status @p status: 0. */
#define DT_NODE_HAS_STATUS(node_id, status) 0
/** @brief Whether an enabled node is compatible with @p compat: 0. */
#define DT_HAS_COMPAT_STATUS_OKAY(compat) 0
/** @brief Number of enabled nodes compatible with @p compat: 0. */
#define DT_NUM_INST_STATUS_OKAY(compat) 0
/** @brief Whether @p node_id has property @p prop: 0. */
#define DT_NODE_HAS_PROP(node_id, prop) 0
/** @brief Whether @p node_id is compatible with @p compat: 0. */
#define DT_NODE_HAS_COMPAT(node_id, compat) 0
/** @brief Apply @p fn to every enabled instance of @p compat: none. */
#define DT_FOREACH_STATUS_OKAY(compat, fn)
/** @brief Apply @p fn to every enabled instance of DT_DRV_COMPAT: none. */
#define DT_INST_FOREACH_STATUS_OKAY(fn)

#endif /* ZEPHYR_INCLUDE_DEVICETREE_H_ */
